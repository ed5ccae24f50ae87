"""`stance evaluate`: stance metrics (model, majority class, TF-IDF + logistic regression, on the same split),
per-actor stance accuracy, and attribution metrics (claims and speakers) on labeled articles."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path

from pipeline import examples as ex
from pipeline import labeled
from pipeline.config import AttributionSource, EvaluateConfig, SourceWeight
from pipeline.corpora import data_root
from pipeline.errors import ConfigError
from pipeline.metrics import intervals, stance_metrics
from pipeline.records import StanceExample
from pipeline.writers import atomic_lines


def _baselines(train: list[StanceExample], test: list[StanceExample]) -> tuple[dict, list[str]]:
    """Majority-class and TF-IDF + logistic-regression metrics on ``test``, and the TF-IDF predictions."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    gold = [e.label for e in test]
    majority = Counter(e.label for e in train).most_common(1)[0][0]
    tfidf = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", random_state=0),
    )
    tfidf.fit([f"{e.target} || {e.text}" for e in train], [e.label for e in train])
    tfidf_pred = [str(label) for label in tfidf.predict([f"{e.target} || {e.text}" for e in test])]
    return {
        "majority": stance_metrics(gold, [majority] * len(test)),
        "tfidf_logreg": stance_metrics(gold, tfidf_pred),
    }, tfidf_pred


def _source_name(source: SourceWeight) -> str:
    return f"labeled:{source.path.stem}" if source.corpus == "labeled" and source.path else source.corpus


def stance_report(cfg: EvaluateConfig, model) -> dict:
    out = {}
    train = ex.mix(cfg.train, "train", cfg.data_root) if cfg.train and cfg.baselines else []
    for source in cfg.stance:
        items = ex.load(source, cfg.split, cfg.data_root)
        if not items:
            raise ConfigError(f"no {cfg.split} examples for {_source_name(source)}")
        scores = model.predict(
            [e.target for e in items], [e.text for e in items], [e.speaker for e in items], [e.cue for e in items]
        )
        pred = [max(s, key=s.get) for s in scores]
        gold = [e.label for e in items]
        entry = {"model": stance_metrics(gold, pred)}
        tfidf_pred = None
        if train:
            baselines, tfidf_pred = _baselines(train, items)
            entry.update(baselines)
        if cfg.bootstrap:
            entry["model"]["intervals"] = intervals(gold, pred, tfidf_pred, resamples=cfg.bootstrap)
        out[_source_name(source)] = entry
    return out


def actor_report(cfg: EvaluateConfig, model) -> dict:
    """Per-actor stance on gold claims and gold speakers: the aggregate of predicted claim stances vs gold actors."""
    from pipeline.aggregate import actor_stances
    from pipeline.records import Claim, Span

    out = {}
    for source in cfg.stance:
        if source.corpus != "labeled" or source.path is None:
            continue
        gold, pred = [], []
        for item in labeled.read(source.path, cfg.data_root):
            if item.split != cfg.split or not item.actors or not item.target:
                continue
            claims = [
                Claim(
                    article_id=item.id,
                    claim_id=f"{item.id}:{n}",
                    text=item.text[c.start_char : c.end_char],
                    start_char=c.start_char,
                    end_char=c.end_char,
                    kind=c.kind or "indirect",
                    speaker=c.speaker,
                    actor_id=c.speaker,
                    target=item.target,
                    cue=Span.of(item.text, c.cue_start_char, c.cue_end_char) if c.cue_start_char is not None else None,
                )
                for n, c in enumerate(item.claims)
                if c.speaker
            ]
            if not claims:
                continue
            scores = model.predict(
                [item.target] * len(claims),
                [c.text for c in claims],
                [c.speaker for c in claims],
                [c.cue.text if c.cue else None for c in claims],
            )
            claims = [
                c.model_copy(update={"stance": max(s, key=s.get), "scores": s})
                for c, s in zip(claims, scores, strict=True)
            ]
            found = {a.actor_id: a.stance for a in actor_stances(claims)}
            for actor in item.actors:
                gold.append(actor.stance)
                pred.append(found.get(actor.name, "neutral"))
        if gold:
            out[_source_name(source)] = stance_metrics(gold, pred)
    return out


def _gold_articles(source: AttributionSource, root: Path | None) -> list[labeled.LabeledArticle]:
    if source.corpus == "polnear":
        from pipeline.corpora import polnear

        items = polnear.labeled_articles(data_root(root), source.split)
    else:
        if source.path is None:
            raise ConfigError("a 'labeled' attribution source needs a 'path'")
        items = [i for i in labeled.read(source.path, root) if source.split in (i.split, "all")]
    return items[: source.max_articles] if source.max_articles else items


