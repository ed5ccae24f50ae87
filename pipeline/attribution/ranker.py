"""Stage 3b: a learned second opinion on each claim's speaker, where the tagger runs beside the rules.

The rules take the grammatical subject of the cue; the tagger marks source spans of its own. Neither is right
everywhere: the parse hangs a cue on the wrong clause ("a group of rabbis called for ..., and the ADL denounced ...
and said"), the tagger marks sources far from any cue. ``SpeakerRanker`` scores every noun-phrase head in the
sentences of a claim and its cue (``candidates``) with gradient-boosted trees over ``FEATURES``: where the rules'
and the tagger's choices fall, the parse relation to the cue, distance, entity type, pronoun kind. The best-scoring
candidate becomes the speaker; a relative pronoun ("who") keeps its antecedent as the actor, as in the rules.

The model (``speakers.json`` in a tagger's folder: the feature names and the trees in LightGBM's text format) is
fitted by ``pipeline.training.speakers`` on PolNeAR train articles. Its features use the tagger's source spans, so a
ranker belongs to the tagger whose output it was fitted on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.attribution.mentions import Attributed, mention_span, subject_of
from pipeline.claims.rules import REPORTING, according_to
from pipeline.errors import ModelError
from pipeline.text import nlp
from pipeline.text.people import FIRST_PERSON, PERSONAL, RELATIVE
from pipeline.text.quotes import find_quotes, within

FILE = "speakers.json"
MIN_NEW = 0.5  # a claim the rules left without a speaker gets one only this likely
POS = ("PROPN", "NOUN", "PRON")
DEPS = ("nsubj", "nsubjpass", "pobj", "poss", "dobj", "appos", "conj", "ROOT", "attr", "npadvmod", "dative")
ENTS = ("PERSON", "ORG", "NORP", "GPE")
KINDS = ("direct", "indirect", "mixed", "according_to")
SUBJECTS = ("nsubj", "nsubjpass")
FEATURES: tuple[str, ...] = (
    "current",
    "tagged_source",
    "tagged_score",
    *(f"dep={d}" for d in DEPS),
    *(f"pos={p}" for p in POS),
    *(f"ent={e}" for e in ENTS),
    "ent=none",
    "personal_pronoun",
    "first_person",
    "relative_pronoun",
    "inside_claim",
    "inside_quotes",
    "has_cue",
    "before_cue",
    "log_cue_distance",
    "subject_of_cue",
    "same_sentence_as_cue",
    "parse_subject_of_cue",
    "log_claim_distance",
    "before_claim",
    "subject_of_reporting_verb",
    "subject_of_verb",
    "agent_or_according_to",
    "title_case",
    "all_caps",
    *(f"kind={k}" for k in KINDS),
    "from_rules",
    "log_candidates",
)


def cue_token(doc, item: Attributed):
    """The token of a claim's cue: the rules' cue verb, else the root of the cue span, else None."""
    if item.candidate.cue_token is not None:
        return doc[item.candidate.cue_token]
    if item.cue is None:
        return None
    span = doc.char_span(*item.cue, alignment_mode="expand")
    return span.root if span is not None else None


def candidates(doc, item: Attributed, sents: Sequence | None = None) -> list:
    """Heads of noun phrases (names, nouns, pronouns) in the sentences a claim and its cue touch, and the current
    speaker's token wherever it is (a quote that continues the previous paragraph's speaker). ``sents``: the doc's
    sentences, listed once by a caller that asks for many claims."""
    cand = item.candidate
    lo, hi = cand.start, cand.end
    if item.cue is not None:
        lo, hi = min(lo, item.cue[0]), max(hi, item.cue[1])
    out = [
        t
        for sent in (doc.sents if sents is None else sents)
        if sent.start_char < hi and lo < sent.end_char
        for t in sent
        if t.pos_ in POS and t.dep_ not in ("compound", "amod", "nmod")
    ]
    if item.speaker_token is not None and all(t.i != item.speaker_token for t in out):
        out.append(doc[item.speaker_token])
    return out


@dataclass
class ClaimContext:
    """What every candidate of one claim is compared with: its cue token and the cue's parse subject, the claim's
    token range, the tagged source spans and quotations of the article, and how many candidates there are."""

    cue: object | None
    parsed: object | None
    first: int | None
    stop: int | None
    sources: Sequence
    quotes: Sequence
    n: int


def context(doc, item: Attributed, sources: Sequence, quotes: Sequence, n: int) -> ClaimContext:
    cue = cue_token(doc, item)
    parsed = subject_of(cue) if cue is not None and cue.pos_ in ("VERB", "AUX") else None
    span = doc.char_span(item.candidate.start, item.candidate.end, alignment_mode="expand")
    first, stop = (span.start, span.end) if span is not None else (None, None)
    return ClaimContext(cue, parsed, first, stop, sources, quotes, n)


def features(token, item: Attributed, ctx: ClaimContext) -> list[float]:
    """``FEATURES`` of one candidate token for one claim."""
    cand = item.candidate
    start, end = mention_span(token)
    current = item.speaker is not None and start < item.speaker[1] and item.speaker[0] < end
    tagged = [s for s in ctx.sources if start < s.end and s.start < end]
    lower = token.lower_
    f = [float(current), float(bool(tagged)), max((s.score for s in tagged), default=0.0)]
    f += [float(token.dep_ == d) for d in DEPS]
    f += [float(token.pos_ == p) for p in POS]
    f += [float(token.ent_type_ == e) for e in ENTS] + [float(not token.ent_type_)]
    f += [float(lower in PERSONAL), float(lower in FIRST_PERSON), float(lower in RELATIVE)]
    f += [float(cand.start <= token.idx < cand.end), float(within(ctx.quotes, token.idx))]
    cue = ctx.cue
    if cue is not None:
        gap = token.i - cue.i
        f += [
            1.0,
            float(gap < 0),
            math.log1p(abs(gap)),
            float(token.head.i == cue.i and token.dep_ in SUBJECTS),
            float(token.sent.start == cue.sent.start),
            float(ctx.parsed is not None and ctx.parsed.i == token.i),
        ]
    else:
        f += [0.0] * 6
    if ctx.first is not None:
        before = token.i < ctx.first
        inside = ctx.first <= token.i < ctx.stop
        gap = 0 if inside else (ctx.first - token.i if before else token.i - ctx.stop + 1)
        f += [math.log1p(gap), float(before)]
    else:
        f += [0.0, 0.0]
    subject = token.dep_ in SUBJECTS
    f += [
        float(subject and nlp.lemma(token.head).lower() in REPORTING),
        float(subject and token.head.pos_ in ("VERB", "AUX")),
        float(token.head.dep_ == "agent" or (token.dep_ == "pobj" and token.head.head.lower_ == "according")),
        float(token.is_title),
        float(token.text.isupper() and len(token.text) > 2),
    ]
    f += [float(cand.kind == k) for k in KINDS]
    f += [float(not cand.tagged), math.log1p(ctx.n)]
    return f


def claim_rows(doc, text: str, items: Sequence[Attributed], sources: Sequence) -> list[tuple[list, list[list[float]]]]:
    """Per claim: its candidate tokens and their feature rows (claims without candidates get empty lists)."""
    quotes = find_quotes(text)
    sents = list(doc.sents)
    rows = []
    for item in items:
        tokens = candidates(doc, item, sents)
        ctx = context(doc, item, sources, quotes, len(tokens))
        rows.append((tokens, [features(t, item, ctx) for t in tokens]))
    return rows


def speaker_of(token) -> tuple[tuple[int, int], int]:
    """The mention span and the actor token of a chosen candidate: "who" is the mention, its antecedent the actor."""
    if token.lower_ in RELATIVE and token.head.dep_ == "relcl" and token.head.head.i != token.head.i:
        return (token.idx, token.idx + len(token)), token.head.head.i
    return mention_span(token), token.i


def _reporter(token, item: Attributed, text: str) -> bool:
    """X of "according to X" for a claim with a cue of its own: "Choe said ..., according to the Times" is Choe's
    claim here (the Times reports it), though PolNeAR, and so the tagger and the ranker, give it to the Times."""
    node = token
    while node.dep_ in ("appos", "compound", "flat", "conj") and node.head.i != node.i:
        node = node.head  # "according to Russian state news agency TASS"
    head = node.head
    if not (node.dep_ == "pobj" and head.i > 0 and according_to(head.nbor(-1))):
        return False
    return item.cue is not None and not according_cue(text, item.cue)


def according_cue(text: str, cue: tuple[int, int] | None) -> bool:
    """Whether a cue span (character offsets) is "according to"."""
    return cue is not None and text[cue[0] : cue[1]].lower().startswith("according")


class SpeakerRanker:
    """Gradient-boosted trees (LightGBM) over ``FEATURES``: the probability that a candidate names the speaker."""

    def __init__(self, weights: dict):
        try:
            import lightgbm
        except (ImportError, OSError) as exc:  # OSError: the OpenMP runtime it needs is missing
            raise ModelError(f"the speaker ranker needs LightGBM: {exc} (or set speaker_ranker: false)") from exc

        if not isinstance(weights, dict) or list(weights.get("features", [])) != list(FEATURES):
            retrain = "stance train CONFIG, with task: speakers"
            raise ModelError(f"{FILE}: its features are not this version's; retrain it ({retrain})")
        self.weights = weights
        try:
            self._booster = lightgbm.Booster(model_str=weights["model"])
        except lightgbm.basic.LightGBMError as exc:
            raise ModelError(f"{FILE}: not a LightGBM model: {exc}") from exc

    @classmethod
    def load(cls, folder: str | Path) -> SpeakerRanker | None:
        """The ranker in a tagger folder, or None when it has none."""
        path = Path(folder) / FILE
        if not path.is_file():
            return None
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"cannot read the speaker ranker {path}: {exc}") from exc

    def scores(self, rows) -> list[float]:
        import numpy as np

        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
        # one thread: the trees are small, and each parse worker has one core
        return self._booster.predict(x, num_threads=1).tolist() if len(x) else []

    def choose(self, doc, text: str, items: list[Attributed], sources: Sequence) -> list[Attributed]:
        """The items with each speaker set to its best-scoring candidate (unchanged when that is the current one); a
        claim without a speaker gets one only if its best candidate scores at least ``MIN_NEW``."""
        claims = claim_rows(doc, text, items, sources)
        scores = self.scores([row for _, rows in claims for row in rows])
        offset = 0
        for item, (tokens, rows) in zip(items, claims, strict=True):
            mine, offset = scores[offset : offset + len(rows)], offset + len(rows)
            allowed = [i for i, t in enumerate(tokens) if rows[i][0] == 1.0 or not _reporter(t, item, text)]
            if not allowed:
                continue
            best = max(allowed, key=mine.__getitem__)
            if rows[best][0] == 1.0 or (item.speaker is None and mine[best] < MIN_NEW):
                continue  # the current speaker's mention, or no candidate likely enough for a claim without one
            item.speaker, item.speaker_token = speaker_of(tokens[best])
        return items
