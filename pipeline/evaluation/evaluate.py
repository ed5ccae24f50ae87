"""`stance evaluate`: stance metrics (model, majority class, TF-IDF + logistic regression, on the same split),
per-actor stance accuracy, and attribution metrics (claims and speakers) on labeled articles."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from pathlib import Path

from pipeline.config import AttributionSource, EvaluateConfig, ModelEntry, SourceWeight
from pipeline.data import examples as ex
from pipeline.data import labeled, standoff
from pipeline.data.corpora import data_root
from pipeline.errors import ConfigError
from pipeline.evaluation.metrics import intervals, stance_metrics
from pipeline.records import Article, StanceExample
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


def _scores(model, items: list[StanceExample]) -> list[dict[str, float]]:
    return model.predict(
        [e.target for e in items], [e.text for e in items], [e.speaker for e in items], [e.cue for e in items]
    )


def _labels(scores: list[dict[str, float]]) -> list[str]:
    return [max(s, key=s.get) for s in scores]


def _predict(model, items: list[StanceExample]) -> list[str]:
    return _labels(_scores(model, items))


def _ensemble(runs: list[list[dict[str, float]]]) -> list[dict[str, float]]:
    """The mean of several runs' probabilities, claim by claim."""
    return [{k: sum(r[k] for r in claim) / len(claim) for k in claim[0]} for claim in zip(*runs, strict=True)]


def _mean(runs: list[dict]) -> dict:
    """The mean of several training runs' metrics, with their range."""
    keys = ("accuracy", "macro_f1", "f_avg")
    return {
        "runs": len(runs),
        **{k: sum(r[k] for r in runs) / len(runs) for k in keys},
        "range": {k: [min(r[k] for r in runs), max(r[k] for r in runs)] for k in keys},
    }


def _runs(entry: ModelEntry) -> list[tuple[str, Path]]:
    paths = [entry.path, *entry.seeds]
    return [(entry.label if i == 0 else f"{entry.label} (run {i + 1}: {p.name})", p) for i, p in enumerate(paths)]


def stance_data(cfg: EvaluateConfig) -> dict[str, list[StanceExample]]:
    data = {}
    for source in cfg.stance:
        items = ex.load(source, cfg.split, cfg.data_root)
        if not items:
            raise ConfigError(f"no {cfg.split} examples for {_source_name(source)}")
        data[_source_name(source)] = items
    return data


def gold_actor_items(cfg: EvaluateConfig) -> dict[str, list[tuple[labeled.LabeledArticle, dict[int, int]]]]:
    """Per labeled stance source, its ``cfg.split`` articles with gold actors, each with where its claims start as a
    run reads them (``examples.statement_starts``): parsed once, scored by every model."""
    out = {}
    for source in cfg.stance:
        if source.corpus != "labeled" or source.path is None:
            continue
        items = [i for i in standoff.read(source.path, cfg.data_root) if i.split == cfg.split and i.actors and i.target]
        out[_source_name(source)] = list(zip(items, ex.statement_starts(items), strict=True))
    return out


