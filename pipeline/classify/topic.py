"""Stage 5's check that an article is about the target at all.

The stance classifier reads one claim beside the target. A claim about the Trans-Pacific Partnership read beside "the
budget negotiations", or the Iran talks beside "a deal to end the government shutdown", still looks like a position
on some deal, and the classifier gives it a side. The article says what the claim is about: where no sentence of it
comes close to the target in a sentence encoder's space (all-MiniLM-L6-v2, cosine of unit vectors), its claims take
no stance toward that target.

The threshold is chosen on the training annotations: every training article keeps its own target (the lowest of 328
is .359) and .30 leaves that a margin (``scripts/topic_threshold.py``; docs/experiments.md has the measurements).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from pipeline.config import TOPIC_THRESHOLD as THRESHOLD

MIN_WORDS = 4  # shorter lines are bylines, datelines and captions
WINDOW_WORDS = 40  # a longer piece (a run-on sentence, text without full stops) is read in windows of this many words
WINDOW_STEP = WINDOW_WORDS * 3 // 4  # neighbouring windows share a quarter of their words
MAX_SENTENCES = 200  # a very long document is judged on its first 200 sentences
MAX_TOKENS = 64
LEAD = 12  # sentences read first; most articles about the target pass on them
# a sentence ends at . ! or ? (and any closing quotation mark or bracket) before a space, or at a line break
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))\s+|\n+")


def sentences(text: str) -> list[str]:
    """The article's sentences of at least ``MIN_WORDS`` words, a longer one cut into overlapping windows of
    ``WINDOW_WORDS`` words (the encoder reads only its first ``MAX_TOKENS`` tokens), at most ``MAX_SENTENCES``."""
    out: list[str] = []
    for piece in _BOUNDARY.split(text):
        words = piece.split()
        if len(words) < MIN_WORDS:
            continue
        starts = range(0, max(1, len(words) - WINDOW_WORDS + WINDOW_STEP), WINDOW_STEP)  # [0] for a short piece
        out.extend(" ".join(words[i : i + WINDOW_WORDS]) for i in starts)
    return out[:MAX_SENTENCES]


class TopicGate:
    """``similarity`` of articles to targets: for each pair, the cosine of the article's sentence closest to the
    target. A pair under ``threshold`` is off the topic."""

    def __init__(self, threshold: float = THRESHOLD, precision: str = "auto"):
        from pipeline.models.sentences import SentenceEncoder

        self.encoder = SentenceEncoder(precision, max_tokens=MAX_TOKENS)
        self.threshold = threshold

    def similarity(
        self, texts: Sequence[str], targets: Sequence[str], whole: np.ndarray | None = None
    ) -> list[list[float | None]]:
        """For each text and target, the cosine of the text's closest sentence; None for a text without a sentence
        (nothing to judge by). The first ``LEAD`` sentences are read first, and a text is read further only for the
        targets its lead does not pass and that ``whole`` (texts x targets, booleans; default all) asks to read whole:
        elsewhere the value is the lead's closest sentence."""
        # one text (or target) at a time: a bfloat16 batch of other texts would move a value in its third decimal, and
        # a run's chunks, workers and engines must give the same values
        if not targets:
            return [[] for _ in texts]
        goals = np.vstack([self.encoder.encode([t]) for t in targets])
        per_text = [sentences(t) for t in texts]
        best = np.full((len(texts), len(targets)), -1.0, dtype=np.float32)
        self._read(per_text, slice(0, LEAD), goals, best, range(len(texts)))
        lead = best.copy()
        whole = np.ones_like(lead, dtype=bool) if whole is None else whole
        further = [i for i in range(len(texts)) if ((lead[i] < self.threshold) & whole[i]).any()]
        self._read(per_text, slice(LEAD, None), goals, best, further)
        # a target the lead passes, or one judged on the lead, keeps the lead's value, whatever else the text was read
        # further for
        value = np.where((lead >= self.threshold) | ~whole, lead, best)
        return [
            [round(float(v), 4) for v in row] if found else [None] * len(targets)
            for row, found in zip(value, per_text, strict=True)
        ]

    def _read(self, per_text: list[list[str]], part: slice, goals, best, which: Iterable[int]) -> None:
        """Raise ``best`` (texts x targets) to the closest of the ``part`` of each text in ``which``."""
        for i in which:
            if per_text[i][part]:
                sims = self.encoder.encode(per_text[i][part]) @ goals.T
                best[i] = np.maximum(best[i], sims.max(axis=0))

    def closeness(self, texts: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        """The cosine of each text (a paragraph, read as one piece) to each target, texts x targets; one text at a
        time, so that a value does not depend on what else is encoded with it."""
        goals = np.vstack([self.encoder.encode([t]) for t in targets])
        return np.vstack([self.encoder.encode([t]) @ goals.T for t in texts]) if texts else np.zeros((0, len(targets)))

    def scores(
        self, articles: Iterable, pairs: Iterable[tuple[str, str]], whole: set[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], float | None]:
        """``similarity`` for (article id, target) pairs of the given articles (``Article`` records); ``whole``: the
        pairs read whole where their lead does not pass (default: all), the others are judged on the lead."""
        text = {a.id: a.text for a in articles}
        wanted: dict[str, set[str]] = {}
        for article_id, target in pairs:
            wanted.setdefault(article_id, set()).add(target)
        targets = sorted({t for ts in wanted.values() for t in ts})
        column = {t: k for k, t in enumerate(targets)}
        ids = [i for i in wanted if i in text]
        mask = None if whole is None else np.array([[(i, t) in whole for t in targets] for i in ids], dtype=bool)
        sims = self.similarity([text[i] for i in ids], targets, mask) if ids else []
        return {(i, t): row[column[t]] for i, row in zip(ids, sims, strict=True) for t in wanted[i]}
