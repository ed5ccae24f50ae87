"""`stance run`: read -> parse -> claims -> speakers -> actors -> stance -> per-actor records -> files."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import aggregate, reader
from pipeline.config import RunConfig
from pipeline.errors import InputError
from pipeline.extract import extract_all
from pipeline.records import ActorStance, Article, Claim
from pipeline.stance import StanceClassifier
from pipeline.writers import atomic_path, write_jsonl


@dataclass
class RunResult:
    articles: int
    claims: list[Claim]
    actors: list[ActorStance]
    files: list[Path]


def classify(claims: list[Claim], targets: list[str], model: StanceClassifier) -> list[Claim]:
    """One record per (claim, target), with the stance and the probability of each label."""
    pairs = [(c, t) for c in claims for t in targets]
    if not pairs:
        return []
    scores = model.predict([t for _, t in pairs], [c.text for c, _ in pairs], [c.speaker for c, _ in pairs])
    out = []
    for (claim, target), score in zip(pairs, scores, strict=True):
        stance = max(score, key=score.get)
        out.append(claim.model_copy(update={"target": target, "stance": stance, "scores": score}))
    return out


def run(cfg: RunConfig, progress: Callable[[Article, int], None] | None = None) -> RunResult:
    model = StanceClassifier(cfg.model, batch_size=cfg.batch_size)  # fail on a missing model before any parsing
    articles = reader.read_articles(cfg.input, cfg.max_chars)
    all_claims: list[Claim] = []
    count = 0
    for article, found in extract_all(articles):
        count += 1
        all_claims.extend(classify(found, cfg.targets, model))
        if progress:
            progress(article, len(found))
    if count == 0:
        raise InputError(f"no articles in {cfg.input}")
    actors = aggregate.actor_stances(all_claims)
    files = write_outputs(cfg.output, all_claims, actors, cfg.formats)
    return RunResult(count, all_claims, actors, files)


def write_outputs(folder: Path, claims: list[Claim], actors: list[ActorStance], formats: list[str]) -> list[Path]:
    folder = Path(folder)
    files = [folder / "claims.jsonl", folder / "actors.jsonl"]
    write_jsonl(files[0], claims)
    write_jsonl(files[1], actors)
    for fmt in formats:
        if fmt == "jsonl":
            continue
        for name, records in (("claims", claims), ("actors", actors)):
            path = folder / f"{name}.{fmt}"
            _write_table(path, [_flat(r.model_dump()) for r in records], fmt)
            files.append(path)
    return files


def _flat(row: dict) -> dict:
    """Nested values (spans, scores, counts, lists) as JSON text, so every table cell is a scalar."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}


def _write_table(path: Path, rows: list[dict], fmt: str) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    with atomic_path(path, suffix=f".{fmt}") as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_parquet(tmp, index=False)
