"""Build ``data/annotations/policy-claims.jsonl``: stance labels on news claims toward a policy target.

    python scripts/import_policy_labels.py LABELS_DIR [--claims CLAIMS.json] [--out FILE]

``LABELS_DIR`` holds one JSON per article, as the annotators wrote them (see ``data/annotations/GUIDE.md``, section
"Auxiliary policy claims"): ``{"stem", "target", "skip", "reason", "labels": [one per claim, in order]}``. For a
PolNeAR *train* article (stem = the file stem) the claims are PolNeAR's own gold attributions (content, source and
cue offsets, as ``pipeline.data.corpora.polnear`` imports them). For any other article the claims come from
``--claims``: ``{stem: {"corpus", "doc_id", "claims": [{"start_char", "end_char", "kind", ...offsets}]}}`` (for
BASIL, the spans our extractor found), and the label ``not_a_claim`` drops an extraction error. Only our target and
stance labels are added; the output is stand-off (``ref`` + ``text_sha1``, no corpus text) and every article is in
split ``train``: auxiliary data for the stance model, never used for its dev or for the attribution benchmark's dev.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.data import labeled, standoff  # noqa: E402
from pipeline.data.corpora import data_root, polnear  # noqa: E402
from pipeline.records import LABELS  # noqa: E402

NOT_A_CLAIM = "not_a_claim"


def _extracted(entry: dict, root: Path) -> labeled.LabeledArticle:
    item = labeled.LabeledArticle(
        id=f"{entry['corpus']}:{entry['doc_id']}",
        ref=labeled.Ref(corpus=entry["corpus"], doc_id=entry["doc_id"]),
        claims=[labeled.LabeledClaim(**c) for c in entry["claims"]],
    )
    return standoff.resolve(item, root)


def build(labels_dir: Path, claims_file: Path | None = None) -> list[labeled.LabeledArticle]:
    root = data_root()
    gold = {a.ref.doc_id.split("/", 1)[1]: a for a in polnear.labeled_articles(root, "train")}
    extracted = json.loads(claims_file.read_text(encoding="utf-8")) if claims_file else {}
    out = []
    for path in sorted(labels_dir.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("skip"):
            continue
        stem = entry["stem"]
        if stem in gold:
            article, allowed, event = gold[stem], LABELS, stem
        else:  # claims our extractor found: an extraction error may be marked; a BASIL event is its three articles
            article, allowed, event = _extracted(extracted[stem], root), (*LABELS, NOT_A_CLAIM), stem.rsplit("_", 1)[0]
        if len(entry["labels"]) != len(article.claims):
            raise SystemExit(f"{path}: {len(entry['labels'])} labels for {len(article.claims)} claims")
        if any(label not in allowed for label in entry["labels"]):
            raise SystemExit(f"{path}: a label outside {allowed}")
        claims = [
            # the source mention's offsets stay; its words (corpus text) do not
            claim.model_copy(update={"stance": label, "speaker": None, "text": None})
            for claim, label in zip(article.claims, entry["labels"], strict=True)
            if label != NOT_A_CLAIM
        ]
        out.append(
            article.model_copy(
                update={
                    "event": f"{article.ref.corpus}-policy:{event}",
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
    parser.add_argument("--claims", type=Path, help="claims of the articles that are not PolNeAR train")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "annotations" / "policy-claims.jsonl")
    args = parser.parse_args()
    items = build(args.labels_dir, args.claims)
    labeled.write(items, args.out)
    counts = Counter(c.stance for item in items for c in item.claims)
    print(f"{len(items)} articles, {sum(counts.values())} claims: {dict(counts)} -> {args.out}")


if __name__ == "__main__":
    main()
