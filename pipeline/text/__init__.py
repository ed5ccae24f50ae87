"""Stage 1: read articles and parse them (spaCy loading, its faster token rules, quotation marks)."""
