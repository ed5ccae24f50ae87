"""Stance examples from the configured sources, for training, evaluation and the baselines."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.config import SourceWeight
from pipeline.data import standoff
from pipeline.data.corpora import data_root, dse, emergent, gwsd, newsmtsc, semeval
from pipeline.errors import ConfigError
from pipeline.records import StanceExample

IMPORTERS = {
    "semeval": semeval.examples,
    "gwsd": gwsd.examples,
    "emergent": emergent.examples,
    "newsmtsc": newsmtsc.examples,
    "dse": dse.examples,
}
SPLIT_NAMES = {"semeval": {"dev": "val"}}


def from_labeled(path: Path, split: str, root: Path | None = None) -> list[StanceExample]:
    out = []
    for item in standoff.read(path, root):
        if item.split != split or not item.target:
            continue
        for claim in item.claims:
            if claim.stance is None:
                continue
            out.append(
                StanceExample(
                    text=item.text[claim.start_char : claim.end_char],
                    target=item.target,
                    label=claim.stance,
                    corpus=f"labeled:{path.stem}",
                    split=split,
                    group=item.event,
                    article_id=item.id,
                    speaker=claim.speaker,
                    cue=item.text[claim.cue_start_char : claim.cue_end_char]
                    if claim.cue_start_char is not None
                    else None,
                )
            )
    return out


def load(source: SourceWeight, split: str, root: Path | None = None, seed: int = 13) -> list[StanceExample]:
    """The examples of one source and split, capped at ``max_examples`` (a seeded sample)."""
    if source.corpus == "labeled":
        if source.path is None:
            raise ConfigError("a 'labeled' source needs a 'path' to a labeled-article JSONL")
        items = from_labeled(source.path, split, root)
    else:
        items = IMPORTERS[source.corpus](data_root(root), SPLIT_NAMES.get(source.corpus, {}).get(split, split))
    if source.max_examples and len(items) > source.max_examples:
        items = random.Random(seed).sample(items, source.max_examples)
    return items


def mix(sources: list[SourceWeight], split: str, root: Path | None = None, seed: int = 13) -> list[StanceExample]:
    """Concatenate sources; a weight above 1 repeats a source (whole copies plus a seeded remainder)."""
    rng = random.Random(seed)
    out: list[StanceExample] = []
    for source in sources:
        items = load(source, split, root, seed)
        whole, frac = divmod(source.weight, 1.0)
        out.extend(items * int(whole))
        out.extend(rng.sample(items, round(frac * len(items))))
    rng.shuffle(out)
    return out
