"""Labeled articles, stance examples and the importers of the shared corpora (never imported by a stage)."""
