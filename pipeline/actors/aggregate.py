"""Stage 6: per-actor stance. An actor's stance toward a target is the side with more probability mass among its
claims that take a side; an actor whose claims are all neutral is neutral."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from pipeline.records import LABELS, ActorStance, Claim
from pipeline.text.people import FIRST_PERSON, GROUP_PRONOUNS, PERSONAL, PRONOUNS, RELATIVE

# a pronoun that speaks is resolved to its actor, but it is no name the actor goes by ("also named: He, he, who")
NOT_NAMES = PRONOUNS | GROUP_PRONOUNS | PERSONAL | FIRST_PERSON | RELATIVE | {"hers", "you", "your", "whose", "a"}
AND = re.compile(r"\band\b|\s&\s")
WORD = re.compile(r"\w+")


def actor_stances(claims: Iterable[Claim], aliases: dict[str, set[str]] | None = None) -> list[ActorStance]:
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.actor_id is None or claim.stance is None or claim.target is None:
            continue
        groups[(claim.article_id, claim.actor_id, claim.target)].append(claim)
    out = []
    for (article_id, actor_id, target), items in groups.items():
        out.append(_one(article_id, actor_id, target, items, (aliases or {}).get(actor_id, set())))
    return out


def _one(article_id: str | None, actor_id: str, target: str, items: list[Claim], aliases: set[str]) -> ActorStance:
    counts = {label: sum(c.stance == label for c in items) for label in LABELS}
    sided = [c for c in items if c.stance in ("favor", "against")]
    if sided:
        favor = sum(c.scores["favor"] for c in sided)
        against = sum(c.scores["against"] for c in sided)
        stance = "favor" if favor >= against else "against"
        confidence = max(favor, against) / (favor + against)
    else:
        stance = "neutral"
        confidence = sum(c.scores["neutral"] for c in items) / len(items)
    return ActorStance(
        article_id=article_id,
        actor_id=actor_id,
        actor=items[0].speaker or actor_id,
        aliases=sorted(aliases | _names(items)),
        target=target,
        stance=stance,
        confidence=round(confidence, 4),
        counts=counts,
        claim_ids=[c.claim_id for c in items],
    )


def _names(items: list[Claim]) -> set[str]:
    """The mentions an actor's claims name it by: no pronoun, and no "A and B" that ends on someone else ("President
    Obama and Democratic lawmakers" speaks for Obama, but is not a name of his; "Health and Human Services Secretary
    Alex Azar" is Azar's, "Mitt Romney and Mr. Ryan" the pair's)."""
    last = WORD.findall(items[0].speaker or "")[-1:]
    return {
        m.text
        for c in items
        if (m := c.speaker_mention)
        and m.text.lower() not in NOT_NAMES
        and (AND.search(m.text) is None or last and last[0] in WORD.findall(AND.split(m.text)[-1]))
    }
