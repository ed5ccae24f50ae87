"""Stage 2: find claims and their cues in a parse, and name each claim's kind."""
