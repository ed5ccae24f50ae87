"""Every bad input a user can give `stance run` ends in one line on stderr and a non-zero exit: no traceback, no
output folder left behind. Also: text normalisation (BOM, CRLF), dates, skipped JSONL lines."""

from __future__ import annotations

import json
import logging
import os
import shutil

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.text import reader
from tests.conftest import SEED, TARGET

runner = CliRunner()
GOOD = {"id": "a", "text": "“We are hopeful about the talks,” Pompeo said."}


def _cases(tmp_path, tiny_model):
    """(name, files to write, argv) for each bad input."""
    out = str(tmp_path / "out")
    base = ["--target", TARGET, "--model", str(tiny_model), "--output", out]
    return {
        "missing": ({}, ["run", str(tmp_path / "nope.txt"), *base], "input not found"),
        "empty": ({"a.txt": b""}, ["run", "a.txt", *base], "empty"),
        "binary": ({"a.txt": b"\x89PNG\r\n\x00\x00IHDR"}, ["run", "a.txt", *base], "binary"),
        "not utf-8": ({"a.txt": "café said".encode("latin-1")}, ["run", "a.txt", *base], "not UTF-8"),
        "over the parser's limit": ({"a.txt": b"word " * 300_000}, ["run", "a.txt", *base], "1,000,000"),
        "typo key": (
            {"c.yaml": f"input: {SEED}\ntargets: [x]\nbatchsize: 3\n".encode()},
            ["run", "c.yaml"],
            "batchsize: unknown key",
        ),
        "wrong type": (
            {"c.yaml": f"input: {SEED}\ntargets: [x]\nbatch_size: many\n".encode()},
            ["run", "c.yaml"],
            "batch_size",
        ),
        "malformed config": ({"c.yaml": b"input: [a\n"}, ["run", "c.yaml"], "not valid YAML"),
        "empty target": ({}, ["run", str(SEED), "--target", " ", "--output", out], "a target is empty"),
        "no target": ({}, ["run", str(SEED), "--output", out], "--target"),
        "target too long": ({}, ["run", str(SEED), "--target", "talks " * 80, "--output", out], "under 150"),
        "missing model": (
            {},
            ["run", str(SEED), "--target", "x", "--model", str(tmp_path / "m"), "--output", out],
            "no stance model",
        ),
        "malformed JSONL": (
            {"a.jsonl": b'{"id": "a", "text": "x"}\n{broken\n'},
            ["run", "a.jsonl", *base],
            "a.jsonl:2: not valid JSON",
        ),
        "duplicate ids": (
            {"a.jsonl": b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n'},
            ["run", "a.jsonl", *base],
            "duplicate article id",
        ),
        "output under a file": ({}, ["run", str(SEED), "--target", "x", "--output", "/etc/passwd/x"], "is a file"),
        "missing tagger": ({}, ["run", str(SEED), *base, "--tagger", str(tmp_path / "t")], "no attribution tagger"),
        "unknown format": ({}, ["run", str(SEED), *base, "--format", "xlsx"], "formats"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "empty",
        "binary",
        "not utf-8",
        "over the parser's limit",
        "typo key",
        "wrong type",
        "malformed config",
        "empty target",
        "no target",
        "target too long",
        "missing model",
        "malformed JSONL",
        "duplicate ids",
        "output under a file",
        "missing tagger",
        "unknown format",
    ],
)
def test_bad_input_is_one_line_and_exit_1(case, tmp_path, tiny_model, monkeypatch):
    files, argv, message = _cases(tmp_path, tiny_model)[case]
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, argv)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_a_damaged_model_is_one_line_and_leaves_no_output(tmp_path, tiny_model):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").write_bytes(b"\x00" * 64)  # a truncated download
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(SEED), "-t", "x", "-m", str(broken), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: cannot load the stance model") and len(result.output.splitlines()) == 1
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_folder_without_permission_is_refused(tmp_path, tiny_model):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = runner.invoke(app, ["run", str(SEED), "-t", "x", "-m", str(tiny_model), "-o", str(locked / "out")])
    assert result.exit_code == 1 and "no permission" in result.output


