"""The learned speaker ranker: candidates and features, the stored weights, fitting, and its place in ``extract``."""

import json

import numpy as np
import pytest

from pipeline.attribution.ranker import FEATURES, FILE, SpeakerRanker, candidates, claim_rows, speaker_of
from pipeline.attribution.tagger import TaggedSpan
from pipeline.data.labeled import LabeledArticle, LabeledClaim
from pipeline.errors import ModelError
from pipeline.records import Article
from pipeline.run.extract import attribute, extract
from pipeline.text import nlp
from pipeline.training.speakers import fit, labelled_rows

TEXT = "The union went on strike on Monday, and Mike Pompeo warned that the talks would collapse within a week."


def spans(text, *pairs):
    out = []
    for label, words in pairs:
        start = text.index(words)
        out.append(TaggedSpan(label, start, start + len(words), 0.9))
    return out


def ranker_on(feature: str) -> SpeakerRanker:
    """A ranker fitted on random rows whose label is one feature: it follows that feature alone."""
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 2, size=(400, len(FEATURES))).astype(float)
    return SpeakerRanker(fit(rows.tolist(), rows[:, FEATURES.index(feature)].astype(int).tolist()))


def test_candidates_and_features_cover_the_claim_sentence():
    doc = nlp.load()(TEXT)
    [item] = attribute(doc, TEXT)
    assert TEXT[item.candidate.start : item.candidate.end] == "the talks would collapse within a week"
    words = [t.text for t in candidates(doc, item)]
    assert {"union", "Pompeo", "talks", "week"} <= set(words)
    [(tokens, rows)] = claim_rows(doc, TEXT, [item], [])
    assert [t.text for t in tokens] == words
    assert all(len(row) == len(FEATURES) for row in rows)
    current = dict(zip(words, (row[FEATURES.index("current")] for row in rows), strict=True))
    assert current["Pompeo"] == 1.0 and current["union"] == 0.0
    subject = dict(zip(words, (row[FEATURES.index("parse_subject_of_cue")] for row in rows), strict=True))
    assert subject["Pompeo"] == 1.0 and subject["talks"] == 0.0


def test_ranker_moves_the_speaker_and_the_actor_follows():
    """A ranker that trusts the tagger's source span over the parse: the claim goes to the tagged source, and actor
    resolution names the new speaker (through the mention, as for the rules' choice)."""
    tagged = spans(TEXT, ("source", "The union"), ("cue", "warned"), ("content", "the talks would collapse"))
    doc = nlp.load()(TEXT)
    plain = extract(Article(id="t", text=TEXT), doc, tagged)
    assert [c.speaker for c in plain] == ["Mike Pompeo"]
    trusting = ranker_on("tagged_source")
    moved = extract(Article(id="t", text=TEXT), doc, tagged, speakers=trusting)
    assert [(c.speaker_mention.text, c.speaker) for c in moved] == [("The union", "union")]
    for claim in moved:
        assert TEXT[claim.speaker_mention.start_char : claim.speaker_mention.end_char] == claim.speaker_mention.text
    keeping = ranker_on("current")
    assert extract(Article(id="t", text=TEXT), doc, tagged, speakers=keeping) == plain


def test_relative_pronoun_keeps_its_antecedent_as_actor():
    text = "Mike Pompeo, who said the talks would resume, left Hanoi."
    doc = nlp.load()(text)
    who = next(t for t in doc if t.lower_ == "who")
    (start, end), actor = speaker_of(who)
    assert text[start:end] == "who" and doc[actor].text == "Pompeo"
    pompeo = next(t for t in doc if t.text == "Pompeo")
    (start, end), actor = speaker_of(pompeo)
    assert text[start:end] == "Mike Pompeo" and actor == pompeo.i


