"""What the shared corpora still hold for the negotiation annotations: BASIL events in no annotation file (by title)
and the PolNeAR train articles in none, ranked by how many negotiation words they use.

    python scripts/unannotated.py [--top 10]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.data.corpora import basil, data_root, polnear  # noqa: E402

FILES = ("negotiations.jsonl", "policy-claims.jsonl", "policy-claims-more.jsonl")
WORDS = re.compile(
    r"\b(negotiat\w*|talks|deal|agreement|treaty|TPP|NAFTA|trade pact|ceasefire|truce|compromise)\b", re.IGNORECASE
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    used: set[tuple[str, str]] = set()
    for name in FILES:
        for line in (ROOT / "data" / "annotations" / name).read_text(encoding="utf-8").splitlines():
            ref = json.loads(line)["ref"]
            used.add((ref["corpus"], ref["doc_id"]))
    root = data_root()
    events: dict[str, list] = defaultdict(list)
    for article in basil.iter_articles(root):
        events[article.id.split(":", 1)[1].rsplit("_", 1)[0]].append(article)
    annotated = {doc.rsplit("_", 1)[0] for corpus, doc in used if corpus == "basil"}
    rest = {e: a for e, a in events.items() if e not in annotated}
    print(f"BASIL: {len(events)} events, {len(events) - len(rest)} annotated; the others:")
    for event, articles in sorted(rest.items()):
        print(f"  {event}  {articles[0].title}")
    ranked = sorted(
        (len(WORDS.findall(a.text)), a.id, a.title)
        for a in polnear.iter_articles(root, "train")
        if ("polnear", a.id.split(":", 1)[1]) not in used
    )[::-1]
    print(f"PolNeAR train articles in no annotation file: {len(ranked)}; most negotiation words:")
    for count, article_id, title in ranked[: args.top]:
        print(f"  {count:3d}  {article_id}  {title}")


if __name__ == "__main__":
    main()
