"""Corpus-level actors: one actor across articles ("Pompeo" here, "Mike Pompeo" there), and per actor and target
the stance over the whole corpus, its timeline by article date, and the strongest evidence."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from nicknames import NickNamer
from pydantic import BaseModel
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.actors import reliability
from pipeline.actors.aggregate import actor_stances
from pipeline.actors.resolution import (
    ACRONYM,
    BODIES,
    GENDERED_TITLES,
    HONORIFICS,
    ORGANISATIONS,
    PARTICLES,
    PRONOUN_GENDER,
    first_name_gender,
    fold,
    given_name,
    initials,
    slug,
)
from pipeline.records import LABELS, ActorVerdict, Claim, Stance
from pipeline.text.people import PERSON_NOUNS

UNDATED = "undated"


class TimelinePoint(BaseModel):
    date: str
    stance: Stance
    score: float  # mean P(favor) - P(against) of the actor's claims that day
    counts: dict[str, int]


class Evidence(BaseModel):
    claim_id: str
    article_id: str
    date: str | None
    text: str
    stance: Stance
    probability: float


class Period(BaseModel):
    """Consecutive dates on which an actor's claims took the same side (dates with neutral claims only between them
    do not interrupt it)."""

    stance: Stance
    first: str
    last: str
    dates: int
    claims: int | None = None  # the claims of its side: a change of side on one claim may be one misread quote


class ActorSummary(ActorVerdict):
    """An actor's stance toward a target over the whole corpus; ``periods`` is how its side ran over time (two or
    more: it changed), ``over_time`` the same in words ("against until 2025-03-31, favor from 2025-04-03")."""

    articles: int
    first_date: str | None
    last_date: str | None
    evidence: list[Evidence]
    timeline: list[TimelinePoint]
    periods: list[Period] = []
    over_time: str = ""
    repeats: int = 0  # claims of the same words in another article (wire copies), counted once
    basis: str = ""  # the kind of evidence the stance rests on (``reliability.KINDS``: "side, its only claim")
    # the share of verdicts of that kind that were right on held-out articles (the model's verdicts.json); None
    # where the model has no such measure
    held_out_right: float | None = None


LEADING_TITLES = frozenset(  # words that may open a name and are no part of it
    """mr mrs ms miss dr sir president vice sen senator rep representative gov governor secretary gen general
    adm admiral col lt sgt capt judge justice rev reverend prime minister chancellor speaker leader former sheikh
    sheik emir imam rabbi ayatollah h.e excellency datuk dato seri mp""".split()
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True)
class NameKey:
    """A person's name reduced to what identifies them across articles: first and last name without accents, case,
    titles or middle names, the middle initials apart, and a generational suffix ("Jr.")."""

    first: str
    last: str
    middle: str  # the middle names' initials: "e" for Susan E. Rice, "hw" for George H.W. Bush, "" for none
    suffix: str


# where a family name starts: "Pieter [van der Vliet]", "Mohammed bin Abdulrahman [Al Thani]" ("bin X" names a
# father)
SURNAME_START = frozenset("van von de del della dela delos da di du dos das do des la le ter ten al el".split())
PREFIXED = re.compile(r"^(?:al|el|ad|ed|ul|d|l)[-'’]", re.IGNORECASE)  # "Bashar al-Assad", "Giscard d'Estaing"


NICKNAME = re.compile(r"\s*[\"“”][^\"“”]*[\"“”]")  # 'Ramon "Monching" Dela Cruz'


def _words(name: str) -> list[str]:
    """The words of a name, lower case, without accents, leading titles, a nickname in quotes or surrounding
    punctuation."""
    words = [w.strip(",").lower() for w in fold(NICKNAME.sub("", name)).split() if w.strip(",")]
    while words and words[0].rstrip(".") in LEADING_TITLES:
        words = words[1:]
    return words


def name_key(name: str) -> NameKey | None:
    """The key of a personal name of two or more words ("Hillary Rodham Clinton", "Sen. Susan E. Rice"); None for a
    single word or anything that does not read as a person's name."""
    cased = [w.strip(",") for w in fold(NICKNAME.sub("", name)).split() if w.strip(",")]
    while cased and cased[0].rstrip(".").lower() in LEADING_TITLES:
        cased = cased[1:]
    if any(w[:1].islower() and w.lower() not in PARTICLES and not PREFIXED.match(w) and w.islower() for w in cased):
        return None  # "owners of businesses" is a group, not a person with the given name "owners"; "diGenova" is
    words = _words(name)
    if len(words) > 1 and len(cased) == len(words) and _family_particle(cased, 0):
        return None  # "Van der Vliet", "von der Leyen": a family name alone (not "Al Gore", "Van Jones")
    suffix = words.pop().rstrip(".") if len(words) > 2 and words[-1].rstrip(".") in SUFFIXES else ""
    if len(words) < 2 or not all(re.fullmatch(r"[a-z][a-z'\-]*\.?|(?:[a-z]\.)+[a-z]?\.?", w) for w in words):
        return None
    initial = r"(?:[a-z]\.)+[a-z]?\.?"
    if len(words) > 2 and re.fullmatch(initial, words[0]) and not re.fullmatch(initial, words[1]):
        words = [words[1], words[0], *words[2:]]  # "A. Barry Rand" goes by Barry: the initial is a middle one
    opens = [i for i in range(1, len(words) - 1) if len(cased) == len(words) and _family_particle(cased, i)]
    family = opens[0] if opens else len(words) - 1
    middles = [w.replace(".", "") if re.fullmatch(initial, w) else w[0] for w in words[1:family]]
    return NameKey(words[0].rstrip("."), " ".join(words[family:]).rstrip("."), "".join(middles), suffix)


