"""`stance run`: read -> parse -> claims -> speakers -> actors -> stance -> per-actor records -> files.

Articles are processed in chunks (one ``nlp.pipe`` stream, one batched classifier call per chunk; in worker processes,
each running every stage on its chunk, or in one process, scored in a background thread while the next chunk is
parsed) and appended to the output folder as each chunk finishes, so an
interrupted run resumes where it stopped. When all articles are done, actors are unified across articles and the
final files are rewritten atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from pipeline.actors import aggregate, corpus, reliability
from pipeline.config import RunConfig
from pipeline.errors import InputError, ModelError
from pipeline.pipeline import Pipeline, by_article
from pipeline.records import LABELS, ActorStance, Article, Claim
from pipeline.run.report import set_aside
from pipeline.run.store import RunStore, fingerprint
from pipeline.text import reader
from pipeline.writers import atomic_path, write_jsonl

Progress = Callable[[Article, int], None]


@dataclass
class RunResult:
    articles: int
    claims: list[Claim]
    actors: list[ActorStance]
    summary: list[corpus.ActorSummary]
    files: list[Path]
    skipped: int = 0
    stale: int = 0  # stored articles dropped on resuming: changed since, or no longer in the input
    targets: tuple[str, ...] = ()  # as the user gave them
    set_aside: dict[str, int] | None = None  # per target, articles the topic check found not about it (None: off)
    held_out: dict | None = None  # the model's verdicts by kind on held-out articles (reliability.load)

    def held_out_rate(self, counts: dict[str, int], stance: str) -> float | None:
        """How often a verdict of these counts' kind was right on held-out articles (None: not measured)."""
        return reliability.rate(self.held_out, counts, stance)


def _settings(cfg: RunConfig) -> dict:
    # keys that older folders lack are left out where their value is what those runs did, so that those folders resume
    return (
        {
            "input": str(Path(cfg.input).resolve()),
            "targets": cfg.targets,
            "model": str(Path(cfg.model).resolve()),
            "tagger": str(Path(cfg.tagger).resolve()) if cfg.tagger is not None else "None",
            "join_split_quotes": cfg.join_split_quotes,
        }
        | ({"speaker_ranker": cfg.speaker_ranker} if cfg.tagger is not None else {})
        | ({"topic_threshold": cfg.topic_threshold} if cfg.topic_check else {})
        | ({"target_margin": cfg.target_margin} if _margin_applies(cfg) else {})
    )


def _margin_applies(cfg: RunConfig) -> bool:
    return cfg.topic_check and cfg.target_margin is not None and len(cfg.targets) > 1


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def run(cfg: RunConfig, progress: Progress | None = None, fresh: bool = False) -> RunResult:
    # validate everything before a model loads or anything is written
    if cfg.input is None:
        raise InputError("no input: give a .txt file, a folder of them or a JSONL file (the config's input)")
    current = {a.id: fingerprint(a) for a in reader.read_articles(cfg.input, cfg.max_chars, cfg.skip_bad_lines)}
    total = len(current)
    if total == 0:
        raise InputError(f"no articles in {cfg.input}")
    check_writable(Path(cfg.output))
    if cfg.tagger is not None and not (Path(cfg.tagger) / "tagger.json").is_file():
        raise InputError(f"no attribution tagger at {cfg.tagger} (missing tagger.json)")
    if cfg.engine == "ray":
        return _run_on_ray(cfg, progress, fresh, current)
    with contextlib.ExitStack() as stack:
        workers = None
        if cfg.parse_processes > 1 and total > cfg.chunk_articles:
            from pipeline.run.parallel import Extractors

            # on a CPU the workers run every stage up to the stance scores, so no core waits on one classifier thread;
            # a GPU is one device for one model, in this process
            workers = stack.enter_context(Extractors(cfg.parse_processes, cfg, classify=not gpu_present(cfg)))
        pipe = None
        if workers is None or not workers.classify:
            # load the model before anything is written: a missing model leaves no output behind
            threads = None  # torch's choice, when nothing else runs beside the classifier
            if cfg.background_classifier or workers:
                threads = max(1, (os.cpu_count() or 2) - (workers.processes if workers else 1))  # the parsers' cores
            pipe = Pipeline.from_config(cfg, threads=threads, extract=workers is None)
        if workers is not None:
            workers.wait_ready()  # a model they cannot load stops the run here, before anything is written
        store = RunStore(cfg.output, _settings(cfg), fresh=fresh or not cfg.resume, current=current)
        skipped = len(store.done)
        if workers is not None:
            parsed = workers.extract(_todo(cfg, store), cfg.chunk_articles, cfg.join_split_quotes)
        else:
            parsed = pipe.extract(_todo(cfg, store), batch_size=cfg.chunk_articles)
        if pipe is None:  # the workers scored the claims
            for chunk in _chunks(parsed, cfg.chunk_articles):
                _store(store, chunk, progress)
        else:
            # torch releases the GIL in its kernels: a thread scores chunk n on one core while chunk n+1 is parsed
            pool = stack.enter_context(ThreadPoolExecutor(1) if cfg.background_classifier else _Inline())
            _run_chunks(cfg, parsed, store, pipe, pool, progress)
    return finish(store, cfg, skipped)


