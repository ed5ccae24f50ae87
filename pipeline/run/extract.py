"""Stages 2–4 over parsed articles: claims, their speakers and actors, as the project's ``Claim`` records."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from pipeline.actors import resolution as actors
from pipeline.attribution import mentions as attribution
from pipeline.claims import rules as claims
from pipeline.records import Article, Claim, Span
from pipeline.text import nlp


def extract(article: Article, doc, tagged: list | None = None, join_quotes: bool = True, speakers=None) -> list[Claim]:
    """Claims of one parsed article; ``tagged`` spans from the attribution tagger add what the rules missed, and a
    ``speakers.SpeakerRanker`` (with them) takes a second look at every claim's speaker. With ``join_quotes`` a
    quotation split by its attribution (“A,” she said, “B.”) is one claim (see ``join_split``)."""
    text = article.text
    attributed = attribute(doc, text, tagged)
    if tagged is not None and speakers is not None:
        attributed = speakers.choose(doc, text, attributed, [t for t in tagged if t.label == "source"])
    resolved = actors.resolve(doc, text, attributed)
    starts = [s.start_char for s in doc.sents]
    ends = [s.end_char for s in doc.sents]
    out = []
    for res in sorted(resolved, key=lambda r: r.item.candidate.start):
        cand, item = res.item.candidate, res.item
        out.append(
            Claim(
                article_id=article.id,
                claim_id="",
                text=text[cand.start : cand.end],
                start_char=cand.start,
                end_char=cand.end,
                kind=cand.kind,
                cue=Span.of(text, *item.cue) if item.cue else None,
                speaker_mention=Span.of(text, *item.speaker) if item.speaker else None,
                speaker=res.actor.written if res.actor else None,
                actor_id=res.actor.id if res.actor else None,
                speaker_kind=res.actor.kind if res.actor else None,
                speaker_entity=doc[item.speaker_token].ent_type_ or None if item.speaker_token is not None else None,
                object_of_cue=cand.object_of_cue and item.cue is not None,
            )
        )
    out = _speakers_from_enclosing(out)
    if (end := _headline_end(article)) is not None:
        out = [c for c in out if c.start_char >= end]
    if join_quotes:
        out = join_split(text, out)
    return [
        c.model_copy(
            update={
                "claim_id": f"{article.id}:c{n:03d}",
                "context": _context(text, starts, ends, c.start_char, c.end_char),
            }
        )
        for n, c in enumerate(out, 1)
    ]


def _headline_end(article: Article) -> int | None:
    """Where the headline that opens the text ends, if it does: a headline is the writer's summary ("Democrats reject
    border offer"), no one's claim."""
    if not article.title:
        return None
    start = len(article.text) - len(article.text.lstrip())
    if not article.text.startswith(article.title, start):
        return None
    end = start + len(article.title)
    return end if article.text[end : end + 1] in ("", "\n") else None


def _speakers_from_enclosing(found: list[Claim]) -> list[Claim]:
    """A claim without an actor whose speaker mention lies inside another claim that has one takes that claim's
    speaker: in "Ruiz said the bill spent too much and vowed to oppose it", the parser may hang "vowed" on "spent", and
    "the bill" is then the subject of "oppose it"; what a claim reports is no one's voice, and the one who vowed is
    the one who said."""
    out = []
    for claim in found:
        mention = claim.speaker_mention
        if claim.actor_id is None and mention is not None:
            outer = next(
                (
                    o
                    for o in found
                    if o is not claim
                    and o.actor_id is not None
                    and o.start_char <= mention.start_char
                    and mention.end_char <= o.end_char
                ),
                None,
            )
            if outer is not None:
                fields = ("speaker_mention", "speaker", "actor_id", "speaker_kind", "speaker_entity")
                claim = claim.model_copy(update={f: getattr(outer, f) for f in fields})
        out.append(claim)
    return out


