"""The topic check of stage 5: claims of an article that is not about the target are neutral toward it."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from pipeline.actors.aggregate import actor_stances
from pipeline.classify.topic import TopicGate, sentences
from pipeline.config import RunConfig
from pipeline.pipeline import Pipeline
from pipeline.records import Article, Claim

IRAN = (
    "WASHINGTON (AP) - Negotiators from Iran and six world powers resumed talks in Vienna on Monday over limits on "
    "Tehran's nuclear program. Secretary of State John Kerry said a final agreement on uranium enrichment was within "
    "reach. Iran's foreign minister said sanctions must be lifted the day a deal takes effect.\n\nBy Jane Doe"
)
SHUTDOWN = (
    "Congressional leaders met at the White House on Friday as the partial government shutdown entered its third "
    "week. Speaker Nancy Pelosi said Democrats would not fund the border wall. Federal workers missed their first "
    "paycheck."
)
IRAN_T = "negotiations over a nuclear deal with Iran"
SHUTDOWN_T = "a deal to end the government shutdown"


def test_sentences_end_at_stops_and_line_breaks_and_skip_short_lines():
    found = sentences(IRAN)
    assert found[0].startswith("WASHINGTON (AP)") and found[-1].startswith("Iran's foreign minister")
    assert len(found) == 3  # "By Jane Doe" is a byline, not a sentence
    assert sentences('He said: "We will walk away." Then he left the room at once.') == [
        'He said: "We will walk away."',
        "Then he left the room at once.",
    ]
    assert sentences("") == [] and sentences("Too short.") == []
    assert sentences("He said 'we will walk away.' Then he left the room.") == [
        "He said 'we will walk away.'",
        "Then he left the room.",
    ]
    # headlines only: nothing to judge by
    assert sentences("Pelosi rejects deal\nTrump: no wall\nTalks end") == []
    # text without full stops is read in overlapping windows, so that a mention past the encoder's 64 tokens counts
    words = [f"w{i}" for i in range(100)]
    windows = sentences(" ".join(words))
    assert windows[0].split() == words[:40] and windows[-1].split()[-1] == "w99"
    assert all(len(w.split()) <= 40 for w in windows)
    assert all(a.split()[-10:] == b.split()[:10] for a, b in zip(windows, windows[1:], strict=False))


class FakeGate:
    threshold = 0.3

    def __init__(self, similarity: dict[str, float]):
        self.similarity = similarity
        self.asked: list = []

    def scores(self, articles, pairs, whole=None):
        pairs = set(pairs)
        self.asked.append((pairs, whole))
        return {(a, t): self.similarity[a] for a, t in pairs}


class Scores:
    """A classifier that gives every claim of article "on" and "off" a side, and "quiet"'s none."""

    def predict(self, targets, texts, *rest):
        return [
            {"favor": 0.1, "against": 0.1, "neutral": 0.8} if text.startswith("Quiet")
            else {"favor": 0.7, "against": 0.2, "neutral": 0.1}
            for text in texts
        ]  # fmt: skip


def claim(article_id: str, text: str) -> Claim:
    return Claim(
        article_id=article_id, claim_id=f"{article_id}:c001", text=text, start_char=0, end_char=len(text),
        kind="direct", speaker="Lee", actor_id="lee",
    )  # fmt: skip


def test_claims_of_an_article_off_the_target_take_no_stance():
    gate = FakeGate({"on": 0.55, "off": 0.12, "quiet": 0.05, "headlines": None})
    pipe = Pipeline(classifier=Scores(), targets=["the talks"], topic=gate)
    claims = [claim(i, "Quiet words." if i == "quiet" else "We back it.") for i in ("on", "off", "quiet", "headlines")]
    articles = [Article(id=i, text="...") for i in ("on", "off", "quiet", "headlines")]
    on, off, quiet, headlines = pipe.classify(claims, articles)
    assert on.stance == "favor" and on.topic == 0.55 and on.scores["favor"] == 0.7
    # no stance toward the target: the claim counts toward no actor's stance; the classifier's scores stay
    assert off.stance is None and off.topic == 0.12 and off.scores["favor"] == 0.7
    # neutral claims too: a speaker of an article about something else is not listed as neutral toward the target
    assert quiet.stance is None and quiet.topic == 0.05
    assert [a.article_id for a in actor_stances([on, off, quiet])] == ["on"]
    # an article without a sentence to judge by keeps its sides
    assert headlines.stance == "favor" and headlines.topic is None
    # where a claim takes a side the whole article may be read; where none does, its lead decides
    sided = {(i, "the talks") for i in ("on", "off", "headlines")}
    assert gate.asked == [(sided | {("quiet", "the talks")}, sided)]
    # without the articles (or without a gate) the classifier's sides stand
    assert [c.stance for c in pipe.classify(claims)] == ["favor", "favor", "neutral", "favor"]