def _run_on_ray(cfg: RunConfig, progress: Progress | None, fresh: bool, current: dict[str, str]) -> RunResult:
    from pipeline.run import ray_engine

    ray_engine.start(cfg)  # a missing Ray is one line, before anything is written
    if not (Path(cfg.model) / "stance.json").is_file():
        raise ModelError(
            f"no stance model at {cfg.model} (missing stance.json): "
            "name 'accurate', 'fast' or a folder 'stance train' wrote"
        )
    store = RunStore(cfg.output, _settings(cfg), fresh=fresh or not cfg.resume, current=current)
    skipped = len(store.done)
    ray_engine.run_ray(cfg, store, progress)
    return finish(store, cfg, skipped)


def gpu_present(cfg: RunConfig) -> bool:
    """Whether the stance classifier will run on a GPU, asked without loading torch (the workers fork after this, and
    should not inherit it): an NVIDIA driver is there and the config allows a GPU."""
    return cfg.device == "auto" and Path("/proc/driver/nvidia/version").exists()


def check_writable(folder: Path) -> None:
    """Refuse, before any work, an output folder that cannot be created or written."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot write the output folder {folder}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write the output folder {folder}: no permission to write in {existing}")
    if existing != folder:
        # permissions do not tell everything (root may write anywhere but /proc, a read-only mount): try it
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".stance-check-", dir=existing))
        except OSError as exc:
            raise InputError(
                f"cannot write the output folder {folder}: no folder can be made in {existing} ({exc.strerror})"
            ) from exc


class _Inline(Executor):
    """Runs each job at once, in the caller's thread: the executor for runs without a background classifier."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        done: Future = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:
            done.set_exception(exc)
        return done


def _todo(cfg: RunConfig, store: RunStore) -> Iterator[Article]:
    articles = reader.read_articles(cfg.input, cfg.max_chars, cfg.skip_bad_lines, warn=False)
    return (a for a in articles if a.id not in store.done)


def _run_chunks(cfg: RunConfig, parsed: Iterator, store: RunStore, pipe: Pipeline, pool: Executor, progress) -> None:
    """Score chunk n (in the background thread, if any) while chunk n+1 is parsed; store chunks in input order."""
    pending = None
    for chunk in _chunks(parsed, cfg.chunk_articles):
        found = [c for _, claims in chunk for c in claims]
        job = (chunk, pool.submit(pipe.classify, found, [a for a, _ in chunk]) if found else None)
        if pending:
            _store(store, _scored(*pending), progress)
        pending = job
    if pending:
        _store(store, _scored(*pending), progress)


def _scored(chunk, scored: Future | None) -> list[tuple[Article, list[Claim]]]:
    return list(by_article([a for a, _ in chunk], scored.result() if scored else []))


def _store(store: RunStore, chunk: list[tuple[Article, list[Claim]]], progress: Progress | None) -> None:
    """Each article of a chunk with its scored claims and its actors' stances, in input order."""
    for article, claims in chunk:
        store.add(article, claims, aggregate.actor_stances(claims))
        if progress:
            progress(article, len({c.claim_id for c in claims}))


