"""Stage 5: the stance of each (target, claim) pair: the classifier and its network."""
