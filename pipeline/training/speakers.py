"""Fit a tagger's speaker ranker (``speakers.json``, see ``pipeline.attribution.ranker``) on PolNeAR train articles.

    stance train configs/speakers-fast.yaml   (task: speakers)

The articles the tagger was trained on are parsed and tagged; every claim the rules and the tagger find that overlaps
a gold claim gives one row per candidate, labelled by whether its mention overlaps the gold source span. The articles
the tagger held out (``heldout_ids`` in its ``heldout_metrics.json``) are kept out of the fit and scored with and
without the ranker; PolNeAR dev is never read. The weights, the held-out scores and a model card (``speakers.md``)
go into the tagger's folder. Retraining the tagger replaces its folder: fit its ranker again afterwards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pipeline.attribution.ranker import FEATURES, FILE, SpeakerRanker, according_cue, claim_rows, speaker_of
from pipeline.config import SpeakerTrainConfig
from pipeline.data.labeled import LabeledArticle
from pipeline.errors import StanceError
from pipeline.writers import atomic_path

CARD = "speakers.md"


def labelled_rows(gold: LabeledArticle, doc, tagged: Sequence) -> tuple[list[list[float]], list[int]]:
    """Feature rows and 0/1 labels of one article's candidates, for the claims that overlap a gold claim with a
    source (each claim takes the gold claim it shares most characters with). A claim whose gold claim is "according
    to" someone is left out unless its own cue is "according to" too (``ranker.according_cue``)."""
    from pipeline.run.extract import attribute

    text = gold.text or ""
    items = attribute(doc, text, list(tagged))
    sources = [t for t in tagged if t.label == "source"]
    rows: list[list[float]] = []
    labels: list[int] = []
    for item, (tokens, feats) in zip(items, claim_rows(doc, text, items, sources), strict=True):
        cand = item.candidate
        shared = [(min(cand.end, g.end_char) - max(cand.start, g.start_char), g) for g in gold.claims]
        overlap, match = max(shared, key=lambda p: p[0], default=(0, None))
        if overlap <= 0 or match.speaker_start_char is None or match.speaker_end_char is None:
            continue
        gold_cue = (match.cue_start_char, match.cue_end_char) if match.cue_start_char is not None else None
        if according_cue(text, gold_cue) and not according_cue(text, cand.cue):
            continue  # PolNeAR gives "Choe said X, according to the Times" to the Times; this project to Choe
        for token, row in zip(tokens, feats, strict=True):
            start, end = speaker_of(token)[0]
            rows.append(row)
            labels.append(int(start < match.speaker_end_char and match.speaker_start_char < end))
    return rows, labels


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], trees: int = 300, seed: int = 0) -> dict:
    """Gradient-boosted trees (LightGBM, deterministic); the model as ``SpeakerRanker`` reads it."""
    import lightgbm
    import numpy as np

    x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    y = np.asarray(labels)
    if len(set(y.tolist())) < 2:
        raise StanceError("the speaker ranker needs right and wrong candidates to learn from; the data has one kind")
    model = lightgbm.LGBMClassifier(
        n_estimators=trees, learning_rate=0.05, random_state=seed, deterministic=True, n_jobs=1, verbose=-1
    ).fit(x, y)
    gain = model.booster_.feature_importance(importance_type="gain")
    return {
        "features": list(FEATURES),
        "importance": {name: round(float(g), 1) for name, g in zip(FEATURES, gain, strict=True)},
        "model": model.booster_.model_to_string(),
    }


def _parse_and_tag(articles: Sequence[LabeledArticle], tagger, label: str) -> list:
    from rich.progress import Progress

    from pipeline.progress import console
    from pipeline.text import nlp

    model = nlp.load()
    out = []
    with Progress(console=console) as bar:
        task = bar.add_task(label, total=len(articles))
        for lo in range(0, len(articles), 16):
            batch = articles[lo : lo + 16]
            texts = [a.text or "" for a in batch]
            tags = tagger.predict(texts)
            docs = model.pipe(map(nlp.parser_text, texts), batch_size=16)
            out += list(zip(batch, docs, tags, strict=True))
            bar.advance(task, len(batch))
    return out


