"""Stage 3: speaker attribution. Each claim gets the words that name its speaker (a mention span in the text).

The speaker of a cue is its grammatical subject; a participle or a conjoined verb ("..., saying ...", "and said")
takes its head's subject; a relative pronoun ("Trump, who has said ...") takes the noun it modifies; "according to X"
takes X. A quote with no cue of its own continues the previous speaker of its paragraph (or of the paragraph before,
for a quote-only paragraph), else the speaker of the next cue in its paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.claims.rules import REPORTING as REPORTING_LEMMAS
from pipeline.claims.rules import Candidate, according_to, name_before, subject_after_quote
from pipeline.text import nlp
from pipeline.text.people import RELATIVE, artefact, counted
from pipeline.text.quotes import find_quotes, paragraphs, within

SUBJECT_DEPS = ("nsubj", "nsubjpass")
INHERIT_DEPS = ("advcl", "conj", "xcomp", "ccomp", "acl")
NP_KEEP = frozenset(
    {
        "compound",
        "amod",
        "det",
        "poss",
        "case",
        "nummod",
        "prep",
        "pobj",
        "nmod",
        "flat",
        "cc",
        "conj",
        "quantmod",
        "npadvmod",
        "advmod",
        "punct",
    }
)


@dataclass
class Attributed:
    candidate: Candidate
    speaker: tuple[int, int] | None  # character span of the speaker mention
    speaker_token: int | None  # head token of the mention, for actor resolution
    cue: tuple[int, int] | None


def subject_of(verb):
    """The subject token of a reporting verb, looking through participles, conjuncts and relative clauses."""
    if verb.lower_ == "according":
        to = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        objs = [c for c in (to.children if to is not None else []) if c.dep_ == "pobj"]
        return objs[0] if objs else None
    named = _name_after(verb) or name_before(verb)
    if named is not None:
        return named
    node = verb
    # A participle or conjunct hanging off reported content ("said they might walk ..., criticizing X") is the
    # reporter's, not the content subject's: the small parser attaches it to the nearer verb.
    own = any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    reported = verb.head.dep_ == "ccomp" and nlp.lemma(verb.head.head) in REPORTING_LEMMAS
    if not own and verb.dep_ in ("advcl", "conj") and reported:
        node = verb.head.head
    elif not own and verb.dep_ == "conj" and _quoted_apart(verb.head, verb):
        # "said the deal was “the best deal we could get” and urged ...": the parser joins the verb after a quotation
        # to one inside it; it goes with the reporting verb the quotation hangs on
        node = next((a for a in verb.ancestors if nlp.lemma(a) in REPORTING_LEMMAS and not _in_quote(a)), verb)
    for _ in range(5):
        agent = next((c for c in node.children if c.dep_ == "agent"), None)
        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if by is not None:
            return by  # "was seen by some as ...", "was criticized by Democrats as ...": the agent speaks
        # two subjects ("His final assessment: “...,” he said") are a misparse: the one nearest the verb speaks
        subj = min((c for c in node.children if c.dep_ in SUBJECT_DEPS), key=lambda c: abs(c.i - node.i), default=None)
        if subj is not None:
            if subj.lower_ in RELATIVE and node.dep_ == "relcl":
                return node.head
            return subj
        if node.dep_ == "acl" and node.head.head.i != node.head.i:
            node = node.head.head  # "took pains to tell reporters": the teller is the subject of "took"
            continue
        if node.dep_ not in INHERIT_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


def _in_quote(token) -> bool:
    return within(find_quotes(token.doc.text), token.idx)


def _quoted_apart(token, verb) -> bool:
    """Whether ``token`` lies inside a quotation and ``verb`` outside it."""
    return _in_quote(token) and not _in_quote(verb)


def _name_after(verb):
    """“The plan, said Michael Kofman, an expert, would ...”: a cue between commas with a name right after it is
    spoken by that name (the small parser takes the noun before the comma as the subject)."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != "," or verb.i + 1 >= len(doc) or doc[verb.i + 1].pos_ != "PROPN":
        return None
    end = verb.i + 1
    while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN":
        end += 1
    if all(t.ent_type_ in ("DATE", "TIME") for t in doc[verb.i + 1 : end + 1]):
        return None  # "..., Senator Richard J. Durbin, Democrat of Illinois, said Tuesday.": a day, not a name
    return doc[end] if end + 1 < len(doc) and doc[end + 1].text in (",", ".") else None


