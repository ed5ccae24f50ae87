"""The Pipeline object: the stages built from one config, the same records one article at a time or in a stream."""

from __future__ import annotations

from pipeline.config import RunConfig
from pipeline.pipeline import Pipeline
from pipeline.records import LABELS, Article
from tests.conftest import SEED


def test_one_article_and_a_stream_give_the_same_records(tiny_model, tmp_path):
    cfg = RunConfig(input=SEED, targets=["the talks", "the sanctions"], model=tiny_model, output=tmp_path / "out")
    pipe = Pipeline.from_config(cfg)
    text = SEED.read_text(encoding="utf-8")
    first, second = Article(id="a", text=text), Article(id="b", text=text[: len(text) // 2])
    claims, actors = pipe(first)
    assert claims and actors
    assert len(claims) == 2 * len({c.claim_id for c in claims})  # one record per (claim, target)
    for claim in claims:
        assert claim.target in cfg.targets
        if claim.stance is None:  # an article the topic check found not about this target
            assert claim.topic < cfg.topic_threshold
            continue
        assert claim.stance in LABELS
        assert text[claim.start_char : claim.end_char] == claim.text
        assert claim.stance == max(claim.scores, key=claim.scores.get)
    streamed = list(pipe.pipe([first, second], batch_size=2))
    assert [a.id for a, _, _ in streamed] == ["a", "b"]
    assert streamed[0][1] == claims and streamed[0][2] == actors
    assert all(c.article_id == "b" for c in streamed[1][1])


def test_extraction_alone_loads_no_classifier(tmp_path):
    cfg = RunConfig(input=SEED, targets=["the talks"], model=tmp_path / "no-model-here", output=tmp_path / "out")
    pipe = Pipeline.from_config(cfg, classify=False)
    [(article, claims)] = pipe.extract([Article(id="a", text=SEED.read_text(encoding="utf-8"))])
    assert pipe.classifier is None and claims and all(c.stance is None for c in claims)


def test_a_stream_with_one_article_id_twice_is_refused():
    import pytest

    from pipeline.errors import InputError

    # before: both claims came back with each article, both numbered x:c001, one with offsets into the other's text
    twice = [Article(id="x", text='"The deal is bad," Okafor said.'), Article(id="x", text="Lindqvist agreed.")]
    with pytest.raises(InputError, match="duplicate article id 'x'"):
        list(Pipeline().pipe(twice))


def test_a_stream_reads_each_article_as_stance_run_reads_a_file(tiny_model):
    pipe = Pipeline.from_config(RunConfig(targets=["the deal"], model=tiny_model, topic_check=False))
    scraped = Article(id="s", text="&quot;The deal is dead,&quot; Senator Ann Pike said.\r\n", date="Jan 8, 2025")
    [(article, claims, _)] = pipe.pipe([scraped])
    # before: the entities stayed, no quotation was found, and the date was left as given
    assert article.text == '"The deal is dead," Senator Ann Pike said.\n' and article.date == "2025-01-08"
    assert [(c.text, c.speaker) for c in claims] == [("The deal is dead", "Ann Pike")]
    assert all(article.text[c.start_char : c.end_char] == c.text for c in claims)
