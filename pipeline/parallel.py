"""Parsing and claim extraction in worker processes, one chunk of articles per job, results in input order.

spaCy parses on one core; a corpus run is mostly parsing, so more cores means more parsers. Each worker parses and
extracts on its own and sends back only the ``Claim`` records, which are small: sending spaCy ``Doc`` objects back
(``nlp.pipe(n_process=...)``) costs more than the second core saves.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pipeline.extract import extract_all
from pipeline.records import Article, Claim

_tagger = None


def _start(tagger_path: str | None) -> None:
    # Ctrl-C is the main process's to handle: it stops at a chunk boundary and shuts the workers down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _tagger
    from pipeline import nlp

    nlp.load()
    if tagger_path:
        from pipeline.tagger import AttributionTagger

        _tagger = AttributionTagger(tagger_path, threads=1)


def _extract(articles: list[Article]) -> list[list[Claim]]:
    return [claims for _, claims in extract_all(articles, batch_size=len(articles), tagger=_tagger)]


def extract_in_processes(
    articles: Iterable[Article], processes: int, chunk: int = 16, tagger_path: Path | None = None
) -> Iterator[tuple[Article, list[Claim]]]:
    """``extract_all`` over ``processes`` workers; at most two chunks per worker wait, so memory stays flat."""
    # fork where it is safe and cheap (Linux; called before the caller starts threads), spawn elsewhere
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    args = (str(tagger_path) if tagger_path else None,)
    items = iter(articles)
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start, initargs=args) as pool:
        waiting: deque = deque()
        try:
            while True:
                while len(waiting) < 2 * processes and (batch := list(islice(items, chunk))):
                    waiting.append((batch, pool.submit(_extract, batch)))
                if not waiting:
                    return
                batch, job = waiting.popleft()
                yield from zip(batch, job.result(), strict=True)
        finally:
            for _, job in waiting:
                job.cancel()
