"""Stage 2: find claims (direct and mixed quotes, reported speech, "according to X") and their cues in a parse.

Each candidate keeps the token index of its cue so that the attribution stage can find the speaker; quotes with no
cue of their own (a quote-only sentence or paragraph) are left for attribution to link to the previous speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.text import nlp, transcript
from pipeline.text.people import FIRST_PERSON, RELATIVE, person_noun
from pipeline.text.quotes import Quote, find_quotes, within

# Verbs whose object is what they report ("Choe blamed the breakdown on the US side", "Schumer backed the deal").
OBJECT_CUES = frozenset(
    """blame accuse criticize criticise praise urge dismiss reject welcome deny dispute support oppose endorse
    back defend attack condemn cite slam blast applaud hail question demand propose recommend describe
    mention discuss acknowledge announce promise pledge vow advocate chastise mock lambaste decry denounce
    tout celebrate want plan seek intend refuse decline""".split()
)
# Lemmas of verbs that report speech, writing or belief; "call" counts with a quote ("called it 'a sham'") or "for".
REPORTING = (
    frozenset(
        """say tell insist stress warn deny argue believe claim add note explain announce acknowledge admit suggest
    state write tweet report predict vow promise urge accuse complain contend maintain assert declare reply
    respond recall concede agree think ask emphasize emphasise caution allege charge conclude confirm
    estimate indicate observe reiterate remark reveal signal testify threaten worry fear hope expect doubt
    feel plead boast brag joke quip muse counter retort rebut dispute propose recommend post assure affirm
    proclaim shout yell scream inform advise lament question wonder speculate find show learn call exclaim read
    recount stress chide scoff snap sigh marvel confess continue shoot swear""".split()
    )
    | OBJECT_CUES
)
QUOTE_ONLY_CUES = frozenset({"call", "read", "continue", "shoot"})  # "he continued, “...”"
# Verbs that ask someone to act: with an addressee and what they are asked to do ("urged colleagues to reject the
# deal", "called on Trump to delay his address"), the request is the claim; "call" only with "on" or "for".
DIRECTIVES = frozenset(
    "urge ask tell warn encourage press implore beg push pressure challenge instruct order direct call".split()
)
CONTENT_DEPS = ("ccomp",)
WORD = re.compile(r"\w+")
TRAILING_JOIN = re.compile(r"[\s,]+(?:and|but|or|while|as)$", re.IGNORECASE)


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    sentence: int  # index of the sentence in doc.sents
    cue_token: int | None = None  # token index of the reporting verb or of "according"
    cue: tuple[int, int] | None = None
    continuation: bool = False  # a quote with no cue in its sentence
    quotes: list[Quote] = field(default_factory=list)
    speaker_span: tuple[int, int] | None = None  # set when a tagger, not the parse, found the speaker
    tagged: bool = False  # found by the attribution tagger, not the rules
    object_of_cue: bool = False  # what the cue verb acts on ("rejected [the proposal]"), not a clause it reports
    parenthetical: bool = False  # its cue stands inside it ('The deal, Marsh said, was "the best in a decade"')
    turn: bool = False  # a sentence of a transcript's labelled answer ("LAVROV: ..."), its label the speaker


def _trim(text: str, start: int, end: int, strip_that: bool = True) -> tuple[int, int]:
    """Drop surrounding spaces, commas, dashes, colons and a closing period outside quotes; and a leading 'that'."""
    junk = " \t\n,;:—–-."
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    while True:
        m = TRAILING_JOIN.search(text, start, end)
        if not m:
            break
        end = m.start()
        while end > start and text[end - 1] in junk:
            end -= 1
    if strip_that and text[start:end].lower().startswith("that "):
        start += 5
        while start < end and text[start].isspace():
            start += 1
    return start, end


def _is_title(text: str) -> bool:
    """'The View', 'Fox News Sunday', '@HillaryClinton': names of shows, works and handles, not speech."""
    words = text.strip(" ,.").split()
    if text.startswith("@") or (words and all(w.isdigit() for w in words)):
        return True
    return 2 <= len(words) <= 5 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _quote_span(text: str, q: Quote) -> tuple[int, int]:
    a, b = q.inner
    return _trim(text, a, b, strip_that=False) if b > a else (a, b)


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _classify(text: str, start: int, end: int, quotes: Sequence[Quote]) -> tuple[str, list[Quote]]:
    """direct (only quotes), mixed (quotes and reported words) or indirect (no quotes) for a content range."""
    inside = [q for q in quotes if q.open < end and q.close > start]
    if not inside:
        return "indirect", []
    pos, rest = start, []
    for q in sorted(inside, key=lambda q: q.open):
        rest.append(text[pos : max(pos, q.open)])
        pos = max(pos, q.end)
    rest.append(text[pos:end])
    return ("mixed" if _words(" ".join(rest)) >= 2 else "direct"), inside


def _content_range(verb, nested_cues: set[int]) -> tuple[int, int] | None:
    """Token range [i, j) of what a reporting verb reports: its clausal complement, cut before nested reports."""
    comp = next((c for c in verb.children if c.dep_ in CONTENT_DEPS), None)
    if comp is None:
        # "said legalizing it could put ...": the small parser makes a clause an xcomp; one with a subject of its
        # own inside is what was said
        comp = next((c for c in verb.children if c.dep_ == "xcomp" and any(t.dep_ == "nsubj" for t in c.subtree)), None)
    if comp is None:
        comp = _clause_of_medium(verb)
    if comp is None:
        return None
    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
    subjectless = comp.pos_ in ("VERB", "AUX") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in comp.children
    )
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.i < comp.i), None)
    that = any(c.dep_ == "mark" for c in comp.children)  # "told Politico that ...": an addressee
    if subjectless and not that and noun is not None and noun.pos_ in ("NOUN", "PROPN"):
        lo = noun.left_edge.i  # 'said the treaty "as it stands" was unacceptable': the parser took the subject of
        # what was said for the verb's object
    # 'said the government was "kneeling" and should walk away': the parser joins the second verb of the clause to
    # the reporting verb, though the speaker "should" do nothing; a modal verb without a subject is still said
    modal = [
        c
        for c in verb.rights
        if c.i > comp.i
        and c.dep_ == "conj"
        and not any(d.dep_ in ("nsubj", "nsubjpass") for d in c.children)
        and any(d.dep_ in ("aux", "auxpass") and d.lower_ in REPORTED_MODALS for d in c.children)
    ]
    if modal and not any(i in nested_cues for i in range(hi, modal[-1].right_edge.i + 1)):
        hi = modal[-1].right_edge.i + 1
    # 'said he was "deeply disappointed" but that talks could resume': the parser hangs the second "that" clause on
    # the verb; it is said too
    more = [
        c
        for c in verb.rights
        if c.i > comp.i and c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    ]
    if more and not any(i in nested_cues for i in range(hi, more[-1].right_edge.i + 1)):
        hi = more[-1].right_edge.i + 1
    for child in comp.children:
        sub = range(child.left_edge.i, child.right_edge.i + 1)
        if not any(i in nested_cues for i in sub):
            continue
        if child.i > comp.i:
            if child.dep_ in ("ccomp", "dobj", "xcomp", "acomp"):  # "said he was confident voters would reject it"
                continue
            hi = min(hi, child.left_edge.i)
        else:
            lo = max(lo, child.right_edge.i + 1)
    # "..., according to TASS" at the end names the outlet, not part of what was said
    for tok in comp.doc[lo:hi]:
        if according_to(tok) and tok.i > lo:
            hi = min(hi, tok.i)
    return lo, _before_comment(comp.doc, lo, hi)


# the writer's word on what was said, after it: "..., a sharp turn from his rejection of the text", "..., a reversal"
COMMENT_NOUNS = frozenset(
    "turn reversal shift departure about-face u-turn change setback blow rebuke contrast sign signal retreat".split()
)


def _before_comment(doc, lo: int, hi: int) -> int:
    """Where what was said ends before the writer's comment on it: ", a sharp turn from his rejection of the text
    two weeks ago" is the reporter's, not the speaker's."""
    for tok in doc[lo + 1 : hi - 2]:
        rest = doc[tok.i + 1 : hi]
        if tok.text != "," or rest[0].lower_ not in ("a", "an") or any(t.pos_ in ("VERB", "AUX") for t in rest):
            continue  # "the plan, a change from last year, would pass" goes on
        noun = next((t for t in rest[1:4] if t.pos_ == "NOUN"), None)
        if noun is not None and noun.lower_ in COMMENT_NOUNS:
            return tok.i
    return hi


