"""Stage 1: read articles from a .txt file, a folder of .txt files, or JSONL (id, text, title, date, source)."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from pipeline.config import PARSER_LIMIT
from pipeline.errors import InputError
from pipeline.records import Article

log = logging.getLogger("stance")

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def read_articles(
    path: str | Path, max_chars: int = PARSER_LIMIT, skip_bad_lines: bool = False, warn: bool = True
) -> Iterator[Article]:
    """Yield articles lazily; raise ``InputError`` for anything a user must fix. With ``warn``, what is only worth a
    warning (an unreadable date, a skipped line) goes to the "stance" logger."""
    counts = {"day first": 0, "ambiguous": 0, "undated": 0, "dated": 0}
    first: dict[str, tuple[str, str, str | None]] = {}  # the first article of each kind, to quote
    seen: dict[str, str] = {}
    for article, where in _articles(Path(path), max_chars, skip_bad_lines, warn):
        if article.id in seen:
            raise InputError(f"{where}: duplicate article id {article.id!r} (first in {seen[article.id]})")
        seen[article.id] = where
        if warn:
            _warn_if_not_english(article)
        read = dated(article, warn)
        counts["dated" if read.date else "undated"] += 1
        first.setdefault("undated" if read.date is None else "dated", (article.id, "", None))
        if warn and (order := _slashed(article.date)):
            counts[order] += 1
            first.setdefault(order, (article.id, article.date or "", read.date))
        yield read
    if counts["day first"] and counts["ambiguous"]:
        (one, written, _), (other, either, iso) = first["day first"], first["ambiguous"]
        log.warning(
            f"{counts['ambiguous']} date(s) could be read either way round and are read month first (article "
            f"{other!r}: {either} as {iso}), though {counts['day first']} can only be day first (article {one!r}: "
            f"{written}): write dates as YYYY-MM-DD to be sure"
        )
    if warn and counts["undated"] and counts["dated"]:
        log.warning(
            f"{counts['undated']} of {counts['undated'] + counts['dated']} articles have no date (the first: "
            f"{first['undated'][0]!r}): their claims count toward each actor's stance, but not in its changes over "
            'time; give a date (a .meta.json beside a .txt file, or "date" in JSONL)'
        )


SLASHED = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2\d{2,4}\b")  # dotted dates are read day first (parse_date)
DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")


def _slashed(date: str | None) -> str | None:
    """How a date with slashes reads: "day first" (25/01/2019), "ambiguous" (05/06/2019), else None."""
    found = SLASHED.match((date or "").strip())
    if found is None:
        return None
    first, second = int(found[1]), int(found[3])
    if first > 12 >= second:
        return "day first"
    return "ambiguous" if first != second and max(first, second) <= 12 else None


def _articles(
    path: Path, max_chars: int, skip_bad_lines: bool, warn: bool, folder: Path | None = None
) -> Iterator[tuple[Article, str]]:
    """Each article with where it was read. A text file's id is its name without the suffix, and inside a folder
    its path from that folder ("2019/talks"), so that two "talks.txt" of two subfolders are two articles."""
    if not path.exists():
        raise InputError(f"input not found: {path}")
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        files = [p for p in found if p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES]
        if not files:
            raise InputError(f"no .txt or .jsonl files in folder: {path}")
        other = [p.relative_to(path).as_posix() for p in found if p not in files and not p.name.endswith(".meta.json")]
        if warn and other:
            log.warning(
                f"{len(other)} file(s) in {path} are not .txt or .jsonl and are not read ({', '.join(other[:3])}"
                f"{', ...' if len(other) > 3 else ''}): save articles as plain text (.txt)"
            )
        for file in files:
            yield from _articles(file, max_chars, skip_bad_lines, warn, path)
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path, max_chars, skip_bad_lines, warn)
    else:
        text = _read_text(path, max_chars)
        meta = _sidecar(path)
        if "title" not in meta and (title := headline(text)):
            meta["title"] = title
        name = path.relative_to(folder).with_suffix("").as_posix() if folder is not None else path.stem
        yield Article(id=meta.pop("id", name), text=text, **meta), str(path)


def headline(text: str) -> str | None:
    """A text file's first line where it reads as its headline: a line of its own (a blank line after it), at most 20
    words, and no full stop at its end (a lead sentence has one); the report and tables then name the article by it.
    The line stays in the text."""
    lines = text.lstrip("\n").split("\n", 2)
    if len(lines) < 3 or lines[1].strip():
        return None
    first = lines[0].strip()
    if not first or first.rstrip("\"”’')]").endswith(".") or len(first.split()) > 20:
        return None
    return first


# English text is at least a quarter function words (the lowest of 963 PolNeAR and BASIL articles: .26); French,
# German or Spanish news is under .13
ENGLISH_FUNCTION_SHARE = 0.15
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _warn_if_not_english(article: Article) -> None:
    """A warning for an article that does not read as English: the claim rules and models read English only, and such
    an article would give no claims and say nothing."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = WORD.findall(article.text.lower())
    share = sum(w in STOP_WORDS for w in words) / len(words) if words else 1.0
    if len(words) >= 20 and share < ENGLISH_FUNCTION_SHARE:
        log.warning(
            f"article {article.id!r} does not read as English ({share:.0%} of its words are English function words): "
            "claims are found in English text only"
        )