def relative_pronoun(verb, antecedent):
    """The relative pronoun ("who", "that") through which ``subject_of`` reached ``antecedent``, or None: the verb's
    own subject, or that of the verb it hangs from ("who don't want to say", "who said ... but took issue")."""
    node = verb
    for _ in range(5):
        own = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if own is not None:
            relative = own.lower_ in RELATIVE and node.dep_ == "relcl" and node.head.i == antecedent.i
            return own if relative else None
        if node.dep_ not in INHERIT_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def attached_hyphen(token) -> bool:
    """A hyphen inside a word ("al-Assad"), not a dash between spaces ("Reynolds - Santilli's girlfriend")."""
    return token.text in HYPHENS and token.i > 0 and not token.whitespace_ and not token.nbor(-1).whitespace_


def name_hyphen(token) -> bool:
    """A hyphen that joins a name into one word: after a capitalised word ("Ben-Gvir", "Ocasio-Cortez"), not after a
    particle ("al-Assad", whose "Assad" stands alone later)."""
    return attached_hyphen(token) and token.nbor(-1).text[:1].isupper()


def hyphen_start(token) -> int:
    """The first token of the hyphenated name ``token`` ends ("Ben-Gvir", which the tokenizer splits in three and the
    parser may hang on the verb one by one), or ``token.i``."""
    i = token.i
    while i >= 2 and name_hyphen(token.doc[i - 1]):
        i -= 2
    return i


FOCUS_BEFORE = frozenset({"even", "only", "also", "just", "especially", "particularly", "such"})
FOCUS_AFTER = frozenset({"there", "here", "alike", "too", "also"})
PLACE_PREPS = frozenset({"on", "at", "in", "during", "before", "after", "from", "outside", "inside"})
SPEAKING_PRONOUNS = frozenset({"i", "we", "he", "she", "they"})  # "She on Twitter"; not "those at the briefing"
OWN = frozenset({"its", "their"})  # "The committee in its report": the speaker's own occasion, never its name
OCCASIONS = frozenset(
    "statement interview speech floor hearing remarks post letter briefing conference appearance tweet email".split()
)


def _where_spoken(head, prep) -> bool:
    """Whether a preposition after a speaker says where or how they spoke, not who they are: after a person's name
    ("Reid on the Senate floor", "Peter Keating at Vanity Fair"), or an occasion after anyone ("in a statement",
    "in its report");
    not before another conjunct ("Reid in Washington and Pelosi"), and never "of" ("Gov. Rick Perry of Texas")."""
    if any(c.dep_ in ("cc", "conj") for c in head.rights if c.i > prep.i):
        return False
    if head.ent_type_ == "PERSON" or head.lower_ in SPEAKING_PRONOUNS:
        return True  # an organisation's name may hold one ("Center on Budget and Policy Priorities")
    if head.pos_ == "NOUN" and artefact(head):
        return False  # "excerpts from his speech" are the speech's
    return any(
        t.dep_ == "pobj" and (nlp.lemma(t).lower() in OCCASIONS or any(c.lower_ in OWN for c in t.children))
        for t in prep.children
    )


def _when(token) -> bool:
    """A date or time, or "the time" of "at the time", "at that time"."""
    return token.ent_type_ in ("DATE", "TIME") or (token.lower_ == "time" and token.head.lower_ == "at")


def _focus_before(token) -> bool:
    """ "even" in "even he", "only" in "only two Democrats"; not a name that starts with one ("Just Capital",
    "Even Financial"): a capitalised one counts only before a word in lower case ("Even the organizer")."""
    if token.lower_ not in FOCUS_BEFORE:
        return False
    following = token.nbor()
    return token.is_lower or not (following.is_title or following.is_upper)


def _focus_after(token) -> bool:
    """ "there" in "officials there", "alike" in "analysts alike": a lower-case adverb on a noun, not the end of a
    phrase it belongs to ("voters out there") or of a name ("Me Too")."""
    return (
        token.lower_ in FOCUS_AFTER
        and token.is_lower
        and token.head.pos_ in ("NOUN", "PROPN", "PRON")
        and not any(token.children)
    )