UNSAID = frozenset(
    "say comment discuss answer elaborate confirm specify disclose reveal speculate address name identify quote".split()
)
REPORTED_MODALS = frozenset({"should", "must", "ought", "could", "would", "might"})  # not "will": "and will vote"
# Where words were said: "said in a statement that ...", which the parser reads as the statement's own clause.
MEDIA = frozenset(
    """statement interview letter post tweet message speech briefing release conference email video remark address
    column editorial filing memo note call appearance broadcast op-ed""".split()
)


def _clause_of_medium(verb):
    """The "that" clause of "said in a statement that ...", which the parser hangs on the noun."""
    for prep in verb.rights:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "on", "during", "via", "through"):
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj" or nlp.lemma(noun).lower() not in MEDIA:
                continue
            for clause in noun.rights:
                if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
                ):
                    return clause
    return None


OBJECT_DEPS = ("dobj", "xcomp", "oprd", "attr", "dative", "pcomp")
OBJECT_PREPS = frozenset({"of", "for", "on", "about", "against", "as", "to", "over"})


def _right_range(verb, nested_cues: set[int]) -> tuple[int, int] | None:
    """For a cue without a clause ("disputed X as 'inaccurate'", "blamed X on Y"): its object and what follows it."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None  # "was backed by X": the speaker is the agent, not the subject; left to the clause rules
    right = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "advcl", "conj", "parataxis", "relcl")]
    right = [c for c in right if not any(i in nested_cues for i in range(c.left_edge.i, c.right_edge.i + 1))]
    # the source is no part of the claim: "rejected the talks, according to X", "rejected, according to X, the talks"
    aside = next((i for i, c in enumerate(right) if according_to(c)), None)
    if aside is not None:
        objects = [c for c in right[:aside] if c.dep_ in OBJECT_DEPS]
        right = right[:aside] if objects else [c for c in right if not according_to(c)]
    first = next(
        (i for i, c in enumerate(right) if c.dep_ in OBJECT_DEPS or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPS)),
        None,
    )
    if first is None:
        return None
    right = right[first:]
    lo = right[0].left_edge.i
    return lo, _before_comment(verb.doc, lo, right[-1].right_edge.i + 1)


def _reports_object(verb) -> bool:
    """Verbs whose object is the claim: "blamed X", "backed X", "called for X", "called the invitation a breach of
    protocol" (but not "called him")."""
    lemma = nlp.lemma(verb).lower()
    return lemma in OBJECT_CUES or (
        lemma == "call" and any(c.lower_ == "for" or c.dep_ == "oprd" for c in verb.children)
    )