def _family_particle(cased: list[str], i: int) -> bool:
    """Whether word ``i`` opens a family name: a particle written in lower case ("van Beethoven"), before another
    particle ("Van der Vliet", "De La Hoya") or before the last word ("Al Thani"); not a given name ("Al Gore" has
    nothing before it to be a surname of) or a middle name ("Maria Del Carmen Lopez")."""
    word = cased[i]
    if word.lower() not in SURNAME_START:
        return False
    if i == 0:
        return word.islower() or cased[1].lower() in SURNAME_START
    return word.islower() or cased[i + 1].lower() in SURNAME_START or i == len(cased) - 2


def _canonical_names(names: Counter, people: set[str] | None = None) -> dict[str, str]:
    """Each name that is one person's other form -> the form to use: variants with and without middle names or
    initials, accents, titles or nicknames ("Hillary Rodham Clinton" = "Hillary Clinton", "Felipe Calderón" =
    "Felipe Calderon", "Dick Durbin" = "Richard J. Durbin"); a name without a middle joins a middled one only when
    just one middle is known for that first and last name (so "George Bush" stays apart when both George W. and
    George H.W. Bush appear); a bare surname joins the one full name that ends with it, and stays apart when two
    people share it; a bare word that ends no full name and is not a given name joins the one full name that starts
    with it (family names written first: "Choe" = "Choe Son Hui", while "Kim" stays apart from "Kim Jong Un" when
    "Kim Yo Jong" is there too). With ``people``, only those names are full names (the others are groups; a bare
    word that is a group, such as a surname the article did not know as a person, may still join one)."""
    keys = {n: k for n in names if (people is None or n in people) and (k := name_key(n))}
    formal = _formal_first_names(set(keys.values()))
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name, key in keys.items():
        groups[_group_key(key, formal)].append(name)
    for name, key in keys.items():  # "Müller" written as German spells it without the dots: "Mueller" (not "Muller")
        spelled = name.translate(UMLAUTS)
        if spelled != name and (other := name_key(spelled)) and groups.get(_group_key(other, formal)):
            groups[_group_key(key, formal)].remove(name)
            groups[_group_key(other, formal)].append(name)
    middles: dict[tuple, set[str]] = defaultdict(set)
    for first, last, suffix, middle in groups:
        if middle:
            middles[(first, last, suffix)].add(middle)
    merged: dict[tuple, list[str]] = defaultdict(list)
    for (first, last, suffix, middle), members in groups.items():
        known = middles[(first, last, suffix)]
        target = next(iter(known)) if not middle and len(known) == 1 else middle
        merged[(first, last, suffix, target)].extend(members)
    given_off = _join_forms(merged, keys, names)
    mapping = {}
    by_last: dict[str, set[tuple]] = defaultdict(set)
    by_first: dict[str, set[tuple]] = defaultdict(set)
    for group, members in merged.items():
        if not members:
            continue  # joined to another form
        # the most used form without a title ("Susan Collins", not "Sen. Susan Collins"), else the shortest
        best = max(members, key=lambda n: (n not in given_off, len(_words(n)) == len(n.split()), names[n], -len(n), n))
        mapping.update({m: best for m in members})
        lasts = {keys[m].last for m in members}
        for last in lasts:
            by_last[_plain(last)].add(group)
            if " " in last:
                by_last[_plain(last.split()[-1])].add(group)  # "Beethoven" of Ludwig van Beethoven too
            if prefix := PREFIXED.match(last):
                by_last[_plain(last[prefix.end() :])].add(group)  # "Sherbiny" of Ahmed El-Sherbiny
        by_first[group[0]].add(group)
        for m in members:  # "Salinas" of "Salinas Ortega", a form of Rodrigo Salinas Ortega
            by_first[_plain(keys[m].first)].add(group)
    written = {n.split()[-1] for n in keys}  # surnames as written: "diGenova", "al-Assad", "Deal"
    for name in names:
        words = _words(name)
        particled = len(words) > 1 and words[0] in SURNAME_START and _plain(" ".join(words)) in by_last
        if particled:
            words = [" ".join(words)]  # "Van der Vliet", "von der Leyen", "Al Thani" of a full name that ends so
        if (
            (name in keys and not particled)
            or len(words) != 1
            or (not (name[:1].isupper() or particled) and name.strip() not in written)
        ):
            continue  # a surname is written as one: "the deal" is no Nathan Deal
        word = _plain(words[0].rstrip("."))
        found = by_last.get(word, set())
        plain = {g for g in found if not g[2]}  # "Trump" is Donald Trump, not Donald Trump Jr.
        if not found and first_name_gender(words[0].rstrip(".")) is None:
            # a family name written first ("Choe" = Choe Son Hui); never a given name ("Donald" stays apart)
            found = plain = by_first.get(word, set())
        if len(found) == 1 or len(plain) == 1:
            [group] = found if len(found) == 1 else plain
            mapping[name] = mapping[merged[group][0]]
    return {n: c for n, c in mapping.items() if n != c}


