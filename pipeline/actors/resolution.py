"""Stage 4: actor resolution. Speaker mentions become actors: one actor per person across "Secretary of State Mike
Pompeo", "Pompeo", "the top US diplomat" and "he"; groups and organisations ("North Korea", "Senate Democrats") are
actors of their own.

Names are matched by their tokens (a surname joins the full name that contains it; names are not read from
title-case headlines); a pronoun takes the most recent person who was the subject of a sentence outside quotes and
whose gender does not contradict it (from "Mrs."/"spokesman" titles, else the first name's gender in
``pipeline/data/first_names.tsv``, from the ``nomquamgender`` name data); a description of a person ("Pyongyang's
deputy foreign minister") takes the person whose title shares its head noun (or a role of it: a diplomat is a
secretary of state), else the next named person to speak within a few sentences. A description of anything else
("the campaign", "the report", "13 percent") is an actor of its own, never a person named nearby.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nameparser.config import CONSTANTS
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.attribution.mentions import (
    SUBJECT_DEPS,
    Attributed,
    attached_hyphen,
    hyphen_start,
    mention_span,
    name_hyphen,
)
from pipeline.claims.rules import REPORTING
from pipeline.text import nlp, transcript
from pipeline.text.people import GROUP_PRONOUNS, PERSON_NOUNS, PRONOUNS, RELATIVE, artefact, person_noun

TITLE_WORDS = frozenset(
    """secretary state president vice minister deputy foreign prime sen sen. senator rep rep. representative
    gov gov. governor mr mr. mrs mrs. ms ms. dr dr. chairman chairwoman chair leader speaker gen gen.
    general adviser advisor ambassador envoy judge justice attorney mayor chief director spokesman
    spokeswoman spokesperson press house senate majority minority whip sir lord queen king prince pope rev
    rev. reverend lt. col. sgt. capt. adm. commissioner treasurer chancellor premier candidate nominee
    congressman congresswoman councilmember councilman councilwoman councillor alderman alderwoman assemblyman
    assemblywoman former national security special top democratic republican gop leader-elect lt
    col sgt capt adm u.s. us american white ceo cfo coo founder co-founder democrat republican ranking agent h.e.
    datuk dato seri
    senators sens sens. reps reps. representatives justices""".split()
)
# nameparser's 800 titles ("sheriff", "father", "bishop", ...) but the saints of place names ("St. Louis County")
NAME_TITLES = frozenset(CONSTANTS.titles) - {"st", "saint", "sainte"}
# lower-case words inside a name: "Charles de Gaulle", "Bashar al-Assad"
PARTICLES = frozenset("de del della da di du dos das do des la le van von der den ter ten bin ibn al el dela".split())
# what a titled "name" ends with when it is a place or an institution ("Prince William County", "King Abdullah
# University")
PLACE_NOUNS = frozenset(
    """county island sound university college school hospital church cathedral center centre foundation institute
    parish city state airport bay river park street avenue hall academy memorial bridge district""".split()
)
ROLES = {
    "diplomat": {"state", "foreign", "ambassador", "envoy", "diplomat"},
    "leader": {"leader", "speaker", "chairman", "president", "majority", "minority", "premier", "prime"},
    "lawmaker": {"sen", "sen.", "senator", "rep", "rep.", "representative", "congressman", "congresswoman"},
    "senator": {"sen", "sen.", "senator"},
    "congressman": {"rep", "rep.", "representative", "congressman"},
    "congresswoman": {"rep", "rep.", "representative", "congresswoman"},
    "governor": {"gov", "gov.", "governor"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "press"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "press"},
    "negotiator": {"negotiator", "representative", "envoy", "trade"},
    "nominee": {"nominee", "candidate"},
    "candidate": {"nominee", "candidate"},
    "adviser": {"adviser", "advisor"},
    "advisor": {"adviser", "advisor"},
    "official": {"official", "secretary", "minister", "director", "adviser"},
    # ranks written short before a name ("Sgt. Mike Dorsey" is "the sergeant")
    "sergeant": {"sgt", "sgt.", "sergeant"},
    "lieutenant": {"lt", "lt.", "lieutenant"},
    "captain": {"capt", "capt.", "captain"},
    "colonel": {"col", "col.", "colonel"},
    "general": {"gen", "gen.", "general"},
    "admiral": {"adm", "adm.", "admiral"},
    "doctor": {"dr", "dr.", "doctor"},
    "sheikh": {"sheikh", "sheik"},
}
EVERY = frozenset({"every", "each", "all", "both", "some", "many", "several"})
# bodies a president or chairman presides over: "the council president" is the president of a council
COUNCILS = frozenset("council committee union party board commission caucus senate assembly parliament".split())
# what a minister or secretary is of: "the water minister" is not the foreign minister the article named
PORTFOLIOS = frozenset(
    """foreign finance defense defence health trade water irrigation fisheries energy interior justice education
    agriculture labor labour transport transportation environment economy treasury commerce oceans housing""".split()
)
# documents that speak for whoever issued them ("the statement said"): their author is the actor, where named
DOCUMENTS = frozenset(
    "statement letter memo memorandum release email e-mail note tweet message report analysis study survey poll "
    "average data research summary".split()
)
# verbs by which someone issues a document ("signed a letter", "released a statement")
ISSUING = frozenset("sign send issue release write publish pen post tweet draft circulate deliver file submit".split())
# verbs by which someone makes a document ("compiled by", "written by"), unlike "obtained by", "seen by"
AUTHORING = ISSUING | frozenset("compile prepare conduct produce author commission".split())
LOOK_BACK = 600  # tokens: how far back "the letter" looks for the letter someone issued
ORGANISATIONS = frozenset(
    """group organization organisation conference committee association coalition union agency council commission
    institute center centre foundation network""".split()
)
BODIES = frozenset(
    """office committee campaign group administration department council agency company organization organisation
    party coalition union board commission court ministry government firm team caucus association""".split()
)
NOBODY = frozenset({"any", "no"})  # "It allows any business ... to cite the law": a hypothetical, no one spoke
RANK_WORDS = frozenset({"vice", "deputy", "assistant", "associate"})
# offices one person holds at a time: "the F.B.I. director" is not the next speaker if that one is a senator
OFFICES = frozenset(
    """director secretary senator representative congressman congresswoman governor mayor ambassador envoy minister
    president premier chancellor judge commissioner treasurer adviser advisor spokesman spokeswoman spokesperson
    chairman chairwoman ceo attorney""".split()
)
# people who speak for someone else: "Senator Smith said ... . The spokesman said" is someone new
SPEAKS_FOR_OTHERS = frozenset(
    "spokesman spokeswoman spokesperson aide adviser advisor lawyer attorney representative official source".split()
)
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
GENDERED_TITLES = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "congressman": "m", "spokesman": "m",
    "chairman": "m", "businessman": "m", "husband": "m", "father": "m", "son": "m", "brother": "m",
    "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "queen": "f", "princess": "f",
    "congresswoman": "f", "spokeswoman": "f", "chairwoman": "f", "businesswoman": "f", "wife": "f",
    "mother": "f", "daughter": "f", "sister": "f", "actress": "f", "lady": "f",
    "male": "m", "female": "f",  # a transcript's "UNIDENTIFIED MALE"
}  # fmt: skip
# what people do, one at a time: a description of one trade is not someone known by another
TRADES = OFFICES | frozenset(
    """lawyer judge justice officer protester prosecutor detective doctor nurse soldier general commander professor
    teacher student reporter journalist columnist editor economist analyst historian scientist activist executive
    lobbyist strategist pollster diplomat negotiator lawmaker legislator""".split()
)
GENDERED_NOUNS = {"man": "m", "boy": "m", "gentleman": "m", "woman": "f", "girl": "f"}
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss"})
LABEL_TITLES = HONORIFICS | TITLE_WORDS | OFFICES | NAME_TITLES  # "COUNCILMEMBER JEROME TATE", "SEN. ALANA WHITCOMB"
STOP = frozenset({"the", "a", "an", "of", "for", "and", "'s", "’s", "its", "his", "her", "their"})


GIVEN_NAME_CALLS = 5  # given-name mentions that make a namesake a relative, not the "Mr." of the article
NAMES_FILE = Path(__file__).parent.with_name("data") / "first_names.tsv"


@cache
def _first_names() -> dict[str, str]:
    # built from the nomquamgender name data by scripts/build_first_names.py (36k names, 30 ms to read)
    rows = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return dict(row.split("\t") for row in rows if row)


def first_name_gender(name: str) -> str | None:
    """Gender ("m" or "f") of a common first name that is clearly gendered in the name data; None otherwise."""
    gender = _first_names().get(_ascii(name))
    return gender if gender in ("m", "f") else None


def given_name(name: str) -> bool:
    """Whether ``name`` is a common first name, of either sex ("Lee", "Jordan") or one ("Mary")."""
    return _ascii(name) in _first_names()


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


UNDECOMPOSED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


def fold(text: str) -> str:
    """``text`` without accents ("Calderón" -> "Calderon"): letters keep their base letter."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(name: str) -> str:
    """A readable ASCII id that keeps every letter: "Felipe Calderón" -> "felipe-calderon"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-") or "unknown"


@dataclass
class Actor:
    name: str
    kind: str  # person | group
    aliases: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    named: int = 0  # how often the article names them (while its people are collected)
    by_given: int = 0  # how often by the given name alone ("Freddy" of "Freddy Trump")

    def gender(self) -> str | None:
        """The gender ("m", "f" or None): from a gendered title ("Mrs.", "spokeswoman"), else from the first name."""
        found = {GENDERED_TITLES[t] for t in self.titles if t in GENDERED_TITLES}
        if len(found) == 1:
            return found.pop()
        words = [w for w in self.name.split() if len(w.rstrip(".")) > 1]  # "A. Barry Rand": Barry
        return first_name_gender(words[0]) if self.kind == "person" and len(words) > 1 and not found else None

    @property
    def written(self) -> str:
        """The name as written: ``name`` joins spaCy's tokens with spaces, which splits "Holtz-Eakin", "Ki-moon"."""
        return re.sub(r"\s*-\s*", "-", self.name)

    @property
    def id(self) -> str:
        return slug(self.name)