def _request(verb) -> tuple[int, int] | None:
    """Token range of what a directive verb asks someone to do, from the addressee to the end of the request
    ("urged [colleagues to reject the deal]", "called on [Trump to delay ...]", "calls for [D.C. to end the
    deadlock]"); None without an addressee ("asked to be excused" is the speaker's own act). A report inside the
    request ("reject") is part of it, not a claim of the speaker's own."""
    lemma = nlp.lemma(verb).lower()
    if lemma not in DIRECTIVES or _thing_subject(verb):
        return None
    request = next((c for c in verb.rights if c.dep_ == "xcomp"), None)
    if request is None:
        if lemma != "call":
            return None
        # "calls for D.C. to end the deadlock": the small parser makes the request a clause marked by "for"
        clause = next((c for c in verb.rights if c.dep_ == "advcl" and c.left_edge.lower_ == "for"), None)
        return (clause.left_edge.i + 1, clause.right_edge.i + 1) if clause is not None else None
    on = lemma == "call"  # "called on Trump to ...", never "called him to ..."
    addressee = next(
        (
            c
            for c in verb.rights
            if c.i < request.i and (c.dep_ == "prep" and c.lower_ == "on" if on else c.dep_ in ("dobj", "dative"))
        ),
        None,
    )
    if addressee is None:
        return None
    start = addressee.i + 1 if on else addressee.left_edge.i
    return start, request.right_edge.i + 1


def _thing_subject(verb) -> bool:
    """A subject that asks nothing of anyone: "a new initiative that urges ...", "Those actions encouraged ..." (a
    relative "that"/"which", or plural things, not people)."""
    node, subject = verb, None
    for _ in range(5):  # "... would incentivize X and encourage Y to ...": the subject of the first verb
        subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if subject is not None or node.dep_ not in ("conj", "advcl", "xcomp") or node.head.i == node.i:
            break
        node = node.head
    if subject is None:
        return False
    if subject.lower_ in ("that", "which"):
        return True
    return subject.tag_ == "NNS" and not subject.ent_type_ and not person_noun(subject)


def _made_clear(verb):
    """The clause of "made it clear (that) ..." / "made clear that ...", or None."""
    if nlp.lemma(verb).lower() != "make":
        return None
    clear = next((c for c in verb.rights if c.lower_ == "clear"), None)
    if clear is None:
        return None
    clause = [c for c in [*clear.rights, *verb.rights] if c.dep_ in ("ccomp", "advcl") and c.i > clear.i]
    return clause[0] if clause else None


CLOSING_MARKS = frozenset({"\u201d", '"', "''", "\u2019\u2019"})


def subject_after_quote(verb):
    """“...,” Gene Sperling, an adviser, said: the small parser sometimes hangs the name on the quoted clause and
    leaves the verb without a subject. The words between the closing mark and the verb then name the speaker: the
    leftmost noun among them whose head lies outside them."""
    doc, sent = verb.doc, verb.sent
    i, window = verb.i - 1, []
    while i >= sent.start and doc[i].text not in CLOSING_MARKS and len(window) < 15:
        window.append(doc[i])
        i -= 1
    if i < sent.start or doc[i].text not in CLOSING_MARKS:
        return None
    inside = {t.i for t in window}
    heads = [t for t in window if t.pos_ in ("PROPN", "NOUN", "PRON") and t.head.i not in inside]
    return min(heads, key=lambda t: t.i) if heads else None


def _has_subject(verb) -> bool:
    return _parsed_subject(verb) or subject_after_quote(verb) is not None or name_before(verb) is not None


NP_INNER = ("appos", "compound", "amod", "poss", "nmod", "det", "case")


