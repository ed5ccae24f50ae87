"""The CLI through Typer's CliRunner: a full run on the seed with a tiny model, and every kind of bad input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEED, TARGET

runner = CliRunner()


def run_config(write_config, tiny_model, tmp_path, input_path, extra=""):
    return write_config(
        f"input: {input_path}\ntargets: ['{TARGET}']\nmodel: {tiny_model}\noutput: {tmp_path / 'out'}\n{extra}"
    )


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "train", "evaluate"):
        assert command in result.output


def test_help_keeps_square_brackets():
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "250"})
    assert "pip install -e '.[ray]'" in result.output  # rich read "[ray]" as markup and dropped it


def test_run_writes_claims_and_actors(write_config, tiny_model, tmp_path):
    cfg = run_config(write_config, tiny_model, tmp_path, SEED, "formats: [jsonl, csv, parquet]\n")
    result = runner.invoke(app, ["run", str(cfg)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    text = SEED.read_text(encoding="utf-8")
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    actors = [json.loads(line) for line in (out / "actors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(claims) >= 30
    for claim in claims:
        assert text[claim["start_char"] : claim["end_char"]] == claim["text"]
        for span in [claim["cue"], claim["speaker_mention"], claim["context"], *(claim["parts"] or [])]:
            if span:
                assert text[span["start_char"] : span["end_char"]] == span["text"]
        assert claim["stance"] in ("favor", "against", "neutral")
        assert abs(sum(claim["scores"].values()) - 1) < 1e-3
    ids = {c["claim_id"] for c in claims}
    assert {a["actor"] for a in actors} >= {"Mike Pompeo", "Choe Son Hui", "Stephen Biegun", "John Bolton"}
    assert all(set(a["claim_ids"]) <= ids for a in actors)
    assert (out / "claims.csv").is_file() and (out / "actors.parquet").is_file()
    assert "Mike Pompeo" in result.output
    import pandas as pd

    table = pd.read_parquet(out / "actors.parquet")
    pompeo = table[table["actor"] == "Mike Pompeo"].iloc[0]  # a number a column, for a spreadsheet to sum
    wanted = next(a for a in actors if a["actor"] == "Mike Pompeo")["counts"]
    assert [pompeo[f"counts_{label}"] for label in ("favor", "against", "neutral")] == list(wanted.values())
    claims_table = pd.read_csv(out / "claims.csv")
    assert claims_table["scores_favor"].dtype == float and "scores" not in claims_table


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"caf\xe9 au lait", "not UTF-8")],
)
def test_bad_input_gives_one_line_and_no_output(write_config, tiny_model, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, ["run", str(run_config(write_config, tiny_model, tmp_path, bad))])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_input(write_config, tiny_model, tmp_path):
    result = runner.invoke(app, ["run", str(run_config(write_config, tiny_model, tmp_path, tmp_path / "no.txt"))])
    assert result.exit_code == 1
    assert "input not found" in result.output


def test_an_error_is_the_first_line_on_stderr(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "run", str(tmp_path / "no.txt")]
    done = subprocess.run(command + ["-t", "talks", "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("error: input not found")  # was after an empty line (the progress bar's, in a pipe)


def test_unknown_config_key(write_config, tiny_model, tmp_path):
    cfg = run_config(write_config, tiny_model, tmp_path, SEED, "batch_sise: 4\n")
    result = runner.invoke(app, ["run", str(cfg)])
    assert result.exit_code == 1
    assert "batch_sise: unknown key" in result.output


def test_an_empty_target_and_an_unknown_model_name_say_what_to_give(tiny_model, tmp_path):
    result = runner.invoke(app, ["run", str(SEED), "-t", "", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "error: command line: targets: a target is empty" in result.output
    result = runner.invoke(app, ["run", str(SEED), "-t", "talks", "-m", "turbo", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "no stance model at turbo" in result.output
    assert "name 'accurate', 'fast' or a folder" in result.output and "Traceback" not in result.output


def test_malformed_yaml(write_config):
    result = runner.invoke(app, ["run", str(write_config("input: [unclosed\n"))])
    assert result.exit_code == 1
    assert "not valid YAML" in result.output


def test_missing_model_folder(write_config, tmp_path):
    cfg = write_config(f"input: {SEED}\ntargets: [talks]\nmodel: {tmp_path / 'nomodel'}\noutput: {tmp_path / 'out'}\n")
    result = runner.invoke(app, ["run", str(cfg)])
    assert result.exit_code == 1
    assert "no stance model" in result.output
    assert not (tmp_path / "out").exists()


def test_failure_midway_leaves_no_partial_file(write_config, tiny_model, tmp_path):
    """A bad article after a good one: nothing is written, not even the good article's claims."""
    good = {"id": "a", "text": SEED.read_text(encoding="utf-8")}
    (tmp_path / "in.jsonl").write_text(json.dumps(good) + "\n{broken\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(run_config(write_config, tiny_model, tmp_path, tmp_path / "in.jsonl"))])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_topic_check_keeps_every_side_and_is_a_setting_of_the_run(write_config, tiny_model, tmp_path):
    from pipeline.run.store import SETTINGS

    cfg = run_config(write_config, tiny_model, tmp_path, SEED)
    result = runner.invoke(app, ["run", str(cfg), "--no-topic-check", "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert "topic_threshold" not in json.loads((out / SETTINGS).read_text(encoding="utf-8"))
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert claims and all(c["topic"] is None and c["stance"] == max(c["scores"], key=c["scores"].get) for c in claims)
    # the same folder with the check on would mix claims of two kinds: refused, with the way to resume it
    result = runner.invoke(app, ["run", str(cfg), "-q"])
    assert result.exit_code != 0 and "topic_threshold" in result.output
    assert "written without the topic check: --no-topic-check resumes it" in " ".join(result.output.split())
    # and the other way round, with the threshold it was written with
    other = tmp_path / "checked"
    assert runner.invoke(app, ["run", str(cfg), "-q", "-o", str(other), "--topic-threshold", "0.4"]).exit_code == 0
    result = runner.invoke(app, ["run", str(cfg), "-q", "-o", str(other)])
    assert result.exit_code != 0 and "--topic-threshold 0.4 resumes it" in " ".join(result.output.split())
    assert runner.invoke(app, ["run", str(cfg), "-q", "-o", str(other), "--topic-threshold", "0.4"]).exit_code == 0


def test_tables_printed_into_a_file_are_wide(monkeypatch):
    from pipeline import progress

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert progress.wide() == 200  # rich's 80 columns cut a saved log's intervals to "0.14…"
    monkeypatch.setenv("COLUMNS", "100")
    assert progress.wide() is None  # the user's width wins


@pytest.mark.model
def test_the_readmes_python_example_runs_as_written(tmp_path, monkeypatch):
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"### From Python.*?```python\n(.*?)```", readme, re.S).group(1)
    text = '"The Brexit withdrawal agreement is dead," Foreign Minister Anna Berg said on Monday.'
    (tmp_path / "articles.jsonl").write_text(json.dumps({"id": "b1", "text": text}) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(code, scope)  # noqa: S102 - the README's own example
    assert [(c.speaker, c.text) for c in scope["claims"]] == [("Anna Berg", "The Brexit withdrawal agreement is dead")]
    assert [a.actor for a in scope["result"].summary] == ["Anna Berg"]
    assert (tmp_path / "out" / "brexit" / "actor_summary.jsonl").is_file()
