"""Stance metrics: accuracy, macro-F1, F_avg (mean F1 of favor and against), per-class scores, confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from pipeline.records import LABELS


def stance_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict:
    labels = list(LABELS)
    p, r, f, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_class = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)) if gold else 0.0,
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "f_avg": (per_class["favor"]["f1"] + per_class["against"]["f1"]) / 2,
        "per_class": per_class,
        "confusion": {"labels": labels, "matrix": confusion_matrix(gold, pred, labels=labels).tolist()},
    }


def intervals(
    gold: Sequence[str],
    pred: Sequence[str],
    baseline: Sequence[str] | None = None,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Percentile bootstrap intervals of accuracy, macro-F1 and F_avg, resampling the examples with replacement.

    With ``baseline`` (another system's predictions on the same examples) the same resamples also give an interval
    for the F_avg difference, which is narrower than comparing two separate intervals. They measure the sampling of
    the examples only: not the spread between training seeds, and not that claims of one article go together (so on
    a small dev set they are if anything too narrow). Fewer than two examples have none: ``{}``.
    """
    if len(gold) < 2:
        return {}
    import numpy as np
    from scipy.stats import bootstrap

    labels = list(LABELS)
    sided = [labels.index("favor"), labels.index("against")]  # F_avg's two classes
    gold_a, pred_a = np.asarray(gold), np.asarray(pred)
    base_a = np.asarray(baseline) if baseline is not None else None

    def f1s(p, idx):
        return f1_score(gold_a[idx], p[idx], labels=labels, average=None, zero_division=0)

    def statistic(idx):
        f = f1s(pred_a, idx)
        row = [float(np.mean(gold_a[idx] == pred_a[idx])), float(f.mean()), float(f[sided].mean())]
        if base_a is not None:
            row.append(row[2] - float(f1s(base_a, idx)[sided].mean()))
        return np.array(row)

    ci = bootstrap(
        (np.arange(len(gold_a)),),
        statistic,
        vectorized=False,
        n_resamples=resamples,
        confidence_level=level,
        method="percentile",
        rng=np.random.default_rng(seed),
    ).confidence_interval
    names = ["accuracy", "macro_f1", "f_avg"] + (["f_avg_minus_baseline"] if base_a is not None else [])
    return {
        name: [round(float(lo), 4), round(float(hi), 4)] for name, lo, hi in zip(names, ci.low, ci.high, strict=True)
    }
