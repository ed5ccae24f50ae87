"""Build ``data/annotations/policy-claims.jsonl``: stance labels on PolNeAR *train* claims toward a policy target.

    python scripts/import_policy_labels.py LABELS_DIR [--out data/annotations/policy-claims.jsonl]

``LABELS_DIR`` holds one JSON per article, as the annotators wrote them (see ``data/annotations/GUIDE.md``, section
"Auxiliary policy claims"): ``{"stem", "target", "skip", "reason", "labels": [one per PolNeAR claim, in offset
order]}``. The claims are PolNeAR's own gold attributions (content, source and cue offsets, as
``pipeline.corpora.polnear`` imports them); only our target and stance labels are added. The output is stand-off
(``ref`` + ``text_sha1``, no corpus text) and every article is in split ``train``: these are auxiliary data for the
stance model, never used for its dev or for the attribution benchmark's dev.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import labeled  # noqa: E402
from pipeline.corpora import data_root, polnear  # noqa: E402
from pipeline.records import LABELS  # noqa: E402


def build(labels_dir: Path) -> list[labeled.LabeledArticle]:
    gold = {a.ref.doc_id.split("/", 1)[1]: a for a in polnear.labeled_articles(data_root(), "train")}
    out = []
    for path in sorted(labels_dir.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("skip"):
            continue
        article = gold[entry["stem"]]
        if len(entry["labels"]) != len(article.claims):
            raise SystemExit(f"{path}: {len(entry['labels'])} labels for {len(article.claims)} claims")
        if any(label not in LABELS for label in entry["labels"]):
            raise SystemExit(f"{path}: a label outside {LABELS}")
        claims = [
            # the source mention's offsets stay; its words (corpus text) do not
            claim.model_copy(update={"stance": label, "speaker": None, "text": None})
            for claim, label in zip(article.claims, entry["labels"], strict=True)
        ]
        out.append(
            article.model_copy(
                update={
                    "event": f"polnear-policy:{entry['stem']}",
                    "split": "train",
                    "target": entry["target"],
                    "claims": claims,
                    "title": None,
                }
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels_dir", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "annotations" / "policy-claims.jsonl")
    args = parser.parse_args()
    items = build(args.labels_dir)
    labeled.write(items, args.out)
    counts = Counter(c.stance for item in items for c in item.claims)
    print(f"{len(items)} articles, {sum(counts.values())} claims: {dict(counts)} -> {args.out}")


if __name__ == "__main__":
    main()