def test_stored_model_loads_and_bad_ones_fail_clearly(tmp_path):
    assert SpeakerRanker.load(tmp_path) is None  # a tagger without a ranker
    weights = ranker_on("current").weights
    (tmp_path / FILE).write_text(json.dumps(weights), encoding="utf-8")
    ranker = SpeakerRanker.load(tmp_path)
    on, off = [0.0] * len(FEATURES), [0.0] * len(FEATURES)
    on[FEATURES.index("current")] = 1.0
    high, low = ranker.scores([on, off])
    assert high > 0.9 and low < 0.1
    assert ranker.scores([]) == []
    stale = weights | {"features": list(FEATURES[:-1])}
    (tmp_path / FILE).write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain"):
        SpeakerRanker.load(tmp_path)
    (tmp_path / FILE).write_text(json.dumps(weights | {"model": "not a model"}), encoding="utf-8")
    with pytest.raises(ModelError, match="LightGBM"):
        SpeakerRanker.load(tmp_path)
    (tmp_path / FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read"):
        SpeakerRanker.load(tmp_path)


def _gold(text: str, content: str, source: str) -> LabeledArticle:
    start, src = text.index(content), text.index(source)
    claim = LabeledClaim(
        start_char=start,
        end_char=start + len(content),
        speaker=source,
        speaker_start_char=src,
        speaker_end_char=src + len(source),
        kind="indirect",
    )
    return LabeledArticle(id="g", text=text, claims=[claim])


def test_fitted_ranker_learns_where_gold_sources_lie():
    """Gold sources are always the tagged span in these articles, never the parse subject: a fitted ranker must
    learn to follow the tagged span, and pick it in an article it was not fitted on."""
    rows, labels = [], []
    people = ["Ann Lee", "Bo Park", "Cy Dunn", "Di Moss", "Ed Fox", "Flo Hart"]
    for n, (a, b) in enumerate(zip(people, people[1:] + people[:1], strict=True)):
        text = f"{a} met reporters on day {n}, and {b} argued that the talks would fail."
        tagged = spans(text, ("source", a), ("cue", "argued"), ("content", "the talks would fail"))
        gold = _gold(text, "the talks would fail", a)
        r, y = labelled_rows(gold, nlp.load()(text), tagged)
        rows += r
        labels += y
    assert sum(labels) >= 5 and len(labels) > sum(labels)
    ranker = SpeakerRanker(fit(rows, labels))
    text = "Gus Reed met reporters on Sunday, and Hal Roy argued that the talks would fail."
    tagged = spans(text, ("source", "Gus Reed"), ("cue", "argued"), ("content", "the talks would fail"))
    [claim] = extract(Article(id="t", text=text), nlp.load()(text), tagged, speakers=ranker)
    assert claim.speaker_mention.text == "Gus Reed"
    [plain] = extract(Article(id="t", text=text), nlp.load()(text), tagged)
    assert plain.speaker_mention.text == "Hal Roy"


def test_fit_needs_both_kinds_of_candidates():
    with pytest.raises(Exception, match="one kind"):
        fit([[0.0] * len(FEATURES)] * 3, [0, 0, 0])


def test_a_claim_with_its_own_cue_is_not_given_to_the_outlet_that_reports_it():
    """PolNeAR gives "X said ..., according to Y" to Y; the ranker learns that from it. This project gives the words to
    X, so even a ranker that trusts the tagged source does not move them to the outlet. Where "according to" is the
    claim's own cue, the outlet is the source and stays so."""
    trusting = ranker_on("tagged_source")
    text = "Choe Son Hui said the talks had failed, according to Russian state news agency TASS."
    tagged = spans(text, ("source", "TASS"), ("cue", "said"), ("content", "the talks had failed"))
    [claim] = extract(Article(id="t", text=text), nlp.load()(text), tagged, speakers=trusting)
    assert claim.speaker == "Choe Son Hui"
    text = "The talks had failed, according to Russian state news agency TASS."
    tagged = spans(text, ("source", "TASS"))
    [claim] = extract(Article(id="t", text=text), nlp.load()(text), tagged, speakers=trusting)
    assert claim.kind == "according_to" and "TASS" in claim.speaker_mention.text


def test_a_claim_without_speaker_gets_one_only_when_a_candidate_is_likely():
    from pipeline.attribution.mentions import Attributed
    from pipeline.claims.rules import Candidate

    text = "Mike Pompeo met Choe Son Hui on Friday, and the talks would go on."
    doc = nlp.load()(text)
    start = text.index("the talks")

    def unsourced():
        return [Attributed(Candidate(start, len(text) - 1, "indirect", 0), None, None, None)]

    [kept] = ranker_on("current").choose(doc, text, unsourced(), [])
    assert kept.speaker is None  # no candidate is the current speaker: every score is low
    [named] = ranker_on("pos=PROPN").choose(doc, text, unsourced(), [])
    assert text[named.speaker[0] : named.speaker[1]] in ("Mike Pompeo", "Choe Son Hui")


def test_shipped_taggers_carry_rankers_that_load_and_can_be_turned_off():
    """A change to FEATURES without refitting the shipped rankers fails here, not in a user's run."""
    from pathlib import Path

    from pipeline.attribution.tagger import AttributionTagger

    models = Path(__file__).resolve().parents[1] / "models"
    for name in ("attribution-tagger", "attribution-tagger-fast"):
        ranker = SpeakerRanker.load(models / name)
        on = [0.0] * len(FEATURES)
        on[FEATURES.index("current")] = on[FEATURES.index("tagged_source")] = 1.0
        on[FEATURES.index("tagged_score")] = 0.9
        off = [0.0] * len(FEATURES)
        high, low = ranker.scores([on, off])
        assert high > low, name
    assert AttributionTagger(models / "attribution-tagger-fast").speakers is not None
    assert AttributionTagger(models / "attribution-tagger-fast", speakers=False).speakers is None