def test_the_check_is_on_by_default_and_its_threshold_is_checked(tmp_path):
    cfg = RunConfig(input=tmp_path, targets=["x"])
    assert cfg.topic_check and cfg.topic_threshold == 0.3
    for wrong in (1.5, 0, "high", True):
        with pytest.raises(ValidationError):
            RunConfig(input=tmp_path, targets=["x"], topic_threshold=wrong)


@pytest.mark.model
def test_the_sentence_encoder_tells_the_iran_talks_from_a_shutdown_deal():
    gate = TopicGate()
    [[iran_iran, iran_shutdown], [shut_iran, shut_shutdown]] = gate.similarity([IRAN, SHUTDOWN], [IRAN_T, SHUTDOWN_T])
    assert iran_iran >= gate.threshold and shut_shutdown >= gate.threshold
    assert iran_shutdown < gate.threshold and shut_iran < gate.threshold
    assert gate.similarity(["Short.", IRAN], ["the Iran talks"])[0] == [None]  # no sentence: nothing to judge by
    # a mention past the encoder's 64 tokens, in text without full stops, is read
    filler = "the club played well on the road and the fans cheered for the team all season long " * 6
    [[far]] = gate.similarity([filler + "leaders reached a deal to end the partial government shutdown"], [SHUTDOWN_T])
    assert far >= gate.threshold
    # the value toward a target does not depend on the other targets read with it
    long = " ".join([f"The club played its {n}th game of the season on the road." for n in range(14)] + [IRAN])
    [[alone]] = gate.similarity([long], [IRAN_T])
    [[together, _]] = gate.similarity([long], [IRAN_T, "the weather in Paris"])
    assert alone == together
    # a pair judged on the lead alone (no claim of the article takes a side) is not read past its 12 sentences
    [[lead, whole]] = gate.similarity([long], [IRAN_T, IRAN_T], np.array([[False, True]]))
    assert lead < gate.threshold <= whole == alone


def test_the_report_says_how_many_articles_the_check_set_aside():
    from pipeline.actors.corpus import summarise
    from pipeline.run.report import render

    pipe = Pipeline(classifier=Scores(), targets=["the talks"], topic=FakeGate({"on": 0.55, "off": 0.12}))
    claims = pipe.classify([claim("on", "We back it."), claim("off", "We back it.")], [Article(id="on", text="."),
                           Article(id="off", text=".")])  # fmt: skip
    articles = [{"id": "on", "date": "2019-01-02"}, {"id": "off", "date": "2019-01-03"}]
    summary = summarise(claims, {a["id"]: a["date"] for a in articles})
    page = " ".join(render(claims, summary, articles, {"model": "m", "tagger": None, "topic_threshold": 0.3}).split())
    assert "topic check on" in page and "a cosine of at least 0.3" in page
    assert "Topic check: 1 article(s) are not about this target" in page
    assert "their 1 claims take no stance toward it" in page
    kept = [c for c in claims if c.article_id == "on"]
    page = " ".join(render(kept, summary, articles[:1], {"model": "m", "tagger": None, "topic_threshold": 0.3}).split())
    assert "Topic check: 0 article(s)" in page and "take no stance" not in page
    page = " ".join(render(claims, summary, articles, {"model": "m", "tagger": None}).split())
    assert "topic check off" in page and "not about this target" not in page


def test_a_pronoun_that_speaks_is_no_alias_of_its_actor():
    from pipeline.records import Span

    claims = [
        claim("on", "We back it.").model_copy(update={"speaker_mention": Span(start_char=0, end_char=len(m), text=m)})
        for m in ("Lee", "He", "who")
    ]
    scored = Pipeline(classifier=Scores(), targets=["the talks"]).classify(claims)
    assert [a.aliases for a in actor_stances(scored)] == [["Lee"]]