@dataclass
class Resolved:
    item: Attributed
    actor: Actor | None
    mention: str | None


def _name_chain(head) -> list:
    """The proper-name tokens ending at ``head`` ("Mike Pompeo" in "Secretary of State Mike Pompeo"); through
    tokens tagged as an organisation only where they read as a titled person's name ("Bishop Daniel Jenky")."""
    chain = _walk(head, through_org=False)
    if head.ent_type_ == "ORG" and (_titled(wide := _walk(head, through_org=True)) or _described_name(head, wide)):
        return wide
    return chain


def _described_name(head, chain) -> bool:
    """A given name and a surname beside a person noun, which the tagger calls an organisation ("the commissioner,
    Dmytro Lubinets,")."""
    return (
        head.dep_ == "appos"
        and person_noun(head.head)
        and 2 <= len(chain) <= 3
        and first_name_gender(chain[0].text) is not None
    )


def _walk(head, through_org: bool) -> list:
    if head.pos_ != "PROPN" and head.ent_type_ != "PERSON":
        return []
    doc = head.doc
    chain = list(doc[hyphen_start(head) : head.i + 1])  # "Ben-Gvir" is one word, however the parser hung its parts
    i = chain[0].i - 1
    while (
        i >= 0
        and (doc[i].pos_ == "PROPN" or doc[i].ent_type_ == "PERSON")
        and doc[i].text != "."  # "Sens. Tim Kaine" split as "Sens", "."
        # a name's words are capitalised ("diGenova" too) but for particles: not "his campaign to impeach Trump"
        and (not doc[i].is_lower or doc[i].lower_ in PARTICLES or doc[i].is_punct)
        and doc[i].lower_ not in TITLE_WORDS
        and doc[i].lower_ not in ("neither", "either", "both")  # "Neither Cruz nor Christie", at a sentence's start
        and (doc[i].ent_type_ != "ORG" or through_org)
        # "Florida Republican", "Mexican President": a place or nationality before a title is not a first name
        and not (doc[i].ent_type_ in ("GPE", "NORP") and doc[i + 1].lower_ in TITLE_WORDS)
        and doc[i].head.i in {t.i for t in chain} | {head.i}
    ):
        chain.insert(0, doc[i])
        i -= 1
    if chain[0].lower_ in TITLE_WORDS:
        return []
    if head.ent_type_ != "PERSON" and head.text[:1].islower() and any(t.ent_type_ == "PERSON" for t in chain):
        return []  # "a Michael Jackson fedora": the name ends before the noun it describes (not "Choe Son Hui")
    # "Sheriff Adam Hayward", "Jesuit Father Thomas J. Reese", "Sheriff Hayward": a title the parser took for part of
    # the name, and what comes before it
    titles = [i for i, t in enumerate(chain[:-1]) if _title(t) and _not_the_name(chain, i)]
    chain = chain[titles[-1] + 1 :] if titles else chain
    # a title-case headline or epithet before a given name is no part of the name: "Hillary Clinton Slams Donald
    # Trump", "Crooked Hillary Clinton", "Billionaire Donald Trump" (not "Martin Luther King": "Martin" is a name)
    given = [i for i, t in enumerate(chain[:-1]) if i > 0 and first_name_gender(t.text) is not None]
    word = chain[given[-1] - 1] if given else None
    # the tagger's name starts at the given name, or the word before is an English word: not "Jeh Charles Johnson"
    outside = word is not None and (
        word.ent_type_ != "PERSON" or chain[given[-1]].ent_iob_ == "B" or nlp.english_word(word.text)
    )
    # a word that is also a given name is cut only after an article: "the Real Donald Trump" of a book's title
    epithet = word is not None and (first_name_gender(word.text) is None or _after_article(chain[0]))
    if outside and epithet and word.text.istitle() and word.text.isalpha():
        chain = chain[given[-1] :]
    return chain


def _after_article(token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].lower_ in ("the", "a", "an")


def _not_the_name(chain, i: int) -> bool:
    """Whether the title word at ``chain[i]`` is not itself a given name of the person ("Major Garrett", "Lady Bird
    Johnson" keep theirs): it leads two or more name words, or leads the chain ("Sheriff Hayward"), or follows a word
    that is no given name ("Jesuit Father Reese"); a title word inside the tagger's PERSON name that is also a given
    name stays."""
    token = chain[i]
    if token.ent_type_ == "PERSON" and first_name_gender(token.text) is not None:
        return False
    return i < len(chain) - 2 or i == 0 or first_name_gender(chain[i - 1].text) is None


def _titled(chain) -> bool:
    """A title, a given name and a surname: a person whatever the tagger says ("Bishop Daniel Jenky": ORG; not
    "National Rifle Association", "Deputy Assistant Secretary")."""
    return (
        len(chain) > 1
        and chain[0].i > 0
        and _title(chain[0].doc[chain[0].i - 1])
        and first_name_gender(chain[0].text) is not None
        and not any(_title(t) or t.lower_ in TITLE_WORDS for t in chain)
        and chain[-1].lower_ not in PLACE_NOUNS
        and chain[-1].ent_type_ in ("ORG", "", "PERSON")
    )


def _title(token) -> bool:
    """A capitalised title word ("Sheriff", "Father"; not the "his" of "His Excellency")."""
    return token.pos_ in ("PROPN", "NOUN") and token.text[:1].isupper() and token.lower_.rstrip(".") in NAME_TITLES


# titles of an office: a senator introduced as such is the "Mr. Graham" of the article, whatever "Lindsey" suggests
OFFICE_TITLES = OFFICES | frozenset("sen sen. rep rep. gov gov. leader speaker whip justice".split())


def _other_person(person: Actor, gender: str) -> bool:
    """Whether a mention of ``gender`` ("Mr." Cruz) cannot be ``person``: a gendered title of theirs says otherwise
    ("wife", "Mrs."), or their given name does and they hold no office in the article ("Heidi Cruz"; but "Senator
    Lindsey Graham" is "Mr. Graham")."""
    if person.gender() in (None, gender):
        return False
    return any(t in GENDERED_TITLES for t in person.titles) or not person.titles & OFFICE_TITLES


def _title_before(chain) -> str | None:
    """The title right before a name, lower case: "mrs." of "Mrs. Clinton" (not Bill Clinton), "president" of
    "President Obama"."""
    before = chain[0].i - 1
    if before < 0:
        return None
    token = chain[0].doc[before]
    if not token.text[:1].isupper():
        return None  # "will miss Barack Obama"
    return token.lower_ if token.lower_ in GENDERED_TITLES or token.lower_ in OFFICE_TITLES or _title(token) else None


def _title_words(head, chain) -> set[str]:
    start = chain[0].i if chain else head.i
    words = {t.lower_ for t in head.doc[head.left_edge.i : start] if not t.is_punct and t.lower_ not in STOP}
    for child in head.children:
        if child.dep_ == "appos":
            words |= {t.lower_ for t in child.subtree if not t.is_punct and t.lower_ not in STOP}
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        # "Mr. Cruz's wife, Heidi Cruz": her title is "wife", not the owner's "Mr."
        owners = {t.i for c in head.head.children if c.dep_ == "poss" for t in c.subtree}
        words |= {
            t.lower_
            for t in head.head.subtree
            if t.i < head.i and t.i not in owners and not t.is_punct and t.lower_ not in STOP
        }
    return words