def attribution_report(cfg: EvaluateConfig, workers=None) -> dict:
    """Attribution metrics per source; ``workers`` (``pipeline.parallel.Extractors``) parse and extract in parallel,
    else this process does, with the tagger loaded here."""
    import time

    from pipeline.attribution_metrics import score
    from pipeline.extract import extract_all

    out = {}
    tagger = None
    if cfg.tagger is not None and workers is None:
        from pipeline.tagger import AttributionTagger

        tagger = AttributionTagger(cfg.tagger, speakers=cfg.speaker_ranker, precision=cfg.precision)
    if workers:
        workers.wait_ready()  # articles/s measures extraction, as in one process, where the tagger loads first
    for source in cfg.attribution:
        gold = _gold_articles(source, cfg.data_root)
        started = time.perf_counter()
        articles = (g.article() for g in gold)
        join = source.join_split_quotes
        if workers:
            # small chunks, so that the workers finish together: on 84 articles, chunks of 8 left one worker idle
            # for most of a chunk at the end
            chunk = max(1, min(8, len(gold) // (16 * workers.processes)))
            found = workers.extract(articles, chunk=chunk, join_quotes=join)
        else:
            found = extract_all(articles, tagger=tagger, join_quotes=join)
        predicted = {article.id: claims for article, claims in found}
        seconds = time.perf_counter() - started
        # the project's own annotations name every speaker canonically; PolNeAR's "speaker" is the mention's text
        metrics = score(gold, predicted, canonical_names=source.corpus == "labeled")
        metrics["articles"] = len(gold)
        metrics["processes"] = workers.processes if workers else 1
        metrics["seconds"] = round(seconds, 2)
        metrics["articles_per_second"] = round(len(gold) / seconds, 2) if seconds else None
        name = f"{source.corpus}:{source.path.stem if source.path else source.split}"
        if name in out:  # the same file again, another split
            name = f"{name}:{source.split}"
        base, n = name, 2
        while name in out:  # the same source twice: keep both
            name, n = f"{base}:{n}", n + 1
        out[name] = metrics
    return out


def evaluate(cfg: EvaluateConfig) -> dict:
    report: dict = {"split": cfg.split}
    with contextlib.ExitStack() as stack:
        workers = None
        if cfg.attribution and cfg.parse_processes > 1:
            from pipeline.parallel import Extractors

            # started before torch loads here, so the forked workers do not inherit its threads
            extractors = Extractors(cfg.parse_processes, cfg.tagger, cfg.speaker_ranker, cfg.precision)
            workers = stack.enter_context(extractors)
        if cfg.stance:
            from pipeline.stance import StanceClassifier

            model = StanceClassifier(cfg.model, batch_size=cfg.batch_size, precision=cfg.precision)
            report["model"] = str(cfg.model)
            report["stance"] = stance_report(cfg, model)
            report["actors"] = actor_report(cfg, model)
        if cfg.attribution:
            report["attribution"] = attribution_report(cfg, workers)
    path = Path(cfg.output) / "metrics.json"
    atomic_lines(path, [json.dumps(report, indent=2)])
    report["written"] = str(path)
    return report


def _format_intervals(ci: dict[str, list[float]]) -> str:
    names = {"accuracy": "accuracy", "macro_f1": "macro-F1", "f_avg": "F_avg", "f_avg_minus_baseline": "F_avg - TF-IDF"}
    parts = [f"{names[k]} {lo:.3f} to {hi:.3f}" for k, (lo, hi) in ci.items()]
    return "model, 95% bootstrap intervals over the examples: " + "; ".join(parts)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for name, entry in report.get("stance", {}).items():
        table = Table(title=f"Stance on {name} ({report['split']}, n={entry['model']['n']})")
        for col in ("system", "accuracy", "macro-F1", "F_avg", "F1 favor", "F1 against", "F1 neutral"):
            table.add_column(col)
        for system, m in entry.items():
            pc = m["per_class"]
            table.add_row(
                system,
                *(
                    f"{v:.3f}"
                    for v in (
                        m["accuracy"],
                        m["macro_f1"],
                        m["f_avg"],
                        pc["favor"]["f1"],
                        pc["against"]["f1"],
                        pc["neutral"]["f1"],
                    )
                ),
            )
        console.print(table)
        if ci := entry["model"].get("intervals"):
            console.print(_format_intervals(ci))
        cm = entry["model"]["confusion"]
        console.print(f"confusion (rows gold, cols predicted; {', '.join(cm['labels'])}): {cm['matrix']}")
    for name, m in report.get("actors", {}).items():
        console.print(
            f"per-actor stance on {name}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}, "
            f"F_avg {m['f_avg']:.3f} (n={m['n']})"
        )
    if report.get("attribution"):
        from pipeline.attribution_metrics import format_table

        for name, m in report["attribution"].items():
            console.print(
                format_table(
                    m,
                    title=f"Attribution on {name} ({m['articles']} articles, {m['articles_per_second']} articles/s, "
                    f"{m.get('processes', 1)} processes)",
                )
            )
    console.print(f"wrote {report['written']}")