def test_one_line_run_without_a_config(tmp_path, tiny_model, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", str(SEED), "--target", TARGET, "--model", str(tiny_model), "-q"])
    assert result.exit_code == 0, result.output
    settings = json.loads((tmp_path / "out" / SEED.stem / "run.json").read_text(encoding="utf-8"))
    assert settings["targets"] == [TARGET] and settings["model"] == str(tiny_model)
    assert not (tmp_path / "out" / SEED.stem / "report.html").exists()  # one article: no report by default


def test_command_line_options_override_the_config(tmp_path, tiny_model, write_config):
    cfg = write_config(f"input: {SEED}\ntargets: [the talks]\nmodel: {tiny_model}\noutput: elsewhere\n")
    out = tmp_path / "here"
    result = runner.invoke(app, ["run", str(cfg), "-o", str(out), "-t", "A", "-t", "B", "-q", "--report"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "run.json").read_text())["targets"] == ["A", "B"]
    assert (out / "report.html").is_file() and not (tmp_path / "elsewhere").exists()


def test_version_and_help_example():
    assert runner.invoke(app, ["--version"]).output.startswith("stance ")
    text = " ".join(runner.invoke(app, ["run", "--help"]).output.split())
    assert "stance run articles.jsonl --target" in text


def test_a_start_that_fails_leaves_no_run_json_and_the_fix_runs(tmp_path, tiny_model, write_config):
    out = tmp_path / "out"
    bad = write_config(f"input: {SEED}\ntargets: [x]\nmodel: {tmp_path / 'missing'}\noutput: {out}\n")
    assert runner.invoke(app, ["run", str(bad)]).exit_code == 1
    assert not out.exists()
    fixed = write_config(f"input: {SEED}\ntargets: [x]\nmodel: {tiny_model}\noutput: {out}\n", name="fixed.yaml")
    assert runner.invoke(app, ["run", str(fixed), "-q"]).exit_code == 0


def test_bom_and_crlf_offsets_index_the_text_as_python_reads_it(tmp_path, tiny_model):
    raw = SEED.read_text(encoding="utf-8")
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.replace("\n", "\r\n").encode("utf-8"))
    with open(path, encoding="utf-8-sig") as handle:  # what a user gets opening the file "normally"
        text = handle.read()
    assert text == raw
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "-t", "x", "-m", str(tiny_model), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(claims) > 20
    assert all(text[c["start_char"] : c["end_char"]] == c["text"] for c in claims)


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("2019-02-15", "2019-02-15"),
        ("2019-02-15T10:30:00Z", "2019-02-15"),
        ("Feb 15, 2019", "2019-02-15"),
        ("15 February 2019", "2019-02-15"),
        ("25/01/2019", "2019-01-25"),
        ("05/06/2019", "2019-05-06"),  # month first, as US news writes it
        ("05.06.2019", "2019-06-05"),  # day first, as European news writes it
        ("Friday, March 1, 2019", "2019-03-01"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates_are_read_as_iso_or_dropped_with_a_warning(tmp_path, caplog, given, iso):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Words.", "date": given}) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="stance"):
        [article] = reader.read_articles(path)
    assert article.date == iso
    warned = [r.getMessage() for r in caplog.records]
    assert warned == (
        [f"article 'x': cannot read the date {given!r}; it is left off the time axis"] if given and iso is None else []
    )


def test_dates_written_day_first_beside_ambiguous_ones_are_warned_of_once(tmp_path, caplog):
    path = tmp_path / "a.jsonl"
    dates = ["26/01/2020", "05/06/2019", "07-08-2019 10:00", "2019-02-01", "05.06.2019"]
    path.write_text(
        "".join(json.dumps({"id": str(n), "text": "Words.", "date": d}) + "\n" for n, d in enumerate(dates))
    )
    with caplog.at_level(logging.WARNING, logger="stance"):
        found = [a.date for a in reader.read_articles(path)]
    assert found == ["2020-01-26", "2019-05-06", "2019-07-08", "2019-02-01", "2019-06-05"]
    assert [r.getMessage() for r in caplog.records] == [
        "2 date(s) could be read either way round and are read month first (article '1': 05/06/2019 as "
        "2019-05-06), though 1 can only be day first (article '0': 26/01/2020): write dates as YYYY-MM-DD to be sure"
    ]
    path.write_text(
        "".join(json.dumps({"id": str(n), "text": "Words.", "date": d}) + "\n" for n, d in enumerate(dates[1:]))
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="stance"):
        list(reader.read_articles(path))
    assert not caplog.records  # month first throughout is US usage, not a doubt


def test_a_folder_says_what_it_does_not_read_and_which_articles_have_no_date(tmp_path, caplog):
    (tmp_path / "a.txt").write_text("Words.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"date": "2025-03-03"}', encoding="utf-8")
    (tmp_path / "b.txt").write_text("More words.", encoding="utf-8")
    for name in ("c.docx", "d.pdf", ".DS_Store"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
    with caplog.at_level(logging.WARNING, logger="stance"):
        assert [a.date for a in reader.read_articles(tmp_path)] == ["2025-03-03", None]
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith(f"2 file(s) in {tmp_path} are not .txt or .jsonl and are not read (c.docx, d.pdf)")
    assert said[1].startswith("1 of 2 articles have no date (the first: 'b'): their claims count toward")
    assert len(said) == 2
    (tmp_path / "b.txt").unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="stance"):
        list(reader.read_articles(tmp_path / "a.txt"))
    assert not caplog.records


def test_skip_bad_lines_warns_for_each_and_keeps_the_rest(tmp_path, caplog):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{broken\n{"id": "b"}\n{"id": "c", "text": "z"}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="stance"):
        ids = [a.id for a in reader.read_articles(path, skip_bad_lines=True)]
    assert ids == ["a", "c"]
    assert [r.getMessage().split(":")[0:2] for r in caplog.records] == [
        [f"skipped {path}", "2"],
        [f"skipped {path}", "3"],
    ]


def test_no_claims_still_gives_tables_with_headers(tmp_path, tiny_model):
    path = tmp_path / "quiet.txt"
    path.write_text("The weather was mild. Nobody spoke.", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "run",
            str(path),
            "-t",
            "x",
            "-m",
            str(tiny_model),
            "-o",
            str(out),
            "-q",
            "--format",
            "jsonl",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    # with the byte-order mark that makes Excel read UTF-8 ("Núñez", not "NÃºÃ±ez")
    assert (out / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbfarticle_id,date,source,title,claim_id,text,")
    table = (out / "timeline.csv").read_text(encoding="utf-8-sig")
    assert table.startswith("actor_id,actor,target,date,stance,score,counts_favor")
    table = (out / "articles.csv").read_text(encoding="utf-8-sig")
    assert table.splitlines()[0] == "id,date,source,title,claims,set_aside,topic"