class Registry:
    """The people named in one article, keyed by their longest name; ``family`` holds the given names the article
    lists before a shared surname ("Malia and Sasha Obama")."""

    def __init__(self, family: set[str] | None = None, headline: set[int] | None = None) -> None:
        self.people: list[Actor] = []
        self.groups: dict[str, Actor] = {}
        self.family = family or set()
        self.headline = headline or set()  # token indices of the article's title lines (``_headline_tokens``)
        self.given_at: set[int] = set()  # token indices of given-name mentions already counted

    def person(self, tokens: list[str], title: str | None = None) -> Actor | None:
        """The person ``tokens`` name: one of that very name, else the longest name containing them. The ``title``
        before the name keeps a surname from a relative named in full, who does not take the claims of the person
        the article calls by surname: "Mr. Cruz" is never Heidi Cruz, and "President Obama" is not the Sasha Obama
        of "Malia and Sasha Obama"."""
        wanted = set(tokens)
        matches = [p for p in self.people if wanted <= set(p.name.split())]
        gender = GENDERED_TITLES.get(title) if title else None
        if title and not gender and len(tokens) == 1:
            matches = [p for p in matches if p.name.split() == tokens or p.name.split()[0] not in self.family]
        if gender:  # one whose gender fits; an office-holder whose given name suggests the other only if none does
            fits = [p for p in matches if p.gender() in (None, gender)]
            matches = fits or [p for p in matches if not _other_person(p, gender)]
            # a relative the article calls by the given name ("Freddy", 31 times) is not its "Mr. Trump" (whom his
            # father called "Donald" four times); a few uses say nothing: the subject of a story may be "Jeb" twice
            calls = {id(p): p.by_given if p.by_given >= GIVEN_NAME_CALLS else 0 for p in matches}
            matches = [p for p in matches if calls[id(p)] == min(calls.values(), default=0)]
        if title and len(matches) > 1:  # "Dr. Kim" is the Kim the article called a doctor, not the minister
            titled = [p for p in matches if title.rstrip(".") in {t.rstrip(".") for t in p.titles}]
            matches = titled or matches
        exact = [p for p in matches if p.name.split() == tokens]
        if exact:
            return exact[0]
        # of two full names, the one named more often: Bernie Sanders, not Jane Sanders; not the "Injecting Clinton"
        # of a title-case sentence
        return max(matches, key=lambda p: (p.named, len(p.name))) if matches else None

    def overlaps(self, tokens: list[str]) -> bool:
        return any(set(tokens) & set(p.name.split()) for p in self.people)

    def add_person(
        self, tokens: list[str], title: str | None = None, titles: set[str] = frozenset(), at: int | None = None
    ) -> Actor:
        """The person named ``tokens``, added if new; ``title`` is the title written before the name ("mr."),
        ``titles`` the words that describe them there ("the South Carolina senator")."""
        found = self.person(tokens, title)
        if found is None:
            found = Actor(" ".join(tokens), "person", titles=set(titles) | ({title} if title else set()))
            # a longer name absorbs the shorter ones it contains ("Pompeo" seen before "Mike Pompeo"), but not a
            # surname of another gender ("Mr. Trump" seen before "Melania Trump") or with a title while the article
            # lists the new one in a family ("President Obama", then "Malia and Sasha Obama")
            absorbed = [
                p
                for p in self.people
                if set(p.name.split()) <= set(tokens)
                and not (p.name == tokens[-1] and p.titles & NAME_TITLES and tokens[0] in self.family)
            ]
            for p in absorbed:
                if p.gender() and _other_person(found, p.gender()):
                    continue  # checked one by one: "Mr. Okafor" and "Mrs. Okafor" are not both Chidi Okafor
                found.aliases |= p.aliases | {p.name}
                found.titles |= p.titles
                found.named += p.named
                found.by_given += p.named if p.name == tokens[0] and len(tokens) > 1 else p.by_given
                self.people.remove(p)
            self.people.append(found)
        elif title in GENDERED_TITLES and found.gender() is None:
            found.titles.add(title)  # "President Trump", then "Mr. Trump": not the "Melania Trump" named later
        else:
            found.titles |= titles
        found.named += 1
        if (
            at is not None
            and at not in self.given_at
            and len(tokens) == 1
            and found.name.split()[0] == tokens[0] != found.name
        ):
            found.by_given += 1  # a mention is seen by two passes (entities, then subjects and objects): counted once
            self.given_at.add(at)
        return found

    def group(self, name: str) -> Actor:
        key = name.lower()
        if key not in self.groups:
            self.groups[key] = Actor(name, "group")
        return self.groups[key]


HEADLINE_WORD = re.compile(r"(?<![\w'’-])[^\W\d_](?:[^\W\d_]|['’-]){3,}(?![\w'’-])")  # whole words: not "PMTed"
# a quotation opens after a space or a line's start and closes before one: not the prose between two quotations
QUOTED_TITLE = re.compile(r"(?:^|(?<=[\s(\[]))[“\"]([^“”\"\n]{20,200})[”\"](?=[\s.,;:!?)\]]|$)", re.MULTILINE)
# where a description's name ends: an appositive or a list after a comma, a dash, a relative clause
DESCRIPTION_END = re.compile(r",\s|\s[-–]+\s|\s*[—―]\s*|\s(?:who|whom|whose|which|that)\b|\s(?:who|that)[’']", re.I)
PARENTHETICAL = re.compile(r"\s*\([^()]*\)?$")
# what a body is, in lower case before its name: "the environmental group Friends of the Tarsa", "the teachers union
# Riverside Education Association"
DESCRIBED_NAME = re.compile(
    r"^(?:[a-z][\w-]*\s+){0,3}(?:group|organi[sz]ation|union|coalition|alliance|association|company|firm|agency|party"
    r"|network|lobby|charity|nonprofit|non-profit|think tank|institute|foundation|movement)\s+(?=[A-Z])"
)
MAX_GROUP_WORDS = 10  # longer, it is a misparsed clause ("deal and how it came to be provide ..."), not a name


def _clean_group(text: str, head: str | None = None) -> str:
    """The name of a group or description: without its article, possessive, and what follows the noun phrase
    ("coalition of nearly 40 groups - including ..." -> "coalition of nearly 40 groups"); the piece kept is the one
    with the ``head`` word ("such, independent fact-checkers ..." is fact-checkers)."""
    pieces = DESCRIPTION_END.split(text.strip())
    text = next((p for p in pieces if head and head in p), pieces[0])
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = DESCRIBED_NAME.sub("", text)  # "environmental group Friends of the Tarsa" is Friends of the Tarsa
    text = PARENTHETICAL.sub("", text)  # a party and state after the name: "Harry Reid's office (D-Nev.)"
    return re.sub(r"[’']s$", "", text).strip()


def _group(registry, mention: str, head) -> Actor | None:
    """The group a mention names; None for a time ("Earlier Friday") or a dateline ("KANSAS CITY, Mo. —"); the
    person a long title ends with ("Director of National Intelligence James Clapper")."""
    if head.ent_type_ in ("DATE", "TIME") or _dateline(mention, head):
        return None
    name = _clean_group(mention, head.text)
    if not name or len(name.split()) > MAX_GROUP_WORDS or _has_verb(head, name):
        return None
    titled = _titled_person(name)
    if titled:
        return registry.add_person(titled)
    # a place is no short form ("Washington"), but the tagger calls some acronyms places ("the NRA")
    short = head.ent_type_ != "GPE" or (ACRONYM.fullmatch(name) is not None and len(name.replace(".", "")) > 2)
    return registry.group((short and _full_name(head.doc, name, registry.headline)) or name)


INSTITUTIONS = frozenset("house senate congress court government administration party state city country".split())


ACRONYM = re.compile(r"[A-Z](?:\.?[A-Z]){1,5}\.?")
SMALL_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "to", "at", "&"})


def initials(name: str) -> str | None:
    """The first letters of a name's words but its small ones, where all of those are capitalised: "NRA" of
    "National Rifle Association", "AP" of "Americans for Prosperity"."""
    words = [w for w in name.split() if w.lower() not in SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) > 1 and all(w[:1].isupper() for w in words) else None


def _full_name(doc, name: str, headline: set[int]) -> str | None:
    """The one organisation of the article whose name a short form ends ("The Journal" after "The Wall Street
    Journal", "the department" after "the Justice Department") or names before "of" ("the chamber" after "the
    Riverton Chamber of Commerce"), or whose initials an acronym is ("the NRA" after "the National Rifle
    Association"), as groups are named."""
    if ACRONYM.fullmatch(name):
        letters = name.replace(".", "")
        found = {n for e in doc.ents if e.label_ == "ORG" and initials(n := _clean_group(e.text)) == letters}
        return found.pop() if len(found) == 1 else None
    words = name.lower().split()
    if not 0 < len(words) <= 2 or words[-1] in INSTITUTIONS:
        return None  # "the House" is not the White House
    orgs = [
        e
        for e in doc.ents
        if e.label_ == "ORG"
        and len(e) > len(words)
        and not any(t.is_punct for t in e)  # "Berkeley" is a place in "University of California, Berkeley"
        and e.start not in headline  # not a title read as one name: "San Bernardino Terror Suspect Named By Police"
    ]
    for fits in (lambda e: [t.lower_ for t in e[-len(words) :]] == words, lambda e: _named_before_of(e, words)):
        found = {_clean_group(e.text) for e in orgs if fits(e)}
        if found:  # a name that ends so first: "the department" of the Labor Department, not a Department of X
            return found.pop() if len(found) == 1 else None
    return None


def _named_before_of(ent, words: list[str]) -> bool:
    """ "the chamber" of "the Riverton Chamber of Commerce", "the bank" of "Bank of America": the one word before
    "of" in the organisation's name."""
    lower = [t.lower_ for t in ent]
    if len(words) != 1 or words[0].endswith("s") or "of" not in lower:  # "Workers" are no Communications Workers
        return False
    return lower.index("of") > 0 and lower[lower.index("of") - 1] == words[0]


def _dateline(mention: str, head) -> bool:
    """Whether an upper-case mention is the dateline that opens the article or the line after its title ("KANSAS
    CITY, Mo. — Leaders ...", "WASHINGTON -- President Obama ..."); not "NAACP — the oldest group — said"."""
    text = _text(head.doc)
    before = text[: max(text.rfind(mention, 0, head.idx + len(head)), 0)]
    opens = not before.strip() or (before.rstrip(" ").endswith("\n") and "\n" not in before.strip())
    dash = DATELINE.match(text, head.idx + len(head))
    # a dateline's sentence starts after the dash; a lower-case word there is an aside ("NAACP — the ... group")
    return mention.isupper() and opens and dash is not None and text[dash.end() : dash.end() + 1].isupper()