def finish(store: RunStore, cfg: RunConfig, skipped: int = 0) -> RunResult:
    """Unify actors across articles and (re)write the final files."""
    store.in_input_order()
    articles = store.articles()
    dates = {a["id"]: a.get("date") for a in articles}
    claims = corpus.unify_actors(store.claims())
    actors = aggregate.actor_stances(claims)
    held_out = reliability.load(cfg.model)
    summary = corpus.summarise(claims, dates, cfg.targets, held_out=held_out)
    folder = Path(cfg.output)
    write_jsonl(folder / "claims.jsonl", claims)
    write_jsonl(folder / "actors.jsonl", actors)
    write_jsonl(folder / "actor_summary.jsonl", summary)
    files = [folder / "claims.jsonl", folder / "actors.jsonl", folder / "actor_summary.jsonl"]
    # a table the folder already holds is rewritten too, so that none is left describing an earlier input
    held = {fmt for fmt in ("csv", "parquet") if (folder / f"claims.{fmt}").is_file()}
    formats = [fmt for fmt in dict.fromkeys([*cfg.formats, *sorted(held)]) if fmt != "jsonl"]
    aside = {t: set_aside(claims, t, cfg.topic_threshold) for t in cfg.targets} if cfg.topic_check else None
    tables = _tables(claims, actors, summary, articles, cfg.targets, aside or {}) if formats else []
    for fmt in formats:
        for name, rows, columns in tables:
            path = folder / f"{name}.{fmt}"
            _write_table(path, rows, fmt, columns)
            files.append(path)
    if cfg.report or (cfg.report is None and len(articles) > 1):
        from pipeline.run.report import write_report

        files.append(write_report(folder, claims, summary, articles, store.settings))
    store.finish({"claims": len({c.claim_id for c in claims}), "targets": cfg.targets})
    counts = {t: len(ids) for t, ids in aside.items()} if aside is not None else None
    return RunResult(
        len(articles), claims, actors, summary, files, skipped, len(store.stale), tuple(cfg.targets), counts, held_out
    )


def _tables(claims, actors, summary, articles, targets: list[str], aside: dict[str, set[str]]) -> list[tuple]:
    """The tables a spreadsheet reads: the records flat, each claim with its article's date, source and title; each
    article with the targets the topic check set aside (``aside``: target -> article ids); each actor's stance by
    date, a row a day."""
    about = {a["id"]: {k: a.get(k) for k in ARTICLE_COLUMNS} for a in articles}
    topic: dict[str, dict[str, float]] = defaultdict(dict)  # article -> target -> its closest sentence's cosine
    for c in claims:
        if c.topic is not None and c.target is not None:
            topic[c.article_id][c.target] = c.topic
    claim_columns = _columns(list(Claim.model_fields))
    at = claim_columns.index("article_id") + 1
    claim_columns[at:at] = list(ARTICLE_COLUMNS)
    timeline = [
        {"actor_id": s.actor_id, "actor": s.actor, "target": s.target, **_flat(p.model_dump())}
        for s in summary
        for p in s.timeline
    ]
    return [
        ("claims", [_flat(c.model_dump()) | about.get(c.article_id, {}) for c in claims], claim_columns),
        ("actors", [_flat(r.model_dump()) for r in actors], _columns(list(ActorStance.model_fields))),
        ("actor_summary", [_flat(r.model_dump()) for r in summary], _columns(list(corpus.ActorSummary.model_fields))),
        (
            "articles",
            [
                {k: a.get(k) for k in ("id", *ARTICLE_COLUMNS, "claims")}
                | {"set_aside": " | ".join(t for t in targets if a["id"] in aside.get(t, ()))}
                | {"topic": json.dumps(topic[a["id"]], ensure_ascii=False) if a["id"] in topic else None}
                for a in articles
            ],
            ["id", *ARTICLE_COLUMNS, "claims", "set_aside", "topic"],
        ),
        (
            "timeline",
            timeline,
            ["actor_id", "actor", "target", *_columns(list(corpus.TimelinePoint.model_fields))],
        ),
    ]


ARTICLE_COLUMNS = ("date", "source", "title")
BY_LABEL = ("scores", "counts")  # a column per label in the tables ("counts_favor"), for a spreadsheet to sum


def _columns(fields: list[str]) -> list[str]:
    return [c for f in fields for c in ([f"{f}_{label}" for label in LABELS] if f in BY_LABEL else [f])]


def _flat(row: dict) -> dict:
    """Scores and counts a column per label; other nested values (spans, lists) as JSON text: every cell a scalar."""
    out = {}
    for key, value in row.items():
        if key in BY_LABEL:
            out |= {f"{key}_{label}": (value or {}).get(label) for label in LABELS}
        else:
            out[key] = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
    return out


def _write_table(path: Path, rows: list[dict], fmt: str, columns: list[str]) -> None:
    """A CSV or Parquet table; with no rows, still the header (the columns of the records it would hold)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    with atomic_path(path, suffix=f".{fmt}") as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")  # the mark tells Excel it is UTF-8 ("Núñez")
        else:
            frame.to_parquet(tmp, index=False)