def name_before(verb):
    """ "Kim Gunn, South Korea's envoy, said ..." parsed with the name off elsewhere, and "... after the measure's
    sponsor, Dana Whitfield, said ..." parsed as a second verb of the sentence's subject: a person named right before
    ", said" speaks when the verb has no subject of its own and is joined to nothing by "and" or "but"."""
    doc = verb.doc
    own = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
    if verb.i < 2 or doc[verb.i - 1].text != "," or own:
        return None
    if verb.dep_ == "conj" and any(c.dep_ == "cc" and c.i < verb.i for c in verb.head.children if c.i > verb.head.i):
        return None  # "rejected the plan and, later, said": a verb of the same subject
    if verb.dep_ not in ("conj", "ROOT"):
        return None
    node = doc[verb.i - 2]
    for _ in range(12):  # up the phrase that ends at the comma: "representative for ... affairs" -> "Gunn"
        inner = node.dep_ in NP_INNER or (node.dep_ == "pobj" and node.head.head.pos_ in ("NOUN", "PROPN"))
        if node.dep_ == "prep" and node.head.pos_ in ("NOUN", "PROPN"):
            inner = True
        if not inner or node.head.i == node.i or node.head.i >= verb.i:
            break
        node = node.head
    first = node
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ in ("dobj", "dative", "attr", "oprd") or (first.dep_ == "pobj" and first.head.lower_ not in AT_TIME):
        return None  # "The minister thanked Ambassador John Smith, said ...": Smith is thanked, not speaking
    names = [node]
    for t in names:  # "In Tashkent, the water minister, Dilnoza Rakhimova, says": appositions of appositions
        names += [c for c in t.children if c.dep_ == "appos"]
    return next((t for t in names if t.pos_ == "PROPN" and t.ent_type_ == "PERSON"), None)


AT_TIME = frozenset({"in", "after", "before", "during", "as", "when", "while", "since"})  # "after the sponsor, X, said"


