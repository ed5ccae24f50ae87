"""Stages 4 and 6: speakers become actors, in an article and across the corpus, with each actor's stance."""
