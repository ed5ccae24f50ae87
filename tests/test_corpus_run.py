"""Corpus runs: resumable output, actors unified across articles, the corpus summary and the HTML report."""

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.actors.corpus import summarise, unify_actors
from pipeline.config import RunConfig
from pipeline.errors import InputError, ModelError
from pipeline.records import Claim, Span
from pipeline.run.engine import run
from pipeline.run.report import report_from_folder

ARTICLES = [
    {
        "id": "a1",
        "date": "2019-02-01",
        "source": "AP",
        "text": "Secretary of State Mike Pompeo arrived in Hanoi.\n\n“We are hopeful about the talks,” Pompeo said.",
    },
    {
        "id": "a2",
        "date": "2019-02-10",
        "source": "AP",
        "text": "Choe Son Hui said North Korea would not yield to the demands.\n\n“We will walk away,” Choe said.",
    },
    {
        "id": "a3",
        "date": "2019-02-20",
        "source": "Reuters",
        "text": "“Diplomacy with North Korea is still alive,” Pompeo said on Monday. Bolton said the statement was "
        "inaccurate.",
    },
    {
        "id": "a4",
        "date": "2019-03-01",
        "source": "Reuters",
        "text": "Stephen Biegun told reporters that the two nations remain closely engaged.",
    },
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


def config(corpus, tiny_model, out, **extra):
    settings = {"chunk_articles": 2, **extra}
    # a target every article is about, for the topic check
    return RunConfig(input=corpus, targets=["the talks with North Korea"], model=tiny_model, output=out, **settings)


def read(folder, name):
    return (folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("processes", [1, 2])
def test_interrupted_run_resumes_to_the_same_output(corpus, tiny_model, tmp_path, processes):
    whole = tmp_path / "whole"
    run(config(corpus, tiny_model, whole))

    parted = tmp_path / "parted"
    seen = []

    def stop_after_two(article, n_claims):
        seen.append(article.id)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(config(corpus, tiny_model, parted, parse_processes=processes), progress=stop_after_two)
    manifest = [json.loads(line)["id"] for line in read(parted, "articles.jsonl").splitlines()]
    assert manifest == ["a1", "a2", "a3"]
    # a crash mid-write: a torn line, and lines of an article that never reached the manifest
    with (parted / "claims.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"article_id": "a4", "claim_id": "a4:c001"}) + "\n" + '{"article_id": "a4", "cla')

    resumed = run(config(corpus, tiny_model, parted, parse_processes=processes))
    assert resumed.skipped == 3
    for name in ("claims.jsonl", "actors.jsonl", "actor_summary.jsonl", "articles.jsonl"):
        assert read(parted, name) == read(whole, name), name


def test_resuming_redoes_a_changed_article_and_drops_a_removed_one(corpus, tiny_model, tmp_path):
    out = tmp_path / "out"
    run(config(corpus, tiny_model, out, formats=["jsonl", "csv"]))
    changed = [dict(ARTICLES[0], text=ARTICLES[0]["text"].replace("hopeful", "doubtful")), *ARTICLES[1:3]]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in changed), encoding="utf-8")
    resumed = run(config(corpus, tiny_model, out))  # csv not asked for again: the table is rewritten all the same
    assert (resumed.skipped, resumed.stale) == (2, 2)  # a1 done again, a4 dropped
    manifest = [json.loads(line)["id"] for line in read(out, "articles.jsonl").splitlines()]
    assert sorted(manifest) == ["a1", "a2", "a3"]
    claims = [json.loads(line) for line in read(out, "claims.jsonl").splitlines()]
    assert "a4" not in {c["article_id"] for c in claims}
    texts = {a["id"]: a["text"] for a in changed}
    assert any("doubtful" in c["text"] for c in claims)
    assert all(texts[c["article_id"]][c["start_char"] : c["end_char"]] == c["text"] for c in claims)
    assert "doubtful" in read(out, "claims.csv") and "a4" not in read(out, "claims.csv")
    # the article done again is in its input place: the files are those of a fresh run on the changed input
    run(config(corpus, tiny_model, tmp_path / "fresh", formats=["jsonl", "csv"]))
    for name in ("claims.jsonl", "actors.jsonl", "actor_summary.jsonl", "articles.jsonl", "claims.csv"):
        assert read(out, name) == read(tmp_path / "fresh", name), name
    again = run(config(corpus, tiny_model, out))
    assert (again.skipped, again.stale) == (3, 0)
    # a folder written before fingerprints is not done again whole: only what left the input goes
    rows = [json.loads(line) for line in read(out, "articles.jsonl").splitlines()]
    older_rows = [{k: v for k, v in r.items() if k != "fingerprint"} for r in rows]
    (out / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in older_rows), encoding="utf-8")
    older = run(config(corpus, tiny_model, out))
    assert (older.skipped, older.stale) == (3, 0)


def test_targets_in_another_order_resume_and_the_report_is_rebuilt(corpus, tiny_model, tmp_path):
    out = tmp_path / "out"
    run(config(corpus, tiny_model, out).model_copy(update={"targets": ["the talks with North Korea", "diplomacy"]}))
    run(config(corpus, tiny_model, out).model_copy(update={"targets": ["diplomacy", "the talks with North Korea"]}))
    assert report_from_folder(out).is_file()


