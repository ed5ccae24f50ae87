import json
import re

import pytest

from pipeline.config import RunConfig, TrainConfig, load
from pipeline.errors import ConfigError, InputError
from pipeline.text import reader


def test_txt_with_sidecar_metadata(tmp_path):
    (tmp_path / "a.txt").write_text("Pompeo said talks can continue.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "T", "date": "2019-03-15"}), encoding="utf-8")
    [article] = reader.read_articles(tmp_path / "a.txt")
    assert (article.id, article.title, article.date) == ("a", "T", "2019-03-15")


def test_a_text_files_headline_is_its_title_unless_its_sidecar_gives_one(tmp_path):
    text = "Mediators press Israel, Hamas to accept ceasefire draft\n\nCAIRO (Reuters) - Egypt pressed both sides."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    [article] = reader.read_articles(tmp_path / "a.txt")
    assert article.title == "Mediators press Israel, Hamas to accept ceasefire draft" and article.text == text
    (tmp_path / "b.txt").write_text("The talks resumed on Monday.\n\nBoth sides said so.", encoding="utf-8")
    assert next(iter(reader.read_articles(tmp_path / "b.txt"))).title is None  # a lead sentence, not a headline
    (tmp_path / "c.txt").write_text('The mayor called it "a fair form."\n\nBoth sides agreed.', encoding="utf-8")
    assert next(iter(reader.read_articles(tmp_path / "c.txt"))).title is None  # a full stop inside the quote
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "T"}), encoding="utf-8")
    assert next(iter(reader.read_articles(tmp_path / "a.txt"))).title == "T"


def test_html_entities_that_scraping_left_are_the_characters_they_stand_for(tmp_path):
    rows = [{"id": "x", "text": "&quot;No deal,&quot; Pike said. The senator&rsquo;s office agreed &amp; left.",
             "title": "Pike &amp; the deal"}]  # fmt: skip
    (tmp_path / "a.jsonl").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    [article] = reader.read_articles(tmp_path / "a.jsonl")
    assert article.text == '"No deal," Pike said. The senator’s office agreed & left.'
    assert article.title == "Pike & the deal"
    (tmp_path / "b.txt").write_text("It is a &#8220;bad deal&#8221;, she said. AT&T said nothing.", encoding="utf-8")
    [article] = reader.read_articles(tmp_path / "b.txt")
    assert article.text == "It is a “bad deal”, she said. AT&T said nothing."  # "AT&T" is no entity