DATELINE = re.compile(r"(?:,[^,—\n]{1,20})?\s*(?:—|―|--|-)\s")  # after "KANSAS CITY": ", Mo. — ", " — "
NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|[a-z]{1,3}[A-Z][\w'’-]*)$")  # "O'Neill", "H.", "diGenova"
COMPANY_ENDS = frozenset("corp inc co llc ltd plc group holdings partners associates".split())
# a name after these is someone the mention's own noun belongs to or works for ("a spokesman for Bob McCulloch"),
# or one of a list ("Nancy Pelosi and Chuck Schumer", "leaders including Mitch McConnell")
PREPOSITIONS = frozenset("for of to with at from by about on in".split())
NOT_THE_HOLDER = re.compile(r"\b[a-z]+ (?:for|of|to|with|at|from|by)\b|\b(?:and|or|including|such as)\b|[,;&]")


def _text(doc) -> str:
    """The doc's text, built once: ``Doc.text`` joins every token again on each call."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return doc.user_data["text"]


def _has_verb(head, name: str) -> bool:
    """Whether a verb comes before the head of a group's name: a misparsed clause ("Trump celebrated Strzok’s
    firing"), not the name of anyone."""
    doc = head.doc
    start = _text(doc).rfind(name, max(0, head.idx - len(name)), head.idx + len(head) + len(name))
    if start < 0:
        return False
    first = head.i
    while first > 0 and doc[first - 1].idx >= start:
        first -= 1
    # a verb after the head may be the group's own clause: "people familiar with how the testimony was put together"
    verbs = ("VB", "VBD", "VBZ", "VBP")  # lower case: "Protect Democracy" is a name
    return any(t.tag_ in verbs and t.is_lower for t in doc[first : head.i])


PERSON_TITLES = TITLE_WORDS | NAME_TITLES | PERSON_NOUNS  # words of a title before a name, never the name
NOT_A_SURNAME = PLACE_NOUNS | ORGANISATIONS | BODIES | COMPANY_ENDS  # what a place or an institution ends with


def _titled_person(name: str) -> list[str] | None:
    """The personal name that ends a title written before it: "State Department Deputy Spokesperson Marie Harf",
    "former U.S. attorney for the District of Columbia Joseph diGenova"; not the name a preposition or a list
    takes ("A spokesman for St. Louis County Prosecutor Bob McCulloch", "Nancy Pelosi and Chuck Schumer")."""
    words = name.split()
    for size in (4, 3, 2):
        if len(words) <= size:
            continue
        tokens, before = words[-size:], words[-size - 1]
        if not all(NAME_WORD.match(w) and w.lower().rstrip(".") not in PERSON_TITLES for w in tokens):
            continue
        if tokens[-1].lower().rstrip(".") in NOT_A_SURNAME:
            return None  # "St. Louis County", "Lockheed Martin Corp."
        titled = before.lower().rstrip(".") in PERSON_TITLES
        if first_name_gender(tokens[0]) is None and not (titled and size == 2):
            continue
        if before.lower() in STOP or before.lower() in PREPOSITIONS or NOT_THE_HOLDER.search(before):
            return None
        if NOT_THE_HOLDER.search(" ".join(words[:-size])) and titled:
            return None
        return tokens
    return None


def resolve(doc, text: str, items: list[Attributed]) -> list[Resolved]:
    in_quote = _quote_mask(text, doc)
    headline = _headline_tokens(doc)
    registry = Registry(_family(doc), headline)
    people_at: list[tuple[int, Actor]] = []  # (char, actor) for person mentions, in text order
    subjects_at: list[tuple[int, Actor]] = []  # persons as sentence subjects outside quotes

    body_names = {t.text for t in doc if t.ent_type_ == "PERSON" and t.i not in headline}
    places = _places(doc)
    org_people: set[str] = set()  # the words of people the tagger calls organisations ("Carly Fiorina")
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) == 1 and (_family_named(ent.root) or ent.text in places):
            continue
        if ent.label_ == "PERSON" and ent.start not in headline:
            chain = _name_chain(ent.root) or [t for t in ent if t.pos_ == "PROPN" and t.lower_ not in TITLE_WORDS]
            names = _name_words(chain)
            if names:
                registry.add_person(names, _title_before(chain), _title_words(ent.root, chain), chain[-1].i)
        elif ent.label_ == "PERSON" and (names := _headline_name(ent, body_names)):
            registry.add_person(names)  # "Hillary Clinton" of the headline is her, not "Glenn Beck Blasts Drudge"
        elif ent.label_ == "ORG" and ent.start not in headline and _person_tagged_org(ent):
            chain = list(ent)
            registry.add_person(_name_words(chain), _title_before(chain), _title_words(ent.root, chain), chain[-1].i)
            org_people |= {t.text for t in chain}
    for token in doc:
        if token.i in headline:
            continue
        if token.dep_ in SUBJECT_DEPS + ("appos", "pobj", "dobj"):
            chain = _name_chain(token)
            org_person = token.ent_type_ == "ORG" and token.text in org_people
            if org_person and token.i > 0:
                chain = [doc[token.i - 1], token] if doc[token.i - 1].text in org_people else [token]
            names = _words(chain)
            if (
                names
                and not (len(chain) == 1 and _family_named(token))
                and (
                    _titled(chain)
                    or (token.ent_type_ == "PERSON" and not (len(chain) == 1 and token.text in places))
                    or (token.ent_type_ == "" and registry.overlaps(names))
                    or _given_name_untagged(chain)
                    or org_person
                    or _person_tagged_norp(chain)
                    or _named_in_apposition(token, chain)
                )
            ):
                registry.add_person(names, _title_before(chain), _title_words(token, chain), chain[-1].i)
    # a transcript's hosts and reporters are addressed by name ("Angela, the mood here ..."), and speak no claim
    hosts = [set(text[slice(*t.label)].lower().split()) for t in transcript.turns(text) if t.journalist]
    hosts = [h for h in hosts if len(h) > 1]  # "MARCUS BELL", not "BELL" alone: an Angus King is no John King
    for token in doc:
        chain = _name_chain(token)
        person = _chain_person(chain, registry)
        if person is None or (token.i + 1 < len(doc) and doc[token.i + 1] in chain):
            continue
        person.titles |= _title_words(token, chain)
        people_at.append((token.idx, person))
        via_name = token.head.dep_ == "acl" and token.head.lower_ in ("named", "called")  # "a farmer named X"
        described = token.head.head if via_name else token.head
        subject = token.dep_ in SUBJECT_DEPS or (
            (token.dep_ == "appos" or (via_name and token.dep_ in ("oprd", "dobj", "attr")))
            and described.dep_ in SUBJECT_DEPS
            and person_noun(described)
        )
        if (
            subject and not in_quote[token.i] and not any(h <= {w.lower() for w in person.name.split()} for h in hosts)
        ):  # "the union's chief negotiator, Frank Delahunt, pushed back"
            subjects_at.append((token.idx, person))

    out: list[Resolved] = []
    pending: list[Resolved] = []
    labels = {turn.label for turn in transcript.turns(text)}
    for item in items:
        if item.speaker is None or item.speaker_token is None:
            out.append(Resolved(item, None, None))
            continue
        head = doc[item.speaker_token]
        mention = text[item.speaker[0] : item.speaker[1]]
        if tuple(item.speaker) in labels:
            actor = _interviewee(registry, text) if mention == transcript.ANSWER else _labelled(registry, mention)
            out.append(Resolved(item, actor, mention))
            if actor is not None:
                subjects_at.append((item.speaker[0], actor))
            continue
        if any(c.dep_ in ("det", "preconj") and c.lower_ == "neither" for c in head.children):
            out.append(Resolved(item, None, mention))  # "Neither Cruz nor Christie acknowledged": no one spoke
            continue
        relative = mention.lower() in RELATIVE
        if relative:
            mention = text[slice(*mention_span(head))]  # the antecedent names the actor
            described = _described_subject(head)
            if described is not None and _name_chain(described):
                head, mention = described, text[slice(*mention_span(described))]
                relative = False  # the clause was the predicate noun's: "Obama and Biden are lawyers who say"
        chain = _name_chain(head)
        actor = None
        if chain:
            actor = _chain_person(chain, registry)
            if actor is None and person_noun(head):  # "Assistant Secretary for Diplomatic Security Charlene Lamb"
                actor = _named_inside(doc, item.speaker, registry)
            if actor is None:
                actor = _group(registry, mention, head)
            elif actor.kind == "person" and len(named := _joint(head, people_at, relative)) > 1:
                actor = _together(registry, named)
        elif head.tag_ in ("NN", "NNP") and person_noun(head):
            actor = _named_inside(doc, item.speaker, registry)
        elif (surname := _bare_surname(head, registry)) is not None:
            actor = surname
        resolved = Resolved(item, actor, mention)
        out.append(resolved)
        if actor is None:
            pending.append(resolved)
        elif actor.kind == "person":
            subjects_at.append((item.speaker[0], actor))
    subjects_at.sort(key=lambda x: x[0])

    for res in pending:
        head = doc[res.item.speaker_token]
        start = res.item.speaker[0]
        low = head.lower_
        if low in PRONOUNS:
            res.actor = _latest(subjects_at, start, PRONOUN_GENDER[low])
        elif low == "they" and (group := _they(head, res.item, registry, people_at, in_quote)) is not None:
            res.actor = group
        elif low in ("i", "me", "my") and not in_quote[head.i] and (writer := _piece_author(text)) is not None:
            res.actor = registry.add_person(writer.split())  # an op-ed's "I believe the deal is a mistake"
        elif low in GROUP_PRONOUNS or head.pos_ in ("PRON", "ADJ", "ADV", "DET", "ADP", "SCONJ", "CCONJ", "PART"):
            res.actor = None  # "As such, fact-checkers ... have disputed": no noun, no one
        elif (pair := _pair(head, people_at)) is not None:
            res.actor = _together(registry, pair)
        elif (author := _author(head)) is not None:
            res.actor = _author_actor(author, registry, people_at, subjects_at, out)
            if res.actor is not None and res.actor.kind == "group":  # "The statement from his office"
                res.actor = _owned(author, res.actor, author.idx, registry, subjects_at, people_at)
        else:
            res.actor = _describe(head, res.mention, start, registry, people_at, out)
            if res.actor is not None and res.actor.kind == "group":
                res.actor = _owned(head, res.actor, start, registry, subjects_at, people_at)
            if res.actor is not None and res.actor.kind == "person":
                subjects_at.append((start, res.actor))
                subjects_at.sort(key=lambda x: x[0])
    for res in out:
        if res.actor is not None and res.mention:
            res.actor.aliases.add(res.mention)
    return out