def actor_report(gold_items: dict[str, list], model) -> dict:
    """Per-actor stance on gold claims and gold speakers (``gold_actor_items``): the aggregate of predicted claim
    stances vs gold actors."""
    from pipeline.actors.aggregate import actor_stances
    from pipeline.records import Claim, Span

    out = {}
    for name, articles in gold_items.items():
        gold, pred, rows = [], [], []
        for item, starts in articles:
            spoken = [(n, c) for n, c in enumerate(item.claims) if c.speaker]
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
                for n, c in spoken
            ]
            if not claims:
                continue
            scores = model.predict(
                [item.target] * len(claims),
                [item.text[starts.get(n, c.start_char) : c.end_char] for n, c in spoken],
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
                rows.append({"article_id": item.id, "actor": actor.name})
        if gold:
            out[name] = stance_metrics(gold, pred) | {"rows": _rows(rows, gold, pred)}
    return out


def _rows(rows: list[dict], gold: list[str], pred: list[str]) -> list[dict]:
    return [r | {"gold": g, "predicted": p} for r, g, p in zip(rows, gold, pred, strict=True)]


def found_claims(cfg: EvaluateConfig) -> dict[str, list[tuple[labeled.LabeledArticle, list]]]:
    """Per labeled stance source, its ``cfg.split`` articles with gold actors, each with the claims the pipeline finds
    in it (the config's attribution settings: rules, or rules + tagger), as ``stance run`` would give them."""
    from pipeline.pipeline import Pipeline

    pipe = Pipeline.from_config(cfg, classify=False)
    out = {}
    for source in cfg.stance:
        if source.corpus != "labeled" or source.path is None:
            continue
        items = [i for i in standoff.read(source.path, cfg.data_root) if i.split == cfg.split and i.actors and i.target]
        if items:
            found = pipe.extract([i.article() for i in items])
            out[_source_name(source)] = [(item, claims) for item, (_, claims) in zip(items, found, strict=True)]
    return out


def found_actor_report(found: dict[str, list], model, topic=None) -> dict:
    """Per-actor stance end to end: claims, speakers and actors as the pipeline finds them (actors unified within the
    article, as in a run's ``actors.jsonl``), stances by ``model``, against the annotated actors (``match_actors``);
    an actor the pipeline did not find counts as neutral, as a run's output would leave it."""
    from pipeline.actors.aggregate import actor_stances
    from pipeline.actors.corpus import unify_actors
    from pipeline.pipeline import Pipeline

    out = {}
    for name, articles in found.items():
        gold, pred, missing, rows = [], [], 0, []
        for item, claims in articles:
            pipe = Pipeline(classifier=model, targets=[item.target], topic=topic)
            scored = pipe.classify(claims, [item.article()])
            matched = match_actors([a.name for a in item.actors], actor_stances(unify_actors(scored)))
            for actor in item.actors:
                verdict = matched.get(actor.name)
                missing += verdict is None
                gold.append(actor.stance)
                pred.append(verdict.stance if verdict else "neutral")
                rows.append(
                    {"article_id": item.id, "actor": actor.name, "found_as": verdict.actor if verdict else None}
                )
        if gold:
            out[name] = stance_metrics(gold, pred) | {"not_found": missing, "rows": _rows(rows, gold, pred)}
    return out


def match_actors(names: list[str], verdicts: list) -> dict:
    """Each gold actor name's found actor, one to one: the same name first, then, for the names left, the found actor
    with the most claims among those whose name names it (``names_agree``: "Rice" for "Susan Rice")."""
    from pipeline.evaluation.attribution_metrics import name_words, names_agree

    free = sorted(verdicts, key=lambda v: -len(v.claim_ids))
    out: dict = {}
    for same in (lambda g, v: name_words(g) == name_words(v), names_agree):
        for name in names:
            if name in out:
                continue
            # "critics [a1]", an actor of one article, is the article's "critics"
            verdict = next((v for v in free if same(name, re.sub(r" \[[^\]]*\]$", "", v.actor))), None)
            if verdict is not None:
                out[name] = verdict
                free.remove(verdict)
    return out


def off_topic_items(cfg: EvaluateConfig) -> dict[str, list[StanceExample]]:
    """Per target, the gold claims of the articles that contain none of its ``absent`` words, paired with it."""
    import re

    from pipeline.data.corpora import polnear

    source = cfg.off_topic
    assert source is not None
    articles = polnear.labeled_articles(data_root(cfg.data_root), source.split)
    out = {}
    for entry in source.targets:
        absent = re.compile(r"\b(?:" + "|".join(map(re.escape, entry.absent)) + r")\b", re.IGNORECASE)
        out[entry.target] = [
            StanceExample(
                text=a.text[c.start_char : c.end_char],
                target=entry.target,
                label="neutral",
                corpus=f"{source.corpus}:{source.split}",
                split=source.split,
                group=a.id,
                article_id=a.id,
            )
            for a in articles
            if not absent.search(a.text)
            for c in a.claims
        ]
    return out


def other_event_items(cfg: EvaluateConfig, data: dict[str, list[StanceExample]]) -> dict[str, list[StanceExample]]:
    """Per labeled stance source (articles of negotiation events), its claims paired with its other events'
    unrelated targets, all neutral. Not SemEval's: its five targets are topics whose stances go together (a tweet
    against atheism is often against legal abortion), so no side toward another is wrong there."""
    from pipeline.data import off_topic

    labeled_sources = {_source_name(s) for s in cfg.stance if s.corpus == "labeled"}
    found = {name: off_topic.every_pair(items) for name, items in data.items() if name in labeled_sources}
    return {name: pairs for name, pairs in found.items() if pairs}


def other_event_report(items: dict[str, list[StanceExample]], model, topic: dict | None = None) -> dict:
    """Share of neutral predictions on claims toward another event's target (1.0 is right)."""
    return {name: _neutral_share(model, pairs, "events", topic) for name, pairs in items.items()}


def off_topic_report(items: dict[str, list[StanceExample]], model, topic: dict | None = None) -> dict:
    """Share of neutral predictions per unrelated target (1.0 is right)."""
    return {target: _neutral_share(model, pairs, "articles", topic) for target, pairs in items.items()}


def _neutral_share(model, pairs: list[StanceExample], groups: str, topic: dict | None = None) -> dict:
    """How many pairs, from how many ``groups`` (articles or events), and the share predicted neutral; with ``topic``
    (``topic_verdicts``), also the share with no side once the claims of articles off the target take none."""
    pred = _predict(model, pairs)
    out = {
        "n": len(pairs),
        groups: len({p.group for p in pairs}),
        "neutral_share": sum(p == "neutral" for p in pred) / len(pred) if pred else None,
    }
    if topic is not None and pred:
        off = topic["off"]
        kept = [p == "neutral" or off.get((e.article_id, e.target), False) for e, p in zip(pairs, pred, strict=True)]
        out["neutral_share_topic_checked"] = sum(kept) / len(kept)
    return out


def topic_verdicts(cfg: EvaluateConfig, pairs: list[StanceExample], gate) -> dict:
    """The topic check (``classify.topic``) on every (article, target) of ``pairs`` and of the labeled sources' own
    targets: which pairs are off the topic, and how many of the labeled articles fall under the threshold with their
    own target (each of those would lose its sides)."""
    texts = {}
    own = set()
    for source in cfg.stance:
        if source.corpus == "labeled" and source.path is not None:
            for item in standoff.read(source.path, cfg.data_root):
                if item.split == cfg.split and item.target:
                    texts[item.id] = item.text
                    own.add((item.id, item.target))
    if cfg.off_topic:
        from pipeline.data.corpora import polnear

        texts.update((a.id, a.text) for a in polnear.labeled_articles(data_root(cfg.data_root), cfg.off_topic.split))
    wanted = own | {(p.article_id, p.target) for p in pairs if p.article_id in texts}
    measured = gate.scores([Article(id=i, text=t) for i, t in texts.items()], wanted)
    off = {k: v is not None and v < gate.threshold for k, v in measured.items()}
    return {
        "threshold": gate.threshold,
        "own_target_articles": len(own),
        "own_target_below": sorted(k[0] for k in own if off[k]),
        "own_target_lowest": min((measured[k] for k in own if measured[k] is not None), default=None),
        "off": off,
    }


def _gold_articles(source: AttributionSource, root: Path | None) -> list[labeled.LabeledArticle]:
    if source.corpus == "polnear":
        from pipeline.data.corpora import polnear

        items = polnear.labeled_articles(data_root(root), source.split)
    else:
        if source.path is None:
            raise ConfigError("a 'labeled' attribution source needs a 'path'")
        items = [i for i in standoff.read(source.path, root) if source.split in (i.split, "all")]
    return items[: source.max_articles] if source.max_articles else items


def attribution_report(cfg: EvaluateConfig, workers=None) -> dict:
    """Attribution metrics per source; ``workers`` (``pipeline.run.parallel.Extractors``) parse and extract in parallel,
    else this process does, with the tagger loaded here."""
    import time

    from pipeline.evaluation.attribution_metrics import score
    from pipeline.pipeline import Pipeline

    out = {}
    pipe = Pipeline.from_config(cfg, extract=workers is None, classify=False)
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
            found = pipe.extract(articles, join_quotes=join)
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


def model_reports(cfg: EvaluateConfig) -> dict:
    """Every model of ``cfg.models`` (and its other seed runs, with their mean), loaded one at a time: stance
    metrics per source beside the baselines, with bootstrap intervals (and the F_avg over TF-IDF's on the same
    resamples); per-actor accuracy; the neutral share on off-topic pairs."""
    from pipeline.classify.classifier import StanceClassifier

    data = stance_data(cfg)
    train = ex.mix(cfg.train, "train", cfg.data_root) if cfg.train and cfg.baselines else []
    baselines = {name: _baselines(train, items) if train else ({}, None) for name, items in data.items()}
    off = off_topic_items(cfg) if cfg.off_topic else {}
    others = other_event_items(cfg, data) if cfg.other_events else {}
    found = found_claims(cfg) if cfg.found_actors else {}
    gold_actors = gold_actor_items(cfg) if cfg.models else {}
    gate = topic = None
    if cfg.topic_check and (off or others or found):
        from pipeline.classify.topic import TopicGate

        gate = TopicGate(cfg.topic_threshold, precision=cfg.precision)
        topic = topic_verdicts(cfg, [p for items in (*off.values(), *others.values()) for p in items], gate)
    stance: dict = {name: {} for name in data}
    report: dict = {"models": {m.label: str(m.path) for m in cfg.models}, "stance": stance, "actors": {}}
    if found:
        report["found_actors"] = {}
    if off:
        report["off_topic"] = {}
    if others:
        report["other_events"] = {}
    if topic:
        report["topic"] = {k: v for k, v in topic.items() if k != "off"}
    for entry in cfg.models:
        runs: dict[str, list[dict]] = {name: [] for name in data}
        actor_rows = report.setdefault("actor_predictions", [])
        scores: dict[str, list[list[dict]]] = {name: [] for name in data}
        for i, (label, path) in enumerate(_runs(entry)):
            model = StanceClassifier(path, batch_size=cfg.batch_size, precision=cfg.precision)
            for name, items in data.items():
                scores[name].append(_scores(model, items))
                gold, pred = [e.label for e in items], _labels(scores[name][-1])
                report.setdefault("predictions", []).extend(
                    {"source": name, "model": label, "article_id": e.article_id, "target": e.target}
                    | {"speaker": e.speaker, "text": e.text}
                    | {"gold": e.label, "predicted": p, "scores": s}
                    for e, p, s in zip(items, pred, scores[name][-1], strict=True)
                )
                metrics = stance_metrics(gold, pred)
                if cfg.bootstrap:
                    metrics["intervals"] = intervals(gold, pred, baselines[name][1], resamples=cfg.bootstrap)
                stance[name][label] = metrics
                runs[name].append(metrics)
            for key, reports in (
                ("actors", actor_report(gold_actors, model)),
                ("found_actors", found_actor_report(found, model, gate)),
            ):
                for name, metrics in reports.items():
                    rows = metrics.pop("rows")
                    report[key].setdefault(name, {})[label] = metrics
                    kind = "gold claims" if key == "actors" else "end to end"
                    actor_rows.extend({"source": name, "model": label, "claims": kind} | r for r in rows)
            if off and i == 0:
                report["off_topic"][label] = off_topic_report(off, model, topic)
            if others and i == 0:
                report["other_events"][label] = other_event_report(others, model, topic)
            del model
        if entry.seeds:
            for name, items in data.items():
                stance[name][f"{entry.label}: mean of {len(runs[name])} runs"] = _mean(runs[name])
                # what averaging the runs' probabilities would give (an ensemble costs one model's time per run)
                ensemble = _labels(_ensemble(scores[name]))
                stance[name][f"{entry.label}: ensemble of {len(runs[name])} runs"] = stance_metrics(
                    [e.label for e in items], ensemble
                )
    for name in data:
        stance[name].update(baselines[name][0])
    if not data:
        del report["stance"]
    return report


def evaluate(cfg: EvaluateConfig) -> dict:
    report: dict = {"split": cfg.split}
    with contextlib.ExitStack() as stack:
        workers = None
        if cfg.attribution and cfg.parse_processes > 1:
            from pipeline.run.parallel import Extractors

            # started before torch loads here, so the forked workers do not inherit its threads
            extractors = Extractors(cfg.parse_processes, cfg)
            workers = stack.enter_context(extractors)
        if cfg.stance or cfg.off_topic:
            report.update(model_reports(cfg))
        if cfg.attribution:
            report["attribution"] = attribution_report(cfg, workers)
    # each stance example with its gold and predicted label, to read a model's errors one by one; each gold actor
    # with the stance a model gave it, and the actor it was found as
    rows = {key: report.pop(key, []) for key in ("predictions", "actor_predictions")}
    path = Path(cfg.output) / "metrics.json"
    atomic_lines(path, [json.dumps(report, indent=2)])
    report["written"] = str(path)
    for key, found in rows.items():
        if found:
            written = path.with_name(f"{key}.jsonl")
            atomic_lines(written, (json.dumps(r, ensure_ascii=False) for r in found))
            report["written"] += f" and {written}"
    return report


def _interval(ci: dict, key: str) -> str:
    lo, hi = ci.get(key, (None, None))
    return f"{lo:.3f}-{hi:.3f}" if lo is not None else ""


def _checked(m: dict) -> str:
    share = m.get("neutral_share_topic_checked")
    return "" if share is None else f" ({share:.3f} with the topic check)"


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    from pipeline.progress import wide

    console = Console(width=wide())
    models = list(report.get("models", {}))
    for name, entry in report.get("stance", {}).items():
        n = next(m["n"] for m in entry.values() if "n" in m)
        table = Table(title=f"Stance on {name} ({report['split']}, n={n}); intervals: 95% bootstrap over the examples")
        # the difference to TF-IDF needs the baselines, which need the model's training data (``train``)
        over = any("f_avg_minus_baseline" in m.get("intervals", {}) for m in entry.values())
        columns = (
            "system",
            "accuracy",
            "macro-F1",
            "F_avg",
            "F_avg 95%",
            *(["over TF-IDF 95%"] if over else []),
            "F1 favor",
            "F1 against",
            "F1 neutral",
        )
        for col in columns:
            table.add_column(col, no_wrap=col == "system")
        for system, m in entry.items():
            if "per_class" not in m:  # the mean of several training runs
                ranges = m["range"]
                table.add_row(
                    system,
                    *(f"{m[k]:.3f} ({ranges[k][0]:.3f}-{ranges[k][1]:.3f})" for k in ("accuracy", "macro_f1", "f_avg")),
                    *[""] * (len(columns) - 4),
                )
                continue
            pc, ci = m["per_class"], m.get("intervals", {})
            table.add_row(
                system,
                f"{m['accuracy']:.3f}",
                f"{m['macro_f1']:.3f}",
                f"{m['f_avg']:.3f}",
                _interval(ci, "f_avg"),
                *([_interval(ci, "f_avg_minus_baseline")] if over else []),
                *(f"{pc[label]['f1']:.3f}" for label in ("favor", "against", "neutral")),
            )
        console.print(table)
        for model in (m for m in models if m in entry):
            cm = entry[model]["confusion"]
            console.print(f"{model}: confusion (rows gold, cols predicted; {', '.join(cm['labels'])}): {cm['matrix']}")
    for name, per_model in report.get("actors", {}).items():
        for model, m in per_model.items():
            console.print(
                f"per-actor stance on {name}, {model}: accuracy {m['accuracy']:.3f}, macro-F1 "
                f"{m['macro_f1']:.3f}, F_avg {m['f_avg']:.3f} (n={m['n']})"
            )
    for name, per_model in report.get("found_actors", {}).items():
        for model, m in per_model.items():
            console.print(
                f"per-actor stance end to end (claims and speakers found by the pipeline) on {name}, {model}: "
                f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}, F_avg {m['f_avg']:.3f} "
                f"(n={m['n']}, {m['not_found']} not found: actor_predictions.jsonl names them)"
            )
    for model, targets in report.get("off_topic", {}).items():
        for target, m in targets.items():
            share = "none" if m["neutral_share"] is None else f"{m['neutral_share']:.3f}"
            console.print(
                f"off-topic, {model}: neutral share {share}{_checked(m)} toward {target!r} "
                f"({m['n']} claims in {m['articles']} articles that never mention it)"
            )
    for model, sources in report.get("other_events", {}).items():
        for name, m in sources.items():
            console.print(
                f"off-topic within {name}, {model}: neutral share {m['neutral_share']:.3f}{_checked(m)} on {m['n']} "
                f"claims of {m['events']} events toward another of its events' targets"
            )
    if topic := report.get("topic"):
        console.print(
            f"topic check (threshold {topic['threshold']}): {len(topic['own_target_below'])} of "
            f"{topic['own_target_articles']} labeled articles under it with their own target (lowest "
            f"{topic['own_target_lowest']})"
        )
    if report.get("attribution"):
        from pipeline.evaluation.attribution_metrics import format_table

        for name, m in report["attribution"].items():
            console.print(
                format_table(
                    m,
                    title=f"Attribution on {name} ({m['articles']} articles, {m['articles_per_second']} articles/s, "
                    f"{m.get('processes', 1)} processes)",
                )
            )
    console.print(f"wrote {report['written']}")
