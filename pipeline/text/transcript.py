"""Transcripts: paragraphs that open with a speaker's label in capitals ("LAVROV: We have never refused to talk.",
"MR MILLER: ...", "Q: ..."). A labelled answer is the labelled person's own words; a question is the reporter's."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

# capital letters with accents too (Latin-1, and the Latin Extended blocks, where the two cases alternate): "ERDOĞAN"
CAPS = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u1e00-\u1eff"
WORD = rf"[{CAPS}][{CAPS}'’.-]*"
# a label: a name in capitals, then what a network transcript adds to it (a party, a role, "translated"), a colon,
# and the speech on the same line or the next: "SEN. ALANA WHITCOMB (D-OR):", "MARCUS BELL, CNN CORRESPONDENT:",
# "MAYOR CARLA BRENNAN (D), ASHFORD:", "ERMEKOV (translated):", "STEVE INSKEEP, HOST:" on a line of its own
LABEL = re.compile(
    rf"(?m)^(?P<label>{WORD}(?: {WORD}){{0,3}})"
    rf"(?P<role>(?: ?\([^()\n]{{1,40}}\))?(?:, [{CAPS}0-9][{CAPS}0-9 '’.&/-]{{0,60}}?)?(?: ?\([^()\n]{{1,40}}\))?)"
    r":(?:[ \t\u00a0]+(?=\S)|[ \t]*\n\s*(?=\S))"
)
TITLES = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen"})
ANSWER = "A"  # the answer of a Q/A interview: the person it is with, whom the introduction names
QUESTIONS = frozenset({"Q", "QUESTION", "REPORTER", "INTERVIEWER", "JOURNALIST", "AUDIENCE MEMBER"})
# whoever asks, introduces and hands over: a label with such a role speaks no claim of its own, nor does its name
# given alone later ("MARCUS BELL, CNN CORRESPONDENT:" then "BELL:"); the words they report keep their own speakers
JOURNALISTS = frozenset(
    """HOST CO-HOST ANCHOR CO-ANCHOR CORRESPONDENT REPORTER BYLINE MODERATOR PRESENTER INTERVIEWER ANNOUNCER NARRATOR
    JOURNALIST""".split()
)
# capitals before a colon that head a paragraph but name no one who speaks
HEADINGS = frozenset(
    """NOTE UPDATE UPDATED CORRECTION CLARIFICATION WATCH RELATED BREAKING EXCLUSIVE PHOTOS VIDEO ANALYSIS OPINION
    BACKGROUND CONTEXT SOURCE SOURCES TRANSCRIPT LIVE FACT CHECK READ MORE WARNING DISCLAIMER EDITOR'S ADVERTISEMENT
    A""".split()
)
# a paragraph of speech ends as a sentence does; "Share and comment below", "Follow Pam Key on Twitter @pamkey" do not
SPOKEN_END = re.compile(r"[.!?\"'”’)\]…:;,—-]\s*$")
LINE = re.compile(r"(?m)^[ \t]*(\S.*)$")
# a paragraph that ends a turn without a label of its own: a stage direction or time code ("(BEGIN VIDEO CLIP)",
# "[10:00:14]"), a line in capitals ("END", "THIS IS A RUSH TRANSCRIPT."), a copyright line, a link
TURN_END = re.compile(r"[(\[]|[^a-z]*$|(?:Copyright|©)|.*(?:@\w|https?://|www\.)")


@dataclass(frozen=True)
class Turn:
    label: tuple[int, int]  # the label's name, without its role or the colon
    role: tuple[int, int]  # what follows the name before the colon: "(D-OR)", ", CNN CORRESPONDENT" (may be empty)
    speech: tuple[int, int]  # the answer: from the label to the next turn, over every paragraph it runs on
    question: bool  # a question's label ("Q"): no one
    journalist: bool = False  # a host's or reporter's: the turn speaks no claim of its own

    @property
    def speaks(self) -> bool:
        return not (self.question or self.journalist)


@lru_cache(maxsize=64)
def turns(text: str) -> tuple[Turn, ...]:
    """The labelled paragraphs of a transcript. A transcript shows itself by a question's label ("Q:") or a speaker's
    label given twice; a label of function words ("WHY IT MATTERS:", "THE PRESIDENT:") is a heading, and so are
    lead-ins that never recur ("WASHINGTON: ...", "LONDON: ..." of a round-up). An answer runs on over the paragraphs
    after it that have no label (a long answer is labelled once). Cached: the parse, the claim rules and the actor
    rules each ask for an article's turns."""
    found, bounds, journalists = [], [], set()
    for m in LABEL.finditer(text):
        bounds.append(m.start())
        label, role = m.group("label"), m.group("role")
        words = [w.strip(".").lower() for w in label.split()]
        if (label.rstrip(".") in HEADINGS or label.split()[-1] in HEADINGS) and label != ANSWER:
            continue
        if label not in QUESTIONS | {ANSWER} and any(w in STOP_WORDS and w not in TITLES for w in words):
            continue
        roles = set(re.findall(r"[A-Z-]+", role))
        if (roles & JOURNALISTS and "FORMER" not in roles) or label in JOURNALISTS:
            journalists.add(label)
        found.append((m, label in QUESTIONS))
    if not any(m.group("label") == "Q" for m, _ in found):
        found = [(m, question) for m, question in found if m.group("label") != ANSWER]  # "A:" answers only a "Q:"
    said = Counter(m.group("label").split()[-1] for m, question in found if not question)  # "JAKE TAPPER", "TAPPER"
    if not any(question for _, question in found) and not any(n > 1 for n in said.values()):
        return ()
    # a surname alone is a journalist's when no one else in the transcript has it ("BELL:"; not "KING:" where an
    # anchor John King interviews Senator Angus King)
    surnames = Counter(label.split()[-1] for label in {m.group("label") for m, _ in found} if " " in label)
    hosts = {label.split()[-1] for label in journalists if surnames[label.split()[-1]] == 1}
    blank_lines = BLANK_LINE.search(text) is not None
    out = []
    for n, (m, question) in enumerate(found):
        label = m.group("label")
        following = bisect_right(bounds, m.start())
        end = bounds[following] if following < len(bounds) else len(text)
        if n + 1 < len(found):
            end = _turn_end(text, m.end(), end, label.split()[-1].title())
        else:  # the last answer is its own paragraph: what follows it is more often the writer's than the speaker's
            end = _paragraph_end(text, m.end(), blank_lines)
        while end > m.end() and text[end - 1].isspace():
            end -= 1
        out.append(Turn(m.span("label"), m.span("role"), (m.end(), end), question, label in journalists | hosts))
    return tuple(out)


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraph_end(text: str, start: int, blank_lines: bool) -> int:
    """The end of the paragraph ``start`` is in: at a blank line, or in a text without blank lines at the line end."""
    if not blank_lines:
        found = text.find("\n", start)
        return len(text) if found < 0 else found
    found = BLANK_LINE.search(text, start)
    return found.start() if found else len(text)