BYLINE = re.compile(r"(?m)^[ \t]*By:?[ \t]+(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})[ \t]*(?:$|[,|—–(-])")
TAGLINE = re.compile(r"^(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}) (?:is|was|has been) (?:a|an|the) ")


def _piece_author(text: str) -> str | None:
    """Who wrote the piece, where it says so: a byline near the top ("By Linda Carraway | Guest columnist") or a
    tagline that closes it ("Linda Carraway is a former mayor of Youngstown, Ohio.")."""
    found = BYLINE.search(text[:600])
    if found:
        return found.group("name")
    last = text.rstrip().rsplit("\n\n", 1)[-1].strip()
    found = TAGLINE.match(last) if len(last.split()) <= 40 else None
    return found.group("name") if found else None


def _interviewee(registry, text: str) -> Actor | None:
    """Who answers a Q/A interview's "A:": the person the headline and introduction before the first question name
    most often (first named of equals), not one they call a host, reporter or writer ("Q&A with Vice President Joe
    Biden. ... he spoke with POLITICO senior writer Michael Grunwald ...": Biden, whom the answers then name less
    than Bernie Sanders)."""
    first = min((t.label[0] for t in transcript.turns(text) if t.question), default=len(text))
    intro = text[:first]
    guests = [p for p in registry.people if not p.titles & JOURNALIST_TITLES and p.name.split()[-1] in intro]
    if not guests:
        return None
    return max(guests, key=lambda p: (intro.count(p.name.split()[-1]), -intro.find(p.name.split()[-1])))


JOURNALIST_TITLES = frozenset(
    "host anchor reporter correspondent interviewer moderator presenter editor writer columnist journalist".split()
)


def _labelled(registry, label: str) -> Actor:
    """The person a transcript's label names ("MR MILLER" is the Matthew Miller of the article, "JAKE TAPPER" a
    person of that name)."""
    words = label.title().replace(".", "").split()
    titles = []
    while len(words) - len(titles) > 1 and words[len(titles)].lower() in LABEL_TITLES:
        titles.append(words[len(titles)].lower())  # "COUNCILMEMBER JEROME TATE", "SEN. ALANA WHITCOMB"
    title = titles[-1] if titles else None
    names = words[len(titles) :]
    wanted = {w.lower() for w in names}  # "MCCONNELL" is Mitch McConnell, whom title case would miss
    known = [p for p in registry.people if wanted <= {w.lower() for w in p.name.split()}]
    if known:
        return max(known, key=lambda p: (p.named, len(p.name)))
    person = registry.add_person(names, title)
    if names[-1].lower() in ("male", "female"):
        person.titles.add(names[-1].lower())  # "UNIDENTIFIED FEMALE" is no "he"
    return person


def _family_named(token) -> bool:
    """A family by its name ("the Clintons", "the Khans"): several people, not one a "he" can be."""
    return token.i > 0 and token.doc[token.i - 1].lower_ == "the" and token.text.endswith("s") and token.is_title


def _person_tagged_org(ent) -> bool:
    """A given name and a surname that the tagger calls an organisation ("Carly Fiorina", 30 of her 33 full names on
    PolNeAR), which the article goes on to use as a person's surname (after "Ms." or as a subject without an article:
    "Fiorina told reporters") and calls a person besides: a title, a person noun, "Ms.", a PERSON tag or her pronoun.
    Not "Goldman Sachs" or "Wells Fargo" (never alone), "CBS News reported" (another name before it), "Ferguson
    Police" ("police" is a word of the article), "Walt Disney ... Disney said" (nothing says a person) or "Sheriff
    Arpaio" (a title)."""
    if len(ent) != 2 or not all(t.is_alpha and t.text.istitle() for t in ent):
        return False
    given, surname = ent
    gender = first_name_gender(given.text)
    if gender is None or _title(given) or given.lower_ in TITLE_WORDS:
        return False
    if surname.lower_ in NOT_A_SURNAME or any(t.is_lower and t.lower_ == surname.lower_ for t in ent.doc):
        return False
    alone = [t for t in ent.doc if t.text == surname.text and _surname_alone(t, given)]
    # and something says a person: a title before the name ("candidate Carly Fiorina"), a person noun in apposition,
    # "Ms. Fiorina", or the tagger calling the surname a person once; not "Walt Disney said ... Disney said"
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    titled = before is not None and (person_noun(before) or before.lower_.rstrip(".") in TITLE_WORDS)
    described = any(c.dep_ == "appos" and person_noun(c) for c in ent.root.children)
    called = any(t.ent_type_ == "PERSON" or (t.i > 0 and t.doc[t.i - 1].lower_ in HONORIFICS) for t in alone)
    # her pronoun after the name: "Carly Fiorina threw her support behind ...", "Fiorina said she ..."
    pronoun = any(PRONOUN_GENDER.get(w.lower_) == gender for t in [ent.root, *alone] for w in t.sent if w.i > t.i)
    return bool(alone) and (titled or described or called or pronoun)


def _named_in_apposition(token, chain) -> bool:
    """A name set beside a person noun: "The union's president, Jan de Vries," (no entity on "Jan de Vries"), or
    with a known given name whatever the tagger calls it ("Ukraine's human rights commissioner, Dmytro Lubinets,",
    tagged an organisation)."""
    return (
        token.dep_ == "appos"
        and person_noun(token.head)
        and (token.ent_type_ in ("", "PERSON") or first_name_gender(chain[0].text) is not None)
        and len(chain) >= 2
        and all(t.pos_ == "PROPN" or t.is_lower for t in chain)
        and chain[0].text.istitle()
        and chain[-1].text.istitle()
    )


def _places(doc) -> set[str]:
    """One-word names the tagger calls a place somewhere in the article and never part of a person's full name:
    "Ankara" of "Suzan Fraser in Ankara" is no person where the tagger calls it one ("Ankara was determined")."""
    places = {e.text for e in doc.ents if e.label_ in ("GPE", "LOC") and len(e) == 1}
    in_names = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    return places - in_names


def _given_name_untagged(chain) -> bool:
    """A known given name and a surname the tagger left untagged ("Oleksandra Matviichuk said"): a person."""
    if not 2 <= len(chain) <= 3 or not all(t.pos_ == "PROPN" and t.is_alpha and t.text.istitle() for t in chain):
        return False
    return all(t.ent_type_ == "" for t in chain) and first_name_gender(chain[0].text) is not None


def _person_tagged_norp(chain) -> bool:
    """A given name and a surname that the tagger calls a nationality or a group ("Amara Nwosu", with "Nwosu" NORP
    and "Amara" untagged); not a plural ("Bernie Democrats") or a group of two words ("South Korean")."""
    if len(chain) != 2 or not all(t.pos_ == "PROPN" and t.is_alpha and t.text.istitle() for t in chain):
        return False
    given, surname = chain
    return (
        surname.ent_type_ == "NORP"
        and surname.ent_iob_ == "B"
        and given.ent_type_ in ("", "PERSON")
        and not surname.text.endswith("s")
    )


