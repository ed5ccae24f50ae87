"""`stance evaluate` and the metrics it reports: stance, per-actor stance and attribution."""
