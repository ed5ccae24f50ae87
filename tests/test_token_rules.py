"""``TokenRules`` must set exactly what spaCy's attribute ruler sets."""

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.text import nlp
from pipeline.text.token_rules import compile_rules

# The cases the model's patterns single out: spaces and line breaks, two-token lemmas ("gon na", "ai n't", "let 's"),
# "there is", "but" as an adverb, pronoun case by dependency, auxiliaries, determiners used as pronouns.
TEXT = (
    'There is no deal , but we are gon na get one ," Pompeo said.\n\n'
    "  \"I ai n't giving in  to you,\" she told him; let 's see what those say.\n"
    "It was he who did it: that is what it did, and you gave it to me. Gotta go?  \u00a0 Do they have it? "
    "Whatever we do, they had told her that this was all."
)


def _attrs(doc):
    return [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_token_rules_set_what_the_attribute_ruler_sets():
    meta = nlp.load().meta  # the model nlp.load found, loaded again with spaCy's own ruler
    full = spacy.load(f"{meta['lang']}_{meta['name']}", disable=["lemmatizer"])
    ruler = full.get_pipe("attribute_ruler")
    rules = compile_rules(ruler)
    assert rules is not None
    with full.select_pipes(disable=["attribute_ruler", "ner"]):
        doc = full(TEXT)
    twin = Doc(full.vocab).from_bytes(doc.to_bytes())
    before = _attrs(doc)
    expected, got = _attrs(ruler(doc)), _attrs(rules(twin))
    assert got == expected
    assert got != before  # the rules did something: parts of speech and morphology were empty
    assert any(t.lemma_ == "go" and t.text == "gon" for t in twin)  # a two-token rule


def test_the_loaded_pipeline_uses_token_rules():
    assert "token_rules" in nlp.load().pipe_names
    assert "attribute_ruler" not in nlp.load().pipe_names
    doc = nlp.load()("He said they did not go.")
    assert [t.pos_ for t in doc] == ["PRON", "VERB", "PRON", "AUX", "PART", "VERB", "PUNCT"]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"ORTH": "go"}],  # a key TokenRules does not read
        [{"LOWER": "go", "OP": "?"}],  # an operator
        [{"LOWER": {"FUZZY": "go"}}],  # a predicate
    ],
)
def test_patterns_it_cannot_read_keep_spacys_ruler(pattern):
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "went"}]], {"LEMMA": "go"})
    assert compile_rules(ruler) is not None
    ruler.add([pattern], {"LEMMA": "go"})
    assert compile_rules(ruler) is None


def test_a_later_pattern_wins_and_an_index_picks_the_token():
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b"}]], {"LEMMA": "first"}, index=-1)
    ruler.add([[{"LOWER": {"IN": ["b", "c"]}}]], {"LEMMA": "second"})
    ruler.add([[{"LOWER": {"REGEX": "^c+$"}}]], {"LEMMA": "third"})
    ruler.add([[{"LOWER": {"NOT_IN": ["a", "b", "c", "cc"]}}]], {"LEMMA": "other"})
    rules = compile_rules(ruler)
    text = "a b c cc d b a"
    expected = [t.lemma_ for t in ruler(blank.make_doc(text))]  # make_doc: blank(text) would run the ruler itself
    assert [t.lemma_ for t in rules(blank.make_doc(text))] == expected
    assert expected == ["", "second", "third", "third", "other", "second", ""]


def test_token_rules_pickle():
    # nlp.pipe(n_process=...) sends the pipeline to spawned workers
    import pickle

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["went", "goes"]}, "IS_SPACE": False}]], {"LEMMA": "go"})
    ruler.add([[{"LOWER": {"REGEX": "^gone$"}}]], {"LEMMA": "go"})
    rules = pickle.loads(pickle.dumps(compile_rules(ruler)))
    assert [t.lemma_ for t in rules(blank.make_doc("he went , gone"))] == ["", "go", "", "go"]


def test_a_string_id_in_a_list_is_refused():
    # spaCy reads an int in IN / NOT_IN as a string id; TokenRules compares text, so it keeps spaCy's ruler
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": [blank.vocab.strings.add("gon")]}}]], {"LEMMA": "go"})
    assert compile_rules(ruler) is None
