"""Transcripts: paragraphs that open with a speaker's label in capitals ("LAVROV: We have never refused to talk.",
"MR MILLER: ...", "Q: ..."). A labelled answer is the labelled person's own words; a question is the reporter's."""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL = re.compile(r"(?m)^(?P<label>[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*){0,3}):[ \t]+(?=\S)")
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


def turns(text: str) -> list[Turn]:
    """The labelled paragraphs of a transcript; none unless at least two paragraphs carry a label, so that one
    heading in capitals ("UPDATE: ...") is not read as a speaker."""
    found = []
    for m in LABEL.finditer(text):
        label = m.group("label")
        if label.rstrip(".") in HEADINGS or label.split()[-1] in HEADINGS:
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        found.append(Turn((m.start(), m.start() + len(label)), (m.end(), end), label in QUESTIONS))
    return found if len(found) >= 2 else []


def parser_labels(text: str) -> str:
    """The text with each label as the parser should read it (same length): a question's label blanked, so that "Q"
    speaks nothing, and a speaker's in title case ("MR MILLER" -> "Mr Miller"), a name the tagger and the actor rules
    know."""
    for turn in turns(text):
        a, b = turn.label
        label = " " * (b - a + 1) if turn.question else text[a:b].title()
        text = text[:a] + label + text[a + len(label) :]
    return text
