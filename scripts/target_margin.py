"""Several targets in one run: how much the target margin (``target_margin``, ``Pipeline.closest_targets``) keeps a
claim from taking a side toward a target it is not about, and what it costs on the claims' own targets.

    python scripts/target_margin.py models/stance-mpnet [--margins 0.3 0.2 0.15 0.1]

Two settings, each claim scored toward every target of its run: the 172 claims of the 4 held-out negotiation events
as one run with the 4 events' targets (neighbouring deals: the hard case), and the 2,783 claims of
``policy-claims-more.jsonl`` (120 articles no model was trained on), each article in a run with its own target and 2
other articles' targets drawn at random (seed 13). Own target: accuracy / macro-F1 / F_avg against the gold label;
other targets: the share of claims that stay neutral. The article-level topic check is left out, to see the margin
alone.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.classifier import StanceClassifier  # noqa: E402
from pipeline.classify.topic import TopicGate  # noqa: E402
from pipeline.data import examples, standoff  # noqa: E402
from pipeline.data.corpora import data_root  # noqa: E402
from pipeline.evaluation.metrics import stance_metrics  # noqa: E402
from pipeline.pipeline import _paragraph  # noqa: E402

ANNOTATIONS = ROOT / "data" / "annotations"


def runs(name: str) -> list[tuple[list[str], list[dict]]]:
    """Each run's targets and its claims (own target, gold label, what is classified, its paragraph)."""
    if name == "dev events":
        items = [i for i in standoff.read(ANNOTATIONS / "negotiations.jsonl", data_root()) if i.split == "dev"]
    else:
        items = [i for i in standoff.read(ANNOTATIONS / "policy-claims-more.jsonl", data_root()) if i.target]
    starts = examples.statement_starts(items)
    claims = [
        (
            item,
            {
                "own": item.target,
                "gold": c.stance,
                "said": item.text[start.get(n, c.start_char) : c.end_char],
                "paragraph": _paragraph(item.text, c.start_char, c.end_char),
            },
        )  # fmt: skip
        for item, start in zip(items, starts, strict=True)
        for n, c in enumerate(item.claims)
        if c.stance
    ]
    if name == "dev events":
        return [(sorted({i.target for i in items}), [c for _, c in claims])]
    rng = random.Random(13)
    every = sorted({i.target for i in items})
    out = []
    for item in items:
        targets = [item.target, *rng.sample([t for t in every if t != item.target], 2)]
        out.append((targets, [c for i, c in claims if i is item]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--margins", type=float, nargs="+", default=[0.3, 0.2, 0.15, 0.1])
    args = parser.parse_args()
    classifier, gate = StanceClassifier(args.model), TopicGate()
    for name in ("dev events", "held-out policy claims"):
        scored = []  # (claim, target, label, the paragraph's cosine to each target of the run)
        for targets, claims in runs(name):
            if not claims:
                continue
            near = gate.closeness([c["paragraph"] for c in claims], targets)
            pairs = [(c, t, row) for c, row in zip(claims, near, strict=True) for t in targets]
            probs = classifier.predict([t for _, t, _ in pairs], [c["said"] for c, _, _ in pairs])
            for (c, t, row), p in zip(pairs, probs, strict=True):
                scored.append((c, t, max(p, key=p.get), dict(zip(targets, map(float, row), strict=True))))
        print(f"{name}: {sum(t == c['own'] for c, t, _, _ in scored)} claims")
        for margin in [None, *args.margins]:
            gold, pred, others, sided = [], [], 0, 0
            for c, t, label, cos in scored:
                if margin is not None and label != "neutral" and cos[t] < max(cos.values()) - margin:
                    label = "neutral"
                if t == c["own"]:
                    gold.append(c["gold"])
                    pred.append(label)
                else:
                    others += 1
                    sided += label != "neutral"
            m = stance_metrics(gold, pred)
            print(
                f"  margin {margin}: own target acc {m['accuracy']:.3f} / macro-F1 {m['macro_f1']:.3f} / F_avg "
                f"{m['f_avg']:.3f}; other targets {1 - sided / others:.3f} neutral ({sided} of {others} with a side)"
            )


if __name__ == "__main__":
    main()
