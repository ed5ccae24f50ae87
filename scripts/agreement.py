"""Agreement between a first stance annotation and a blind second annotation of some of its claims.

    python scripts/agreement.py [SECOND] [--first FIRST...] [--split SPLIT]

Defaults: SECOND data/annotations/agreement/dev-second-annotator.jsonl against the dev split of FIRST
data/annotations/negotiations.jsonl. The auxiliary policy claims:
``python scripts/agreement.py data/annotations/agreement/policy-second-annotator.jsonl
--first data/annotations/policy-claims.jsonl data/annotations/policy-claims-more.jsonl --split train``. The checklist:
``python scripts/agreement.py data/annotations/agreement/checklist-second-annotator.jsonl --first
data/annotations/checklist.jsonl`` (keys are its ids).
The second file holds only keys ("article id|start_char|end_char") and labels. Prints Cohen's kappa, raw
agreement, the second annotator's per-class F1 against the first (the ceiling a model could reach if the first
annotation were the truth) and the confusion matrix.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ["favor", "against", "neutral"]


def main() -> None:
    from sklearn.metrics import cohen_kappa_score, confusion_matrix, f1_score

    from pipeline.data import standoff

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "second", nargs="?", type=Path, default=ROOT / "data/annotations/agreement/dev-second-annotator.jsonl"
    )
    parser.add_argument("--first", type=Path, nargs="+", default=[ROOT / "data/annotations/negotiations.jsonl"])
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    first = {}
    for path in args.first:
        with path.open(encoding="utf-8") as lines:  # the first line tells the checklist (keyed by its ids) apart
            head = lines.readline()
            if "claim" in json.loads(head or "{}"):
                first.update({row["id"]: row["label"] for row in map(json.loads, filter(str.strip, [head, *lines]))})
                continue
        first.update(
            {
                f"{item.id}|{c.start_char}|{c.end_char}": c.stance
                for item in standoff.read(path)
                if item.split == args.split
                for c in item.claims
            }
        )
    second = [json.loads(line) for line in args.second.read_text(encoding="utf-8").splitlines() if line.strip()]
    a = [first[row["key"]] for row in second]
    b = [row["stance"] for row in second]
    f1 = f1_score(a, b, labels=LABELS, average=None)
    print(
        f"{len(a)} claims; raw agreement {sum(x == y for x, y in zip(a, b, strict=True)) / len(a):.3f}; "
        f"Cohen's kappa {cohen_kappa_score(a, b):.3f}"
    )
    print(
        "second vs first: "
        + ", ".join(f"F1 {label} {f:.3f}" for label, f in zip(LABELS, f1, strict=True))
        + f"; F_avg {(f1[0] + f1[1]) / 2:.3f}; macro-F1 {f1.mean():.3f}"
    )
    print("confusion (rows first, columns second; favor/against/neutral):")
    print(confusion_matrix(a, b, labels=LABELS))


if __name__ == "__main__":
    main()