def _surname_alone(token, given) -> bool:
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.lower_ == given.lower_:
        return False
    if before is not None and before.lower_ in HONORIFICS and before.text[:1].isupper():
        return True  # "Ms. Fiorina"
    return (
        token.dep_ in SUBJECT_DEPS
        and not _after_article(token)
        and (before is None or before.pos_ != "PROPN")
        and not any(c.dep_ == "det" for c in token.children)
        and not (token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN")
    )


def _headline_tokens(doc) -> set[int]:
    """Tokens of title-case lines ("Obama Gun Control Proposals Unveiled", "Glenn Beck Blasts Drudge for Mocking His
    Fast, Quotes Bible ..."), where every capitalised run looks like a name: names are taken from the body. In a
    headline every word of four letters or more is capitalised but for function words ("from", "with"); a sentence
    has its verbs in lower case ("Secretary of State Mike Pompeo arrived in Hanoi")."""
    out: set[int] = set()
    text = _text(doc)
    offset = 0
    pieces = []
    for line in text.splitlines(keepends=True):
        pieces.append((offset, line.rstrip()))
        offset += len(line)
    # and headlines quoted in a sentence: 'an email stating, "Speaker Paul Ryan Joins Growing List of Conservatives"'
    first = next((begin for begin, line in pieces if line.strip()), 0)  # the first line, where a title stands
    pieces += [(m.start(1), m.group(1)) for m in QUOTED_TITLE.finditer(text)]
    for start, piece in pieces:
        words = HEADLINE_WORD.findall(piece)
        lower = [w for w in words if not w[0].isupper()]
        if len(words) - len(lower) < 3 or not all(w in STOP_WORDS for w in lower):
            continue
        span = doc.char_span(start, start + len(piece), alignment_mode="expand")
        if span is None:
            continue
        # capitalised words that name nothing ("Blasts", "Joins", "Proposals"), or the first line, or, without a full
        # stop, no lower-case word at all: not a sentence listing names ("Mitt Romney and Paul Ryan were there.")
        common = [
            t for t in span if t.text[:1].isupper() and len(t) > 2 and not (t.ent_type_ or t.is_sent_start or t.is_stop)
        ]
        if len(common) >= 2 or start == first or (not lower and not piece.endswith(".")):
            out.update(range(span.start, span.end))
    return out


def _name_words(tokens) -> list[str]:
    """The words of a name as the registry keys it: no punctuation, no possessive ending; a hyphenated name whole."""
    return _words(tokens, names_only=True)


def _words(tokens, names_only: bool = False) -> list[str]:
    """The tokens' texts, a name joined by a hyphen as one word (``name_hyphen``: "Ben-Gvir"; the hyphen of
    "al-Assad" stays a word of its own, as ``Actor.written`` expects); ``names_only`` drops other punctuation and
    possessive endings."""
    out: list[str] = []
    last = None  # index of the token that ends out[-1]
    joining = False  # out[-1] ends in a hyphen that joins the next token to it
    for t in tokens:
        follows = out and last == t.i - 1
        if follows and joining:
            out[-1] += t.text
            joining = False
        elif follows and name_hyphen(t):
            out[-1] += t.text
            joining = True
        elif names_only and ((t.is_punct and not attached_hyphen(t)) or t.lower_ in ("’s", "'s")):
            continue
        else:
            out.append(t.text)
        last = t.i
    return out


def _headline_name(ent, body_names: set[str]) -> list[str] | None:
    """A name the tagger found in a headline: a given name and the one or two words after it that the body also
    names ("Hillary Clinton" of the tagger's "Hillary Clinton Slams Trade"; not "Trump Supporter")."""
    words = _name_words(ent)
    if not words or first_name_gender(words[0]) is None:
        return None
    start = 0
    if len(words) > 2 and first_name_gender(words[1]) and words[0] not in body_names and {*words[1:3]} <= body_names:
        start = 1  # "Donald Trump" of "Rip Donald Trump"
    words = words[start:]
    names = words[:1]
    for word in words[1:3]:
        if word not in body_names:
            break
        names.append(word)
    return names if len(names) > 1 else None


def _named_inside(doc, span: tuple[int, int], registry: Registry) -> Actor | None:
    """The one person named within a mention whose head is a title ("Senate Democratic Leader Chuck Schumer (D-N.Y."
    parsed with "Leader" as its head); a name under a possessive, a preposition or a clause is someone else ("a
    spokesman for Mike Pompeo", "Pompeo's spokeswoman", "the activist, who backs Cruz")."""
    found: dict[str, Actor] = {}
    mention = doc.char_span(*span, alignment_mode="expand")
    for token in mention or []:
        chain = _name_chain(token)
        if not chain or token.i != chain[-1].i:
            continue
        # "Assistant Secretary for Diplomatic Security Charlene Lamb": the name that ends the mention right after
        # the organisation of the title holds it, however the parser attached it
        holder = (
            mention.root.pos_ == "PROPN"  # a capitalised title ("Secretary"), not "a spokesman for ..."
            and chain[-1].i == mention[-1].i
            and doc[chain[0].i - 1].ent_type_ in ("ORG", "GPE", "NORP")
        )
        # "who backs Cruz", "working for Cruz": a clause of the description names someone else
        if _governed(token, mention.root, ("poss", "prep", "pobj", "relcl", "acl")) and not holder:
            continue
        if token.i < mention.root.i and mention.root.text.islower():
            continue  # "A Kaine spokesman" is not Kaine
        if (person := registry.person(_words(chain))) is not None:
            found[person.name] = person
    return next(iter(found.values())) if len(found) == 1 else None


def _governed(token, root, deps: tuple[str, ...]) -> bool:
    """Whether the path from ``token`` up to ``root`` passes through one of ``deps``."""
    while token.i != root.i and token.head.i != token.i:  # spaCy makes a new Token object on each access
        if token.dep_ in deps:
            return True
        token = token.head
    return False


def _latest(events: list[tuple[int, Actor]], before: int, gender: str | None = None) -> Actor | None:
    """The last actor before ``before`` whose gender does not contradict the pronoun's."""
    found = None
    for char, actor in events:
        if char >= before:
            break
        if gender is None or actor.gender() in (None, gender):
            found = actor
    return found


def _describe(head, mention: str, start: int, registry: Registry, people_at, resolved: list[Resolved]) -> Actor | None:
    """A description: a person whose title fits it, the next named speaker, or a group of its own."""
    head_word = nlp.lemma(head).lower()
    if artefact(head) or _clause(head) or _has_det(head, NOBODY):
        return None  # "the statement", "records", "Tuesday", "that testing ...", "any business": no one to attribute
    plural = (
        head.tag_ in ("NNS", "NNPS")
        or head_word in ("source", "official", "aide", "spokesperson")
        # "Every former secretary of the Department of Homeland Security": many people, no one of them
        or _has_det(head, EVERY)
    )
    if person_noun(head) and head.tag_ not in ("NNS", "NNPS") and not _has_det(head, EVERY):
        named = [c for c in head.children if c.dep_ == "appos"] + ([head.head] if head.dep_ == "appos" else [])
        for other in named:  # "An Israeli blogger, Tal Schneider,"; "A Hamas official, Osama Hamdan,"
            if (person := _chain_person(_name_chain(other), registry)) is not None:
                # "X's prime minister, A, and Y's foreign minister, B, announced": the two together, the parser
                # hanging the second on A or on the first "minister"
                if len(named := _joint(other, people_at)) > 1 or len(named := _joint(head, people_at)) > 1:
                    return _together(registry, named)
                return person
            chain = _walk(other, through_org=True)
            spelled = all(t.is_alpha or t.text in "-'’" for t in chain)
            if other.dep_ == "appos" and other.pos_ == "PROPN" and chain and spelled and (words := _name_words(chain)):
                return registry.add_person(words)  # "The AU envoy, Mokoena-Dlamini,": the tagger called it a body
    if plural or not person_noun(head):
        named = _organisation(head, {char for char, _ in people_at}) if not plural else None
        return registry.group(_clean_group(named.text)) if named is not None else _group(registry, mention, head)
    one = any(c.dep_ == "nummod" and c.lower_ == "one" for c in head.children) and not _has_det(head, ("the",))
    if _has_det(head, ("a", "an", "another")) or one:
        # "a Carrier executive", "one former executive who requested anonymity": someone new, not a named executive
        return _group(registry, mention, head)
    words = {t.lower_ for t in head.subtree if not t.is_punct and t.lower_ not in STOP}
    best, best_score = [], 0
    for person in registry.people:
        titles = person.titles
        if not titles or (RANK_WORDS & titles) - words:
            continue  # the vice president is not "the president"
        if words & PORTFOLIOS and titles & PORTFOLIOS and not words & titles & PORTFOLIOS:
            continue  # the water minister is not the foreign minister
        if words & COUNCILS and not words & titles & COUNCILS:
            continue  # "the council president" is not the police union's president
        if head_word in titles or head.lower_ in titles:
            score = 2 + len(words & titles)
        elif ROLES.get(head_word, set()) & titles:
            score = 1 + len(words & titles)
        else:
            continue
        if score > best_score:
            best, best_score = [person], score
        elif score == best_score:
            best.append(person)
    if best:
        before = [(c, a) for c, a in people_at if c < start and a in best]
        if before:
            return before[-1][1]
        after = [(c, a) for c, a in people_at if c > start and a in best]
        return after[0][1] if after else best[0]
    if (person := _paragraph_speaker(head, head_word, start, resolved)) is not None:
        return person
    # cataphora: "the US special representative said ... . 'Quote,' Stephen Biegun said." Not for an office the next
    # speaker holds another of: "the F.B.I. director said ... . '...,' said Senator Lisa Murkowski"; not someone the
    # description names: "The influential delegate and conservative activist, who backs Cruz" is no Cruz. (Only in
    # this paragraph or the next: 39 speakers changed over the 963 articles, most of them right ones lost.)
    named = _named_in(head, registry)
    for other in resolved:
        span = other.item.speaker
        if span and span[0] > start and other.actor is not None and other.actor.kind == "person":
            if (
                span[0] - start < 600
                and not (head_word in OFFICES and other.actor.titles & OFFICES)
                and other.actor not in named
            ):
                return other.actor
            break
    return _group(registry, mention, head)


def _named_in(head, registry: Registry) -> list[Actor]:
    """The people a clause of the description names ("who backs Cruz"), who are not the one it describes."""
    found = (
        _chain_person(chain, registry)
        for t in head.subtree
        if _governed(t, head, ("relcl", "acl")) and (chain := _name_chain(t))
    )
    return [person for person in found if person is not None]


def _paragraph_speaker(head, head_word: str, start: int, resolved: list[Resolved]) -> Actor | None:
    """The person who spoke last in the description's paragraph: "Viktor Haldane said ... . 'We are willing to
    listen,' the general said." Not a spokesman or an aide (they speak for someone else), not an office that person
    is known to hold another of, not a person of the other gender, not someone's ("his colleague", "her sister").
    (Reaching into the paragraph before, where the description opens its own, was as often wrong as right over the
    963 PolNeAR and BASIL articles: 6 and 6.)"""
    if head_word in SPEAKS_FOR_OTHERS or any(c.dep_ == "poss" for c in head.children):
        return None
    if any(
        (c.dep_ == "appos" and c.pos_ == "PROPN") or (c.dep_ in ("compound", "nmod") and c.ent_type_ == "ORG")
        for c in head.subtree
    ):
        return None  # named in the mention itself ("The director of the Centre, Ina Kirsch"); an office of an
        # organisation ("The FBI director") is not whoever spoke before
    last = next(
        (r for r in reversed(resolved) if r.item.speaker and r.item.speaker[1] <= start and r.actor is not None), None
    )
    if last is None or last.actor.kind != "person":
        return None
    if "\n" in head.doc.text[last.item.speaker[1] : start]:
        return None  # any line break: where one newline parts paragraphs, a blank-line test would reach further back
    person = last.actor
    gender = GENDERED_TITLES.get(head_word) or GENDERED_NOUNS.get(head_word)
    if gender and person.gender() not in (None, gender):
        return None  # "John Smith said ... . The woman said"
    # a person known by another trade is not this one: "Defense lawyer John Smith said ... . The judge said"; other
    # titles do not count ("Ivanka Trump", the nominee's daughter, is "the 34-year-old mother of three")
    known = person.titles & TRADES
    if known and head_word in TRADES and head_word not in known and not ROLES.get(head_word, set()) & known:
        return None
    return person


def _organisation(head, people: set[int]):
    """The organisation "the group", "the organization", "the conference" stands for: the last one named before whose
    name holds the word ("the United States Conference of Catholic Bishops ... the conference"), unless two such are
    named in this sentence and the one before; or, for "the group" / "the organization", the last one the text calls
    so ("the Center for Arizona Policy, a social conservative group ... The group says") or the only one named in this
    sentence and the one before as a speaker's organisation ("A spokesman for the National Rifle Association"), never
    the outlet that reports ("According to CNN", "Reuters reported")."""
    word = nlp.lemma(head).lower()
    if word in OWNED_BODIES and _has_det(head, ("the", "this")):
        return None if _owner(head) else _named_body(head, word)
    if word not in ORGANISATIONS or not _has_det(head, ("the", "this")):
        return None
    before = [
        e
        for e in head.doc.ents
        if e.label_ == "ORG" and e.end <= head.i and head.i - e.end <= LOOK_BACK and e.root.idx not in people
    ]  # not a person the tagger took for an organisation ("Trump")
    start = _sentence_before(head)
    holding = [e for e in before if word in e.text.lower()]
    if len({e.text.lower() for e in holding if e.start >= start}) > 1:
        return None  # "The House Judiciary Committee and the Senate Intelligence Committee ... The committee"
    if holding or word not in ("group", "organization", "organisation"):
        return holding[-1] if holding else None
    called = [e for e in before if any(c.dep_ == "appos" and nlp.lemma(c).lower() == word for c in e.root.children)]
    described = _described_as(head, word)
    if described is not None and (not called or described.start > called[-1].start):
        return described
    if called:
        return called[-1]
    near = [e for e in before if e.start >= start]
    return near[0] if len({e.text for e in near}) == 1 and _speaks_for(near[0].root) else None


def _described_as(head, word: str):
    """The last name before ``head`` that the text calls a ``word`` beside it: "The environmental group Friends of
    the Tarsa said", "Friends of the Tarsa, an environmental group, said", "the conservation group Save the Bay" (the
    parser may give such a name no entity, or only "Tarsa")."""
    doc = head.doc
    for token in reversed(doc[max(0, head.i - LOOK_BACK) : head.i]):
        if nlp.lemma(token).lower() != word:
            continue
        if token.dep_ in ("compound", "appos") and token.head.is_title and token.head.i <= token.i + 1:
            return doc.char_span(*mention_span(token.head), alignment_mode="expand")
        name = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if name is not None:  # the name's own words, a verb's among them: "Save the Bay"
            return doc[name.left_edge.i : name.right_edge.i + 1]
    return None


OWNED_BODIES = frozenset({"campaign", "administration"})  # named after their head: "the Clinton campaign"


def _named_body(head, word: str):
    """The campaign or administration "the campaign" stands for: the one named last, in this sentence or the one
    before, if it is named with its owner ("the Clinton campaign", "Trump's campaign", "the Obama administration") and
    no other owner's is named from the sentence before it on."""
    doc = head.doc

    def named(start: int) -> list:
        return [t for t in doc[start : head.i] if t.lower_ == word or nlp.lemma(t).lower() == word]

    mentions = named(_sentence_before(head))
    if not mentions or not _owner(mentions[-1]):
        return None  # none just before, or the last one is no one's: "The anti-smoking campaign"
    last = mentions[-1]
    # "Trump's campaign hired ... Clinton's campaign mocked ... The campaign said": two owners, no telling which
    owners = {tuple(o.text for o in _owner(t)) for t in named(_sentence_before(last))}
    if len(owners - {()}) > 1:
        return None
    first = min(t.i for o in _owner(last) for t in o.subtree)
    return doc[first : last.i + 1]


def _sentence_before(token) -> int:
    """Where the sentence before ``token``'s starts (its own, for the first sentence)."""
    sent = token.sent
    return token.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start


def _owner(token) -> list:
    return [c for c in token.children if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]


OUTLET_VERBS = frozenset({"report", "publish", "write", "broadcast", "air"})  # what the press does, not a group


def _speaks_for(root) -> bool:
    """An organisation named as the one that acts or speaks, or whose people do: the subject of a verb ("the NRA
    opposed", "the NRA said"; not "Reuters reported"), "A spokesman for the NRA", "members of the group X"."""
    if root.dep_ in ("nsubj", "nsubjpass"):
        return nlp.lemma(root.head).lower() not in OUTLET_VERBS
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in ("for", "of") and person_noun(prep.head)


def _pair(head, people_at) -> tuple[Actor, Actor] | None:
    """The two people that "the two", "the pair", "the two leaders" stand for: the two named together last ("Nancy
    Pelosi and Chuck Schumer met Trump. The two said ..."), within the three sentences before, or else the only two
    the sentence before names. Not "the two countries" or "the two reports", and no one where three were named."""
    if not _has_det(head, ("the", "these", "those")):
        return None
    counted = any(c.dep_ == "nummod" and c.lower_ == "two" for c in head.children) and person_noun(head)
    if not (head.lower_ in ("two", "pair", "duo") or counted):
        return None
    at = {char: actor for char, actor in people_at}
    sents = [head.sent]
    while len(sents) < 4 and sents[-1].start > 0:
        sents.append(head.doc[sents[-1].start - 1].sent)
    for token in reversed(head.doc[sents[-1].start : head.i]):
        first = at.get(token.head.idx) if token.dep_ == "conj" else None
        if first is None:
            continue
        # the others are the conjuncts or hang beside them ("... and Senate Democratic leader Chuck Schumer", where
        # the parse makes Schumer an apposition of Pelosi)
        top = token.head
        while top.dep_ in ("conj", "appos") and top.head is not top:
            top = top.head  # the whole list: "Nancy Pelosi, Chuck Schumer and Mitch McConnell" are three
        # not whose they are: "Ostrania's prime minister, Helena Varga, and Kelvara's foreign minister, ..."
        named = _distinct(at[t.idx] for t in top.subtree if t.idx in at and t.dep_ != "poss")
        return (named[0], named[1]) if len(named) == 2 else None
    if len(sents) == 1:
        return None
    # else the two people the sentence before names ("Ms. Pelosi said at a news conference with Senator Chuck
    # Schumer. The two have said ...")
    named = _distinct(at[t.idx] for t in sents[1] if t.idx in at)
    return (named[0], named[1]) if len(named) == 2 else None


def _joint(head, people_at, relative: bool = False) -> list[Actor]:
    """The people a name and its conjuncts stand for, in text order: "Mitt Romney and Mr. Ryan have said" is a claim
    of the two (a group, as ``_pair`` makes "the two"); "Mrs. Clinton and her campaign" names only her. Through a
    relative pronoun only with a plural verb: "Jeb Bush and Chris Christie, who say", not "Oprah Winfrey, Will Smith
    and Stevie Wonder, who joked" or "Mr. Carson, who claimed ..., and Donald J. Trump, who suggested"."""
    if relative and not any(c.dep_ == "relcl" and _plural_verb(c) for c in head.children):
        return []
    at = dict(people_at)
    listed = [head, *head.conjuncts]
    if _alternatives(listed):
        return []
    if len(listed) > 1:  # "House Speaker Nancy Pelosi and Senate Democratic Leader Chuck Schumer", Schumer parsed as
        listed += [c for t in listed for c in t.children if c.dep_ == "appos"]  # an apposition of Pelosi
    return _distinct(at[t.idx] for t in sorted(listed, key=lambda t: t.i) if t.idx in at)


def _alternatives(listed) -> bool:
    """A list that is no "and": "Clinton or Sanders", "neither ... nor", "Rubio, but not Cruz"."""
    joints = [c for t in listed for c in t.children if c.dep_ in ("cc", "preconj", "neg")]
    before = [t.doc[t.i - 1] for t in listed[1:] if t.i > 0]
    return any(c.lower_ in ("or", "nor", "but", "either", "neither", "not") for c in joints + before)


def _together(registry: Registry, people) -> Actor:
    """The group of people who speak together: "Nancy Pelosi and Chuck Schumer", "David Autor, David Dorn and Gordon
    Hanson"."""
    names = [a.written for a in people]
    return registry.group(", ".join(names[:-1]) + " and " + names[-1])


def _they(head, item: Attributed, registry: Registry, people_at, in_quote) -> Actor | None:
    """Whom "they" stands for: the nearest subject before it, in its sentence or the one before, outside quotations
    and outside what was said or reported ("Republicans say Democrats are trying ..."), when that is people named
    together ("Economists David Autor, David Dorn and Gordon Hanson studied ... The adjustment, they concluded") or a
    plural of people ("House Republicans blocked the bill. They say ..."); no one when that subject is anyone or
    anything else ("The talks stalled. They said ...")"""
    doc = head.doc
    said = range(item.candidate.start, item.candidate.end)
    for token in reversed(doc[_sentence_before(head) : head.i]):
        if token.dep_ not in SUBJECT_DEPS or in_quote[token.i] or token.idx in said or token.lower_ == "they":
            continue
        if token.tag_ in ("WP", "WDT"):
            continue  # "House Republicans, who control the chamber, ...": the antecedent comes next
        verb = token.head
        while verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
        if verb.dep_ in ("ccomp", "xcomp", "parataxis"):
            continue  # a subject inside what someone said: "Republicans say Democrats are trying ... They say"
        if verb.dep_ != "ROOT" and token.sent.start != head.sent.start:
            continue  # of the sentence before, its main clause's ("Democrats believe ... too great for Republicans to
            # resist. They say"); of its own, a clause before it too ("When Democratic leaders left, they said")
        listed = [token, *(c for c in token.children if c.dep_ == "appos")]
        if len(named := _distinct(p for t in listed for p in _joint(t, people_at))) > 1:
            return _together(registry, named)
        if token.tag_ in ("NNS", "NNPS") and (person_noun(token) or token.ent_type_ == "NORP"):
            return _group(registry, doc.text[slice(*mention_span(token))], token)
        return None
    return None


def _described_subject(noun):
    """The subject that a predicate noun describes: "Donald Trump is a serial liar, ... and bully who has repeatedly
    pledged ..." -> "Donald Trump" (the relative clause is his, not a "bully"'s); "Susan Collins is a moderate
    Republican who has said" -> "Susan Collins"."""
    top = noun
    while top.dep_ in ("conj", "appos") and top.head is not top:
        top = top.head
    if top.dep_ != "attr" or top.head.lemma_ != "be" or noun.ent_type_ not in ("", "NORP"):
        return None  # "The winner was Obama, who said": a name is its own antecedent; "a moderate Republican who"
    if any(c.dep_ == "neg" for c in top.head.children) or _has_det(top, ("no",)):
        return None  # "Donald Trump is not the kind of leader who says ..."
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in top.children):
        return None  # "the son of a governor who said": the parser may hang the governor's clause on "son"
    verb = top.head
    while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head  # "Donald Trump regularly incites political violence and is a serial liar ..."
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _plural_verb(verb) -> bool:
    """ "say", "are", "have said", "were": a verb whose form says its subject is plural."""
    return any(t.tag_ == "VBP" or t.lower_ == "were" for t in [verb, *(c for c in verb.children if c.dep_ == "aux")])


