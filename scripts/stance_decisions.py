"""Two decisions about the stance verdict, measured rather than assumed (not a timed test; run it by hand):

1. How an actor's claims become its stance (``pipeline/actors/aggregate.py``: any sided claim gives the actor a
   side, by probability mass) against the plain alternative (the label with the largest mean probability over the
   actor's claims), first with the *gold* claim labels (what the rule itself costs), on the training events and on
   the dev events, then with each model's predictions on the dev events.
2. Undoing ``balance_classes`` at prediction time: each model's probabilities times the training mix's class shares
   to the power a (0: as trained; 1: the training prior restored), on the dev events and SemEval validation.

    python scripts/stance_decisions.py models/stance-mpnet out/seeds/mpnet-7 out/seeds/mpnet-21
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import config as C  # noqa: E402
from pipeline.data import examples as ex  # noqa: E402
from pipeline.data import off_topic, standoff  # noqa: E402
from pipeline.evaluation.metrics import stance_metrics  # noqa: E402
from pipeline.records import LABELS  # noqa: E402

NEGOTIATIONS = ROOT / "data" / "annotations" / "negotiations.jsonl"


def shipped_rule(scores: list[dict]) -> str:
    sided = [s for s in scores if max(s, key=s.get) != "neutral"]
    if not sided:
        return "neutral"
    return "favor" if sum(s["favor"] for s in sided) >= sum(s["against"] for s in sided) else "against"


def mean_rule(scores: list[dict]) -> str:
    mean = {k: sum(s[k] for s in scores) / len(scores) for k in LABELS}
    return max(mean, key=mean.get)


def actor_accuracy(split: str, scorer) -> tuple[int, float, float]:
    hits, n = Counter(), 0
    for item in standoff.read(NEGOTIATIONS, None):
        claims = [c for c in item.claims if c.speaker]
        if item.split != split or not claims or not item.actors:
            continue
        by = defaultdict(list)
        for c, s in zip(claims, scorer(item, claims), strict=True):
            by[c.speaker].append(s)
        for actor in item.actors:
            n += 1
            for name, rule in (("shipped", shipped_rule), ("mean", mean_rule)):
                hits[name] += (rule(by[actor.name]) if by.get(actor.name) else "neutral") == actor.stance
    return n, hits["shipped"] / n, hits["mean"] / n


def main() -> None:
    from pipeline.classify.classifier import StanceClassifier
    from pipeline.evaluation.evaluate import _scores, stance_data

    def gold(item, claims):
        return [{k: float(k == c.stance) for k in LABELS} for c in claims]

    print("actor stance from gold claim labels: shipped rule / mean-probability rule")
    for split in ("train", "dev"):
        n, a, b = actor_accuracy(split, gold)
        print(f"  {split} events ({n} actors): {a:.3f} / {b:.3f}")
    cfg = C.load(ROOT / "configs" / "train.yaml", C.TrainConfig)
    train = ex.mix(cfg.sources, "train", cfg.data_root, cfg.seed)
    news = list({(e.text, e.target): e for e in train if e.corpus.startswith("labeled")}.values())
    train += off_topic.pairs(news, cfg.off_topic, cfg.seed)
    counts = Counter(e.label for e in train)
    prior = {k: counts[k] / len(train) for k in LABELS}
    print("training mix class shares:", {k: round(v, 3) for k, v in prior.items()})
    data = stance_data(C.load(ROOT / "configs" / "evaluate-seeds.yaml", C.EvaluateConfig))
    for path in sys.argv[1:]:
        model = StanceClassifier(path)

        def predicted(item, claims, model=model):
            return model.predict(
                [item.target] * len(claims),
                [item.text[c.start_char : c.end_char] for c in claims],
                [c.speaker for c in claims],
                [None if c.cue_start_char is None else item.text[c.cue_start_char : c.cue_end_char] for c in claims],
            )

        n, a, b = actor_accuracy("dev", predicted)
        print(f"{path}: dev actors ({n}) shipped rule {a:.3f}, mean rule {b:.3f}")
        for name, items in data.items():
            scores = _scores(model, items)
            row = []
            for power in (0.0, 0.5, 1.0):
                pred = [max(LABELS, key=lambda k, s=s: s[k] * prior[k] ** power) for s in scores]
                m = stance_metrics([e.label for e in items], pred)
                row.append(f"a={power}: acc {m['accuracy']:.3f} macro {m['macro_f1']:.3f} F_avg {m['f_avg']:.3f}")
            print(f"  {name}: " + " | ".join(row))


if __name__ == "__main__":
    main()