def _score(parsed: list, ranker: SpeakerRanker | None) -> dict:
    from pipeline.evaluation.attribution_metrics import score
    from pipeline.run.extract import extract

    predicted = {g.id: extract(g.article(), doc, tags, True, ranker) for g, doc, tags in parsed}
    m = score([g for g, _, _ in parsed], predicted)
    return {
        "content_f1": round(m["content"]["f1"], 4),
        "speaker_accuracy": round(m["speaker"]["accuracy"], 4),
        "end_to_end_f1": round(m["end_to_end"]["f1"], 4),
        "matched": m["counts"]["matched"],
        "speaker_correct": m["counts"]["speaker_correct"],
    }


def train_speakers(cfg: SpeakerTrainConfig) -> dict:
    from pipeline.attribution.tagger import AttributionTagger
    from pipeline.data.corpora import data_root, polnear

    started = time.perf_counter()
    metrics_file = Path(cfg.tagger) / "heldout_metrics.json"
    try:
        held = set(json.loads(metrics_file.read_text(encoding="utf-8"))["data"]["heldout_ids"])
    except (OSError, KeyError, ValueError) as exc:
        raise StanceError(f"cannot read the tagger's held-out articles from {metrics_file}: {exc}") from exc
    articles = polnear.labeled_articles(data_root(cfg.data_root), "train")
    train = [a for a in articles if a.id not in held][: cfg.max_train_articles]
    heldout = [a for a in articles if a.id in held][: cfg.max_heldout_articles]
    # float32 tags, as the tagger's own held-out metrics: the ranker's training rows do not depend on the CPU
    tagger = AttributionTagger(cfg.tagger, speakers=False, precision="fp32")
    rows: list[list[float]] = []
    labels: list[int] = []
    for gold, doc, tags in _parse_and_tag(train, tagger, "speaker rows"):
        r, y = labelled_rows(gold, doc, tags)
        rows += r
        labels += y
    weights = fit(rows, labels, cfg.trees, cfg.seed)
    parsed = _parse_and_tag(heldout, tagger, "held-out articles")
    ranker = SpeakerRanker(weights)
    scores = {"without_ranker": _score(parsed, None), "with_ranker": _score(parsed, ranker)}
    weights["training"] = {
        "data": f"PolNeAR train, the {len(train)} articles the tagger was trained on",
        "articles": len(train),
        "rows": len(rows),
        "positives": int(sum(labels)),
        "trees": cfg.trees,
        "seed": cfg.seed,
        "heldout_articles": len(heldout),
        "heldout": scores,
        "seconds": round(time.perf_counter() - started, 1),
        "date": date.today().isoformat(),
    }
    with atomic_path(Path(cfg.tagger) / FILE) as tmp:
        tmp.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    with atomic_path(Path(cfg.tagger) / CARD) as tmp:
        tmp.write_text(_card(weights), encoding="utf-8")
    return weights["training"]


def _card(weights: dict) -> str:
    t = weights["training"]
    rows = "\n".join(
        f"| {name.replace('_', ' ')} | {s['content_f1']:.3f} | {s['speaker_accuracy']:.3f} | {s['end_to_end_f1']:.3f} |"
        for name, s in t["heldout"].items()
    )
    total = sum(weights["importance"].values()) or 1.0
    top = sorted(weights["importance"].items(), key=lambda p: -p[1])[:8]
    strongest = ", ".join(f"`{name}` {gain / total:.0%}" for name, gain in top)
    return f"""# Speaker ranker for this tagger

Gradient-boosted trees (LightGBM) that pick each claim's speaker among the noun phrases of the sentences of the
claim and its cue, from where the rules' and this tagger's choices fall, the parse relation to the cue, distance,
entity type and pronoun kind ({len(weights["features"])} features, `pipeline/attribution/ranker.py`).
`AttributionTagger` reads `{FILE}` from the tagger's folder; `speaker_ranker: false` in a run or evaluate config
turns it off. A claim with a cue of its own is never moved to the X of "according to X" (PolNeAR's convention, not
this project's).

- Training data: {t["data"]}: {t["rows"]:,} candidate rows, {t["positives"]:,} of them the gold speaker;
  {t["trees"]} trees, seed {t["seed"]}.
- Fitted on {t["date"]} in {t["seconds"]:.0f} s (parsing and tagging included) with
  `stance train CONFIG` (`task: speakers`).
- Features by share of the trees' gain: {strongest}.

The {t["heldout_articles"]} PolNeAR train articles the tagger held out (never fitted on), rules + this tagger:

| | content F1 | speaker accuracy | end-to-end F1 |
|---|---|---|---|
{rows}
"""
