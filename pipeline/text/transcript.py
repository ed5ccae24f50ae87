"""Transcripts: paragraphs that open with a speaker's label in capitals ("LAVROV: We have never refused to talk.",
"MR MILLER: ...", "Q: ..."). A labelled answer is the labelled person's own words; a question is the reporter's."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

LABEL = re.compile(r"(?m)^(?P<label>[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*){0,3}):[ \t\u00a0]+(?=\S)")
TITLES = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen"})
QUESTIONS = frozenset({"Q", "QUESTION", "REPORTER", "INTERVIEWER", "JOURNALIST", "AUDIENCE MEMBER"})
# capitals before a colon that head a paragraph but name no one who speaks
HEADINGS = frozenset(
    """NOTE UPDATE UPDATED CORRECTION CLARIFICATION WATCH RELATED BREAKING EXCLUSIVE PHOTOS VIDEO ANALYSIS OPINION
    BACKGROUND CONTEXT SOURCE SOURCES TRANSCRIPT LIVE FACT CHECK READ MORE WARNING DISCLAIMER EDITOR'S ADVERTISEMENT
    A""".split()
)


@dataclass(frozen=True)
class Turn:
    label: tuple[int, int]  # the label's characters, without the colon
    speech: tuple[int, int]  # the rest of the paragraph's line
    question: bool


@lru_cache(maxsize=64)
def turns(text: str) -> tuple[Turn, ...]:
    """The labelled paragraphs of a transcript. A transcript shows itself by a question's label ("Q:") or a speaker's
    label given twice; a label of function words ("WHY IT MATTERS:", "THE PRESIDENT:") is a heading, and so are
    lead-ins that never recur ("WASHINGTON: ...", "LONDON: ..." of a round-up). Cached: the parse, the claim rules and
    the actor rules each ask for an article's turns."""
    found = []
    for m in LABEL.finditer(text):
        label = m.group("label")
        words = [w.strip(".").lower() for w in label.split()]
        if label.rstrip(".") in HEADINGS or label.split()[-1] in HEADINGS:
            continue
        if label not in QUESTIONS and any(w in STOP_WORDS and w not in TITLES for w in words):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        end -= text[end - 1] == "\r"  # a Windows line ending is no part of the answer
        found.append(Turn((m.start(), m.start() + len(label)), (m.end(), end), label in QUESTIONS))
    said = Counter(text[slice(*t.label)].split()[-1] for t in found if not t.question)  # "JAKE TAPPER", "TAPPER"
    if not any(t.question for t in found) and not any(n > 1 for n in said.values()):
        return ()
    return tuple(found)


def parser_labels(text: str) -> str:
    """The text with each label as the parser should read it (same length): a question's label blanked, so that "Q"
    speaks nothing, and a speaker's in title case ("MR MILLER" -> "Mr Miller"), a name the tagger and the actor rules
    know."""
    pieces, at = [], 0
    for turn in turns(text):
        a, b = turn.label
        pieces += [text[at:a], " " * (b - a + 1) if turn.question else text[a:b].title()]
        at = a + len(pieces[-1])
    return "".join(pieces) + text[at:]
