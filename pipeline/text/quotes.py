"""Quotation-mark spans of a text, found without a parser.

Curly, straight and guillemet double quotes are paired; single curly quotes only where they cannot be apostrophes.
A quote still open at a paragraph break is closed there (news style re-opens a continued quote in each paragraph),
so an unbalanced mark never swallows the rest of an article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201d"}
PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]*[\"\u201c\u2018])")


@dataclass(frozen=True)
class Quote:
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or the paragraph end when the quote was left open
    closed: bool
    width: int = 1  # characters of each mark: 2 for the typewriter style ''...''

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + self.width, self.close

    @property
    def end(self) -> int:
        """The index after the closing mark (the paragraph end for a quote left open)."""
        return self.close + self.width if self.closed else self.close


def within(quotes: Sequence[Quote], char: int) -> bool:
    """Whether the character at ``char`` lies between the marks of one of ``quotes``."""
    return any(q.open < char < q.close for q in quotes)


def inside(length: int, quotes: Sequence[Quote]) -> bytearray:
    """``within`` for every character of a text of ``length`` characters at once: 1 between the marks of a quote."""
    mask = bytearray(length)
    for q in quotes:
        mask[q.open + 1 : q.close] = b"\x01" * max(0, q.close - q.open - 1)
    return mask


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Half-open spans of paragraphs (blank-line separated), without surrounding whitespace."""
    spans, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            out.append((a + lead, a + trail))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


@lru_cache(maxsize=8)
def find_quotes(text: str) -> tuple[Quote, ...]:
    """The text's quotations, paragraph by paragraph (cached: several stages ask for the same article's)."""
    quotes: list[Quote] = []
    for p_start, p_end in paragraphs(text):
        quotes.extend(_in_paragraph(text, p_start, p_end))
    return tuple(quotes)


def _in_paragraph(text: str, start: int, end: int) -> list[Quote]:
    found: list[Quote] = []
    opener: int | None = None
    closer = ""
    single: int | None = None
    i = start
    while i < end:
        ch = text[i]
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if text.startswith("''", i) and i + 1 < end:
            # two apostrophes as a double quote (''It doesn't,'' she said): older wire and NYT copy
            if opener is None and not _is_word(before):
                opener, closer = i, "''"
                i += 2
                continue
            if opener is not None and closer == "''":
                found.append(Quote(opener, i, True, 2))
                opener = None
                single = None
                i += 2
                continue
        if opener is None:
            if ch in PAIRS:
                opener, closer = i, PAIRS[ch]
            elif ch == '"' and not _is_word(before) and before != "=":  # not an HTML attribute value
                opener, closer = i, '"'
            elif ch == "\u2018" and not _is_word(before) and not after.isspace():
                single = i if single is None else single
            elif ch == "\u2019" and single is not None and not _is_word(after):
                found.append(Quote(single, i, True))
                single = None
        elif ch == closer or (closer == '"' and ch == "\u201d"):
            found.append(Quote(opener, i, True))
            opener = None
            single = None
        i += 1
    if opener is not None:
        found.append(Quote(opener, end, False, 2 if closer == "''" else 1))
    return found