def _plain(word: str) -> str:
    """A name's word as spellings of it agree: no spaces, hyphens or apostrophes ("Dela Cruz" = "de la Cruz", "Min-jun"
    = "Minjun")."""
    return re.sub(r"[\s'’.-]", "", word)


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _group_key(key: NameKey, formal: dict) -> tuple:
    return (_plain(formal.get(key, key.first)), _plain(key.last), key.suffix, key.middle)


def _join_forms(merged: dict[tuple, list[str]], keys: dict[str, NameKey], names: Counter) -> set[str]:
    """Join, in place, two forms of one name that the keys keep apart: the family name first ("Fujimoto Takeshi" =
    "Takeshi Fujimoto", "Kovács-Szabó Ildikó"), a second family name left off ("Javiera Soto" = "Javiera Soto
    Aravena", "Martin Pena" = "Martín Peña Larrea") where one full name alone has it, and the given name left off
    ("Salinas Ortega" = "Rodrigo Salinas Ortega", "Rodham Clinton" = "Hillary Rodham Clinton") where one full name
    alone ends in both family names: those forms are returned, to be no actor's name."""
    given_off: set[str] = set()
    words = {n: tuple(_plain(w) for w in _words(n)) for members in merged.values() for n in members}
    extended: dict[tuple, set[tuple]] = defaultdict(set)  # a name's words but the last -> the groups of such names
    surnames: dict[tuple, set[tuple]] = defaultdict(set)  # a name's last two words -> the groups of such names
    for g, others in merged.items():
        for o in others:
            if not g[2] and len(words[o]) >= 3 and o.split()[-1].lower() not in ORGANISATIONS | BODIES:
                extended[words[o][:-1]].add(g)  # not "Donald J. Trump Foundation": a body
                if len(words[o]) == 3 and "," not in o and first_name_gender(_words(o)[0]) is not None:
                    # a given name and two family names: not "Former Clinton Senior Adviser Sidney Blumenthal", "Ted
                    # Cruz, Chris Christie"
                    surnames[words[o][-2:]].add(g)
    for group, members in merged.items():
        if not members or group[2]:
            continue
        other = (group[1], group[0], "", "")
        if (
            not group[3]
            and all(first_name_gender(m.split()[0]) is None for m in members)  # "Fujimoto Takeshi", not "Thomas Scott"
            and other != group
            and merged.get(other)
            and sum(map(names.get, members)) <= sum(map(names.get, merged[other]))
        ):
            merged[other].extend(members)
            members.clear()
            continue
        # not "Tommy Lee" of "Tommy Lee Jones": a given name is no family name left off
        short = [m for m in members if not given_name(m.split()[-1])]
        longer = {g for m in short for g in extended.get(words[m], ()) if g != group and merged[g]}
        if len(longer) == 1:
            merged[longer.pop()].extend(members)
            members.clear()
            continue
        # "Salinas Ortega", not "Paul Ryan" of "John Paul Ryan" nor "Lee Jones" of "Tommy Lee Jones": the first word
        # is no given name of either sex
        bare = [m for m in members if len(words[m]) == 2 and not given_name(_words(m)[0])]
        longer = {g for m in bare for g in surnames.get(words[m], ()) if g != group and merged[g]}
        if len(longer) == 1:
            merged[longer.pop()].extend(members)
            given_off.update(members)
            members.clear()
    return given_off