def test_a_run_resumes_from_another_folder_with_the_input_written_another_way(
    corpus, tiny_model, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    run(config(Path(corpus.name), tiny_model, out))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    # before: "holds a run with other settings (input)", the stored input being the path as typed
    result = run(config(Path("..") / corpus.name, tiny_model, out))
    assert result.stale == 0 and result.articles == len(ARTICLES)


def test_an_output_folder_that_cannot_be_created_stops_the_run_before_any_work(corpus, tiny_model, tmp_path):
    with pytest.raises(InputError, match="cannot write the output folder /proc/x/out"):
        run(config(corpus, tiny_model, "/proc/x/out"))


def test_background_classifier_and_worker_processes_give_the_same_output(corpus, tiny_model, tmp_path, monkeypatch):
    from pipeline.classify.classifier import StanceClassifier

    def hopeful_is_favor(self, targets, texts, *rest):  # the tiny model reads everything as neutral
        side, none = {"favor": 0.6, "against": 0.2, "neutral": 0.2}, {"favor": 0.1, "against": 0.1, "neutral": 0.8}
        return [side if "hopeful" in text else none for text in texts]

    monkeypatch.setattr(StanceClassifier, "predict", hopeful_is_favor)  # forked workers inherit it
    run(config(corpus, tiny_model, tmp_path / "inline", background_classifier=False))
    run(config(corpus, tiny_model, tmp_path / "background", chunk_articles=1))
    run(config(corpus, tiny_model, tmp_path / "processes", chunk_articles=1, parse_processes=2))
    # with a GPU the workers only parse and this process scores
    monkeypatch.setattr("pipeline.run.engine.gpu_present", lambda cfg: True)
    run(config(corpus, tiny_model, tmp_path / "parse-only workers", chunk_articles=1, parse_processes=2, device="cpu"))
    for name in ("claims.jsonl", "actors.jsonl", "actor_summary.jsonl"):
        for other in ("background", "processes", "parse-only workers"):
            assert read(tmp_path / other, name) == read(tmp_path / "inline", name), (other, name)
    # each path gave the topic check its articles: the same values, where a claim took a side
    claims = [json.loads(line) for line in read(tmp_path / "inline", "claims.jsonl").splitlines()]
    assert any(c["topic"] is not None for c in claims)


def test_a_model_the_workers_cannot_load_stops_the_run_before_anything_is_written(corpus, tiny_model, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    out = tmp_path / "out"
    with pytest.raises(ModelError, match="cannot load the stance model"):
        run(config(corpus, broken, out, chunk_articles=1, parse_processes=2))
    assert not out.exists()


def test_a_run_with_other_settings_is_not_resumed(corpus, tiny_model, tmp_path):
    out = tmp_path / "out"
    run(config(corpus, tiny_model, out))
    other = RunConfig(input=corpus, targets=["another target"], model=tiny_model, output=out)
    with pytest.raises(InputError, match="other settings"):
        run(other)
    result = run(other, fresh=True)
    assert {c.target for c in result.claims} == {"another target"}


def test_actors_are_one_across_articles(corpus, tiny_model, tmp_path):
    result = run(config(corpus, tiny_model, tmp_path / "out"))
    pompeo = {c.actor_id for c in result.claims if c.speaker and "Pompeo" in c.speaker}
    assert pompeo == {"mike-pompeo"}
    summary = {s.actor: s for s in result.summary}
    assert summary["Mike Pompeo"].articles == 2
    assert summary["Mike Pompeo"].first_date == "2019-02-01"
    assert summary["Mike Pompeo"].last_date == "2019-02-20"
    assert [p.date for p in summary["Mike Pompeo"].timeline] == ["2019-02-01", "2019-02-20"]
    assert summary["Choe Son Hui"].evidence


def test_the_evidence_of_a_mixed_record_shows_each_side_it_took():
    def scored(n, stance, p):
        rest = (1 - p) / 2
        c = claim(n, "Ann Holloway").model_copy(update={"target": "the talks", "stance": stance})
        c.scores = {label: p if label == stance else rest for label in ("favor", "against", "neutral")}
        return c

    labels = [("favor", 0.9), ("favor", 0.8), ("against", 0.6)] + [("neutral", 0.95)] * 4
    claims = [scored(n, stance, p) for n, (stance, p) in enumerate(labels)]
    [summary] = summarise(claims, {})
    assert summary.counts == {"favor": 2, "against": 1, "neutral": 4}
    # before: her two favor claims and a neutral one, whose favor score beat the against claim's
    assert [e.stance for e in summary.evidence] == ["favor", "favor", "against"]


def test_cli_prints_the_corpus_summary(corpus, tiny_model, tmp_path, write_config):
    from typer.testing import CliRunner

    from pipeline.cli import app

    cfg = write_config(
        f"input: {corpus}\ntargets: [the talks with North Korea]\nmodel: {tiny_model}\noutput: {tmp_path / 'out'}\n"
    )
    result = CliRunner().invoke(app, ["run", str(cfg)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and "2019-02-01 to 2019-02-20" in result.output  # Mike Pompeo's row
    assert "4 article(s)" in result.output
    assert "were done by an earlier run" not in result.output
    result = CliRunner().invoke(app, ["run", str(cfg)], env={"COLUMNS": "200"})
    assert "4 article(s) were done by an earlier run into this folder and kept (--fresh: redo)" in result.output


def test_the_summary_lists_targets_in_the_order_given():
    claims = [
        claim(1, "Ann Holloway").model_copy(
            update={"target": t, "stance": "favor", "scores": {"favor": 0.8, "against": 0.1, "neutral": 0.1}}
        )
        for t in ("the treaty", "the dam")
    ]
    assert [s.target for s in summarise(claims, {}, ["the treaty", "the dam"])] == ["the treaty", "the dam"]
    assert [s.target for s in summarise(claims, {})] == ["the dam", "the treaty"]  # none given: by name


def claim(n, speaker, kind=None):
    return Claim(
        article_id=f"a{n}",
        claim_id=f"a{n}:c1",
        text=f"words {n}",
        start_char=0,
        end_char=1,
        kind="direct",
        speaker=speaker,
        actor_id=speaker.lower(),
        speaker_kind=kind,
    )


def said(n, speaker, mention, kind):
    """Claim ``n`` of article ``a{n // 10}``, whose speaker is named by ``mention``."""
    c = claim(n, speaker, kind)
    c.article_id, c.claim_id = f"a{n // 10}", f"a{n // 10}:c{n}"
    c.speaker_mention = Span(start_char=0, end_char=len(mention), text=mention)
    return c


def test_groups_are_not_read_as_personal_names():
    groups = [claim(1, "Democrats", "group"), claim(2, "House Democrats", "group"), claim(3, "prosecutors", "group"),
              claim(4, "Federal prosecutors", "group"), claim(5, "owners of businesses", "group")]  # fmt: skip
    assert [c.speaker for c in unify_actors(groups)] == [c.speaker for c in groups]
    # a bare surname the article took for a group still joins the person
    out = unify_actors([claim(1, "LaBolt", "group"), claim(2, "Ben LaBolt", "person")])
    assert [c.speaker for c in out] == ["Ben LaBolt", "Ben LaBolt"]
    # but not a description that reads like a surname: "the deal" is no Governor Nathan Deal
    out = unify_actors([claim(1, "deal", "group"), claim(2, "Nathan Deal", "person")])
    assert [c.speaker for c in out] == ["deal", "Nathan Deal"]
    # nor a group written with an article, in capitals or as a function word
    guardian = claim(1, "Guardian", "group")
    guardian.speaker_mention = Span(start_char=0, end_char=12, text="The Guardian")
    others = [("Don Guardian", "person"), ("WASHINGTON", "group"), ("George Washington", "person"),
              ("One", "group"), ("Joe One", "person")]  # fmt: skip
    out = unify_actors([guardian] + [claim(n, name, kind) for n, (name, kind) in enumerate(others, 2)])
    assert [c.speaker for c in out] == ["Guardian"] + [name for name, _ in others]
    names = ["diGenova", "Joe diGenova", "al-Assad", "Bashar al-Assad"]
    out = unify_actors([claim(i, name) for i, name in enumerate(names, 1)])
    assert [c.speaker for c in out] == ["Joe diGenova", "Joe diGenova", "Bashar al-Assad", "Bashar al-Assad"]


def test_a_name_the_parser_calls_a_place_or_organisation_joins_only_a_person_speaking_there():
    def tagged(n, name, entity):
        c = said(n, name, name, "group")
        c.speaker_entity = entity
        return c

    claims = [
        said(10, "Randy Forbes", "Rep. Randy Forbes", "person"),
        tagged(20, "Forbes", "ORG"),  # "Forbes says it tracks ...": the magazine
        said(30, "Steve Israel", "Rep. Steve Israel", "person"),
        tagged(40, "Israel", "GPE"),
        said(50, "Paul LePage", "Gov. Paul LePage", "person"),
        tagged(51, "LePage", "ORG"),  # the tagger's slip, in an article where he speaks
        said(60, "Jon Husted", "Secretary of State Jon Husted", "person"),
        tagged(70, "Husted", None),  # no entity type: a surname the article did not know
        said(80, "Amara Nwosu", "Amara Nwosu", "person"),
        tagged(90, "Nwosu", "NORP"),  # "Nwosu insisted": a nationality to the tagger, and no nationality speaks
        said(91, "Jo Israeli", "Jo Israeli", "person"),
        tagged(92, "Israelis", "NORP"),  # a nationality in the plural stays one
    ]
    out = {c.claim_id: (c.speaker, c.speaker_kind) for c in unify_actors(claims)}
    assert out["a2:c20"] == ("Forbes", "group")
    assert out["a4:c40"] == ("Israel", "group")
    assert out["a5:c51"] == ("Paul LePage", "person")
    assert out["a7:c70"] == ("Jon Husted", "person")
    assert out["a9:c90"] == ("Amara Nwosu", "person")
    assert out["a9:c92"] == ("Israelis", "group")


def test_unify_keeps_ambiguous_surnames_apart():
    out = unify_actors(
        [claim(1, "Bush"), claim(2, "George Bush"), claim(3, "Jeb Bush"), claim(4, "Kerry"), claim(5, "John Kerry")]
    )
    assert [c.speaker for c in out] == ["Bush", "George Bush", "Jeb Bush", "John Kerry", "John Kerry"]
    assert out[3].actor_id == "john-kerry"


def test_a_family_name_written_first_joins_its_full_name_but_never_a_given_name():
    out = unify_actors([claim(1, "Choe"), claim(2, "Choe Son Hui"), claim(3, "Donald"), claim(4, "Donald Trump")])
    assert [c.speaker for c in out] == ["Choe Son Hui", "Choe Son Hui", "Donald", "Donald Trump"]
    two = unify_actors([claim(1, "Kim"), claim(2, "Kim Jong Un"), claim(3, "Kim Yo Jong")])
    assert [c.speaker for c in two] == ["Kim", "Kim Jong Un", "Kim Yo Jong"]


def test_a_nickname_joins_the_one_person_it_can_stand_for():
    out = unify_actors(
        [claim(1, "Dick Durbin"), claim(2, "Richard J. Durbin"), claim(3, "Durbin"), claim(4, "Dick Durbin")]
    )
    assert {c.speaker for c in out} == {"Dick Durbin"}
    names = [
        "Chris Smith",
        "Christopher Smith",
        "Christine Smith",
        "Bill Clinton",
        "William Clinton",
        "Hillary Clinton",
    ]
    out = unify_actors([claim(i, name) for i, name in enumerate(names)])
    assert [c.speaker for c in out] == ["Chris Smith", "Christopher Smith", "Christine Smith", "Bill Clinton",
                                        "Bill Clinton", "Hillary Clinton"]  # fmt: skip
    # loose links of the nicknames data stay apart; a nickname with a namesake keeps to it
    names = ["Ron Johnson", "Aaron Johnson", "Ian Smith", "John Smith", "Max Cole", "Maxine Cole", "Mike Rogers",
             "Mike D. Rogers", "Michael J. Rogers"]  # fmt: skip
    out = unify_actors([claim(i, name) for i, name in enumerate(names)])
    assert [c.speaker for c in out] == names[:7] + ["Mike Rogers", "Michael J. Rogers"]


def test_report_renders_chart_table_and_highlighted_evidence(corpus, tiny_model, tmp_path):
    out = tmp_path / "out"
    run(config(corpus, tiny_model, out, report=True))
    html = read(out, "report.html")
    assert "<svg" in html and "<polyline" in html and "<table" in html
    assert "<mark>We are hopeful about the talks</mark>" in html
    assert "AP · 2019-02-01 · quote" in html  # the outlet, and the kind in words
    assert html.count('<tr><td class="date">2019-') == 4  # the articles table
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # self-contained
    (out / "report.html").unlink()
    assert report_from_folder(out).is_file()


def test_every_target_has_its_section_in_the_order_given_with_its_own_anchors(corpus, tiny_model, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = tmp_path / "out"
    targets = ["the talks with North Korea", "the football transfer window", "The Talks With North Korea"]
    args = ["run", str(corpus), "-m", str(tiny_model), "-o", str(out)] + [x for t in targets for x in ("-t", t)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # no article is about football: before, the target was in neither the terminal nor the report
    assert "Stance toward: the football transfer window: no actor has a claim toward it (4 article(s) set aside" in (
        " ".join(result.output.split())
    )
    html = read(out, "report.html")
    assert [html.index(f"Stance toward: {t}<") for t in targets] == sorted(
        html.index(f"Stance toward: {t}<") for t in targets
    )
    assert "No actor has a claim toward this target (4 article(s) set aside by the topic check)." in html
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and "the-talks-with-north-korea-2-mike-pompeo" in ids


def test_report_needs_a_finished_run(tmp_path):
    with pytest.raises(InputError, match="not a finished run"):
        report_from_folder(tmp_path)


def test_report_refuses_a_run_in_progress_and_a_fresh_run_drops_the_old_summary(corpus, tiny_model, tmp_path):
    out = tmp_path / "out"
    run(config(corpus, tiny_model, out, formats=["jsonl", "parquet"]))
    assert (out / "finished.json").is_file() and (out / "report.html").is_file()  # 4 articles: a report by default
    assert (out / "timeline.parquet").is_file() and (out / "articles.parquet").is_file()
    # a fresh run toward another target stops after its first chunk: the old summary must not become its report
    other = config(corpus, tiny_model, out, report=False, topic_check=False).model_copy(
        update={"targets": ["another deal"]}
    )

    def stop(article, n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(other, progress=stop, fresh=True)
    assert not (out / "actor_summary.jsonl").exists() and not (out / "finished.json").exists()
    # every table of the old run goes (a new user's notebook read the old target's timeline.parquet)
    assert not list(out.glob("*.parquet"))
    with pytest.raises(InputError, match="not a finished run .*finished.json"):
        report_from_folder(out)
    run(other)  # resumes and finishes
    assert report_from_folder(out).is_file()
    html = read(out, "report.html")
    assert "Stance toward: another deal" in html and "Stance toward: the talks with North Korea" not in html


def test_one_actor_per_person_across_articles_and_two_for_two_people():
    from pipeline.actors.corpus import _canonical_names

    names = {"Donald Trump": 10, "Trump": 5, "President Trump": 3, "Donald Trump Jr.": 1, "Hillary Clinton": 4,
             "Hillary Rodham Clinton": 2, "Bill Clinton": 3, "Clinton": 2, "Susan E. Rice": 1, "Susan Rice": 3,
             "George W. Bush": 3, "George H.W. Bush": 1, "George Bush": 1, "Jeb Bush": 2, "Bush": 1,
             "Felipe Calderón": 1, "Felipe Calderon": 2, "Sen. Susan Collins": 1, "Collins": 2}  # fmt: skip
    from collections import Counter

    mapping = _canonical_names(Counter(names))
    assert mapping == {
        "Trump": "Donald Trump", "President Trump": "Donald Trump", "Hillary Rodham Clinton": "Hillary Clinton",
        "Susan E. Rice": "Susan Rice", "Felipe Calderón": "Felipe Calderon", "Collins": "Sen. Susan Collins",
    }  # fmt: skip
    # two Clintons, three Bushes and Donald Trump Jr. stay themselves; a bare "Clinton" or "Bush" is left alone
    claims = [claim(i, name) for i, name in enumerate(n for n, count in names.items() for _ in range(count))]
    ids = {c.speaker: u.actor_id for c, u in zip(claims, unify_actors(claims), strict=True)}
    assert ids["Felipe Calderón"] == "felipe-calderon" and ids["President Trump"] == "donald-trump"
    assert len({ids[n] for n in ("Hillary Clinton", "Bill Clinton", "Clinton")}) == 3


def test_owned_groups_and_lists_follow_their_members():
    out = unify_actors(
        [
            claim(1, "Hillary Clinton", "person"),
            claim(2, "Hillary Rodham Clinton's aides", "group"),
            claim(3, "Nebraska and Oklahoma", "group"),
            claim(4, "Oklahoma and Nebraska", "group"),
            claim(5, "Nebraska and Oklahoma", "group"),
            claim(6, "Nebraska, Oklahoma and Kansas", "group"),
        ]  # fmt: skip
    )
    assert [c.speaker for c in out] == ["Hillary Clinton", "Hillary Clinton's aides", "Nebraska and Oklahoma",
                                        "Nebraska and Oklahoma", "Nebraska and Oklahoma",
                                        "Nebraska, Oklahoma and Kansas"]  # fmt: skip
    assert out[1].actor_id == "hillary-clinton-s-aides"


def test_group_owners_and_list_members_do_not_merge_bare_group_names():
    out = unify_actors([claim(1, "House", "group"), claim(2, "White House's spokesman", "group")])
    assert [c.speaker for c in out] == ["House", "White House's spokesman"]
    out = unify_actors([claim(1, "Chuck Schumer", "person"), claim(2, "Nancy Pelosi", "person"),
                        claim(3, "Schumer and Pelosi", "group"), claim(4, "Nancy Pelosi and Chuck Schumer", "group"),
                        claim(5, "Nancy Pelosi and Chuck Schumer", "group")])  # fmt: skip
    assert out[2].speaker == "Nancy Pelosi and Chuck Schumer"


def test_names_with_lower_case_particles_are_personal_names():
    names = ["Bashar al-Assad", "President Bashar al-Assad", "Charles de Gaulle", "Gen. Charles de Gaulle"]
    out = unify_actors([claim(i, name, "person") for i, name in enumerate(names)])
    assert [c.speaker for c in out] == ["Bashar al-Assad", "Bashar al-Assad", "Charles de Gaulle", "Charles de Gaulle"]


def test_a_bare_surname_joins_the_one_person_its_article_allows():
    from pipeline.records import Span

    def said(article, speaker, mention, kind="person"):
        c = claim(0, speaker, kind)
        return c.model_copy(
            update={"article_id": article, "speaker_mention": Span(start_char=0, end_char=len(mention), text=mention)}
        )

    corpus = [
        said("a1", "Donald Trump", "President Donald Trump"),
        said("a2", "Melania Trump", "the first lady"),
        said("a2", "Melania Trump", "Mrs. Trump"),
        said("a3", "Ivanka Trump", "Ivanka Trump"),
        said("a4", "Trump", "Mr. Trump"),  # a man: Donald
        said("a5", "Trump", "President Trump"),  # the office only he is given
        said("a6", "Trump", "Trump"),  # nothing to go by: stays apart
        said("a7", "Trump", "she"),  # one pronoun is not enough
        said("a8", "Trump", "Mrs. Trump"),  # a woman, but two are named in full
        said("a9", "Donald Trump Jr.", "Donald Trump Jr."),
        said("a9", "Donald Trump Jr.", "Mr. Trump"),  # his own article calls him "Mr. Trump": still the son
        said("b1", "Lindsey Graham", "Sen. Lindsey Graham"),
        said("b1", "Lindsey Graham", "Mr. Graham"),
        said("b1", "Lindsey Graham", "Mr. Graham"),
        said("b2", "Franklin Graham", "the Rev. Franklin Graham"),
        said("b3", "Graham", "Mr. Graham"),  # two Grahams, both men: the given name "Lindsey" does not decide
    ]
    out = [c.speaker for c in unify_actors(corpus)]
    assert out[4:9] == ["Donald Trump", "Donald Trump", "Trump", "Trump", "Trump"]
    assert out[9:11] == ["Donald Trump Jr.", "Donald Trump Jr."]
    assert out[15] == "Graham"


def test_a_description_is_the_one_person_speaking_there_whom_another_article_describes_so():
    claims = [
        said(10, "Ben Carson", "retired neurosurgeon Ben Carson", "person"),
        said(11, "Marco Rubio", "Sen. Marco Rubio", "person"),
        said(12, "Bill Nelson", "Florida Sen. Bill Nelson", "person"),
        said(20, "Ben Carson", "Carson", "person"),
        said(21, "retired neurosurgeon", "the retired neurosurgeon", "group"),
        said(22, "senators", "the senators", "group"),
        said(23, "campaign", "the campaign", "group"),
        said(30, "Marco Rubio", "Rubio", "person"),
        said(31, "Florida senator", "the Florida senator", "group"),
        said(40, "Marco Rubio", "Rubio", "person"),
        said(41, "Bill Nelson", "Nelson", "person"),
        said(42, "senator", "the senator", "group"),
        said(50, "Bill Nelson", "Nelson", "person"),
        said(51, "Florida senator", "the Florida senator", "group"),
    ]
    out = {(c.article_id, c.claim_id): (c.speaker, c.speaker_kind) for c in unify_actors(claims)}
    assert out[("a2", "a2:c21")] == ("Ben Carson", "person")
    assert out[("a2", "a2:c22")] == ("senators", "group")
    assert out[("a2", "a2:c23")] == ("campaign", "group")
    assert out[("a3", "a3:c31")] == ("Florida senator", "group")  # Rubio is never called so
    assert out[("a5", "a5:c51")] == ("Bill Nelson", "person")  # "Florida Sen. Bill Nelson" in another article
    assert out[("a4", "a4:c42")] == ("senator", "group")  # two senators speak there


def test_a_group_is_one_actor_under_its_acronym_and_its_full_name():
    names = ["NRA", "National Rifle Association", "NRA", "U.S. Conference of Catholic Bishops",
             "United States Conference of Catholic Bishops", "AP", "Associated Press", "Arizona Police"]  # fmt: skip
    out = unify_actors([claim(n, name, "group") for n, name in enumerate(names, 1)])
    assert [c.speaker for c in out] == ["NRA", "NRA", "NRA"] + ["United States Conference of Catholic Bishops"] * 2 + [
        "AP",  # two full names have its initials
        "Associated Press",
        "Arizona Police",
    ]


def test_what_a_second_read_found_in_the_corpus_rules():
    claims = [
        # an acronym whose full name has other initials joins nothing ("AP" is no Americans for Prosperity)
        said(10, "AP", "AP", "group"),
        said(20, "Americans for Prosperity", "Americans for Prosperity", "group"),
        # "The Guardian" is no Don Guardian, while the bare "Guardian" of his article is him
        said(30, "Don Guardian", "Atlantic City Mayor Don Guardian", "person"),
        said(40, "Guardian", "Guardian", "group"),
        said(41, "Guardian", "The Guardian", "group"),
        # "the former president" is not whoever has "former" and "president" in some mention of another person
        said(50, "Jeb Bush", "former President George W. Bush's brother Jeb Bush", "person"),
        said(60, "Jeb Bush", "Bush", "person"),
        said(61, "former president", "the former president", "group"),
    ]
    out = {c.claim_id: c.speaker for c in unify_actors(claims)}
    assert out["a1:c10"] == "AP"
    assert (out["a4:c40"], out["a4:c41"]) == ("Don Guardian", "Guardian")
    assert out["a6:c61"] == "former president"


def test_spreadsheet_tables_carry_article_facts_articles_and_the_timeline(corpus, tiny_model, tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    run(config(corpus, tiny_model, out, formats=["jsonl", "csv"]))
    claims = pd.read_csv(out / "claims.csv")
    row = claims[claims["article_id"] == "a3"].iloc[0]
    assert (row["date"], row["source"]) == ("2019-02-20", "Reuters")  # pivot by date without joining files
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert list(articles["id"]) == ["a1", "a2", "a3", "a4"] and set(articles["set_aside"]) == {""}
    # each article's closest cosine to each target, to choose a topic threshold from (before: only per claim)
    found = [json.loads(t) for t in articles["topic"] if t]
    target = "the talks with North Korea"
    assert len(found) == 4 and all(set(t) == {target} and 0.3 <= t[target] <= 1 for t in found)
    timeline = pd.read_csv(out / "timeline.csv")
    summary = [json.loads(line) for line in read(out, "actor_summary.jsonl").splitlines()]
    assert len(timeline) == sum(len(s["timeline"]) for s in summary)
    assert {"actor", "target", "date", "stance", "score", "counts_favor"} <= set(timeline.columns)


def test_an_actor_that_changed_sides_says_so_and_a_close_call_is_marked():
    from pipeline.actors.corpus import UNDATED, ActorSummary, TimelinePoint, over_time, periods
    from pipeline.run.report import render

    def point(day, stance):
        counts = {"favor": 0, "against": 0, "neutral": 0} | {stance: 1}
        return TimelinePoint(date=day, stance=stance, score=0.0, counts=counts)

    timeline = [point("2025-03-03", "against"), point("2025-03-10", "neutral"), point("2025-03-17", "against"),
                point("2025-04-03", "favor"), point(UNDATED, "against")]  # fmt: skip
    runs = periods(timeline)
    assert [(r.stance, r.first, r.last, r.dates, r.claims) for r in runs] == [
        ("against", "2025-03-03", "2025-03-17", 2, 2),
        ("favor", "2025-04-03", "2025-04-03", 1, 1),
    ]  # a neutral day does not break a side; an undated article has no place in time
    # a side taken in one claim is said so: a journalist would report a change of mind that one misread quote made
    assert over_time(runs) == "against until 2025-03-17, favor from 2025-04-03 (one claim)"
    assert over_time(runs + runs[:1]).endswith("favor (2025-04-03, one claim) -> against (2025-03-03 to 2025-03-17)")
    assert over_time(runs[:1]) == "" and periods([]) == []
    summary = ActorSummary(actor_id="dana-whitfield", actor="Dana Whitfield", aliases=[], target="the talks",
                           stance="favor", confidence=0.53, counts={"favor": 8, "against": 7, "neutral": 4},
                           articles=7, first_date="2025-03-03", last_date="2025-04-03", evidence=[],
                           timeline=timeline, periods=runs, over_time=over_time(runs))  # fmt: skip
    articles = [{"id": "a1", "title": "Talks stall", "date": "2025-03-03", "source": "Gazette", "claims": 0}]
    html = " ".join(render([], [summary], articles, {"targets": ["the talks"], "topic_threshold": 0.3}).split())
    assert "close call (8 for, 7 against)" in html
    assert 'changed: <span class="against">against</span> (2025-03-03 to 2025-03-17) → ' in html
    assert '<span class="favor">favor</span> (2025-04-03, one claim)' in html and "misread quote" in html
    assert '<section id="articles">' in html and "Talks stall" in html and "Gazette" in html


def test_the_report_names_the_model_as_the_readme_does_with_its_measured_accuracy(tmp_path):
    from pipeline.config import MODELS
    from pipeline.run.report import _model

    shipped = _model(str(MODELS["accurate"]))
    assert shipped["name"] == "accurate" and shipped["folder"] == "stance-mpnet"
    assert 0 < shipped["accuracy"] < 1 and shipped["dev"] == 172  # read from its card
    (tmp_path / "README.md").write_text("no metrics here", encoding="utf-8")
    assert _model(str(tmp_path)) == {"name": None, "folder": tmp_path.name, "accuracy": None, "dev": None}


def test_an_unnamed_official_is_an_actor_of_one_article_and_the_official_is_the_one_it_introduced():
    claims = [said(10, "senior U.S. official", "A senior U.S. official", "group"),
              said(11, "official", "The official", "group"),
              said(20, "senior U.S. official", "a senior U.S. official", "group"),
              said(21, "Israeli official", "an Israeli official", "group"),
              said(22, "official", "the official", "group"),
              said(30, "State Department", "The State Department", "group"),
              said(40, "State Department", "the State Department", "group")]  # fmt: skip
    ids = [c.actor_id for c in unify_actors(claims)]
    assert ids[0] == ids[1] == "senior-u-s-official-a1" and ids[2] == "senior-u-s-official-a2"  # two people
    assert ids[4] == "official"  # two officials in that article: which one is not known
    assert ids[5] == ids[6]  # a body named is one actor across the corpus
    # "Critics" of one article are not those of another (a new user's report had one "Critics" actor, against)
    anonymous = [said(10, "Critics", "Critics", "group"), said(20, "Critics", "Critics", "group"),
                 said(21, "some analysts", "some analysts", "group"),
                 said(30, "Senate Democrats", "Senate Democrats", "group")]  # fmt: skip
    ids = [c.actor_id for c in unify_actors(anonymous)]
    assert ids == ["critics-a1", "critics-a2", "analysts-a2", anonymous[3].actor_id]  # a named group stays
    same = [said(10, "Critics", "Critics", "group"), said(11, "the critics", "the critics", "group"),
            said(12, "some critics", "some critics", "group")]  # fmt: skip
    assert {c.actor_id for c in unify_actors(same)} == {"critics-a1"}


def test_family_names_with_particles_join_their_full_names_and_given_names_stay_given_names():
    from collections import Counter

    from pipeline.actors.corpus import _canonical_names

    names = {"Sheikh Mohammed bin Abdulrahman Al Thani": 2, "Mohammed bin Abdulrahman Al Thani": 1, "Al Thani": 3,
             "Pieter van der Vliet": 1, "Van der Vliet": 1, "Ursula von der Leyen": 1, "von der Leyen": 2,
             "Al Gore": 2, "Gore": 1, "Maria Del Carmen Lopez": 1, "Maria Lopez": 1, "Van Jones": 1}  # fmt: skip
    mapping = _canonical_names(Counter(names))
    assert mapping["Al Thani"] == mapping["Sheikh Mohammed bin Abdulrahman Al Thani"]
    assert mapping["Al Thani"] == "Mohammed bin Abdulrahman Al Thani"
    assert mapping["Van der Vliet"] == "Pieter van der Vliet" and mapping["von der Leyen"] == "Ursula von der Leyen"
    assert mapping["Gore"] == "Al Gore" and "Al Gore" not in mapping and "Van Jones" not in mapping  # given names
    assert mapping["Maria Del Carmen Lopez"] == "Maria Lopez"  # a middle name, not a family name


def test_an_actor_that_changed_sides_shows_where_it_started_and_where_it_ended():
    def sided(n, day, stance, p):
        scores = {"favor": p, "against": 1 - p - 0.05, "neutral": 0.05}
        return Claim(article_id=f"a{n}", claim_id=f"a{n}:c1", text=f"claim {n}", start_char=0, end_char=7,
                     kind="direct", speaker="Dana Whitfield", actor_id="dana-whitfield", speaker_kind="person",
                     target="the talks", stance=stance, scores=scores), (f"a{n}", day)  # fmt: skip

    made = [sided(1, "2025-03-03", "against", 0.2), sided(2, "2025-03-10", "against", 0.05),
            sided(3, "2025-04-03", "favor", 0.9), sided(4, "2025-04-11", "favor", 0.95),
            sided(5, "2025-04-12", "favor", 0.97)]  # fmt: skip
    [summary] = summarise([c for c, _ in made], dict(d for _, d in made))
    assert [p.stance for p in summary.periods] == ["against", "favor"]
    assert summary.over_time == "against until 2025-03-10, favor from 2025-04-03"
    texts = [e.text for e in summary.evidence]
    assert "claim 2" in texts and "claim 5" in texts  # the strongest of each period
    assert [e.date for e in summary.evidence] == sorted(e.date for e in summary.evidence)  # in date order

    early, _ = sided(0, "2025-03-01", "neutral", 0.1)
    early.scores = {"favor": 0.05, "against": 0.05, "neutral": 0.9}
    [summary] = summarise([early] + [c for c, _ in made], dict([("a0", "2025-03-01")] + [d for _, d in made]))
    # before: the slot left after the two periods' claims went to the earliest claim, a neutral one
    assert [e.text for e in summary.evidence] == ["claim 2", "claim 4", "claim 5"]


def test_names_from_many_languages_are_one_actor_in_each_of_their_spellings():
    from collections import Counter

    from pipeline.actors.corpus import _canonical_names

    names = {"Ahmed Abdel-Fattah El-Sherbiny": 3, "Sherbiny": 2, "El-Sherbiny": 1, "Abu Hamza al-Sudani": 2,
             "Sudani": 1, "Ramon Dela Cruz": 2, "Ramon de la Cruz": 1, "Kim Min-jun": 3, "Kim Minjun": 1,
             "Kim Soo-yeon": 2, "Katrin Müller": 2, "Katrin Mueller": 1, "Takeshi Fujimoto": 2, "Fujimoto Takeshi": 1,
             "Javiera Soto Aravena": 2, "Javiera Soto": 1, "Martín Peña Larrea": 1, "Martin Pena": 1,
             "Datuk Seri Azlan bin Ismail": 1, "Azlan bin Ismail": 2, "Donald Trump": 3, "Donald Trump Jr.": 1,
             "Rosa Elena Mamani Huanca": 1, "Rosa Elena Mamani": 1, "Donald J. Trump": 1,
             "Donald J. Trump Foundation": 1}  # fmt: skip
    mapping = _canonical_names(Counter(names))

    def one(*forms):
        return len({mapping.get(f, f) for f in forms}) == 1

    assert one("Sherbiny", "El-Sherbiny", "Ahmed Abdel-Fattah El-Sherbiny") and one("Sudani", "Abu Hamza al-Sudani")
    assert one("Ramon de la Cruz", "Ramon Dela Cruz") and one("Kim Minjun", "Kim Min-jun")
    assert one("Katrin Mueller", "Katrin Müller") and one("Fujimoto Takeshi", "Takeshi Fujimoto")
    assert one("Javiera Soto", "Javiera Soto Aravena") and one("Martin Pena", "Martín Peña Larrea")
    assert one("Rosa Elena Mamani", "Rosa Elena Mamani Huanca") and one(
        "Datuk Seri Azlan bin Ismail", "Azlan bin Ismail"
    )
    # two Kims, and a father and son, stay two people
    assert not one("Kim Soo-yeon", "Kim Min-jun") and not one("Donald Trump Jr.", "Donald Trump")
    assert not one("Donald J. Trump Foundation", "Donald J. Trump")  # a body, not a second family name
    # what a second read found: a given name alone, two spellings that are two names, a reversed given name
    apart = {"Samuel Alito": 3, "Samuel": 2, "Joe Smith": 2, "Jo Smith": 1, "Wei Xue": 1, "Wei Xu": 1,
             "Thomas Scott": 1, "Scott Thomas": 1, "Israel Katz": 2, "Israel": 3, "Abdullah Gül": 1,
             "Abdullah Gul": 1}  # fmt: skip
    mapping = _canonical_names(Counter(apart))
    assert mapping == {"Abdullah Gul": "Abdullah Gül"}


def test_two_family_names_without_the_given_name_are_the_person_of_the_full_name():
    from collections import Counter

    from pipeline.actors.corpus import _canonical_names

    # a new user's four articles: one person, two actors before
    names = {"Rodrigo Salinas Ortega": 1, "Salinas Ortega": 2, "Mr. Salinas Ortega": 1, "Secretary Salinas": 1,
             "Hillary Rodham Clinton": 1, "Rodham Clinton": 1}  # fmt: skip
    mapping = _canonical_names(Counter(names))
    for form in ("Salinas Ortega", "Mr. Salinas Ortega", "Secretary Salinas"):
        assert mapping[form] == "Rodrigo Salinas Ortega"  # the full name names the actor, however often it is used
    assert mapping["Rodham Clinton"] == "Hillary Rodham Clinton"
    # two people with both family names, or a given name before the surname, stay apart
    two = _canonical_names(Counter({"Rodrigo Salinas Ortega": 1, "Maria Salinas Ortega": 1, "Salinas Ortega": 1}))
    assert "Salinas Ortega" not in two
    assert _canonical_names(Counter({"John Paul Ryan": 1, "Paul Ryan": 1})) == {}
    # a given name of either sex is no family name: "Lee Jones", "Tommy Lee" and "Jordan Smith" stay apart
    assert _canonical_names(Counter({"Tommy Lee Jones": 1, "Lee Jones": 1, "Tommy Lee": 1})) == {}
    assert _canonical_names(Counter({"Michael Jordan Smith": 1, "Jordan Smith": 1})) == {}
    # while family names that some records give as first names still join (Vega, Cruz: under 100,000 observations)
    assert _canonical_names(Counter({"Enrique Vega Solís": 1, "Enrique Vega": 1})) == {
        "Enrique Vega Solís": "Enrique Vega"
    }
    assert _canonical_names(Counter({"Rodrigo Cruz Ortega": 1, "Cruz Ortega": 1})) == {
        "Cruz Ortega": "Rodrigo Cruz Ortega"
    }
    # nor does a title-laden form name the actor ("Sidney Blumenthal" stays so)
    titled = {"Former Clinton Senior Adviser Sidney Blumenthal": 1, "Sidney Blumenthal": 3}
    assert _canonical_names(Counter(titled)).get("Sidney Blumenthal") is None


def test_an_unidentified_voice_of_a_transcript_is_an_actor_of_its_broadcast_alone():
    claims = [said(10, "Unidentified Male", "UNIDENTIFIED MALE", "person"),
              said(20, "Unidentified Male", "UNIDENTIFIED MALE", "person")]  # fmt: skip
    ids = [c.actor_id for c in unify_actors(claims)]
    assert ids == ["unidentified-male-a1", "unidentified-male-a2"]


def test_each_actor_gets_how_often_verdicts_of_its_kind_were_right_on_held_out_articles(tmp_path):
    from pipeline.actors import reliability
    from pipeline.run.report import render

    assert reliability.kind({"favor": 1, "against": 0, "neutral": 0}, "favor") == "side, its only claim"
    assert reliability.kind({"favor": 1, "against": 0, "neutral": 4}, "favor") == "side, one claim of several"
    assert reliability.kind({"favor": 2, "against": 0, "neutral": 4}, "favor") == "side, several claims"
    assert reliability.kind({"favor": 2, "against": 1, "neutral": 0}, "favor") == "side, claims on both sides"
    assert reliability.kind({"favor": 0, "against": 0, "neutral": 1}, "neutral") == "neutral, one claim"
    assert reliability.kind({"favor": 0, "against": 0, "neutral": 3}, "neutral") == "neutral, several claims"
    kinds = {"side, one claim of several": {"right": 50, "n": 95}, "side, several claims": {"right": 10, "n": 12}}
    (tmp_path / reliability.FILE).write_text(json.dumps({"right": 60, "n": 107, "kinds": kinds}), encoding="utf-8")
    table = reliability.load(tmp_path)
    assert reliability.rate(table, {"favor": 1, "against": 0, "neutral": 4}, "favor") == 0.526
    assert reliability.rate(table, {"favor": 3, "against": 0, "neutral": 0}, "favor") is None  # 12: too few
    assert reliability.load(tmp_path / "nothing") is None
    # Samir Haddad, a probe's actor: against at confidence 0.96 on one sided claim of five
    said = [("against", {"favor": 0.02, "against": 0.96, "neutral": 0.02})]
    said += [("neutral", {"favor": 0.05, "against": 0.05, "neutral": 0.9})] * 4
    claims = [
        claim(n, "Samir Haddad").model_copy(update={"target": "the treaty", "stance": s, "scores": p})
        for n, (s, p) in enumerate(said)
    ]
    [summary] = summarise(claims, {}, ["the treaty"], held_out=table)
    assert (summary.confidence, summary.basis, summary.held_out_right) == (0.9796, "side, one claim of several", 0.526)
    html = " ".join(render(claims, [summary], [], {"targets": ["the treaty"], "model": str(tmp_path)}).split())
    assert '<td class="rate" title="one of its claims took a side, the others none">53%</td>' in html
    assert "such verdicts were right for 53% of actors on held-out articles" in html
    assert "107 actors, 56% right in all" in html


def test_the_shipped_models_say_how_often_their_verdicts_were_right():
    from pipeline.actors import reliability
    from pipeline.config import MODELS

    for model in MODELS.values():
        table = reliability.load(model)
        assert set(table) == set(reliability.KINDS) and all(k["n"] >= reliability.MIN_N for k in table.values())


def test_the_report_marks_the_pieces_of_a_split_quotation_not_the_attribution_between_them():
    from pipeline.records import Article
    from pipeline.run.extract import extract
    from pipeline.run.report import render
    from pipeline.text import nlp

    text = '"The numbers are not enough," Dragan Petrović told a news conference. "Kelvara will not sign this draft."'
    [found] = extract(Article(id="a1", text=text), nlp.load()(nlp.parser_text(text)))
    scored = found.model_copy(
        update={"target": "the treaty", "stance": "against", "scores": {"favor": 0.1, "against": 0.8, "neutral": 0.1}}
    )
    html = render([scored], summarise([scored], {}), [], {"targets": ["the treaty"]})
    assert (
        '"<mark>The numbers are not enough</mark>," Dragan Petrović told a news conference. '
        '"<mark>Kelvara will not sign this draft</mark>."'
    ) in html.replace("&#34;", '"')  # before: one mark from the first word to the last, the attribution inside


def test_a_run_without_input_says_so_in_one_line(tiny_model, tmp_path):
    with pytest.raises(InputError, match="^no input: give a .txt file"):
        run(RunConfig(targets=["the talks"], model=tiny_model, output=tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_the_same_words_in_two_articles_count_once():
    def scored(n, article, text, stance):
        c = claim(n, "Henrik Lindqvist").model_copy(update={"article_id": article, "text": text, "target": "the deal"})
        return c.model_copy(update={"stance": stance, "scores": {"favor": 0.8, "against": 0.1, "neutral": 0.1}})

    wire = '"This agreement protects every job on the docks," Lindqvist said.'
    claims = [scored(1, "a17", wire, "favor"), scored(2, "a18", wire.replace('"', "“", 1), "favor"),
              scored(3, "a18", "The talks were long.", "neutral")]  # fmt: skip
    [summary] = summarise(claims, {"a17": "2025-02-03", "a18": "2025-02-03"})
    # a wire story two outlets ran: before, his counts and evidence had the quote twice
    assert summary.counts == {"favor": 1, "against": 0, "neutral": 1} and summary.repeats == 1
    assert summary.articles == 2 and [e.claim_id for e in summary.evidence].count("a1:c1") == 1
