"""Stages 2–4 over parsed articles: claims, their speakers and actors, as the project's ``Claim`` records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline import actors, attribution, claims, nlp
from pipeline.records import Article, Claim, Span


def extract(article: Article, doc, tagged: list | None = None) -> list[Claim]:
    """Claims of one parsed article; ``tagged`` spans from the attribution tagger add what the rules missed."""
    text = article.text
    found = claims.find_claims(doc, text)
    if tagged:
        found = found + claims.from_tags(doc, text, tagged, found)
    attributed = attribution.attribute(doc, text, found)
    resolved = actors.resolve(doc, text, attributed)
    starts = [s.start_char for s in doc.sents]
    ends = [s.end_char for s in doc.sents]
    out = []
    for n, res in enumerate(sorted(resolved, key=lambda r: r.item.candidate.start), 1):
        cand, item = res.item.candidate, res.item
        out.append(
            Claim(
                article_id=article.id,
                claim_id=f"{article.id}:c{n:03d}",
                text=text[cand.start : cand.end],
                start_char=cand.start,
                end_char=cand.end,
                kind=cand.kind,
                cue=Span.of(text, *item.cue) if item.cue else None,
                speaker_mention=Span.of(text, *item.speaker) if item.speaker else None,
                speaker=res.actor.name if res.actor else None,
                actor_id=res.actor.id if res.actor else None,
                context=_context(text, starts, ends, cand.start, cand.end),
            )
        )
    return out


def _context(text: str, starts: list[int], ends: list[int], start: int, end: int) -> Span:
    """The sentences a claim overlaps, without surrounding whitespace."""
    a = max((s for s in starts if s <= start), default=0)
    b = min((e for e in ends if e >= end), default=len(text))
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span.of(text, a, b)


def extract_all(
    articles: Iterable[Article], batch_size: int = 16, tagger=None
) -> Iterator[tuple[Article, list[Claim]]]:
    """Parse with ``nlp.pipe`` (batched) and extract claims, in input order; with an ``AttributionTagger``, its spans
    join the rules'. ``pipeline.parallel`` runs this in worker processes."""
    model = nlp.load()
    pending: list[Article] = []

    def texts() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            yield article.text

    for doc in model.pipe(texts(), batch_size=batch_size):
        article = pending.pop(0)
        tagged = tagger.predict([article.text])[0] if tagger is not None else None
        yield article, extract(article, doc, tagged)
