"""No worker outlives its run: SIGKILL, SIGTERM and Ctrl-C of the main process end the parse workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux")


def _start(tmp_path, tiny_model):
    text = SEED.read_text(encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    # far more than a run gets through while a loaded machine starves the test process: the signal lands mid-run
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": text}) + "\n" for i in range(2000)), encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"input: {corpus}\ntargets: [the talks]\nmodel: {tiny_model}\noutput: {tmp_path / 'out'}\n"
        "parse_processes: 2\nchunk_articles: 2\nreport: false\n",
        encoding="utf-8",
    )
    cli = [sys.executable, "-c", "from pipeline.cli import main; main()", "run", str(config)]
    main = subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(main.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until both workers run and the first articles are done
        manifest = tmp_path / "out" / "articles.jsonl"
        if len(parent.children()) >= 2 and manifest.is_file() and manifest.read_text().count("\n") >= 2:
            return main, parent.children()
        time.sleep(0.2)
    main.kill()
    pytest.fail("the run did not start its workers")


def _gone(workers, seconds: float = 5.0) -> bool:
    _, alive = psutil.wait_procs(workers, timeout=seconds)
    return not alive


@pytest.mark.slow
def test_sigkill_of_the_main_process_ends_the_workers(tmp_path, tiny_model):
    main, workers = _start(tmp_path, tiny_model)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    assert _gone(workers), [w.pid for w in workers if w.is_running()]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code", "words"), [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_sigterm_and_ctrl_c_end_in_one_line_and_stop_the_workers(tmp_path, tiny_model, sig, code, words):
    main, workers = _start(tmp_path, tiny_model)
    main.send_signal(sig)
    _, err = main.communicate(timeout=60)
    assert main.returncode == code, err
    assert err.strip().splitlines()[-1].startswith(f"error: {words}") and "Traceback" not in err
    assert _gone(workers)


def _die(*args):
    os._exit(1)  # as the out-of-memory killer would end a worker while it loads


def test_a_worker_that_dies_while_loading_is_one_clear_error_at_once(monkeypatch, tiny_model, tmp_path):
    from pipeline.config import RunConfig
    from pipeline.errors import ModelError
    from pipeline.run import parallel

    monkeypatch.setattr(parallel, "_start", _die)
    cfg = RunConfig(input=SEED, targets=["x"], model=tiny_model, output=tmp_path / "out")
    started = time.monotonic()
    # on a loaded machine the first worker may die before the second is started: the same error, from the start
    with pytest.raises(ModelError, match="died"), parallel.Extractors(2, cfg, classify=True) as workers:
        workers.wait_ready(timeout=60)
    assert time.monotonic() - started < 30