def attribute(doc, text: str, tagged: list | None = None) -> list[attribution.Attributed]:
    """The rules' claims, the tagger's where the rules found none, each with the speaker the parse gives it."""
    found = claims.find_claims(doc, text)
    if tagged:
        found = found + claims.from_tags(doc, text, tagged, found)
    return attribution.attribute(doc, text, found)


QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
BLANK_LINE = re.compile(r"\n\s*\n")
GAP_WORDS = 25  # "..., said Brad Bannon, a longtime Democratic consultant, on Monday. ..." fits


def join_split(text: str, found: list[Claim]) -> list[Claim]:
    """One claim for a quotation split by its attribution, from the first quoted word to the last (“A,” she said,
    “B.” and “A,” she said. “B.”), as PolNeAR marks it: two direct claims in a row with the same cue between them,
    in one paragraph (no blank line between them), where only the attribution (at most ``GAP_WORDS`` words)
    separates the closing and opening marks.
    The halves alone are often not a statement ("We will not"); joined, the stance classifier reads the whole one."""
    out: list[Claim] = []
    for claim in found:
        prev = out[-1] if out else None
        if prev is not None and _halves(text, prev, claim):
            parts = (prev.parts or [Span.of(text, prev.start_char, prev.end_char)]) + [
                Span.of(text, claim.start_char, claim.end_char)
            ]
            update = {"end_char": claim.end_char, "text": text[prev.start_char : claim.end_char], "parts": parts}
            out[-1] = prev.model_copy(update=update)
        else:
            out.append(claim)
    return out


def _halves(text: str, first: Claim, second: Claim) -> bool:
    if first.kind != "direct" or second.kind != "direct" or first.cue is None or second.cue != first.cue:
        return False
    if not (first.end_char <= first.cue.start_char and first.cue.end_char <= second.start_char):
        return False
    gap = text[first.end_char : second.start_char]
    return (
        BLANK_LINE.search(gap) is None  # one paragraph, on one line or, in a text with a line per sentence, on two
        and len(claims.WORD.findall(gap)) <= GAP_WORDS
        and gap.lstrip(",.;:!? ")[:1] in QUOTE_MARKS
        and gap.rstrip()[-1:] in QUOTE_MARKS
    )


def _context(text: str, starts: list[int], ends: list[int], start: int, end: int) -> Span:
    """The sentences a claim overlaps, without surrounding whitespace, and within its paragraphs (the parser may run
    a sentence on into the next paragraph's "Q:" label)."""
    a = max((s for s in starts if s <= start), default=0)
    b = min((e for e in ends if e >= end), default=len(text))
    a = max(a, text.rfind("\n\n", 0, start) + 2) if "\n\n" in text[a:start] else a
    b = text.find("\n\n", end, b) if "\n\n" in text[end:b] else b
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span.of(text, a, b)


def extract_all(
    articles: Iterable[Article], batch_size: int = 16, tagger=None, join_quotes: bool = True
) -> Iterator[tuple[Article, list[Claim]]]:
    """Parse with ``nlp.pipe`` and extract claims, ``batch_size`` articles at a time, in input order; with an
    ``AttributionTagger``, its spans join the rules' (and its speaker ranker, if it has one, picks the speakers). The
    tagger reads a batch's articles together (windows of similar length share a padded batch: a quarter faster than
    one article at a time). ``pipeline.run.parallel`` runs this in worker processes."""
    model = nlp.load()
    speakers = tagger.speakers if tagger is not None else None
    items = iter(articles)
    while batch := list(islice(items, batch_size)):
        texts = [a.text for a in batch]
        tags = tagger.predict(texts) if tagger is not None else [None] * len(batch)
        docs = model.pipe(map(nlp.parser_text, texts), batch_size=batch_size)
        for article, doc, tagged in zip(batch, docs, tags, strict=True):
            yield article, extract(article, doc, tagged, join_quotes, speakers)
