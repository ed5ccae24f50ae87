"""Which words name people: the test that keeps "the campaign" or "13 percent" from being resolved to a person,
shared by attribution (stage 3) and actor resolution (stage 4)."""

from __future__ import annotations

from pipeline.text import nlp

# Pronouns, in the sets each stage asks about: a speaker resolved to a person (resolution), to a group, a relative
# pronoun that names its antecedent (mentions), and the ranker's features (its trained weights depend on these sets).
PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "we", "it", "their", "its", "our"})
RELATIVE = frozenset({"who", "that", "which", "whom"})
PERSONAL = frozenset({"he", "she", "they", "him", "her", "them", "his", "their"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})

# Head nouns that describe one person ("the top US diplomat", "the Florida Republican"): only these are matched to
# a named person; any other description ("the campaign", "the report", "a group of rabbis") is an actor of its own.
PERSON_NOUNS = frozenset(
    """secretary president minister chairman chairwoman chair leader speaker general adviser advisor ambassador
    envoy judge justice attorney lawyer mayor chief director spokesman spokeswoman spokesperson commissioner
    treasurer chancellor premier candidate nominee congressman congresswoman senator representative governor
    official aide diplomat negotiator lawmaker legislator politician strategist consultant analyst expert economist
    historian scientist journalist columnist activist executive person staffer hopeful star host surrogate lady
    gentleman republican democrat independent king queen prince princess pope sir lord mr mr. mrs mrs. ms ms. dr
    dr. reverend rev. sen sen. rep rep. gov gov. gen gen. founder co-founder ceo owner officer member partner
    critic supporter opponent voter resident citizen worker colleague friend parent wife husband mother father son
    daughter brother sister widow man woman boy girl professor scholar researcher reporter editor writer author
    blogger actor actress singer investor banker donor fundraiser pollster organizer manager student teacher
    doctor physician nurse victim witness investigator prosecutor defendant plaintiff detective soldier veteran
    commander admiral colonel captain sergeant lieutenant successor predecessor appointee employee trustee
    frontrunner front-runner runner-up challenger incumbent insider operative lobbyist businessman businesswoman
    spymaster deputy mediator delegate chairperson secretary-general sheikh sheik emir imam rabbi ayatollah
    councilmember councilman councilwoman farmer fisherman shopkeeper trader merchant vendor driver miner
    engineer""".split()
)  # a word list, not WordNet's noun.person: no WordNet data installs offline from the package registry


def person_noun(head) -> bool:
    """Whether a description's head noun names a person (a diplomat, a Republican), not a thing or a body."""
    if head.ent_type_ in ("ORG", "GPE", "FAC", "LOC"):
        return False
    return nlp.lemma(head).lower() in PERSON_NOUNS or head.lower_ in PERSON_NOUNS


COUNTED = frozenset({"percent", "majority", "minority", "most", "half", "third", "quarter", "share", "plurality"})
RECORDS = frozenset({"record", "data", "figure", "number", "statistic", "poll", "survey", "tally", "count"})


def counted(token) -> bool:
    """A subject that counts people or is a record ("Nearly three in four", "13 percent", "campaign finance records"):
    it does not speak for itself, whoever reports it does."""
    return token.pos_ == "NUM" or nlp.lemma(token).lower() in COUNTED | RECORDS


# What a text can "say" without being a speaker: documents, media items, numbers and abstractions ("the statement
# said", "records show", "a worker's contributions over a lifetime"). Such a mention names no actor.
ARTEFACTS = frozenset(
    """document record report study paper survey poll analysis estimate projection figure number statistic data
    snapshot tally count letter memo memorandum statement release announcement notice filing complaint lawsuit suit
    petition brief motion ruling order opinion decision verdict indictment transcript testimony ad advertisement
    commercial video footage post article story editorial column blog website site page book email e-mail tweet
    message voicemail text version draft bill law rule policy plan proposal budget return comment remark
    contribution view result evidence fact list image photo picture headline caption chart map table graph sign
    question answer note agenda platform manifesto disclosure review examination excerpt speech address monologue
    apology appeal probe interview hearing segment cover slide photograph provision clause amendment constitution
    term wording rhetoric intensity willingness reason remedy proportion culture move measure resolution strike
    subpoena controversy correspondence missive event matter line time acknowledgment tape census work
    timeline finding communication eye hand sense victory trouble copy posting polling course name taste passion
    affidavit summary passage preference sentence takeaway recording comparison investigation pin shirt role
    agreement account timing index worth browse profile textbook meeting appointment scale value criticism effort
    movie popularity issue call experience falloff disruption stream track level win look task ranking pitch
    practice plank chain piece biography memoir sequel moment card legacy guideline discovery bulk quiz profit math
    reference part attack reporting footnote declaration extent inquiry discussion dispute assumption chance fortune
    decline salvo push trip accord legislation frame series outcome test form schedule wake clip spot problem
    change investment failure help procedure support amount history cancer average primary trade""".split()
)  # the last lines: heads that rules took for speakers on PolNeAR ("The timeline shows", "his eyes say")


PEOPLE_ONES = frozenset({"loved", "dear", "beloved", "young", "little", "chosen"})
QUANTIFIERS = frozenset(
    "number dozen dozens hundred hundreds thousand thousands one some many most all majority minority half third "
    "couple handful lot lots none few several each any both spate array chorus clutch constellation slew "
    "cadre bevy legion throng".split()
)


def artefact(head) -> bool:
    """Whether a mention's head is a thing or a time, not a speaker ("the statement", "Budget numbers", "Tuesday");
    a quantity of something is judged by what it counts ("dozens of faculty members" speak, "a number of reports"
    do not)."""
    of = next((c for c in head.children if c.lower_ == "of"), None)
    counted_obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if counted_obj is not None and (head.pos_ == "NUM" or nlp.lemma(head).lower() in QUANTIFIERS):
        return artefact(counted_obj)
    if head.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"):
        return True
    if head.pos_ not in ("NOUN", "PROPN"):
        return True
    if head.lower_ in ("one", "ones") and of is None:
        # a pro-form stands for what came before: "The new ones show" (tax returns); "loved ones" are people
        return not any(c.dep_ == "amod" and c.lower_ in PEOPLE_ONES for c in head.children)
    return head.pos_ == "NOUN" and nlp.lemma(head).lower() in ARTEFACTS
