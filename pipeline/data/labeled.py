"""The labeled-article format (JSONL, one article a line), shared by training, evaluation and the annotations.

An article carries its ``text`` inline, or a stand-off ``ref`` to a corpus article (``{"corpus": "basil",
"doc_id": "2010/..."}``) whose text is read from the data root; ``text_sha1`` then guards against a changed corpus.
Claims index into that text with half-open character offsets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.data.corpora import basil, data_root, polnear
from pipeline.errors import InputError
from pipeline.records import Article, Kind, Stance

LOADERS = {"basil": basil.load_article, "polnear": polnear.load_article}


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


def resolve(item: LabeledArticle, root: Path) -> LabeledArticle:
    """Fill in the text of a stand-off article and check every offset against it."""
    if item.ref is not None:
        loader = LOADERS.get(item.ref.corpus)
        if loader is None:
            raise InputError(f"{item.id}: unknown corpus {item.ref.corpus!r} (known: {', '.join(LOADERS)})")
        try:
            source = loader(root, item.ref.doc_id)
        except FileNotFoundError as exc:
            raise InputError(f"{item.id}: corpus article not found under {root}: {exc.filename}") from exc
        if item.text_sha1 and item.text_sha1 != sha1(source.text):
            raise InputError(f"{item.id}: the corpus text changed since it was annotated (sha1 mismatch)")
        item = item.model_copy(
            update={
                "text": source.text,
                "title": item.title or source.title,
                "date": item.date or source.date,
                "source": item.source or source.source,
            }
        )
    for claim in item.claims:
        check_claim(item.id, item.text, claim)
    return item


def check_claim(article_id: str, text: str, claim: LabeledClaim) -> None:
    pairs = [
        (claim.start_char, claim.end_char),
        (claim.speaker_start_char, claim.speaker_end_char),
        (claim.cue_start_char, claim.cue_end_char),
    ]
    for start, end in pairs:
        if (start is None) != (end is None):
            raise InputError(f"{article_id}: a span has only one of its two offsets")
        if start is not None and not 0 <= start <= end <= len(text):
            raise InputError(f"{article_id}: span {start}..{end} is outside the text ({len(text)} chars)")
    if claim.text is not None and text[claim.start_char : claim.end_char] != claim.text:
        raise InputError(
            f"{article_id}: claim {claim.start_char}..{claim.end_char} reads "
            f"{text[claim.start_char : claim.end_char]!r}, not {claim.text!r}"
        )


def read(path: str | Path, root: str | Path | None = None) -> Iterator[LabeledArticle]:
    """Read a labeled JSONL file, resolving stand-off references against the data root."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"labeled file not found: {path}")
    base = data_root(root)
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = LabeledArticle.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as exc:
                raise InputError(f"{path}:{number}: not a labeled article: {exc}") from exc
            yield resolve(item, base)


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


def _check_main(argv: list[str]) -> int:
    """``python -m pipeline.data.labeled check FILE...``: validate offsets and texts, print counts."""
    from collections import Counter

    if len(argv) < 2 or argv[0] != "check":
        print("usage: python -m pipeline.data.labeled check FILE...")
        return 2
    for name in argv[1:]:
        stances: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        articles = 0
        for item in read(name):
            articles += 1
            stances.update(c.stance or "-" for c in item.claims)
            kinds.update(c.kind or "-" for c in item.claims)
        print(
            f"{name}: {articles} articles, {sum(stances.values())} claims, stance {dict(stances)}, kind {dict(kinds)}"
        )
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_check_main(sys.argv[1:]))
