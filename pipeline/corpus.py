"""Corpus-level actors: one actor across articles ("Pompeo" here, "Mike Pompeo" there), and per actor and target
the stance over the whole corpus, its timeline by article date, and the strongest evidence."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from pipeline.actors import slug
from pipeline.aggregate import actor_stances
from pipeline.records import LABELS, ActorVerdict, Claim, Stance

UNDATED = "undated"


class TimelinePoint(BaseModel):
    date: str
    stance: Stance
    score: float  # mean P(favor) - P(against) of the actor's claims that day
    counts: dict[str, int]


class Evidence(BaseModel):
    claim_id: str
    article_id: str
    date: str | None
    text: str
    stance: Stance
    probability: float


class ActorSummary(ActorVerdict):
    """An actor's stance toward a target over the whole corpus."""

    articles: int
    first_date: str | None
    last_date: str | None
    evidence: list[Evidence]
    timeline: list[TimelinePoint]


def unify_actors(claims: list[Claim]) -> list[Claim]:
    """Map a one-word name to the one longer name in the corpus that ends with it ("Pompeo" -> "Mike Pompeo")."""
    names = {c.speaker for c in claims if c.speaker}
    full_by_last: dict[str, set[str]] = defaultdict(set)
    for name in names:
        parts = name.split()
        if len(parts) > 1 and parts[-1][:1].isupper():
            full_by_last[parts[-1]].add(name)
    mapping = {n: next(iter(full_by_last[n])) for n in names if " " not in n and len(full_by_last.get(n, ())) == 1}
    if not mapping:
        return claims
    return [
        c.model_copy(update={"speaker": mapping[c.speaker], "actor_id": slug(mapping[c.speaker])})
        if c.speaker in mapping
        else c
        for c in claims
    ]


def summarise(claims: list[Claim], dates: dict[str, str | None], top: int = 3) -> list[ActorSummary]:
    by_key: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.actor_id and c.target and c.stance:
            by_key[(c.actor_id, c.target)].append(c)
    out = []
    for (actor_id, target), items in by_key.items():
        [overall] = actor_stances([c.model_copy(update={"article_id": "*"}) for c in items])
        article_dates = sorted({d for c in items if (d := dates.get(c.article_id))})
        out.append(
            ActorSummary(
                actor_id=actor_id,
                actor=overall.actor,
                aliases=overall.aliases,
                target=target,
                stance=overall.stance,
                confidence=overall.confidence,
                counts=overall.counts,
                articles=len({c.article_id for c in items}),
                first_date=article_dates[0] if article_dates else None,
                last_date=article_dates[-1] if article_dates else None,
                evidence=_evidence(items, overall.stance, dates, top),
                timeline=_timeline(items, dates),
            )
        )
    out.sort(key=lambda s: (s.target, -sum(s.counts.values()), s.actor))
    return out


def _evidence(items: list[Claim], stance: str, dates: dict, top: int) -> list[Evidence]:
    ranked = sorted(items, key=lambda c: (c.stance == stance, c.scores[stance]), reverse=True)[:top]
    return [
        Evidence(
            claim_id=c.claim_id,
            article_id=c.article_id,
            date=dates.get(c.article_id),
            text=c.text,
            stance=c.stance,
            probability=c.scores[c.stance],
        )
        for c in ranked
    ]


def _timeline(items: list[Claim], dates: dict) -> list[TimelinePoint]:
    by_date: dict[str, list[Claim]] = defaultdict(list)
    for c in items:
        by_date[dates.get(c.article_id) or UNDATED].append(c)
    points = []
    for date in sorted(by_date, key=lambda d: (d == UNDATED, d)):
        day = by_date[date]
        [agg] = actor_stances([c.model_copy(update={"article_id": date}) for c in day])
        score = sum(c.scores["favor"] - c.scores["against"] for c in day) / len(day)
        points.append(
            TimelinePoint(
                date=date,
                stance=agg.stance,
                score=round(score, 4),
                counts={label: agg.counts[label] for label in LABELS},
            )
        )
    return points
