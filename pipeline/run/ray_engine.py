"""`engine: ray`: the same run on Ray Data, on one machine or a cluster.

Articles are independent until the corpus-level step, so Ray Data streams them through a pool of actors
(``map_batches`` with a callable class): each actor loads spaCy, the tagger and the stance classifier once, then
parses, extracts and classifies a chunk of articles at a time and sends back only the claims. The driver stores each
article's claims in input order (``preserve_order``) in the same resumable folder as the local engine, so a rerun
skips every article already stored; once all are done, the local engine's finishing step (corpus-level actors,
summaries, report) runs on the driver. A JSONL input is read by Ray in blocks (``read_text``), never whole into the
driver's memory.

``ray.init()`` starts a local instance; ``ray_address`` (or ``$RAY_ADDRESS``) joins a running cluster, where every
node needs this project installed and the models at the same paths (docs/cluster.md).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pipeline.config import RunConfig
from pipeline.errors import ConfigError
from pipeline.pipeline import Pipeline, by_article
from pipeline.records import Article, Claim
from pipeline.run.store import RunStore
from pipeline.text import reader


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(
            "engine: ray needs Ray Data, which is not installed: pip install -e '.[ray]' (or 'ray[data]')"
        ) from None
    return ray


class ClaimWorker:
    """One Ray actor: the models of a run, loaded once; each call reads, parses, extracts and classifies a batch.
    Reading happens here too (one operator, so the pool holds every CPU slot and nothing else waits for one)."""

    def __init__(self, settings: dict, done: set[str]):
        self.cfg = RunConfig.model_validate(settings)
        self.done = done
        self.pipeline = Pipeline.from_config(self.cfg, threads=1)

    def __call__(self, batch: dict) -> dict:
        articles = [a for a in self._articles(batch) if a.id not in self.done]
        found = [c for _, cs in self.pipeline.extract(articles, len(articles)) for c in cs]
        scored = self.pipeline.classify(found, articles)
        rows = [(a, [c.model_dump(mode="json") for c in cs]) for a, cs in by_article(articles, scored)]
        return {"article": [a.model_dump_json() for a, _ in rows], "claims": [json.dumps(cs) for _, cs in rows]}

    def _articles(self, batch: dict) -> list[Article]:
        """Articles from JSON records, or from JSONL lines as Ray's ``read_text`` gives them, read the way the local
        reader reads them; the driver validated the file first, so a line that does not read is one that
        ``skip_bad_lines`` skips."""
        if "article" in batch:
            return [Article.model_validate_json(a) for a in batch["article"]]
        out = []
        for line in batch["text"]:
            line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            try:
                out.append(reader.dated(reader.to_article(json.loads(line), "", self.cfg.max_chars), warn=False))
            except (ValueError, reader.InputError):
                continue
        return out


def dataset(cfg: RunConfig, done: set[str]):
    """The input as a Ray dataset: a JSONL file's lines, read by Ray in blocks, or the articles of any other input
    (a .txt file or a folder) as JSON records."""
    ray = _ray()
    path = Path(cfg.input)
    if path.is_file() and path.suffix.lower() in reader.JSONL_SUFFIXES:
        return ray.data.read_text(str(path), num_cpus=0)  # reading waits for no CPU slot: the actors hold them all
    articles = reader.read_articles(path, cfg.max_chars, cfg.skip_bad_lines, warn=False)
    return ray.data.from_items([{"article": a.model_dump_json()} for a in articles if a.id not in done])


def start(cfg: RunConfig) -> None:
    """Join the cluster ``ray_address`` (or ``$RAY_ADDRESS``, or one started by ``ray start`` here) names, else start
    a local instance."""
    ray = _ray()
    if ray.is_initialized():
        return
    # no address: $RAY_ADDRESS, else a cluster `ray start` left on this machine, else a new local instance
    ray.init(
        address=cfg.ray_address, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False,
        configure_logging=False,
    )  # fmt: skip


def run_ray(cfg: RunConfig, store: RunStore, progress=None) -> None:
    """Stream the remaining articles through the actor pool and store their claims in input order."""
    ray = _ray()
    start(cfg)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the same files, in the same order, as the local engine
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    workers = cfg.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    done = set(store.done)
    claims = dataset(cfg, done).map_batches(
        ClaimWorker,
        fn_constructor_kwargs={"settings": cfg.model_dump(mode="json"), "done": done},
        batch_size=cfg.chunk_articles,
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
        num_gpus=cfg.gpus_per_worker,
    )
    from pipeline.actors.aggregate import actor_stances

    for row in claims.iter_rows():
        article = Article.model_validate_json(row["article"])
        found = [Claim.model_validate(c) for c in json.loads(row["claims"])]
        store.add(article, found, actor_stances(found))
        if progress:
            progress(article, len({c.claim_id for c in found}))
