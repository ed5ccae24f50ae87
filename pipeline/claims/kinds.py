"""A claim's kind from its text: ``direct``, ``mixed``, ``indirect`` or ``according_to``, by PolNeAR's rule (quote
marks per content fragment, an "according to" cue). The attribution tagger names its claims' kinds with it, and the
PolNeAR importer its gold claims'."""

from __future__ import annotations

from pipeline.records import Kind

DOUBLE_QUOTES = '"\u201c\u201d'  # straight, left and right double quotes
OPEN_QUOTES = '"\u201c\u2018'  # straight double, left double, left single
CLOSE_QUOTES = '"\u201d\u2019'  # straight double, right double, right single


def _is_direct(fragment: str) -> bool:
    s = fragment.strip()
    return (
        len(s) >= 2 and s[0] in OPEN_QUOTES and s[-1] in CLOSE_QUOTES and not any(c in DOUBLE_QUOTES for c in s[1:-1])
    )


def _has_quote(fragment: str) -> bool:
    """A double quote mark anywhere, or a left single quote (U+2018) not used for elided digits (as in '90s). A lone
    right single quote (U+2019) is not counted: it is far more often an apostrophe (Clinton's, voters') than a quote."""
    if any(c in DOUBLE_QUOTES for c in fragment):
        return True
    return any(c == "\u2018" and not fragment[i + 1 : i + 2].isdigit() for i, c in enumerate(fragment))


def claim_kind(content_fragments: list[str], cue: str | None) -> Kind:
    """``according_to`` by the cue; else ``direct`` when every content fragment is one quotation (stripped, it
    starts and ends with a quote mark and has no double quote inside), ``mixed`` when any quote mark appears,
    ``indirect`` otherwise. Fragment-wise, so "“A,” he said, “B.”" (two quoted fragments) is direct."""
    if cue is not None and " ".join(cue.lower().split()).startswith("according to"):
        return "according_to"
    if content_fragments and all(_is_direct(f) for f in content_fragments):
        return "direct"
    if any(_has_quote(f) for f in content_fragments):
        return "mixed"
    return "indirect"