@cache
def _nicknames() -> NickNamer:
    return NickNamer()


@cache
def nickname(short: str, given: str) -> bool:
    """Whether ``short`` is a nickname of the given name ``given`` ("dick", "richard"), in either case. The
    nicknames data also links names loosely (ron - aaron, ian - john, bill - robert, max - maxine): a pair must agree
    in gender where the name data knows both, and a nickname with another first letter must be linked both ways and
    share two letters in a row with the name (dick - richard, bill - william, bob - robert, tony - anthony)."""
    short, given = short.lower(), given.lower()
    names = _nicknames()
    if short == given or short not in names.nicknames_of(given):
        return False
    if len({first_name_gender(short), first_name_gender(given)} - {None}) > 1:
        return False
    both_ways = given in names.nicknames_of(short)
    if both_ways and len(given) <= len(short):
        return False  # the longer one is the given name
    if short[0] == given[0]:
        return True
    return both_ways and any(short[k : k + 2] in given for k in range(1, len(short) - 1))


def _formal_first_names(keys: set[NameKey]) -> dict[NameKey, str]:
    """A nickname -> the given name it stands for, where the corpus has just one person of that family name whose
    given name it can stand for and nobody of that family name with the nickname itself ("Dick Durbin" = "Richard J.
    Durbin"; "Chris Smith" stays apart when both a Christopher and a Christine Smith are named, "Mike Rogers" joins
    "Mike D. Rogers", not "Michael J. Rogers")."""
    families: dict[tuple[str, str], list[NameKey]] = defaultdict(list)
    for key in keys:
        families[(key.last, key.suffix)].append(key)
    out = {}
    for family in families.values():
        for key in family:
            if any(other.first == key.first and other != key for other in family):
                continue
            givens = {o.first for o in family if key.middle in ("", o.middle) and nickname(key.first, o.first)}
            if len(givens) == 1:
                out[key] = givens.pop()
    return out


OWNED = re.compile(r"^(?P<owner>.+?)['’]s (?P<rest>.+)$")  # "Hillary Rodham Clinton's aides"
CONJUNCTS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def unify_actors(claims: list[Claim]) -> list[Claim]:
    """One actor per person across the corpus (``_canonical_names``): each claim's speaker and actor id become the
    person's canonical name and its slug. A group is never read as a personal name; a group owned by a person
    takes the person's canonical name ("Hillary Rodham Clinton's aides" = "Hillary Clinton's aides"), and a list
    of the same members is one group whatever their order ("Oklahoma and Nebraska" = "Nebraska and Oklahoma")."""
    names = Counter(c.speaker for c in claims if c.speaker)
    # a full name only a group has is no person's: "Democrats" does not join "House Democrats" (claims of older
    # runs have no kind)
    people = {c.speaker for c in claims if c.speaker and c.speaker_kind != "group"}
    mapping = _canonical_names(names, people)
    # owners and list members read as people only to name their groups: a bare "House" must not join the owner of
    # "White House's spokesman"
    members = {m["owner"] for n in names if (m := OWNED.match(n))}
    for parts in (CONJUNCTS.split(n) for n in names):
        if len(parts) > 1:
            members |= {p.strip() for p in parts if p.strip()}
    extra = members - set(names)
    of_members = _canonical_names(names + Counter(dict.fromkeys(extra, 1)), people | extra) if extra else mapping
    mapping.update(_group_names(names, {**of_members, **mapping}))
    articles: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        articles[c.speaker or ""].add(c.article_id)
    mapping.update(_short_forms(names, people, articles))
    local = _bare_surnames(claims, mapping, people) | _descriptions(claims, mapping, people) | _unnamed(claims)
    if not mapping and not local:
        return claims
    persons = {mapping.get(n, n) for n in people}
    speaking: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if c.speaker in people:
            speaking[c.article_id].add(local.get((c.article_id, c.speaker)) or mapping.get(c.speaker, c.speaker))
    out = []
    for c in claims:
        name = local.get((c.article_id, c.speaker))
        if name is None and (name := mapping.get(c.speaker)) in persons and c.speaker_kind == "group":
            # "The Guardian reported" is no Don Guardian, "Guardian said" is; "Forbes" the parser calls an
            # organisation is no Randy Forbes unless he speaks in that article
            named_thing = c.speaker_entity in THINGS and name not in speaking[c.article_id] and not _surname_norp(c)
            name = None if _no_surname(c) or named_thing else name
        if name:
            kind = "person" if name in persons else c.speaker_kind  # "LaBolt", a group to its article, is Ben LaBolt
            c = c.model_copy(update={"speaker": name, "actor_id": slug(name), "speaker_kind": kind})
        out.append(c)
    return out


