"""Parsing, claim extraction and (for ``stance run``) stance scoring in worker processes, one chunk of articles per
job, results in input order.

Each worker runs the whole pipeline on its chunk on one core and sends back only the ``Claim`` records, which are
small: sending spaCy ``Doc`` objects back (``nlp.pipe(n_process=...)``) costs more than the second core saves. Scoring
in the workers too, rather than in one classifier thread of the main process, keeps every core busy: the classifier is
the larger half of an article's cost (``scripts/cost_per_article.py``), so one classifier thread beside the parsers
left a core partly idle.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from pipeline.errors import ModelError, StanceError
from pipeline.pipeline import Pipeline, by_article
from pipeline.records import Article, Claim
from pipeline.text import nlp

_pipeline = None  # this worker's stages 1-4 (and 5, when it scores)
_failed: StanceError | None = None  # why this worker could not load its models


def _die_with(parent: int) -> None:
    """Ask Linux to kill this worker when the process that started it dies, even by SIGKILL (prctl
    PR_SET_PDEATHSIG); elsewhere the pool's own checks end it on its next job."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _start(parent: int, cfg, classify: bool, threads: int, started, errors) -> None:
    _die_with(parent)
    # Ctrl-C and SIGTERM are the main process's to handle: it stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _pipeline, _failed
    try:
        nlp.load()
        _pipeline = Pipeline.from_config(cfg, threads=threads, classify=classify)
    except Exception as exc:  # kept, not raised: a failed initializer breaks the pool without a word
        _failed = exc if isinstance(exc, StanceError) else ModelError(f"a worker could not load its models: {exc}")
        errors.put(str(_failed))
    finally:
        started.release()


def _extract(articles: list[Article], join_quotes: bool) -> list[list[Claim]]:
    if _failed is not None:
        raise _failed
    # a worker lives for the whole corpus: free the chunk's strings from spaCy's vocabulary when it is done
    with nlp.load().memory_zone():
        found = [claims for _, claims in _pipeline.extract(articles, len(articles), join_quotes)]
    if _pipeline.classifier is None:
        return found
    scored = _pipeline.classify([c for claims in found for c in claims], articles)
    return [claims for _, claims in by_article(articles, scored)]


def _ready() -> None:
    pass


class Extractors:
    """``processes`` workers that parse and extract; ``extract`` is ``extract_all`` over them, in input order. With
    ``classify`` they score the claims too, and ``extract`` gives each article's scored claim records.

    The workers start when this is built: build it before loading torch or starting threads, so that forked
    workers carry neither (fork where it is safe and cheap, on Linux; spawn elsewhere).
    """

    def __init__(self, processes: int, cfg, classify: bool = False):
        """``cfg``: any config with the attribution keys (``tagger``, ``speaker_ranker``, ``precision``); with
        ``classify``, a ``RunConfig`` (its model and targets)."""
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self._started = context.Semaphore(0)
        self._errors = context.SimpleQueue()
        # a worker that scores takes its share of the cores; one that only parses, one core (spaCy uses one)
        threads = max(1, (os.cpu_count() or 1) // processes) if classify else 1
        args = (os.getpid(), cfg, classify, threads, self._started, self._errors)
        self.processes = processes
        self.classify = classify
        self.pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start, initargs=args)
        try:
            for _ in range(processes):  # launches every worker now (spawn starts them on demand, one per waiting job)
                self.pool.submit(_ready)  # they load spaCy while the caller loads its model
        except BrokenProcessPool as exc:  # one died before the others were asked to start (a loaded machine)
            self.pool.shutdown(wait=False, cancel_futures=True)
            raise ModelError(f"a worker process died while loading the models ({exc})") from exc

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Return once every worker has loaded its models (or after ``timeout`` seconds), so that a timing that starts
        now measures the work and not the start-up; raise the error of a worker that could not load them (a missing
        or unreadable model) or died trying, before anything is written."""
        deadline = time.monotonic() + timeout
        ready = 0
        while ready < self.processes and time.monotonic() < deadline:
            if self._started.acquire(timeout=0.5):
                ready += 1
            elif self.pool._broken:  # no public test: a worker died (killed, out of memory) before it was ready
                raise ModelError(f"a worker process died while loading the models ({self.pool._broken})")
        if not self._errors.empty():
            raise ModelError(self._errors.get())

    def extract(
        self, articles: Iterable[Article], chunk: int = 16, join_quotes: bool = True
    ) -> Iterator[tuple[Article, list[Claim]]]:
        """At most two chunks per worker wait at any time, so memory stays flat on any corpus size."""
        items = iter(articles)
        waiting: deque = deque()
        try:
            while True:
                while len(waiting) < 2 * self.processes and (batch := list(islice(items, chunk))):
                    waiting.append((batch, self.pool.submit(_extract, batch, join_quotes)))
                if not waiting:
                    return
                batch, job = waiting.popleft()
                try:
                    done = job.result()
                except BrokenProcessPool as exc:
                    raise ModelError(f"a worker process died (out of memory?): {exc}") from exc
                yield from zip(batch, done, strict=True)
        finally:
            for _, job in waiting:
                job.cancel()

    def __enter__(self) -> Extractors:
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:  # an error, Ctrl-C or SIGTERM: do not wait for the chunks in progress
            self.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def kill(self) -> None:
        for process in list((self.pool._processes or {}).values()):  # the executor has no public way to do this
            with contextlib.suppress(ProcessLookupError, AttributeError):
                process.kill()