def mention_span(head) -> tuple[int, int]:
    """The noun phrase of a subject without its relative clauses, appositions or trailing punctuation."""
    lo = min(head.left_edge.i, hyphen_start(head))
    hi = head.i + 1
    for child in head.rights:
        if child.dep_ == "appos" and child.left_edge.i == hi and child.pos_ == "PROPN":
            hi = child.right_edge.i + 1  # "news agency TASS": a name right after its description
            continue
        if child.dep_ in ("relcl", "appos", "acl", "punct") or child.text in (",", "—", "("):
            break
        if child.dep_ in ("prep", "npadvmod", "advmod") and any(_when(t) for t in child.subtree):
            break  # "President Trump on Saturday said": the time is not part of who spoke
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS and _where_spoken(head, child):
            break  # "said Reid on the Senate floor", "Jeb Bush in a Medium post": where they spoke is not who
        if child.dep_ in NP_KEEP:
            hi = child.right_edge.i + 1
    doc = head.doc
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space or _focus_before(doc[lo])):
        lo += 1  # "even he acknowledged", "As such, fact-checkers have disputed"
    while hi - 1 > head.i and (doc[hi - 1].is_punct or _focus_after(doc[hi - 1])):
        hi -= 1  # "officials there admit", "analysts alike"
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


def attribute(doc, text: str, candidates: list[Candidate]) -> list[Attributed]:
    paras = paragraphs(text)
    quotes = find_quotes(text)

    def para_of(char: int) -> int:
        for i, (a, b) in enumerate(paras):
            if a <= char < b:
                return i
        return len(paras)

    out: list[Attributed] = []
    for cand in candidates:
        if cand.speaker_span is not None:
            mention = doc.char_span(*cand.speaker_span, alignment_mode="expand")
            out.append(Attributed(cand, cand.speaker_span, mention.root.i if mention else None, cand.cue))
            continue
        if cand.cue_token is None:
            out.append(Attributed(cand, None, None, None))
            continue
        verb = doc[cand.cue_token]
        subj = subject_of(verb)
        if subj is None or (within(quotes, subj.idx) and not within(quotes, verb.idx)):
            # no subject, or one from inside a quotation ("Ohio,'' Mr. Trump said" parsed with "Ohio" as subject)
            subj = subject_after_quote(verb) or subj
        if subj is None:
            out.append(Attributed(cand, None, None, cand.cue))
            continue
        if counted(subj):
            # "Nearly three in four say ..., according to the survey": the survey speaks, not the counted
            source = _according_to_in(verb.sent, cand)
            if source is not None:
                out.append(Attributed(cand, mention_span(source), source.i, cand.cue))
                continue
        own = relative_pronoun(verb, subj)
        if own is not None:
            # "Trump, who said ...": the words naming the speaker are "who" (like "he"); the actor is its antecedent
            out.append(Attributed(cand, (own.idx, own.idx + len(own)), subj.i, cand.cue))
            continue
        out.append(Attributed(cand, mention_span(subj), subj.i, cand.cue))
    # Continuations, in text order: previous speaker in the paragraph, else the next cue of the paragraph,
    # else (a quote opening its paragraph) the last speaker of the previous paragraph.
    ordered = sorted(out, key=lambda a: a.candidate.start)
    for index, item in enumerate(ordered):
        if not item.candidate.continuation:
            continue
        para = para_of(item.candidate.start)
        before = [o for o in ordered[:index] if o.speaker_token is not None]
        after = [o for o in ordered[index + 1 :] if o.speaker_token is not None and not o.candidate.continuation]
        source = None
        if before and para_of(before[-1].candidate.start) == para:
            source = before[-1]
        elif after and para_of(after[0].candidate.start) == para:
            source = after[0]
        elif before and para_of(before[-1].candidate.start) == para - 1 and _opens_paragraph(text, paras, item):
            source = before[-1]
        if source is not None:
            item.speaker, item.speaker_token, item.cue = source.speaker, source.speaker_token, source.cue
    # a quote nobody can be found to have said is not a claim we can attribute
    return [o for o in ordered if not (o.candidate.continuation and o.speaker_token is None)]


def _according_to_in(sent, cand: Candidate):
    """X of an "according to X" in the sentence, outside the claim itself."""
    for tok in sent:
        outside = not cand.start <= tok.idx < cand.end
        if outside and according_to(tok):
            source = subject_of(tok)
            if source is not None:
                return source
    return None


def _opens_paragraph(text: str, paras: list[tuple[int, int]], item: Attributed) -> bool:
    start = item.candidate.start
    for a, b in paras:
        if a <= start < b:
            return not text[a:start].strip(' "\u201c\u2018')
    return False
