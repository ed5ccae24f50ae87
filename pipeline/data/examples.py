"""Stance examples from the configured sources, for training, evaluation and the baselines."""

from __future__ import annotations

import logging
import random
from pathlib import Path

from pipeline.config import SourceWeight
from pipeline.data import standoff
from pipeline.data.corpora import data_root, dse, emergent, gwsd, newsmtsc, semeval
from pipeline.data.labeled import LabeledArticle
from pipeline.errors import ConfigError
from pipeline.records import StanceExample

log = logging.getLogger("stance")

IMPORTERS = {
    "semeval": semeval.examples,
    "gwsd": gwsd.examples,
    "emergent": emergent.examples,
    "newsmtsc": newsmtsc.examples,
    "dse": dse.examples,
}
SPLIT_NAMES = {"semeval": {"dev": "val"}}


def from_labeled(path: Path, split: str, root: Path | None = None, object_verb: bool = True) -> list[StanceExample]:
    """The labeled claims of ``split``, each as ``stance run`` reads it: with ``object_verb``, a claim that is the
    object of its reporting verb with that verb ("rejected [the proposal]", see ``Claim.statement``)."""
    every = list(standoff.read(path, root))
    items = [i for i in every if i.split == split and i.target]
    untargeted = sum(i.split == split and not i.target for i in every)
    unlabeled = sum(c.stance is None for i in items for c in i.claims)
    if untargeted or unlabeled:
        log.warning(
            f"{path.name} ({split}): {untargeted} article(s) without a target and {unlabeled} claim(s) without a "
            "stance are left out of the stance examples"
        )
    starts = statement_starts(items) if object_verb else [{} for _ in items]
    out = []
    for item, start in zip(items, starts, strict=True):
        for n, claim in enumerate(item.claims):
            if claim.stance is None:
                continue
            out.append(
                StanceExample(
                    text=item.text[start.get(n, claim.start_char) : claim.end_char],
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


def statement_starts(items: list[LabeledArticle]) -> list[dict[int, int]]:
    """Per article, the claims (by index) that the extractor reads with the verb before them, and where that verb
    starts: the claim starts inside a claim the rules find as the object of its cue, the cue comes before it, and
    it is the claim's own cue where the annotation gives one (not another speaker's "rejected criticism that ...")."""
    if not any(c.stance for i in items for c in i.claims):
        return [{} for _ in items]
    from pipeline.run.extract import attribute
    from pipeline.text import nlp

    out = []
    docs = nlp.load().pipe(nlp.parser_text(i.text) for i in items)
    for item, doc in zip(items, docs, strict=True):
        objects = [a for a in attribute(doc, item.text) if a.candidate.object_of_cue and a.cue]
        starts = {}
        for n, claim in enumerate(item.claims):
            for a in objects:
                if (
                    a.candidate.start <= claim.start_char < a.candidate.end
                    and a.cue[0] < claim.start_char
                    and (claim.cue_start_char is None or claim.cue_start_char <= a.cue[0] < claim.cue_end_char)
                ):
                    starts[n] = a.cue[0]
                    break
        out.append(starts)
    return out


def load(
    source: SourceWeight, split: str, root: Path | None = None, seed: int = 13, object_verb: bool = True
) -> list[StanceExample]:
    """The examples of one source and split, capped at ``max_examples`` (a seeded sample)."""
    if source.corpus == "labeled":
        if source.path is None:
            raise ConfigError("a 'labeled' source needs a 'path' to a labeled-article JSONL")
        items = from_labeled(source.path, split, root, object_verb)
    else:
        items = IMPORTERS[source.corpus](data_root(root), SPLIT_NAMES.get(source.corpus, {}).get(split, split))
    if source.max_examples and len(items) > source.max_examples:
        items = random.Random(seed).sample(items, source.max_examples)
    return items


def mix(
    sources: list[SourceWeight], split: str, root: Path | None = None, seed: int = 13, object_verb: bool = True
) -> list[StanceExample]:
    """Concatenate sources; a weight above 1 repeats a source (whole copies plus a seeded remainder)."""
    rng = random.Random(seed)
    out: list[StanceExample] = []
    for source in sources:
        items = load(source, split, root, seed, object_verb)
        whole, frac = divmod(source.weight, 1.0)
        out.extend(items * int(whole))
        out.extend(rng.sample(items, round(frac * len(items))))
    rng.shuffle(out)
    return out
