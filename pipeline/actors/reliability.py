"""How often a verdict of each kind was right on held-out articles: an actor's ``confidence`` is a share of the
classifier's probability, which is near 1.00 for most actors with a side, and says nothing of how often such a side
is right. ``scripts/verdict_reliability.py`` measures it per model (``verdicts.json`` in the model's folder) on gold
claims no model was trained on; a run gives each actor the rate of its kind."""

from __future__ import annotations

import json
from pathlib import Path

FILE = "verdicts.json"

KINDS = {  # the kind of evidence a verdict rests on, as the report says it
    "neutral, one claim": "one claim, neutral",
    "neutral, several claims": "only neutral claims",
    "side, its only claim": "its one claim took a side",
    "side, one claim of several": "one of its claims took a side, the others none",
    "side, several claims": "several claims took that side, none the other",
    "side, claims on both sides": "claims on both sides",
}


def kind(counts: dict[str, int], stance: str) -> str:
    """Which of ``KINDS`` a verdict is, from its claim counts."""
    sided = counts["favor"] + counts["against"]
    if stance == "neutral" or not sided:
        return "neutral, one claim" if counts["neutral"] <= 1 else "neutral, several claims"
    if counts["favor"] and counts["against"]:
        return "side, claims on both sides"
    if sided == 1:
        return "side, its only claim" if counts["neutral"] == 0 else "side, one claim of several"
    return "side, several claims"


def load(model: str | Path) -> dict[str, dict[str, int]] | None:
    """A model's held-out counts per kind ({"right": .., "n": ..}), or None where it was not measured."""
    path = Path(model) / FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["kinds"]


def rate(table: dict[str, dict[str, int]] | None, counts: dict[str, int], stance: str) -> float | None:
    """The share of held-out verdicts of this kind that were right; None without a table or with too few of them."""
    found = (table or {}).get(kind(counts, stance))
    return round(found["right"] / found["n"], 3) if found and found["n"] >= MIN_N else None


MIN_N = 30  # fewer held-out verdicts of a kind than this say too little to print a rate
