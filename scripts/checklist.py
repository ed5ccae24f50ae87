"""Behavioural checklist of the stance models: short claims of known stance, by kind (plain positions, an unnamed
"it", negation, balanced statements, actions, negative tone in favor, positive tone against, procedure, off-topic,
conditions). Not a benchmark of news (the claims are written for the test, ``data/annotations/checklist.jsonl``):
it shows which kinds of statement a model misreads. Not a timed test; run it by hand:

    python scripts/checklist.py models/stance-mpnet models/stance-minilm [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.classifier import StanceClassifier  # noqa: E402
from pipeline.evaluation.metrics import stance_metrics  # noqa: E402

CHECKLIST = ROOT / "data" / "annotations" / "checklist.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="stance model folders")
    parser.add_argument("--file", type=Path, default=CHECKLIST)
    parser.add_argument("--errors", action="store_true", help="list each model's wrong items")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = sorted({i["kind"] for i in items})
    rows = {}
    for path in args.models:
        scores = StanceClassifier(path).predict([i["target"] for i in items], [i["claim"] for i in items])
        pred = [max(s, key=s.get) for s in scores]
        by_kind = defaultdict(list)
        for item, p in zip(items, pred, strict=True):
            by_kind[item["kind"]].append(item["label"] == p)
        overall = stance_metrics([i["label"] for i in items], pred)
        rows[path] = (overall, {k: sum(v) / len(v) for k, v in by_kind.items()})
        if args.errors:
            for item, p, s in zip(items, pred, scores, strict=True):
                if p != item["label"]:
                    wrong = f"{item['label']}->{p} {s[p]:.2f}"
                    print(f"{path}\t{item['kind']}\t{wrong}\t{item['claim']}  [{item['target']}]")
    print("| model | n | accuracy | macro-F1 | F_avg | " + " | ".join(kinds) + " |")
    print("|---" * (5 + len(kinds)) + "|")
    counts = {k: sum(i["kind"] == k for i in items) for k in kinds}
    print("| (items) | | | | | " + " | ".join(str(counts[k]) for k in kinds) + " |")
    for path, (m, acc) in rows.items():
        cells = " | ".join(f"{acc[k]:.2f}" for k in kinds)
        print(f"| {path} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['f_avg']:.3f} | {cells} |")


if __name__ == "__main__":
    main()
