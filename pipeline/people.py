"""Which words name people: the test that keeps "the campaign" or "13 percent" from being resolved to a person,
shared by attribution (stage 3) and actor resolution (stage 4)."""

from __future__ import annotations

# Head nouns that describe one person ("the top US diplomat", "the Florida Republican"): only these are matched to
# a named person; any other description ("the campaign", "the report", "a group of rabbis") is an actor of its own.
PERSON_NOUNS = frozenset(
    """secretary president minister chairman chairwoman chair leader speaker general adviser advisor ambassador
    envoy judge justice attorney mayor chief director spokesman spokeswoman spokesperson commissioner treasurer
    chancellor premier candidate nominee congressman congresswoman senator representative governor official aide
    diplomat negotiator lawmaker legislator strategist consultant executive person staffer hopeful star host
    surrogate lady gentleman republican democrat independent king queen prince princess pope sir lord mr mr. mrs
    mrs. ms ms. dr dr. reverend rev. sen sen. rep rep. gov gov. gen gen. founder co-founder ceo owner head officer
    member partner critic supporter opponent voter resident worker colleague friend wife husband mother father son
    daughter brother sister widow man woman boy girl professor scholar researcher reporter editor writer author
    blogger actor actress singer investor banker donor fundraiser pollster organizer manager student teacher
    doctor nurse victim witness prosecutor defendant plaintiff detective soldier veteran commander admiral colonel
    captain sergeant lieutenant successor predecessor appointee employee trustee frontrunner front-runner runner
    challenger incumbent defender insider operative lobbyist businessman businesswoman spymaster""".split()
)
PERSON_SUFFIXES = ("ist", "man", "woman", "person", "ian")


def person_noun(head) -> bool:
    """Whether a description's head noun names a person (a diplomat, a Republican), not a thing or a body."""
    if head.ent_type_ in ("ORG", "GPE", "FAC", "LOC"):
        return False
    word = head.lemma_.lower()
    return word in PERSON_NOUNS or head.lower_ in PERSON_NOUNS or word.endswith(PERSON_SUFFIXES)


def animate(token) -> bool:
    """A person or a body of people: a pronoun, a name, a nationality or party, an organisation, a person noun."""
    if token.pos_ in ("PRON", "PROPN") or token.ent_type_ in ("PERSON", "NORP", "ORG", "GPE"):
        return True
    return person_noun(token)
