"""The labeled-article format (JSONL, one article a line), shared by training, evaluation and the annotations.

An article carries its ``text`` inline, or a stand-off ``ref`` to a corpus article (``{"corpus": "basil",
"doc_id": "2010/..."}``) whose text is read from the data root; ``text_sha1`` then guards against a changed corpus.
Claims index into that text with half-open character offsets. ``pipeline.data.standoff`` reads these files and fills
in the corpus texts; this module knows no corpus.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.errors import InputError
from pipeline.records import Article, Kind, Stance


class Ref(BaseModel):
    model_config = ConfigDict(extra="forbid")
    corpus: str
    doc_id: str


class LabeledClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    kind: Kind | None = None
    speaker: str | None = None
    speaker_start_char: int | None = None
    speaker_end_char: int | None = None
    cue_start_char: int | None = None
    cue_end_char: int | None = None
    stance: Stance | None = None
    # Annotators copy the span text for readability; it is checked against the offsets, never trusted.
    text: str | None = None


class LabeledActor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    stance: Stance


class LabeledArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    text: str | None = None
    ref: Ref | None = None
    text_sha1: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    event: str | None = None
    split: str | None = None
    target: str | None = None
    claims: list[LabeledClaim] = []
    actors: list[LabeledActor] = []

    @model_validator(mode="after")
    def _has_text(self) -> LabeledArticle:
        if (self.text is None) == (self.ref is None):
            raise ValueError("give exactly one of 'text' and 'ref'")
        return self

    def article(self) -> Article:
        assert self.text is not None, "resolve() the article first"
        return Article(id=self.id, text=self.text, title=self.title, date=self.date, source=self.source)


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def with_text(item: LabeledArticle, source: Article) -> LabeledArticle:
    """A stand-off article with the text of its corpus article filled in (and its title, date and source where it has
    none); ``text_sha1``, when given, must match that text."""
    if item.text_sha1 and item.text_sha1 != sha1(source.text):
        raise InputError(f"{item.id}: the corpus text changed since it was annotated (sha1 mismatch)")
    return item.model_copy(
        update={
            "text": source.text,
            "title": item.title or source.title,
            "date": item.date or source.date,
            "source": item.source or source.source,
        }
    )


def check(item: LabeledArticle) -> LabeledArticle:
    """``item``, once every claim's offsets (and copied text) are checked against the article text."""
    for n, claim in enumerate(item.claims):
        check_claim(f"{item.id}: claims.{n}", item.text, claim)
    speakers = {_name(c.speaker) for c in item.claims if c.speaker}
    for n, actor in enumerate(item.actors):
        if _name(actor.name) not in speakers:  # it would be scored as an actor the model left neutral
            named = ", ".join(repr(s) for s in sorted(speakers)) or "none"
            raise InputError(f"{item.id}: actors.{n} {actor.name!r} is no claim's speaker (speakers: {named})")
    return item


def _name(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


def check_claim(where: str, text: str, claim: LabeledClaim) -> None:
    """Each span of ``claim`` inside ``text`` and in order, and its copied text (if any) what its offsets read;
    ``where`` names the claim in the error ("ARTICLE: claims.N")."""
    pairs = {
        "": (claim.start_char, claim.end_char),
        "speaker_": (claim.speaker_start_char, claim.speaker_end_char),
        "cue_": (claim.cue_start_char, claim.cue_end_char),
    }
    for prefix, (start, end) in pairs.items():
        fields = f"{prefix}start_char..{prefix}end_char"
        if (start is None) != (end is None):
            raise InputError(f"{where}: give both {prefix}start_char and {prefix}end_char, or neither")
        if start is not None and end < start:
            raise InputError(f"{where}: {fields} {start}..{end} ends before it starts")
        if start is not None and not 0 <= start <= end <= len(text):
            raise InputError(f"{where}: {fields} {start}..{end} is outside the text ({len(text)} chars)")
    if claim.text is not None and text[claim.start_char : claim.end_char] != claim.text:
        raise InputError(
            f"{where}: start_char..end_char {claim.start_char}..{claim.end_char} reads "
            f"{text[claim.start_char : claim.end_char]!r}, not its text {claim.text!r}"
        )


def write(items: Iterable[LabeledArticle], path: str | Path, standoff: bool = True) -> None:
    """Write labeled articles; with ``standoff`` the text of corpus articles is left out (only its sha1 kept)."""
    from pipeline.writers import atomic_lines

    def lines() -> Iterator[str]:
        for item in items:
            data = item.model_dump(exclude_none=True)
            if standoff and item.ref is not None:
                data.pop("text", None)
                if item.text is not None:
                    data["text_sha1"] = sha1(item.text)
            yield json.dumps(data, ensure_ascii=False)

    atomic_lines(path, lines())
