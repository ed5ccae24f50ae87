"""The engine: stages 1-6 over a corpus (local or Ray), the resumable output folder and the HTML report."""
