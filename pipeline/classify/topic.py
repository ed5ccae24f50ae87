"""Stage 5's check that an article is about the target at all.

The stance classifier reads one claim beside the target. A claim about the Trans-Pacific Partnership read beside "the
budget negotiations", or the Iran talks beside "a deal to end the government shutdown", still looks like a position
on some deal, and the classifier gives it a side. The article says what the claim is about: where no sentence of it
comes close to the target in a sentence encoder's space (all-MiniLM-L6-v2, cosine of unit vectors), its claims are
neutral toward that target.

The threshold is chosen on the training annotations: every training article keeps its own target (the lowest of 328
is .341) and .30 leaves that a margin; docs/experiments.md has the measurements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pipeline.config import TOPIC_THRESHOLD as THRESHOLD

MIN_WORDS = 4  # shorter lines are bylines, datelines and captions
MAX_SENTENCES = 200  # a very long document is judged on its first 200 sentences
MAX_TOKENS = 64
LEAD = 12  # sentences read first; most articles about the target pass on them
# a sentence ends at . ! or ? (and any closing quotation mark) before a space, or at a line break
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019]))\s+|\n+")


def sentences(text: str) -> list[str]:
    """The article's sentences of at least ``MIN_WORDS`` words, at most ``MAX_SENTENCES`` of them."""
    found = (s.strip() for s in _BOUNDARY.split(text))
    return [s for s in found if len(s.split()) >= MIN_WORDS][:MAX_SENTENCES]


class TopicGate:
    """``similarity`` of articles to targets: for each pair, the cosine of the article's sentence closest to the
    target. A pair under ``threshold`` is off the topic."""

    def __init__(self, threshold: float = THRESHOLD, precision: str = "auto"):
        from pipeline.models.sentences import SentenceEncoder

        self.encoder = SentenceEncoder(precision, max_tokens=MAX_TOKENS)
        self.threshold = threshold

    def similarity(self, texts: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        """For each text and target, the cosine of the text's closest sentence (0.0 for a text without a sentence).
        The first ``LEAD`` sentences are read first: a text whose lead already passes the threshold for every target
        is not read further, and its values are the lead's (a lower bound of the whole text's, above the threshold)."""
        import numpy as np

        goals = self.encoder.encode(list(targets))
        per_text = [sentences(t) for t in texts]
        best = np.zeros((len(texts), len(targets)), dtype=np.float32)
        for part in (slice(0, LEAD), slice(LEAD, None)):
            todo = [i for i, found in enumerate(per_text) if found[part] and (best[i] < self.threshold).any()]
            flat = [s for i in todo for s in per_text[i][part]]
            if not flat:
                continue
            sims = self.encoder.encode(flat) @ goals.T
            start = 0
            for i in todo:
                n = len(per_text[i][part])
                best[i] = np.maximum(best[i], sims[start : start + n].max(axis=0))
                start += n
        return [[round(float(v), 4) for v in row] for row in best]

    def scores(self, articles: Iterable, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """``similarity`` for (article id, target) pairs of the given articles (``Article`` records)."""
        text = {a.id: a.text for a in articles}
        wanted: dict[str, set[str]] = {}
        for article_id, target in pairs:
            wanted.setdefault(article_id, set()).add(target)
        targets = sorted({t for ts in wanted.values() for t in ts})
        ids = [i for i in wanted if i in text]
        sims = self.similarity([text[i] for i in ids], targets) if ids else []
        return {(i, t): row[targets.index(t)] for i, row in zip(ids, sims, strict=True) for t in wanted[i]}