def test_folder_and_jsonl(tmp_path):
    (tmp_path / "one.txt").write_text("First.", encoding="utf-8")
    rows = [{"id": "x", "text": "Second.", "source": "AP"}, {"id": "y", "text": "Third.", "date": "2020-01-01"}]
    (tmp_path / "more.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ids = [a.id for a in reader.read_articles(tmp_path)]
    assert ids == ["x", "y", "one"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9 said".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_text_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(reader.read_articles(path))


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 2000, encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        list(reader.read_articles(path, max_chars=1000))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"not valid JSON: Expecting property name enclosed in double quotes at column 2 \(--skip-bad"),
        ('{"id": "a"}', "needs 'id' and 'text'"),
        ('{"id": "a", "text": "  "}', "empty"),
        ("[1, 2, 3]", "a JSON object with 'id' and 'text', not a list"),
    ],
)
def test_bad_jsonl(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        list(reader.read_articles(path))


def test_numbered_articles_are_read(tmp_path):
    path = tmp_path / "numbered.jsonl"
    path.write_text('{"id": 7, "text": "x"}\n', encoding="utf-8")
    assert [a.id for a in reader.read_articles(path)] == ["7"]


def test_duplicate_ids_in_jsonl(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate"):
        list(reader.read_articles(path))


def test_files_of_one_name_in_two_subfolders_are_two_articles(tmp_path):
    # before, both were "talks": the run wrote each article's claims twice and no report
    for sub, text in (("2019", "First."), ("2020", "Second.")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "talks.txt").write_text(text, encoding="utf-8")
    (tmp_path / "top.txt").write_text("Third.", encoding="utf-8")
    assert [(a.id, a.text) for a in reader.read_articles(tmp_path)] == [
        ("2019/talks", "First."),
        ("2020/talks", "Second."),
        ("top", "Third."),
    ]
    assert [a.id for a in reader.read_articles(tmp_path / "2019" / "talks.txt")] == ["talks"]


def test_an_id_in_two_files_of_a_folder_stops_the_run(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "x1", "text": "x"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x1", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"b.jsonl:1: duplicate article id 'x1' \(first in .*a.jsonl:1\)"):
        list(reader.read_articles(tmp_path))


def test_a_target_given_twice_is_one_target(tmp_path):
    from pipeline.config import RunConfig

    cfg = RunConfig(input=tmp_path, targets=["the talks", " the talks ", "the deal"], output=tmp_path / "out")
    assert cfg.targets == ["the talks", "the deal"]  # twice, every claim and count was doubled


def test_missing_input_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="not found"):
        list(reader.read_articles(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="no .txt"):
        list(reader.read_articles(tmp_path))


def test_config_unknown_key_is_named(write_config):
    path = write_config("input: a.txt\ntargets: [talks]\nbatchsize: 8\n")
    with pytest.raises(ConfigError, match="batchsize: unknown key"):
        load(path, RunConfig)


def test_config_malformed_yaml(write_config):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load(write_config("input: [a\ntargets: x\n"), RunConfig)
    with pytest.raises(ConfigError, match="mapping"):
        load(write_config("- just\n- a list\n"), RunConfig)


def test_config_paths_resolve_against_the_file(write_config, tmp_path):
    cfg = load(write_config("input: articles/a.txt\ntargets: [talks]\n"), RunConfig)
    assert cfg.input == (tmp_path / "articles" / "a.txt").resolve()


def test_config_validates_values(write_config):
    with pytest.raises(ConfigError, match="targets"):
        load(write_config("input: a.txt\ntargets: []\n"), RunConfig)
    with pytest.raises(ConfigError, match="corpus"):
        load(write_config("sources: [{corpus: twitter}]\ndev: [{corpus: semeval}]\n"), TrainConfig)
    with pytest.raises(ConfigError, match="precision"):
        load(write_config("input: a.txt\ntargets: [talks]\nprecision: fp16\n"), RunConfig)
    with pytest.raises(ConfigError, match="exclude each other"):
        load(write_config("input: a.txt\ntargets: [talks]\nquantize: true\nprecision: bf16\n"), RunConfig)
    assert load(write_config("input: a.txt\ntargets: [talks]\nquantize: true\n"), RunConfig).precision == "auto"


def test_training_configs_pick_their_schema_by_task(write_config):
    from pipeline.config import SpeakerTrainConfig, TaggerTrainConfig, training_config

    stance = write_config("sources: [{corpus: semeval}]\ndev: [{corpus: semeval}]\n")
    assert (
        isinstance(training_config(stance, {"seed": 7}), TrainConfig) and training_config(stance, {"seed": 7}).seed == 7
    )
    assert isinstance(training_config(write_config("task: tagger\nlayers: 3\n", "t.yaml")), TaggerTrainConfig)
    assert isinstance(training_config(write_config("task: speakers\ntrees: 5\n", "s.yaml")), SpeakerTrainConfig)
    with pytest.raises(ConfigError, match="task: 'ranker' is not one of stance, tagger, speakers"):
        training_config(write_config("task: ranker\n", "r.yaml"))
    with pytest.raises(ConfigError, match="layers: unknown key"):
        training_config(write_config("layers: 3\nsources: [{corpus: semeval}]\ndev: [{corpus: semeval}]\n", "x.yaml"))


def test_an_article_not_in_english_is_warned_of(tmp_path, caplog):
    path = tmp_path / "fr.txt"
    path.write_text(
        "Le président Emmanuel Macron a déclaré mardi que la France soutiendrait un cessez-le-feu à Gaza. « Nous "
        "devons protéger les civils », a-t-il dit devant la presse, ajoutant que les négociations se poursuivraient.",
        encoding="utf-8",
    )
    english = tmp_path / "en.txt"
    english.write_text("Senator Chuck Schumer said on Tuesday that the deal was good for the country. " * 2, "utf-8")
    with caplog.at_level("WARNING", logger="stance"):
        assert len(list(reader.read_articles(path))) == 1
        list(reader.read_articles(english))
    assert [r.getMessage() for r in caplog.records] == [
        "article 'fr' does not read as English (6% of its words are English function words): claims are found in "
        "English text only"
    ]


def _labeled_file(tmp_path, *articles):
    import json

    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def _article(id, split="dev", event="talks", **extra):
    text = "Ann Lee said the deal was good."
    claim = {"start_char": 12, "end_char": 30, "speaker": "Ann Lee", "stance": "favor"}
    return {"id": id, "text": text, "split": split, "event": event, "target": "the deal", "claims": [claim], **extra}


@pytest.mark.parametrize(
    "articles, message",
    [
        ([_article("a"), _article("a")], "mine.jsonl:2: duplicate article id 'a' (first on line 1)"),
        ([_article("a", split="Dev")], "mine.jsonl:1: split 'Dev' is none of train, dev, test, seed"),
        (
            [_article("a", split="train"), _article("b", split="dev")],
            "mine.jsonl:2: event 'talks' is in dev here and in train on line 1",
        ),
        ([{**_article("a"), "claims": [{"start_char": 12, "end_char": 30, "stance": "support"}]}], "claims.0.stance: "),
        (
            [_article("a"), {**_article("b"), "claims": [{"start_char": 12, "end_char": 30, "speaker_start_char": 0}]}],
            "mine.jsonl:2: b: claims.0: give both speaker_start_char and speaker_end_char, or neither",
        ),
        (
            [
                {
                    **_article("a"),
                    "claims": [{"start_char": 12, "end_char": 30, "cue_start_char": 8, "cue_end_char": 99}],
                }
            ],
            "mine.jsonl:1: a: claims.0: cue_start_char..cue_end_char 8..99 is outside the text (31 chars)",
        ),
        (
            [{**_article("a"), "claims": [{"start_char": 14, "end_char": 31, "text": "the deal was good"}]}],
            "mine.jsonl:1: a: claims.0: start_char..end_char 14..31 reads 'he deal was good.', not its text",
        ),
        (
            [_article("a", actors=[{"name": "Lee", "stance": "favor"}])],
            "mine.jsonl:1: a: actors.0 'Lee' is no claim's speaker (speakers: 'Ann Lee')",
        ),
    ],
)
def test_a_labeled_file_that_would_give_a_meaningless_score_stops_with_one_line(tmp_path, articles, message):
    from pipeline.data import standoff

    # before: the duplicate and the event in two splits were read (a dev score on training claims), the split
    # "Dev" was no split at all, and a bad label printed pydantic's four-line report
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        list(standoff.read(_labeled_file(tmp_path, *articles), tmp_path))
    assert "\n" not in str(caught.value)


def test_labeled_articles_without_a_split_are_warned_of(tmp_path, caplog):
    from pipeline.data import standoff

    unsplit = {k: v for k, v in _article("b").items() if k != "split"}
    with caplog.at_level("WARNING", logger="stance"):
        assert len(list(standoff.read(_labeled_file(tmp_path, _article("a"), unsplit), tmp_path))) == 2
    assert "1 article(s) without a split (line 2) are in no split" in caplog.text


def test_labeled_articles_and_claims_left_out_of_the_stance_examples_are_counted(tmp_path, caplog):
    import logging

    from pipeline.data import examples

    no_target = {k: v for k, v in _article("b").items() if k != "target"}
    no_stance = _article("c")
    no_stance["claims"][0]["stance"] = None
    path = _labeled_file(tmp_path, _article("a"), no_target, no_stance)
    with caplog.at_level(logging.WARNING, logger="stance"):
        found = examples.from_labeled(path, "dev", tmp_path, object_verb=False)
    assert len(found) == 1  # before: the other two went without a word, and the score changed
    assert "1 article(s) without a target and 1 claim(s) without a stance are left out" in caplog.text


def test_a_second_stage_cannot_overwrite_the_model_it_starts_from(tmp_path):
    from pydantic import ValidationError

    from pipeline.config import TrainConfig

    model = tmp_path / "mine"
    with pytest.raises(ValidationError, match="output is the model init_from starts from"):
        TrainConfig(sources=[{"corpus": "semeval"}], dev=[{"corpus": "semeval"}], init_from=model, output=model)


def test_the_readme_example_of_a_labeled_article_reads(tmp_path):
    import json
    from pathlib import Path

    from pipeline.data import examples

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Your own annotated articles", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(json.loads(block)) + "\n", encoding="utf-8")
    [found] = examples.from_labeled(path, "dev", tmp_path, object_verb=False)
    assert (found.text, found.label, found.target) == ("the deal was good", "favor", "the budget deal")


def test_the_annotation_checker_prints_one_line_for_a_bad_file(tmp_path, capsys, monkeypatch):
    from pipeline.data import standoff

    monkeypatch.setenv("STANCE_DATA", str(tmp_path))
    bad = {**_article("a"), "claims": [{"start_char": 12, "end_char": 99}]}
    assert standoff._check_main(["check", str(_labeled_file(tmp_path, bad))]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "start_char..end_char 12..99 is outside the text" in err
    assert err.count("\n") == 1  # before: a traceback