def _parsed_subject(verb) -> bool:
    node = verb
    for _ in range(5):
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in node.children):
            return True
        if node.dep_ == "acl" and node.head.head.i != node.head.i:
            node = node.head.head  # "took pains to tell reporters"
            continue
        if node.dep_ not in ("advcl", "conj", "xcomp", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _is_cue(token, in_quote) -> bool:
    if token.pos_ not in ("VERB", "AUX") or in_quote(token.idx):
        return False
    lemma = nlp.lemma(token).lower()  # computed once: every verb of every article comes through here
    reports = (
        lemma in REPORTING
        or (lemma in DIRECTIVES and _request(token) is not None)
        or (lemma == "make" and _made_clear(token) is not None)
    )
    return reports and _has_subject(token) and not _enabled(token) and not _as_said(token) and not _left_open(token)


def _purpose(verb) -> bool:
    """ "spoke on condition of anonymity to discuss the negotiations": an act's purpose, not a report of it."""
    return (
        nlp.lemma(verb).lower() in ("discuss", "describe", "mention")  # "to oppose the deal" after a request is
        and verb.tag_ == "VB"
        and verb.dep_ == "advcl"
        and nlp.lemma(verb.head).lower() in ("speak", "talk", "meet", "gather")  # not "went on to discuss"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _left_open(verb) -> bool:
    """ "did not say whether she supported it", "declined to say if ...", "declined to comment": nothing was said;
    nor by a verb of such a clause or of a condition ("if Trump rejects the deal")."""
    if any(m.dep_ == "mark" and m.lower_ in ("whether", "if", "unless") for m in verb.children):
        return True
    if nlp.lemma(verb).lower() in ("decline", "refuse") and any(
        c.dep_ == "xcomp" and nlp.lemma(c).lower() in UNSAID for c in verb.children
    ):
        return True
    clause = next((c for c in verb.children if c.dep_ in CONTENT_DEPS), None)
    if clause is None:
        return False
    # a question: "asked whether the deal would pass", "asked her what she would say"
    asking = nlp.lemma(verb).lower() in ASKING
    if asking and clause.i > verb.i and clause.left_edge.lower_ in QUESTION_WORDS:  # not '"Who is it?" he wondered'
        return True
    if not any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in clause.children):
        return False
    declined = verb.dep_ == "xcomp" and nlp.lemma(verb.head).lower() in ("decline", "refuse")
    return declined or any(c.dep_ == "neg" for c in verb.children)


ASKING = frozenset({"ask", "wonder", "inquire"})
QUESTION_WORDS = frozenset("whether if what who whom whose which why how when where".split())


def _undone(verb) -> bool:
    """ "should be recalled", "was asked about it": a passive without an agent or a clause reports no one's words
    (but may be the cue nearest a quote: "Trump was questioned ..., as if she “wasn't allowed to ...”")."""
    deps = {c.dep_ for c in verb.children}
    return "auxpass" in deps and not deps & {"agent", "ccomp", "xcomp", "advcl", "dobj", "oprd"}


def _as_said(verb) -> bool:
    """ "would begin as planned", "as expected": a verb of "as" without a subject reports nothing."""
    return any(c.dep_ in ("advmod", "mark") and c.lower_ == "as" and c.i < verb.i for c in verb.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    )


ENABLERS = frozenset("allow permit enable authorize empower".split())  # not "let": "Let me say", "letting them know"


def _enabled(verb) -> bool:
    """A report something would let someone make ("The measure allows Congress to approve or reject such deals",
    "not authorized to discuss it"): nobody said anything. What someone was allowed to say and said ("He was allowed
    to say that ...", "The interview allowed Biden to insist that ...") is a report."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    enabler = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or nlp.lemma(enabler).lower() not in ENABLERS:
        return False
    auxes = [c for c in enabler.children if c.dep_ in ("aux", "auxpass")]
    if any(c.dep_ == "neg" for c in enabler.children) or any(a.tag_ == "MD" for a in auxes):
        return True
    return (auxes[0] if auxes else enabler).tag_ in ("VBZ", "VBP", "VB")  # a rule in force, not a past event


def find_claims(doc, text: str) -> list[Candidate]:
    quotes = [q for q in find_quotes(text) if not _is_title(text[slice(*q.inner)])]
    quote_at = sorted(quotes, key=lambda q: q.open)

    def in_quote(char: int) -> bool:
        return within(quote_at, char)

    out: list[Candidate] = []
    claimed: set[Quote] = set()
    sents = list(doc.sents)
    intro = None  # "Senator Ruiz issued the following statement:": the verb that speaks the quoted paragraphs after
    for s_index, sent in enumerate(sents):
        s_start, s_end = sent.start_char, sent.end_char
        s_quotes = [q for q in quote_at if q.open < s_end and q.close >= s_start]
        cues = [t for t in sent if _is_cue(t, in_quote)]
        undone = {t.i for t in cues if _undone(t)}
        cue_ids = {t.i for t in cues} - undone
        if cues or (_opens_paragraph(text, s_start) and text[s_start:s_end].lstrip()[:1] not in OPENING_MARKS):
            intro = None
        found: list[Candidate] = []
        for verb in cues:
            if verb.i in undone or _purpose(verb):
                continue  # it reports nothing of its own, but may still be the cue nearest a quote
            nested = cue_ids - {verb.i}
            if not _parsed_subject(verb):
                # the speaker sits between the quote and the verb: the quote that closes before them is the claim
                before = [q for q in s_quotes if q.close < verb.idx]
                if before:
                    q = max(before, key=lambda q: q.close)
                    found.append(Candidate(*_quote_span(text, q), "direct", s_index, verb.i, quotes=[q]))
                    continue
                if name_before(verb) is None:
                    continue
            by_object = parenthetical = False
            if verb.dep_ == "parataxis" and not any(c.dep_ in CONTENT_DEPS for c in verb.children):
                head = verb.head
                lo, hi = head.left_edge.i, head.right_edge.i + 1
                v_lo, v_hi = verb.left_edge.i, verb.right_edge.i + 1
                spoken = [q for q in s_quotes if not (q.open >= doc[v_lo].idx and q.close < doc[v_hi - 1].idx)]
                # the quote is part of a clause whose subject is outside it: 'The deal, Marsh said, was "the best in
                # a decade."' is one mixed claim, the subject included (not 'In an interview, Walker said, "I've
                # had ..."', whose clause is the quote's own)
                subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != verb.i), None)
                said_around = subject is not None and not in_quote(subject.idx) and not v_lo <= subject.i < v_hi
                if spoken and not said_around:
                    for q in spoken:
                        found.append(Candidate(*_quote_span(text, q), "direct", s_index, verb.i, quotes=[q]))
                    continue
                held = [q for q in spoken if doc[lo].idx <= q.open < doc[hi - 1].idx]
                if held:  # it ends with its last quote, not in words joined after it ("..., and the talks")
                    last = max(q.close for q in held)
                    hi = min([hi] + [c.i for c in head.rights if c.dep_ == "cc" and c.idx > last])
                token_range, parenthetical = (lo, hi), bool(held)
            elif (clause := _made_clear(verb)) is not None:
                token_range = clause.left_edge.i, clause.right_edge.i + 1
            elif (request := _request(verb)) is not None:
                token_range = request  # what the speaker asks for, quoted or not ("call" included)
                by_object = True
            else:
                token_range = _content_range(verb, nested)
                if token_range is None:
                    token_range = _right_range(verb, nested)
                    if token_range is None:
                        continue
                    a, b = doc[token_range[0]].idx, doc[token_range[1] - 1].idx + len(doc[token_range[1] - 1])
                    by_object = _reports_object(verb)
                    if not by_object and not any(q.open < b and q.close > a for q in s_quotes):
                        continue  # a speech verb without a clause reports only what it quotes
                elif nlp.lemma(verb).lower() in QUOTE_ONLY_CUES:
                    continue
            lo, hi = _after_colon(doc, *token_range, s_quotes)
            while lo < hi and doc[lo].is_space:
                lo += 1  # a dateline the parser was given as blanks (``nlp.parser_text``)
            if hi <= lo:
                continue
            a = doc[lo].idx
            b = doc[hi - 1].idx + len(doc[hi - 1])
            kind, inside = _classify(text, a, b, s_quotes)
            if kind == "direct":
                for q in inside:
                    found.append(Candidate(*_quote_span(text, q), "direct", s_index, verb.i, quotes=[q]))
                continue
            if kind == "mixed":
                a = min([a] + [q.open for q in inside])
                b = max([b] + [q.end for q in inside])
            a, b = _trim(text, a, b)
            if _words(text[a:b]) >= 2:
                found.append(
                    Candidate(
                        a, b, kind, s_index, verb.i, quotes=inside, object_of_cue=by_object, parenthetical=parenthetical
                    )
                )
        found.extend(_according_to(doc, sent, s_index, text, s_quotes, bool(found)))
        for cand in found:
            claimed.update(cand.quotes)
        # Quotes of this sentence that no cue took: the nearest cue speaks them, or they continue a speaker.
        for q in s_quotes:
            if q in claimed:
                continue
            if q.close > s_end and not cues:
                continue  # the quote runs on: a later sentence of it may hold its cue
            a, b = _quote_span(text, q)
            if _words(text[a:b]) == 0:
                continue
            if cues and _words(text[a:b]) <= 2:
                continue  # a word or two in quotes beside a cue is a scare quote, not what was said
            if cues:
                verb = min(cues, key=lambda t: min(abs(t.idx - q.open), abs(t.idx - q.close)))
                found.append(Candidate(a, b, "direct", s_index, verb.i, quotes=[q]))
                claimed.add(q)
            elif (verb := _cue_after(text, q, sents[s_index + 1 : s_index + 2], in_quote)) is not None:
                found.append(Candidate(a, b, "direct", s_index, verb.i, quotes=[q]))
                claimed.add(q)
            elif intro is not None and _continues(text, q, sent, a, b):
                found.append(Candidate(a, b, "direct", s_index, intro.i, quotes=[q]))
                claimed.add(q)
            elif _continues(text, q, sent, a, b):
                found.append(Candidate(a, b, "direct", s_index, continuation=True, quotes=[q]))
                claimed.add(q)
        for cand in found:
            if cand.cue_token is not None and cand.cue is None:
                tok = doc[cand.cue_token]
                end_tok = tok.nbor(1) if tok.lower_ == "according" and tok.i + 1 < len(doc) else tok
                cand.cue = (tok.idx, end_tok.idx + len(end_tok))
        out.extend(found)
        intro = _statement_intro(sent, text) or intro
    for c in out:  # "Would he support the treaty if it worked?", "Lee asked how anyone could support such a deal."
        sent = sents[c.sentence]
        turn = next((t for t in transcript.turns(text) if t.speech[0] <= c.start < t.speech[1]), None)
        if turn is None:
            asked = _asks(text, sent) and not in_quote(sent.end_char - 1)
        else:  # spoken: "Olga, is there anyone ... who thinks this will work?"
            asked = _spoken_question(text[c.start : min(sent.end_char, turn.speech[1])])
        if c.kind != "direct" and (asked or (c.cue_token is not None and _in_asked(doc[c.cue_token]))):
            c.end = c.start  # the writer asks, or someone asks: no one said it
    return _dedupe(_not_the_hosts(doc, text, out) + _turns(doc, sents, text, out))


OPENING_MARKS = frozenset('"\u201c\u00ab\u2018')
INTRO_VERBS = frozenset("issue release give make send provide share post say write add".split())


def _opens_paragraph(text: str, start: int) -> bool:
    """Whether a sentence starting at ``start`` begins a line."""
    before = text[:start].rstrip(" \t")
    return not before or before.endswith("\n")


def _statement_intro(sent, text: str):
    """The verb of a sentence that ends in a colon and introduces a statement ("Senator Janet Ruiz issued the
    following statement on the deal:", "The ministry said in a statement:"), with a subject of its own; None else."""
    if not text[sent.start_char : sent.end_char].rstrip().endswith(":"):
        return None
    root = sent.root
    if nlp.lemma(root).lower() not in INTRO_VERBS or not _subjects(root):
        return None
    return root


def _in_asked(cue) -> bool:
    """Whether a cue is inside a question someone asks ("asked how anyone could support such a deal")."""
    node = cue
    while node.head.i != node.i:
        if node.dep_ in CONTENT_DEPS and _left_open(node.head) and nlp.lemma(node.head).lower() in ASKING:
            return True
        node = node.head
    return False


def _turns(doc, sents, text: str, found: list[Candidate]) -> list[Candidate]:
    """Each sentence of a transcript's labelled answer, spoken by its label; not a question, a stage direction
    ("(Through interpreter)"), or a sentence that reports someone else's words ("He told me the deal is fair": the
    rules gave that claim its own speaker). A host's or reporter's turn speaks nothing itself."""
    reported = Counter()
    for c in _dedupe(found):
        if c.cue_token is not None and _third_party(doc[c.cue_token]):
            reported[c.sentence] += _words(text[c.start : c.end])
    out = []
    for turn in transcript.turns(text):
        if not turn.speaks:
            continue
        lo, hi = turn.speech
        for index, sent in enumerate(sents):
            a, b = max(sent.start_char, lo), min(sent.end_char, hi)
            # most of the sentence is someone else's words; "Critics say it protects workers, but it is a disaster
            # for them" stays the speaker's
            if a >= b or reported[index] >= 0.5 * _words(text[a:b]):
                continue
            a, b = _trim(text, *_past_direction(text, a, b), strip_that=False)
            if _words(text[a:b]) >= 2 and not _spoken_question(text[a:b]) and not _greeting(text[a:b]):
                out.append(Candidate(a, b, "direct", index, speaker_span=turn.label, turn=True))
    return out


def _spoken_question(words: str) -> bool:
    """A question in speech is one whatever it opens with ("Good deal or bad deal?", "Olga, is there anyone ...?")."""
    return words.rstrip("\"'\u201d\u2019 \n").endswith("?")


def _asks(text: str, sent) -> bool:
    """Whether the writer's sentence is a question: it ends in a question mark and opens as one ("Would he ...?", "Or
    would you ...?"; not "Smith told reporters the deal would pass, but will it?")."""
    opening = (t for t in sent if t.is_alpha and t.lower_ not in ("and", "but", "or", "so"))
    first = next(opening, None)
    spoken = text[sent.start_char : sent.end_char]
    return _spoken_question(spoken) and first is not None and first.lower_ in QUESTION_OPENERS


QUESTION_OPENERS = frozenset(
    """do does did would will could can should shall is are was were has have had may might must how why what who
    whom whose which when where isn't aren't wasn't doesn't don't didn't won't wouldn't couldn't can't""".split()
)


def _not_the_hosts(doc, text: str, found: list[Candidate]) -> list[Candidate]:
    """The claims of a transcript's text without a host's or reporter's own ("I'm told Congressman Henning is joining
    us"), each within its turn's speech (never its label)."""
    for turn in transcript.turns(text):
        lo, hi = turn.speech
        for c in found:
            if c.start < hi and lo < c.end:
                c.start = max(c.start, lo)
                if not turn.speaks and c.cue_token is not None and _first_person(doc[c.cue_token]):
                    c.end = c.start  # dropped by _dedupe
    return found


GREETING = re.compile(
    r"(?i)(?:(?:thanks|thank you)\b(?! to\b)|(?:good (?:morning|afternoon|evening)|hello|welcome)\b(?! news))"
)


def _greeting(words: str) -> bool:
    """ "Thanks for having me, Dana", "Good morning": not "Thanks to the new treaty, we can finally export"."""
    return GREETING.match(words) is not None and _words(words) <= 8


def _third_party(cue) -> bool:
    """Whether a cue is a sentence's own verb of speech with a subject other than whoever speaks ("he told me", "Tate
    says"; not "I think", "they want", "a man who said")."""
    if nlp.lemma(cue).lower() not in SPEECH or cue.dep_ not in ("ROOT", "conj"):
        return False
    subjects = _subjects(cue)
    return bool(subjects) and all(s.lower_ not in FIRST_PERSON | RELATIVE | {"you"} for s in subjects)


def _first_person(cue) -> bool:
    return any(s.lower_ in FIRST_PERSON | {"you"} for s in _subjects(cue))


def _subjects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]


SPEECH = frozenset(
    """say tell claim argue announce insist warn state add report write explain suggest accuse call urge declare deny
    admit acknowledge promise vow threaten predict note complain""".split()
)


# "(Through interpreter)", "(laughs)", "[10:00:14]", "[LAUGHTER]"; not an editor's "[The treaty] gives away ..."
DIRECTION = re.compile(r"\s*(?:\([^()]*\)|\[(?:[^\[\]a-z]*|[a-z][^\[\]]*)\])")


def _past_direction(text: str, a: int, b: int) -> tuple[int, int]:
    """A sentence without the stage direction it opens with ("(Through interpreter) We are giving them ...")."""
    m = DIRECTION.match(text, a, b)
    return (a + m.end(), b) if m else (a, b)


def _after_colon(doc, lo: int, hi: int, quotes: Sequence[Quote]) -> tuple[int, int]:
    """'Trump was blunt: “...”': narration before a colon or dash that opens a quote is not part of the claim."""
    first = min((q.open for q in quotes if doc[lo].idx <= q.open < doc[hi - 1].idx + 1), default=None)
    if first is None:
        return lo, hi
    for tok in doc[lo:hi]:
        if tok.idx >= first:
            break
        if tok.text in (":", "—", "--"):
            lo = tok.i + 1
    return lo, hi


def _cue_after(text: str, q: Quote, following: list, in_quote):
    """“... a bribe?” Trump asked.: the parser ends the sentence at “?”” and leaves the attribution alone in the next
    one. That sentence's cue speaks the quote when it starts right after the closing mark and is only a short
    attribution (a name or pronoun, a verb, a few words)."""
    if not q.closed or not following or len(following[0]) > 8:
        return None
    gap = text[q.end : following[0].start_char]
    words = text[following[0].start_char : following[0].end_char]
    if gap.strip() or "\n" in gap or any(mark in words for mark in ('"', "\u201c", "''")):
        return None  # not right after the mark, or the short sentence has a quotation of its own
    cues = [t for t in following[0] if _is_cue(t, in_quote)]
    if not cues:
        return None
    verb = cues[0]
    if nlp.lemma(verb).lower() in OBJECT_CUES and any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children):
        return None  # "Mayor Tom Haskins welcomed the appointment." says something of its own; "Smith told reporters."
    return verb


