"""Stage 1: read articles from a .txt file, a folder of .txt files, or JSONL (id, text, title, date, source)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import InputError
from pipeline.records import Article

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def read_articles(path: str | Path, max_chars: int = 2_000_000) -> Iterator[Article]:
    """Yield articles lazily; raise ``InputError`` for anything a user must fix."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"input not found: {path}")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES)
        if not files:
            raise InputError(f"no .txt or .jsonl files in folder: {path}")
        for file in files:
            yield from read_articles(file, max_chars)
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path, max_chars)
    else:
        text = _read_text(path, max_chars)
        meta = _sidecar(path)
        yield Article(id=meta.pop("id", path.stem), text=text, **meta)


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r})") from exc


def _read_text(path: Path, max_chars: int) -> str:
    size = path.stat().st_size
    if size > max_chars * 4:
        raise InputError(f"{path}: {size:,} bytes is larger than the {max_chars:,}-character limit (max_chars)")
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if len(text) > max_chars:
        raise InputError(f"{path}: {len(text):,} characters is more than the limit of {max_chars:,} (max_chars)")
    return text


def _sidecar(path: Path) -> dict:
    """Optional ``<name>.meta.json`` beside a .txt file: title, date, source."""
    meta_path = path.with_suffix(".meta.json")
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{meta_path}: not valid JSON: {exc}") from exc
    allowed = {"id", "title", "date", "source"}
    unknown = set(meta) - allowed
    if unknown:
        raise InputError(
            f"{meta_path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})"
        )
    return {k: str(v) for k, v in meta.items()}


def _read_jsonl(path: Path, max_chars: int) -> Iterator[Article]:
    data = path.read_bytes()
    text = _decode(path, data)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            article = Article.model_validate(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise InputError(
                f"{path}:{number}: an article needs 'id' and 'text' strings (problem with: {fields})"
            ) from exc
        if not article.text.strip():
            raise InputError(f"{path}:{number}: article {article.id!r} has an empty text")
        if len(article.text) > max_chars:
            raise InputError(f"{path}:{number}: article {article.id!r} is longer than {max_chars:,} characters")
        if article.id in seen:
            raise InputError(f"{path}:{number}: duplicate article id {article.id!r}")
        seen.add(article.id)
        yield article
