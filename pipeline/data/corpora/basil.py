"""BASIL articles (JSON, one per outlet and event) as the project's ``Article`` records.

The article text is rebuilt deterministically: sentences of a paragraph joined by one space, paragraphs by a
blank line. Stand-off annotations of this project index into exactly that text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.records import Article


def article_text(doc: dict) -> str:
    return "\n\n".join(" ".join(s.strip() for s in para if s.strip()) for para in doc["body-paragraphs"])


def load_article(root: Path, doc_id: str) -> Article:
    """``doc_id`` is ``<year>/<triplet-uuid>_<n>``, e.g. ``2010/ae243a95-..._1``."""
    path = root / "basil" / "articles" / f"{doc_id}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Article(
        id=f"basil:{doc_id}",
        text=article_text(doc),
        title=doc.get("title"),
        date=doc.get("date"),
        source=doc.get("source"),
    )


def iter_articles(root: Path) -> Iterator[Article]:
    for path in sorted((root / "basil" / "articles").glob("*/*.json")):
        yield load_article(root, f"{path.parent.name}/{path.stem}")