INDEFINITE = re.compile(r"(?:a|an|one|another)\s", re.IGNORECASE)
UNIDENTIFIED = re.compile(r"(?:unidentified|unknown|unnamed) ", re.IGNORECASE)  # a transcript's "UNIDENTIFIED MALE"
# people described by what they think, not who they are: the critics of one article are not those of another
ANONYMOUS = re.compile(
    r"(?:(?:some|many|most|other|several|a few|the)\s+)*(?:critics|opponents|supporters|proponents|detractors|skeptics"
    r"|sceptics|analysts|experts|observers|commentators|pundits|insiders|sources)",
    re.IGNORECASE,
)


def _unnamed(claims: list[Claim]) -> dict[tuple[str, str], str]:
    """(article, description) -> an actor of that article alone, for a person the article leaves unnamed: "a senior
    U.S. official" of one article is not the one of another (before, the two were one actor), and "the official"
    later in the article is the one it introduced, where it introduced one official only; so are "critics" or "some
    analysts", whom nothing names."""
    out: dict[tuple[str, str], str] = {}
    heads: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in claims:
        mention = c.speaker_mention.text if c.speaker_mention else ""
        head = (c.speaker or "").split()[-1:]
        anonymous = c.speaker_kind == "group" and ANONYMOUS.fullmatch(c.speaker or "")
        if (
            (c.speaker_kind == "group" and INDEFINITE.match(mention) and head and head[0].lower() in PERSON_NOUNS)
            or UNIDENTIFIED.match(c.speaker or "")
            or anonymous
        ):
            # "Critics", "the critics" and "some critics" of one article are one actor
            name = f"{head[0].lower() if anonymous else c.speaker} [{c.article_id}]"
            out[(c.article_id, c.speaker)] = name
            heads[c.article_id][head[0].lower()].add(c.speaker)
    for c in claims:
        mention = c.speaker_mention.text if c.speaker_mention else ""
        head = (c.speaker or "").split()[-1:]
        if c.speaker_kind == "group" and DEFINITE.match(mention) and head and (c.article_id, c.speaker) not in out:
            named = heads[c.article_id].get(head[0].lower(), set())
            if len(named) == 1 and set(c.speaker.lower().split()) <= set(next(iter(named)).lower().split()):
                out[(c.article_id, c.speaker)] = out[(c.article_id, next(iter(named)))]
    return out


def _surname_norp(claim: Claim) -> bool:
    """A lone surname the tagger calls a nationality ("Nwosu insisted"): a nationality in the singular is no speaker,
    so it is the person of that surname."""
    words = (claim.speaker_mention.text if claim.speaker_mention else "").split()
    return claim.speaker_entity == "NORP" and len(words) == 1 and words[0].istitle() and not words[0].endswith("s")


THINGS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
DEFINITE = re.compile(r"(?:the|this)\s", re.IGNORECASE)
EPITHETS = frozenset("tycoon mogul magnate billionaire neurosurgeon surgeon developer entrepreneur".split())


def _descriptions(claims: list[Claim], mapping: dict[str, str], people: set[str]) -> dict[tuple[str, str], str]:
    """(article, description) -> the person it stands for where the article does not say so but the corpus does:
    "the GOP front-runner" of an article in which Donald Trump speaks is him when another article calls him "GOP
    front-runner Donald Trump" and nobody else speaking in that article is ever called so. Only a definite
    description of one person in two words or more ("the retired neurosurgeon"; not "the campaign", "the senators",
    "the president")."""
    titled: dict[str, list[set[str]]] = defaultdict(list)  # person -> the title words of each mention of them
    speaking: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if c.speaker in people and c.speaker_mention:  # "Obama" too: a speaker whom a surname names
            person = mapping.get(c.speaker, c.speaker)
            speaking[c.article_id].add(person)
            titled[person].append(set(_description_words(_words_before_name(c.speaker_mention.text, c.speaker))))
    out = {}
    for c in claims:
        if c.speaker_kind != "group" or not c.speaker or not c.speaker_mention:
            continue
        words = _description_words(c.speaker)
        if not DEFINITE.match(c.speaker_mention.text) or not 2 <= len(words) <= 4:
            continue  # one word ("the president", "the spokesman") fits too many people across a corpus
        if words[-1] not in PERSON_NOUNS | EPITHETS:
            continue
        fits = {p for p in speaking[c.article_id] if any(set(words) <= t for t in titled[p])}
        if len(fits) == 1:
            out[(c.article_id, c.speaker)] = fits.pop()
    return out