def test_a_mention_of_two_is_no_alias_of_one_but_names_a_pair():
    from pipeline.records import Span

    def said(mention, speaker):
        span = Span(start_char=0, end_char=len(mention), text=mention)
        return claim("on", "We back it.").model_copy(update={"speaker_mention": span, "speaker": speaker})

    names = ("Mr. Lee", "Lee and Democratic lawmakers", "Health and Labor Secretary Lee")
    one = [said(name, "Lee") for name in names]
    pair = [said("Mitt Romney and Mr. Ryan", "Mitt Romney and Paul D. Ryan")]
    scored = Pipeline(classifier=Scores(), targets=["the talks"]).classify(one)
    assert [a.aliases for a in actor_stances(scored)] == [["Health and Labor Secretary Lee", "Mr. Lee"]]
    scored = Pipeline(classifier=Scores(), targets=["the talks"]).classify(pair)
    assert [a.aliases for a in actor_stances(scored)] == [["Mitt Romney and Mr. Ryan"]]


def test_loading_the_sentence_encoder_prints_no_library_bar(capfd):
    from transformers.utils import logging as hf_logging

    from pipeline.models.sentences import SentenceEncoder

    hf_logging.enable_progress_bar()  # as a process starts, whatever other tests loaded before
    hf_logging.set_verbosity_warning()
    SentenceEncoder()
    assert "Loading weights" not in capfd.readouterr().err  # it opened `stance evaluate`'s output


class Near(FakeGate):
    """A gate whose every article passes, and whose paragraphs are as close to each target as ``near`` says."""

    def __init__(self, near: dict[str, list[float]]):
        super().__init__({})
        self.near, self.read = near, []

    def scores(self, articles, pairs, whole=None):
        return {pair: 0.6 for pair in pairs}

    def closeness(self, texts, targets):
        self.read.append(list(texts))
        return np.array([self.near[t] for t in texts])


def test_with_several_targets_a_claim_takes_a_side_only_toward_those_its_paragraph_is_about():
    text = "We stand ready to support an agreement.\n\nQuiet words.\n\nWe back the dam."
    claims = [
        Claim(
            article_id="a",
            claim_id=f"a:c{n}",
            text=t,
            start_char=(s := text.index(t)),
            end_char=s + len(t),
            kind="direct",
            speaker="Rao",
            actor_id="rao",
        )  # fmt: skip
        for n, t in enumerate(["We stand ready to support an agreement.", "Quiet words.", "We back the dam."])
    ]
    near = {"We stand ready to support an agreement.": [0.62, 0.31], "We back the dam.": [0.41, 0.55]}
    gate = Near(near)
    pipe = Pipeline(classifier=Scores(), targets=["the treaty", "the dam"], topic=gate, target_margin=0.2)
    found = {
        (c.text, c.target): (c.stance, c.closer_target) for c in pipe.classify(claims, [Article(id="a", text=text)])
    }
    assert found[("We stand ready to support an agreement.", "the treaty")] == ("favor", None)
    # .31 to the dam against .62 to the treaty: neutral toward the dam, and the claim says why (before: favor, .7)
    assert found[("We stand ready to support an agreement.", "the dam")] == ("neutral", "the treaty")
    assert found[("We back the dam.", "the treaty")] == ("favor", None)  # .41 is within .2 of .55: both
    assert found[("Quiet words.", "the dam")] == ("neutral", None)
    assert [sorted(r) for r in gate.read] == [sorted(near)]  # only the paragraphs of claims with a side are read
    # one target, or the margin off: the classifier's sides stand
    for single in (Pipeline(classifier=Scores(), targets=["the dam"], topic=Near(near), target_margin=0.2),
                   Pipeline(classifier=Scores(), targets=["the treaty", "the dam"], topic=Near(near))):  # fmt: skip
        assert all(
            c.stance != "neutral" or c.text == "Quiet words."
            for c in single.classify(claims, [Article(id="a", text=text)])
        )
    assert RunConfig(targets=["x"]).target_margin == 0.2