def _turn_end(text: str, start: int, end: int, surname: str) -> int:
    """Where a turn's speech stops before ``end``: at the first later paragraph that is a stage direction, a line in
    capitals, a copyright line, a line that does not end as a sentence does (a web page's boilerplate) or one that
    names the speaker ("Biden's remarks came as ...": the writer's)."""
    next_line = text.find("\n", start)
    if next_line < 0 or next_line >= end:
        return end
    named = re.compile(rf"\b{re.escape(surname)}\b")
    for line in LINE.finditer(text, next_line + 1, end):
        words = line.group(1)
        if TURN_END.match(words) or not SPOKEN_END.search(words) or named.search(words):
            return line.start()
    return end


def parser_labels(text: str) -> str:
    """The text with each label as the parser should read it (same length): a question's label blanked, so that "Q"
    speaks nothing, and a speaker's in title case ("MR MILLER" -> "Mr Miller"), a name the tagger and the actor rules
    know."""
    pieces, at = [], 0
    for turn in turns(text):
        a, b = turn.label
        if turn.question:
            pieces += [text[at:a], " " * (turn.role[1] - a + 1)]
        else:  # the role blanked: "Sen. Alana Whitcomb       : ..."
            pieces += [text[at:a], text[a:b].title() + " " * (turn.role[1] - turn.role[0])]
        at = a + len(pieces[-1])
    return "".join(pieces) + text[at:]
