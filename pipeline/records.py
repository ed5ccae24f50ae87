"""The project's own records: every pipeline stage reads and writes these, never spaCy objects."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["direct", "indirect", "mixed", "according_to"]
Stance = Literal["favor", "against", "neutral"]
LABELS: tuple[str, ...] = ("favor", "against", "neutral")


class Span(BaseModel):
    """A half-open character span of an article: ``text == article.text[start_char:end_char]``."""

    model_config = ConfigDict(frozen=True)
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end_char < self.start_char:
            raise ValueError(f"span ends before it starts: {self.start_char}..{self.end_char}")
        if len(self.text) != self.end_char - self.start_char:
            raise ValueError("span text length does not match its offsets")
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start_char=start, end_char=end, text=text[start:end])


class Article(BaseModel):
    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None


NEGATED = re.compile(
    r"\b(?:(?:do|does|did|is|was|are|were|has|have|had|could|would|will|can|ca|wo)\s*(?:not|n['’]t)|never)\s+$",
    re.IGNORECASE,
)


class Claim(BaseModel):
    """One attributed statement: what was said (the span), how, and by whom."""

    article_id: str
    claim_id: str
    text: str
    start_char: int
    end_char: int
    kind: Kind
    cue: Span | None = None
    speaker_mention: Span | None = None
    speaker: str | None = None
    actor_id: str | None = None
    speaker_kind: Literal["person", "group"] | None = None  # whether the actor is one person or a group, a body
    speaker_entity: str | None = None  # the entity type the parser gave the mention's head word ("ORG", "GPE")
    target: str | None = None
    stance: Stance | None = None
    scores: dict[str, float] | None = None
    # how close the article comes to the target (classify.topic: its closest sentence's cosine, or the closest of its
    # lead where that passes; only the lead where no claim of the article takes a side toward the target), measured for
    # every article and target; under the run's topic_threshold every claim of
    # the article has no stance toward the target (stance None, the classifier's scores kept), so it counts toward no
    # actor's stance; None: the check is off, or the article has no sentence to judge by
    topic: float | None = None
    # with several targets: the target this claim's paragraph is closest to, where that made the claim neutral toward
    # this one (its paragraph is farther from this target than the run's target_margin allows; the scores kept)
    closer_target: str | None = None
    context: Span | None = None  # the sentence(s) the claim stands in, for showing it as evidence
    # the claim is what its cue verb acts on ("rejected [the proposal]", "urged [Republicans to back it]"), not a
    # clause the verb reports: without the verb it says nothing of the speaker's side, so the classifier reads both
    object_of_cue: bool = False
    parts: list[Span] | None = None  # the quoted pieces of a quotation split by its attribution

    def statement(self) -> str:
        """What the speaker said, as the stance classifier reads it: the text, the pieces of a split quotation without
        the attribution between them, the cue verb and what it acts on ("rejected the proposal"), or a cue's denial with
        what it denies ("does not think she gave up too much")."""
        if self.parts:
            return " ".join(p.text for p in self.parts)
        cue, context = self.cue, self.context
        if not (cue and context and context.start_char <= cue.start_char < self.start_char <= self.end_char):
            return self.text
        if self.end_char > context.end_char:
            return self.text
        start = cue.start_char - context.start_char
        # a denied cue is read with its denial: "does not think [she gave up too much]" says the opposite
        negation = NEGATED.search(context.text, 0, start)
        if negation:
            return context.text[negation.start() : self.end_char - context.start_char]
        if self.object_of_cue:
            return context.text[start : self.end_char - context.start_char]
        return self.text


class ActorVerdict(BaseModel):
    """An actor's stance toward a target, with the claim counts behind it."""

    actor_id: str
    actor: str
    aliases: list[str]
    target: str
    stance: Stance
    confidence: float
    counts: dict[str, int]


class ActorStance(ActorVerdict):
    """One actor's stance toward one target in one article."""

    article_id: str | None
    claim_ids: list[str]


class StanceExample(BaseModel):
    """One training or evaluation pair for the stance classifier: a claim and a target."""

    text: str
    target: str
    label: Stance
    corpus: str
    split: str
    group: str | None = None  # event or topic: splits never share a group
    article_id: str | None = None  # the article the claim is from, where it has one
    speaker: str | None = None
    cue: str | None = None
    soft: list[float] | None = None  # a teacher's probabilities over LABELS, for distillation
