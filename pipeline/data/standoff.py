"""Read labeled files (the format: ``pipeline.data.labeled``), each stand-off article's text filled in from its corpus
under the data root and every offset checked against the text.

    python -m pipeline.data.standoff check FILE...
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from pipeline.config import problems
from pipeline.data import labeled
from pipeline.data.corpora import basil, data_root, polnear
from pipeline.errors import InputError

log = logging.getLogger("stance")

LOADERS = {"basil": basil.load_article, "polnear": polnear.load_article}


def resolve(item: labeled.LabeledArticle, root: Path) -> labeled.LabeledArticle:
    """Fill in the text of a stand-off article and check every offset against it."""
    if item.ref is not None:
        loader = LOADERS.get(item.ref.corpus)
        if loader is None:
            raise InputError(f"{item.id}: unknown corpus {item.ref.corpus!r} (known: {', '.join(LOADERS)})")
        try:
            source = loader(root, item.ref.doc_id)
        except FileNotFoundError as exc:
            raise InputError(f"{item.id}: corpus article not found under {root}: {exc.filename}") from exc
        item = labeled.with_text(item, source)
    return labeled.check(item)


def read(path: str | Path, root: str | Path | None = None) -> Iterator[labeled.LabeledArticle]:
    """Read a labeled JSONL file, resolving stand-off references against the data root."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"labeled file not found: {path}")
    base = data_root(root)
    items: list[tuple[int, labeled.LabeledArticle]] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                items.append((number, labeled.LabeledArticle.model_validate(json.loads(line))))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON: {exc.msg} at column {exc.colno}") from None
            except ValidationError as exc:
                raise InputError(f"{path}:{number}: not a labeled article: {problems(exc, '(article)')}") from None
    _check_splits(path, items)
    for number, item in items:
        try:
            resolved = resolve(item, base)
        except InputError as exc:
            raise InputError(f"{path}:{number}: {exc}") from None
        yield resolved


SPLITS = ("train", "dev", "test", "seed")  # "seed": the seed article's own file


def _check_splits(path: Path, items: list[tuple[int, labeled.LabeledArticle]]) -> None:
    """What would make a score meaningless stops the reading: an id twice, an unknown split, an event in two splits
    (its dev claims would be read in training)."""
    seen: dict[str, int] = {}
    events: dict[str, tuple[str, int]] = {}
    unsplit = [number for number, item in items if item.split is None]
    if unsplit:
        lines = ", ".join(map(str, unsplit[:5])) + (", ..." if len(unsplit) > 5 else "")
        log.warning(
            f"{path}: {len(unsplit)} article(s) without a split (line {lines}) are in no split: neither trained on "
            "nor scored"
        )
    for number, item in items:
        where = f"{path}:{number}"
        if item.id in seen:
            raise InputError(f"{where}: duplicate article id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        if item.split is not None and item.split not in SPLITS:
            raise InputError(f"{where}: split {item.split!r} is none of {', '.join(SPLITS)}")
        if item.event and item.split:
            split, first = events.setdefault(item.event, (item.split, number))
            if split != item.split:
                raise InputError(
                    f"{where}: event {item.event!r} is in {item.split} here and in {split} on line {first}: "
                    "a held-out score needs every article of an event in one split"
                )


def _check_main(argv: list[str]) -> int:
    """``python -m pipeline.data.standoff check FILE...``: validate offsets and texts, print counts."""
    from collections import Counter

    if len(argv) < 2 or argv[0] != "check":
        print("usage: python -m pipeline.data.standoff check FILE...")
        return 2
    for name in argv[1:]:
        stances: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        articles = 0
        try:
            for item in read(name):
                articles += 1
                stances.update(c.stance or "-" for c in item.claims)
                kinds.update(c.kind or "-" for c in item.claims)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(
            f"{name}: {articles} articles, {sum(stances.values())} claims, stance {dict(stances)}, kind {dict(kinds)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(_check_main(sys.argv[1:]))