def _continues(text: str, q: Quote, sent, a: int, b: int) -> bool:
    """A quote with no cue in its sentence speaks for the previous speaker if it is most of a real sentence."""
    if text[q.open] == "\u2018":
        return False  # single marks without a cue are headlines or nested quotes
    if not re.search(r"[.!?,\"'\u201d\u2019\u00bb]\s*$", sent.text):
        return False  # a heading, not a sentence
    return _words(text[a:b]) >= 3 and _words(text[a:b]) >= 0.5 * max(1, _words(sent.text))


def according_to(tok) -> bool:
    """Whether ``tok`` opens "according to"."""
    return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to"


def _according_to(doc, sent, s_index: int, text: str, s_quotes: Sequence[Quote], has_claim: bool) -> list[Candidate]:
    """'..., according to X' and 'According to X, ...': the rest of the sentence is X's claim."""
    if has_claim:
        return []  # 'X said ..., according to TASS' names where the report came from, not a second claim
    out = []
    for tok in sent:
        if not according_to(tok):
            continue
        phrase_lo, phrase_hi = tok.i, max(tok.right_edge.i, doc[tok.i + 1].right_edge.i) + 1
        first = next((t.idx for t in sent if not t.is_space), sent.start_char)  # after a blanked dateline
        left = (first, doc[phrase_lo].idx)
        right = (doc[phrase_hi - 1].idx + len(doc[phrase_hi - 1]), sent.end_char)
        a, b = max([left, right], key=lambda r: r[1] - r[0])
        a, b = _trim(text, a, b, strip_that=False)
        if _words(text[a:b]) < 3:
            continue
        kind, inside = _classify(text, a, b, s_quotes)
        out.append(Candidate(a, b, "according_to", s_index, tok.i, quotes=inside))
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One claim per span; a report nested inside another claim's words ("said he had discussed X") stays part of
    the outer claim instead of becoming a second, overlapping one."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if c.end <= c.start:
            continue
        inside = [k for k in out if k.start <= c.start and c.end <= k.end]
        if any((k.start, k.end) == (c.start, c.end) for k in inside):
            continue
        if c.cue is not None and any(k.start <= c.cue[0] < k.end for k in inside):
            continue
        if c.kind == "direct" and c.quotes and any(k.parenthetical and set(c.quotes) <= set(k.quotes) for k in inside):
            continue  # the quote is part of such a claim already, whichever other cue took it
        if any(k.turn for k in inside):
            continue  # words within a transcript's answer are the answer's
        out.append(c)
    return out