def _distinct(actors) -> list[Actor]:
    out: list[Actor] = []
    for actor in actors:
        if all(actor is not a for a in out):
            out.append(actor)
    return out


def _author(head):
    """Who a document speaks for: the author it names ("A statement from Ryan's office", "The report by the
    inspector general", "Grimm's statement") or, for "the letter", the author of the last such document named before
    ("... signed a letter urging him ... The letter said", "In a statement, the group said ... The statement ...")."""
    lemma = nlp.lemma(head).lower()
    if lemma not in DOCUMENTS:
        return None
    own = _named_author(head)
    if own is not None or not _has_det(head, ("the", "this", "that")):
        return own
    for token in reversed(head.doc[max(0, head.i - LOOK_BACK) : head.i]):
        if token.pos_ == "NOUN" and token.lower_.startswith(lemma[:3]) and nlp.lemma(token).lower() == lemma:
            found = _named_author(token) or _writer(token)
            if found is not None:
                return found
    return None


def _named_author(doc_token):
    for child in doc_token.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ in ("prep", "agent") and child.lower_ in ("from", "by"):
            return next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.dep_ == "acl" and child.tag_ == "VBN" and nlp.lemma(child).lower() in AUTHORING:
            # "recent polls compiled by Real Clear Politics"; not "a memo obtained by CNN"
            by = next((c for c in child.children if c.dep_ == "agent"), None)
            found = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if found is not None:
                return found
        if child.dep_ == "prep" and child.lower_ == "of" and nlp.lemma(doc_token).lower() in ("average", "summary"):
            counted = next((c for c in child.children if c.dep_ == "pobj"), None)  # "the average of recent polls"
            if counted is not None and (found := _named_author(counted)) is not None:
                return found
    return None