def as_read(article: Article) -> Article:
    """An article given in Python as `stance run` reads one from a file: its text ``normalise``d, its date ISO 8601."""
    return dated(article.model_copy(update={"text": normalise(article.text)}))


def dated(article: Article, warn: bool = True) -> Article:
    """The article with its date as ISO 8601 (YYYY-MM-DD); an unreadable date is dropped, with a warning."""
    if article.date is None or not article.date.strip():
        return article.model_copy(update={"date": None})
    found = parse_date(article.date)
    if found is None and warn:
        log.warning(f"article {article.id!r}: cannot read the date {article.date!r}; it is left off the time axis")
    return article.model_copy(update={"date": found})


def parse_date(text: str) -> str | None:
    """ISO 8601 and the common news formats ("Feb 15, 2019", "15 February 2019", "2019-02-15T10:00Z",
    "25/01/2019"; an ambiguous "01/02/2019" is read month first, as US news writes it, but "01.02.2019" day first,
    as European news does) as YYYY-MM-DD, else None."""
    from dateutil import parser

    text = text.strip()
    try:
        return parser.parse(text, default=datetime(2000, 1, 1), dayfirst=bool(DOTTED.match(text))).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def normalise(text: str) -> str:
    """The text as Python's ``open(path, encoding="utf-8-sig").read()`` gives it: no byte-order mark, and every line
    end (CRLF, CR) a single newline; and HTML entities that scraping left in ("&quot;", "&#8217;") as the characters
    they stand for. Offsets in the output index this string."""
    return unescaped(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


ENTITY = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")


def unescaped(text: str) -> str:
    """Text with its HTML entities decoded: '&quot;No deal,&quot; she said' made the quote no quotation and the
    speaker "deal &quot;surrenders"."""
    return html.unescape(text) if ENTITY.search(text) else text


def _decode(path: Path, data: bytes, where: str | None = None) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{where or path}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where or path}: not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from exc


def _read_text(path: Path, max_chars: int) -> str:
    size = path.stat().st_size
    if size > max_chars * 4:
        raise InputError(f"{path}: {size:,} bytes is larger than the {max_chars:,}-character limit (max_chars)")
    text = normalise(_decode(path, path.read_bytes()))
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


def _read_jsonl(path: Path, max_chars: int, skip_bad_lines: bool, warn: bool) -> Iterator[tuple[Article, str]]:
    """One article a line, read a line at a time (a corpus file never has to fit in memory). A malformed line
    stops the run, or with ``skip_bad_lines`` is skipped with a warning."""
    empty = True
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            where = f"{path}:{number}"
            try:
                line = _decode(path, raw, where)
                if not line.strip():
                    continue
                empty = False
                article = to_article(json.loads(line), where, max_chars)
            except (InputError, json.JSONDecodeError) as exc:
                message = str(exc)
                if isinstance(exc, json.JSONDecodeError):
                    message = f"{where}: not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"
                if not skip_bad_lines:
                    raise InputError(message + " (--skip-bad-lines skips such lines)") from None
                if warn:
                    log.warning(f"skipped {message}")
                continue
            yield article, where
    if empty:
        raise InputError(f"{path}: the file is empty")


def to_article(raw, where: str, max_chars: int) -> Article:
    if not isinstance(raw, dict):
        kind = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}
        what = kind.get(type(raw), "null")
        raise InputError(f"{where}: an article is a JSON object with 'id' and 'text', not {what}")
    if isinstance(raw.get("id"), int) and not isinstance(raw["id"], bool):
        raw = {**raw, "id": str(raw["id"])}  # many exports number their articles
    try:
        article = Article.model_validate(raw)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise InputError(f"{where}: an article needs 'id' and 'text' strings (problem with: {fields})") from None
    article = article.model_copy(
        update={"text": unescaped(article.text), "title": unescaped(article.title) if article.title else article.title}
    )
    if not article.text.strip():
        raise InputError(f"{where}: article {article.id!r} has an empty text")
    if len(article.text) > max_chars:
        raise InputError(f"{where}: article {article.id!r} is longer than {max_chars:,} characters (max_chars)")
    return article
