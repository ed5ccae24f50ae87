"""Stage 3: who said it: speaker mentions by rule, the learned speaker ranker, and the attribution tagger."""