def _writer(doc_token):
    """The subject of the verb that issued a document ("X signed a letter", "In a statement, X said")."""
    verb = doc_token.head
    if doc_token.dep_ == "pobj" and verb.lower_ == "in":
        verb = verb.head
        if nlp.lemma(verb).lower() not in REPORTING:
            return None
    elif doc_token.dep_ != "dobj" or nlp.lemma(verb).lower() not in ISSUING:
        return None  # "Trump dismissed the report", "Kim received a letter": not theirs
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _author_actor(token, registry: Registry, people_at, subjects_at, resolved: list[Resolved]) -> Actor | None:
    if token.lower_ in PRONOUNS:
        return _latest(subjects_at, token.idx, PRONOUN_GENDER[token.lower_])
    for candidate in (token, *(c for c in token.children if c.dep_ == "appos")):
        chain = _name_chain(candidate)
        person = _chain_person(chain, registry)
        if person is not None:
            return person
    org = next((e for e in token.doc.ents if e.label_ == "ORG" and e.start <= token.i < e.end), None)
    heading = org is not None and org.end < len(token.doc) and token.doc[org.end].text in (":", "—", "--")
    if org is not None and not heading:  # as the tagger reads it, "'s" included ("Standard & Poor's"); not "UPDATE:"
        return registry.group(PARENTHETICAL.sub("", re.sub(r"^the\s+", "", org.text, flags=re.IGNORECASE)))
    if token.pos_ not in ("NOUN", "PROPN") or artefact(token) or token.text.isupper():
        return None  # "WASHINGTON —" or "UPDATE:" parsed as a subject
    speaker_like = token.ent_type_ in ("PERSON", "ORG", "NORP") or person_noun(token)
    if not speaker_like and nlp.lemma(token).lower() not in BODIES:
        return None  # "The latest criticism came in a letter": no one
    mention = _text(token.doc)[slice(*mention_span(token))]  # the noun phrase, as a speaker mention is cut
    return _describe(token, mention, token.idx, registry, people_at, resolved)


def _owned(head, group: Actor, start: int, registry: Registry, subjects_at, people_at) -> Actor:
    """A group named by "his", "her" or "whose" belongs to the one the pronoun takes: "his campaign" after Martin
    O'Malley spoke is "Martin O'Malley's campaign", one actor with his campaign named in full; "businesses whose
    owners cite ..." are the "owners of businesses"."""
    owner = next((c.lower_ for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her", "whose")), None)
    rest = re.sub(r"^(?:his|her|whose)\s+", "", group.name, flags=re.IGNORECASE)
    if owner == "whose":
        return _whose(head, rest, registry, people_at) or group
    person = _latest(subjects_at, start, PRONOUN_GENDER[owner]) if owner else None
    return registry.group(f"{person.written}'s {rest}") if person is not None else group


def _whose(head, rest: str, registry: Registry, people_at) -> Actor | None:
    """The owner of "whose X" is the noun its relative clause hangs on: a person named there ("Smith, whose
    spokesman said") or a group ("businesses whose owners")."""
    verb = head.head
    if verb.dep_ != "relcl":
        return None
    antecedent = verb.head
    person = next((a for char, a in people_at if char == antecedent.idx), None)  # a name's last word
    if person is not None:
        return registry.group(f"{person.written}'s {rest}")
    name = f"{rest} of {head.doc[antecedent.left_edge.i : antecedent.i + 1].text}"
    return registry.group(_clean_group(name)) if len(name.split()) <= MAX_GROUP_WORDS else None


def _bare_surname(head, registry: Registry) -> Actor | None:
    """The one person of the article whose last name a bare capitalised word is, where the tagger took the word for
    something else ("Daniel Reyes said ... Reyes said", the second "Reyes" an organisation to it)."""
    if not head.text[:1].isupper() or head.ent_type_ in ("GPE", "LOC", "NORP") or any(True for _ in head.children):
        return None
    found = [p for p in registry.people if len(p.name.split()) > 1 and p.name.split()[-1] == head.text]
    return found[0] if len(found) == 1 else None


def _chain_person(chain: list, registry: Registry) -> Actor | None:
    """The known person a name chain names, if any."""
    return registry.person(_words(chain), _title_before(chain)) if chain else None


def _family(doc) -> set[str]:
    """Given names listed before one shared surname: a family ("Malia and Sasha Obama", "Donald and Melania
    Trump"); not a surname the article gives someone ("Clinton and Donald Trump" after "Hillary Clinton"). A given
    name alone says little more: friends call a candidate "Ben" or "Hillary"."""
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    out = set()
    for i in range(len(doc) - 3):
        if doc[i + 1].lower_ != "and":
            continue
        first, second, last = doc[i], doc[i + 2], doc[i + 3]
        listed = all(w.pos_ == "PROPN" for w in (first, second, last))
        listed = listed and first_name_gender(first.text) is not None and first.text not in surnames
        if listed and (i == 0 or doc[i - 1].pos_ != "PROPN"):
            out |= {first.text, second.text}
    return out


def _has_det(head, words) -> bool:
    return any(c.dep_ == "det" and c.lower_ in words for c in head.children)


def _clause(head) -> bool:
    """A mention that is a clause, not a noun phrase ("that testing results in more abortions")."""
    return any(t.dep_ == "mark" for t in head.children) or head.doc[head.left_edge.i].lower_ in ("that", "whether")


def _quote_mask(text: str, doc) -> list[bool]:
    from pipeline.text.quotes import find_quotes, inside

    mask = inside(len(text), find_quotes(text))
    return [bool(mask[t.idx]) for t in doc]
