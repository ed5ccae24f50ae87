"""PolNeAR articles (plain text, one per file) as the project's ``Article`` records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from pipeline.records import Article


@lru_cache(maxsize=4)
def _metadata(root: Path) -> dict[str, dict]:
    path = root / "polnear" / "data" / "metadata.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}


def load_article(root: Path, doc_id: str) -> Article:
    """``doc_id`` is ``<split>/<file stem>``, e.g. ``train/nyt_2016-03-21_factory-workers-feel-sting-of-gl``."""
    split, name = doc_id.split("/", 1)
    text = (root / "polnear" / "data" / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
    meta = _metadata(root).get(name, {})
    return Article(
        id=f"polnear:{doc_id}",
        text=text,
        title=meta.get("title"),
        date=meta.get("publication_date"),
        source=meta.get("publisher"),
    )


def iter_articles(root: Path, split: str) -> Iterator[Article]:
    for path in sorted((root / "polnear" / "data" / split / "text").glob("*.txt")):
        yield load_article(root, f"{split}/{path.stem}")