def _words_before_name(mention: str, name: str) -> str:
    """The words of a mention before the name, after any possessive: "retired neurosurgeon" of "retired neurosurgeon
    Ben Carson", "brother" of "former President George W. Bush's brother Jeb Bush"."""
    words = mention.split()
    names = {w.lower() for w in _words(name)}
    if not names <= {fold(w).lower().strip(",") for w in words}:
        return ""  # "former President George W. Bush" said to be Jeb Bush's mention: not his title
    first = next((i for i, w in enumerate(words) if fold(w).lower().strip(",") in names), len(words))
    before = words[:first]
    owners = [i for i, w in enumerate(before) if re.search(r"['’]s?$", w)]
    return " ".join(before[owners[-1] + 1 :] if owners else before)


def _description_words(text: str) -> list[str]:
    """A mention's words that may describe a person, offices spelled out ("Sen." -> "senator")."""
    words = [w.strip(",.'’\"“”()") for w in fold(text).lower().split()]
    return [OFFICE_WORDS.get(w, OFFICE_WORDS.get(w + ".", w)) for w in words if w and w not in NOT_TITLE_WORDS]


NOT_TITLE_WORDS = STOP_WORDS - {"former", "formerly", "first", "last", "latter", "next", "then", "top"}


def _no_surname(claim: Claim) -> bool:
    """A group word written with an article ("the Guardian"), in capitals ("WASHINGTON") or a function word ("One"):
    no surname the article missed, whatever person the corpus has of that name."""
    name = claim.speaker or ""
    mention = claim.speaker_mention.text if claim.speaker_mention else name
    return (
        name.isupper() or name.lower() in STOP_WORDS or re.match(r"(?:the|a|an)\s", mention, re.IGNORECASE) is not None
    )


HONORIFICS_GENDER = {t: GENDERED_TITLES[t] for t in HONORIFICS}
# office words of a mention, abbreviations spelled out: "President Trump" and "President Donald Trump" share one
OFFICE_WORDS = {
    **{w: w for w in "president senator representative governor secretary speaker leader justice judge mayor "
       "ambassador minister director attorney chairman lady".split()},
    "sen.": "senator", "sen": "senator", "rep.": "representative", "rep": "representative", "gov.": "governor",
    "gov": "governor", "congressman": "representative", "congresswoman": "representative",
}  # fmt: skip


def _mention_words(mentions: list[str]) -> list[str]:
    return [w for m in mentions for w in fold(m).lower().split()]


def _honorifics(words: list[str]) -> list[str]:
    """The genders the "Mr."/"Mrs."/"Ms." among the words say, one per honorific."""
    return [HONORIFICS_GENDER[w] for w in words if w in HONORIFICS_GENDER]


def _clues(mentions: list[str]) -> tuple[set[str], set[str]]:
    """The genders and offices ("President", "Sen.") the mentions of one actor show. A gender comes from "Mr." or
    "Mrs.", else from pronouns only where two or more agree: one "she" may be a pronoun resolved to the wrong
    person."""
    words = _mention_words(mentions)
    genders = set(_honorifics(words))
    pronouns = [PRONOUN_GENDER[w] for w in words if w in PRONOUN_GENDER]
    if not genders and len(pronouns) > 1:
        genders = set(pronouns)
    return genders, {OFFICE_WORDS[w] for w in words if w in OFFICE_WORDS}


def _bare_surnames(claims: list[Claim], mapping: dict[str, str], people: set[str]) -> dict[tuple[str, str], str]:
    """(article, bare surname) -> the one person of the corpus it can be, where the surname alone is ambiguous: an
    article that writes only "Mr. Trump" (or "President Trump", or "he" for him) means Donald Trump when the other
    Trumps named in full are women (Melania, Ivanka) or hold no office he is given. Nobody is chosen by how often
    they are named: a surname that the article's own words do not narrow to one person stays apart."""
    mentions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in claims:
        if c.speaker and c.speaker_mention:
            mentions[(c.article_id, c.speaker)].append(c.speaker_mention.text)
    by_person: dict[str, list[str]] = defaultdict(list)
    for (_, name), found in mentions.items():
        if name in people and name_key(name):
            by_person[mapping.get(name, name)].extend(found)
    candidates: dict[str, list[tuple[str, str | None, set[str]]]] = defaultdict(list)
    for person, found in by_person.items():
        key = name_key(person)
        if key is None or key.suffix:
            continue  # "Trump" is never Donald Trump Jr.
        genders, offices = _clues(found)
        # what the articles call them, twice or more and always alike ("Mr. Graham"), before what the given name
        # suggests ("Lindsey"); one "Mr. Obama" resolved to Malia Obama does not make her a man
        said = _honorifics(_mention_words(found))
        gender = first_name_gender(key.first)
        if len(set(said)) == 1 and (len(said) > 1 or gender is None):
            gender = said[0]
        candidates[key.last].append((person, gender, offices))
    out = {}
    for (article, name), found in mentions.items():
        words = _words(name)
        if name not in people or name in mapping or len(words) != 1 or len(candidates[words[0]]) < 2:
            continue
        genders, offices = _clues(found)
        fits = [c for c in candidates[words[0]] if len(genders) != 1 or c[1] in (None, *genders)]
        if offices and len(fits) > 1:
            fits = [c for c in fits if c[2] & offices] or fits
        if len(fits) == 1:
            out[(article, name)] = fits[0][0]
    return out


