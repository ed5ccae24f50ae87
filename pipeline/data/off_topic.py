"""Off-topic pairs: a claim paired with the target of another, unrelated event is neutral toward it.

This is free training data for the rule "a claim that is not about the target takes no side", and the same pairing
(with targets no article discusses) measures it in ``stance evaluate``. A pair is kept only when the other target is
far from both the claim's own target and the claim itself in a sentence encoder's space (all-MiniLM-L6-v2, cosine),
so that a claim about the border wall is never paired with "a deal to end the government shutdown".
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pipeline.records import StanceExample

CORPUS = "off-topic"


def embed(texts: Sequence[str], batch_size: int = 64):
    """Unit-length sentence vectors (all-MiniLM-L6-v2, mean pooling) as a float32 array."""
    from pipeline.models.sentences import SentenceEncoder

    return SentenceEncoder().encode(texts, batch_size)


def pairs(
    items: Sequence[StanceExample],
    share: float,
    seed: int = 13,
    max_target_similarity: float = 0.35,
    max_claim_similarity: float = 0.25,
    tries: int = 20,
    sided_own_similarity: float = 0.0,
) -> list[StanceExample]:
    """About ``share * len(items)`` neutral pairs of an item's claim with another group's target.

    ``items`` must carry a ``group`` (event) and a target; claims are drawn at random without repetition, and for each
    up to ``tries`` other targets are drawn until one is unrelated (cosine under both thresholds). A claim that takes
    a side is drawn only when its cosine to its own target reaches ``sided_own_similarity``: "My vote will be no"
    does not say what it is about, so labelling it neutral beside another target teaches that a plain position on an
    unnamed "it" is neutral (the article's topic check, not the claim, tells such targets apart at run time).
    """
    pool = [e for e in items if e.group and e.target]
    targets = sorted({e.target for e in pool})
    if len(targets) < 2 or share <= 0:
        return []
    cvec: dict = {}
    if sided_own_similarity > 0:
        tvec, cvec = _vectors(targets, {e.text for e in pool if e.label != "neutral"})
        pool = [e for e in pool if e.label == "neutral" or float(tvec[e.target] @ cvec[e.text]) >= sided_own_similarity]
    rng = random.Random(seed)
    chosen = rng.sample(pool, min(len(pool), round(share * len(items))))
    tvec, more = _vectors(targets, {e.text for e in chosen} - cvec.keys())  # the sided claims are encoded already
    cvec |= more
    groups_of: dict[str, set[str]] = {}
    for e in pool:
        groups_of.setdefault(e.target, set()).add(e.group)  # type: ignore[arg-type]
    out = []
    for e in chosen:
        for _ in range(tries):
            other = rng.choice(targets)
            if e.group in groups_of[other] or other == e.target:
                continue
            if float(tvec[other] @ tvec[e.target]) >= max_target_similarity:
                continue
            if float(tvec[other] @ cvec[e.text]) >= max_claim_similarity:
                continue
            out.append(_neutral(e, other))
            break
    return out


def every_pair(
    items: Sequence[StanceExample], max_target_similarity: float = 0.35, max_claim_similarity: float = 0.25
) -> list[StanceExample]:
    """Each claim once, with every other event's target that is unrelated to the claim and to its own targets (as in
    ``pairs``), neutral: the held-out events' claims toward each other's targets, off-topic within one domain."""
    pool = [e for e in items if e.group and e.target]
    targets = sorted({e.target for e in pool})
    if len(targets) < 2:
        return []
    tvec, cvec = _vectors(targets, {e.text for e in pool})
    targets_of: dict[str, set[str]] = {}  # a claim found in two events (wire copies) is about both targets
    for e in pool:
        targets_of.setdefault(e.text, set()).add(e.target)  # type: ignore[arg-type]
    first = list({e.text: e for e in reversed(pool)}.values())[::-1]  # each claim once
    return [
        _neutral(e, other)
        for e in first
        for other in targets
        if other not in targets_of[e.text]
        and all(float(tvec[other] @ tvec[own]) < max_target_similarity for own in targets_of[e.text])
        and float(tvec[other] @ cvec[e.text]) < max_claim_similarity
    ]


def _vectors(targets: list[str], claims: set[str]) -> tuple[dict, dict]:
    """Target -> vector and claim -> vector, encoded in one pass."""
    claims_in_order = sorted(claims)
    vectors = embed(targets + claims_in_order)
    by_target = dict(zip(targets, vectors[: len(targets)], strict=True))
    return by_target, dict(zip(claims_in_order, vectors[len(targets) :], strict=True))


def _neutral(item: StanceExample, target: str) -> StanceExample:
    return StanceExample(
        text=item.text,
        target=target,
        label="neutral",
        corpus=CORPUS,
        split=item.split,
        group=item.group,
        speaker=item.speaker,
        cue=item.cue,
        article_id=item.article_id,
    )
