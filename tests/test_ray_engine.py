"""engine: ray writes what engine: local writes, resumes after a kill, and is one clear error where Ray is missing."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from pipeline.config import RunConfig
from pipeline.run.engine import run
from tests.conftest import SEED

ray = pytest.importorskip("ray", reason="Ray is an optional extra (pip install -e '.[ray]')")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """30 articles of three to five paragraphs of the seed article each, dated across a month."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rows = []
    for i in range(30):
        start = (i * 3) % len(paragraphs)
        text = "\n\n".join((paragraphs + paragraphs)[start : start + 3 + i % 3])
        rows.append({"id": f"a{i:02d}", "text": text, "date": f"2019-03-{1 + i % 28:02d}"})
    path = tmp_path_factory.mktemp("ray-corpus") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ray_local():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _config(corpus, model, out, engine):
    return RunConfig(input=corpus, targets=["the talks"], model=model, output=out, engine=engine, chunk_articles=4,
                     workers=2, report=False, formats=["jsonl", "csv"])  # fmt: skip


def _rows(folder, name):
    """The records of a file, scores to 3 decimals."""
    out = []
    for line in (folder / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("scores"):
            row["scores"] = {k: round(v, 3) for k, v in row["scores"].items()}
        out.append(row)
    return out


def test_ray_and_local_write_the_same_claims_and_actors(corpus, tiny_model, tmp_path, ray_local):
    run(_config(corpus, tiny_model, tmp_path / "local", "local"))
    run(_config(corpus, tiny_model, tmp_path / "ray", "ray"))
    for name in ("claims.jsonl", "actors.jsonl", "actor_summary.jsonl", "articles.jsonl"):
        assert _rows(tmp_path / "ray", name) == _rows(tmp_path / "local", name), name
    assert (
        len(_rows(tmp_path / "local", "articles.jsonl")) == 30 and len(_rows(tmp_path / "local", "claims.jsonl")) > 100
    )
    assert (tmp_path / "ray" / "claims.csv").read_text() == (tmp_path / "local" / "claims.csv").read_text()


def test_a_killed_ray_run_resumes_to_the_same_output(corpus, tiny_model, tmp_path):
    out = tmp_path / "ray"
    config = tmp_path / "run.yaml"
    config.write_text(
        f"input: {corpus}\ntargets: [the talks]\nmodel: {tiny_model}\noutput: {out}\nengine: ray\nchunk_articles: 2\n"
        "workers: 2\nreport: false\n",
        encoding="utf-8",
    )
    cli = [sys.executable, "-c", "from pipeline.cli import main; main()", "run", str(config), "-q"]
    first = subprocess.Popen(cli, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = out / "articles.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (manifest.is_file() and manifest.read_text().count("\n") >= 4):
        time.sleep(0.2)
    import psutil

    left = psutil.Process(first.pid).children(recursive=True)  # the local Ray instance that driver started
    first.kill()
    first.wait()
    for process in left:
        process.kill()
    # A fast machine may finish all 30 before the kill lands: rewind to what a kill after the 4th article, in the
    # middle of a claims write, leaves behind, so that the resume is tested every time.
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) >= 4
    manifest.write_text("".join(lines[:4]), encoding="utf-8")
    (out / "finished.json").unlink(missing_ok=True)
    with (out / "claims.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"article_id": "a29", "text": "torn')
    second = subprocess.run(cli, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    run(_config(corpus, tiny_model, tmp_path / "local", "local"))
    for name in ("claims.jsonl", "actor_summary.jsonl"):
        assert _rows(out, name) == _rows(tmp_path / "local", name), name


def test_engine_ray_without_ray_is_one_clear_error(corpus, tiny_model, tmp_path, monkeypatch):
    from pipeline.errors import ConfigError
    from pipeline.run import ray_engine

    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ConfigError, match=r"pip install -e '\.\[ray\]'"):
        ray_engine.start(_config(corpus, tiny_model, tmp_path / "out", "ray"))
    assert not (tmp_path / "out").exists()