def _group_names(names: Counter, mapping: dict[str, str]) -> dict[str, str]:
    out = {}
    for name in names:
        m = OWNED.match(name)
        if m and m["owner"] in mapping:
            out[name] = f"{mapping[m['owner']]}'s {m['rest']}"
    lists: dict[frozenset, list[str]] = defaultdict(list)
    for name in names:
        parts = frozenset(mapping.get(p.strip(), p.strip()).lower() for p in CONJUNCTS.split(name) if p.strip())
        if len(parts) > 1:
            lists[parts].append(name)
    for same in lists.values():
        best = max(same, key=lambda n: (names[n], n))
        out.update({n: best for n in same if n != best})
    return out


def _short_forms(names: Counter, people: set[str], articles: dict[str, set[str]]) -> dict[str, str]:
    """One group under its acronym and its full name ("NRA" = "National Rifle Association") where just one full
    name of the corpus has those initials and they are its every word's or both forms speak in one article ("AP" =
    "Associated Press", not "Americans for Prosperity"), and under "U.S." and "United States" ("U.S. Conference of
    Catholic Bishops"); ``articles`` maps a name to the articles it speaks in; the more used form names both."""
    groups = [n for n in names if n not in people]
    by_initials: dict[str, set[str]] = defaultdict(set)
    for name in groups:
        if letters := initials(name):
            by_initials[letters].add(name)
    spelled = {re.sub(r"\bU\.S\.(?=\s)", "United States", n): n for n in groups if "U.S. " in n}
    pairs = [(spelled[n], n) for n in groups if n in spelled]  # (short, full)
    for name in groups:
        letters = name.replace(".", "")
        if not ACRONYM.fullmatch(name) or len(full := by_initials.get(letters, set())) != 1:
            continue
        [long] = full
        # every word's initial, for three letters or more ("IMF"; not "AFP" for "Americans for Prosperity"), else
        # both forms in one article ("the Associated Press ... AP reported")
        spelled_out = len(letters) > 2 and "".join(w[0] for w in long.split()) == letters
        if spelled_out or articles[name] & articles[long]:
            pairs.append((name, long))
    out = {}
    for a, b in pairs:
        short, long = sorted((a, b), key=lambda n: (names[n], n == b))
        out[short] = long
    return out


def summarise(
    claims: list[Claim], dates: dict[str, str | None], targets: list[str] = (), top: int = 3, held_out=None
) -> list[ActorSummary]:
    """Each actor's stance toward each target over the corpus, targets in the order given (``targets``; others after,
    by name), then actors by claim count; ``held_out``: the model's ``reliability.load`` table."""
    by_key: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.actor_id and c.target and c.stance:
            by_key[(c.actor_id, c.target)].append(c)
    out = []
    for (actor_id, target), every in by_key.items():
        items = _once(every, dates)
        [overall] = actor_stances([c.model_copy(update={"article_id": "*"}) for c in items])
        article_dates = sorted({d for c in every if (d := dates.get(c.article_id))})
        out.append(
            ActorSummary(
                actor_id=actor_id,
                actor=overall.actor,
                aliases=overall.aliases,
                target=target,
                stance=overall.stance,
                confidence=overall.confidence,
                counts=overall.counts,
                articles=len({c.article_id for c in every}),
                repeats=len(every) - len(items),
                first_date=article_dates[0] if article_dates else None,
                last_date=article_dates[-1] if article_dates else None,
                timeline=(timeline := _timeline(items, dates)),
                periods=(runs := periods(timeline)),
                over_time=over_time(runs),
                evidence=_evidence(items, overall.stance, dates, top, runs),
                basis=reliability.kind(overall.counts, overall.stance),
                held_out_right=reliability.rate(held_out, overall.counts, overall.stance),
            )
        )
    order = {t: n for n, t in enumerate(targets)}
    out.sort(key=lambda s: (order.get(s.target, len(order)), s.target, -sum(s.counts.values()), s.actor))
    return out