# A tagged claim needs a tagged cue at most this many characters from it: on held-out PolNeAR train articles, tagged
# spans with no cue near them were mostly narration (first tagger: content P .79 -> .82 at R .73 -> .73; with the
# one-epoch tagger F1 is flat from 15 to 60 characters).
TAG_CUE_GAP = 30


def from_tags(doc, text: str, tagged, found: list[Candidate]) -> list[Candidate]:
    """Claims the attribution tagger found where the rules found none.

    Spans overlapping a rule claim are left to the rules (their speakers come from the parse and are more often
    right). The speaker of a tagged claim is the subject of its tagged cue when the cue is a verb the parse gives a
    subject (as for rule claims: "who" and "he" resolve to their actors), else the nearest tagged source.
    """
    sources = [t for t in tagged if t.label == "source"]
    cues = [t for t in tagged if t.label == "cue"]
    quotes = find_quotes(text)
    starts = [s.start_char for s in doc.sents]
    out = []
    for span in (t for t in tagged if t.label == "content"):
        if any(c.start < span.end and span.start < c.end for c in found):
            continue
        a, b = _trim(text, span.start, span.end, strip_that=True)
        if _words(text[a:b]) < 3:
            continue
        kind, inside = _classify(text, a, b, quotes)
        sentence = max(0, sum(1 for s in starts if s <= a) - 1)
        cand = Candidate(a, b, kind, sentence, quotes=inside, tagged=True)
        cue = _nearest(cues, a, b, text)
        if cue is None or max(cue.start - b, a - cue.end) > TAG_CUE_GAP:
            continue
        cand.cue = (cue.start, cue.end)
        verb = doc.char_span(cue.start, cue.end, alignment_mode="expand")
        if verb is not None and verb.root.pos_ in ("VERB", "AUX") and _has_subject(verb.root):
            cand.cue_token = verb.root.i
        elif verb is not None and verb.root.pos_ == "NOUN":
            owner = next((c for c in verb.root.children if c.dep_ == "poss"), None)
            if owner is not None:  # "his suggestion that ...", "Clinton's argument that ..."
                cand.speaker_span = (owner.left_edge.idx, owner.idx + len(owner))
        mentioned = cand.cue_token is not None or cand.speaker_span is not None
        source = None if mentioned else _nearest(sources, a, b, text)
        if source is not None:
            cand.speaker_span = (source.start, source.end)
        if cand.cue_token is not None or cand.speaker_span is not None:
            out.append(cand)
    return out


def _nearest(spans, a: int, b: int, text: str):
    """The span closest to [a, b) within the same paragraph, or None."""
    lo = text.rfind("\n\n", 0, a)
    hi = text.find("\n\n", b)
    lo, hi = (lo + 2 if lo >= 0 else 0), (hi if hi >= 0 else len(text))
    near = [s for s in spans if lo <= s.start and s.end <= hi and not (a <= s.start < b)]
    return min(near, key=lambda s: min(abs(s.start - b), abs(a - s.end)), default=None)