def _once(items: list[Claim], dates: dict[str, str | None]) -> list[Claim]:
    """An actor's claims with each statement once: the same words in two articles (a wire story two outlets ran, a
    quote repeated in a follow-up) count once, in the earliest article, for the actor's stance, counts, timeline and
    evidence."""
    first: dict[str, Claim] = {}
    for claim in sorted(items, key=lambda c: (dates.get(c.article_id) or "9999", c.article_id, c.start_char)):
        first.setdefault(" ".join(WORDS.findall(claim.text.casefold())), claim)
    kept = {id(c) for c in first.values()}
    return [c for c in items if id(c) in kept]


WORDS = re.compile(r"\w+")


def _evidence(items: list[Claim], stance: str, dates: dict, top: int, runs: list[Period] = ()) -> list[Evidence]:
    """The ``top`` claims that show the actor's stance best, and among them its strongest claim of the other side, if
    it took that too: 2 for, 1 against and 4 neutral shows the against claim before a neutral one. An actor that
    changed sides shows the side it ended on (its latest claim of the last period) and the side it started from (the
    strongest of the first) first, then the best of the rest, all in date order."""
    ranked = sorted(items, key=lambda c: (c.stance == stance, c.scores[stance]), reverse=True)
    other = {"favor": "against", "against": "favor"}.get(stance)
    best = [
        max(mine, key=lambda c: c.scores[s]) for s in (stance, other) if (mine := [c for c in items if c.stance == s])
    ]
    if len(runs) > 1:

        def within(c: Claim, r: Period) -> bool:
            return c.stance == r.stance and r.first <= (dates.get(c.article_id) or "") <= r.last

        last, first = ([c for c in items if within(c, r)] for r in (runs[-1], runs[0]))
        ends = [max(last, key=lambda c: (dates.get(c.article_id) or "", c.scores[runs[-1].stance]))] if last else []
        ends += [max(first, key=lambda c: c.scores[runs[0].stance])] if first else []
        best = ends + [c for c in best if all(c is not e for e in ends)]
    chosen = {id(c) for c in best[:top]}
    chosen |= {id(c) for c in [c for c in ranked if id(c) not in chosen][: top - len(chosen)]}
    ranked = [c for c in ranked if id(c) in chosen]
    if len(runs) > 1:  # chosen by strength, shown in date order (the before and the after)
        ranked.sort(key=lambda c: dates.get(c.article_id) or "")
    return [
        Evidence(
            claim_id=c.claim_id,
            article_id=c.article_id,
            date=dates.get(c.article_id),
            text=c.text,
            stance=c.stance,
            probability=c.scores[c.stance],
        )
        for c in ranked
    ]


def periods(timeline: list[TimelinePoint]) -> list[Period]:
    """The dated sides of a timeline as runs: favor, favor, against -> two periods."""
    out: list[Period] = []
    for p in timeline:
        if p.date == UNDATED or p.stance == "neutral":
            continue
        n = p.counts.get(p.stance, 0)
        if out and out[-1].stance == p.stance:
            last = out[-1]
            out[-1] = last.model_copy(
                update={"last": p.date, "dates": last.dates + 1, "claims": (last.claims or 0) + n}
            )
        else:
            out.append(Period(stance=p.stance, first=p.date, last=p.date, dates=1, claims=n))
    return out


def over_time(runs: list[Period]) -> str:
    """A change of side in words, a side taken in one claim said so; empty when there was none."""
    if len(runs) < 2:
        return ""

    def one(r: Period) -> str:
        return " (one claim)" if r.claims == 1 else ""

    if len(runs) == 2:
        return (
            f"{runs[0].stance} until {runs[0].last}{one(runs[0])}, {runs[1].stance} from {runs[1].first}{one(runs[1])}"
        )
    return " -> ".join(
        f"{r.stance} ({r.first}{'' if r.first == r.last else ' to ' + r.last}{', one claim' if r.claims == 1 else ''})"
        for r in runs
    )


def _timeline(items: list[Claim], dates: dict) -> list[TimelinePoint]:
    by_date: dict[str, list[Claim]] = defaultdict(list)
    for c in items:
        by_date[dates.get(c.article_id) or UNDATED].append(c)
    points = []
    for date in sorted(by_date, key=lambda d: (d == UNDATED, d)):
        day = by_date[date]
        [agg] = actor_stances([c.model_copy(update={"article_id": date}) for c in day])
        score = sum(c.scores["favor"] - c.scores["against"] for c in day) / len(day)
        points.append(
            TimelinePoint(
                date=date,
                stance=agg.stance,
                score=round(score, 4),
                counts={label: agg.counts[label] for label in LABELS},
            )
        )
    return points
