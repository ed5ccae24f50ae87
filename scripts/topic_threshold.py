"""How the topic check's threshold is chosen, on training annotations only (the dev events stay unread).

    python scripts/topic_threshold.py

Every training article of the project's annotations with its own target (the negotiation events' train split, the
policy-claim files) is about its target: the check must keep all of them. The same articles beside the other training
events' targets are not (where the two targets are unrelated: cosine under .35, as for the off-topic training pairs):
the check should remove as many as it can. Prints both distributions and, for each candidate threshold, the share of
each that falls under it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.classify.topic import TopicGate  # noqa: E402
from pipeline.data import standoff  # noqa: E402

FILES = ["negotiations", "policy-claims", "policy-claims-more"]
CANDIDATES = [0.25, 0.28, 0.30, 0.33, 0.36, 0.40]


def main() -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "annotations"
    items = [i for f in FILES for i in standoff.read(root / f"{f}.jsonl") if i.split == "train" and i.target]
    gate = TopicGate(threshold=1.0)  # no sentence reaches 1: every article is read whole, not only its lead
    events = {}
    for item in items:
        if item.event:
            events.setdefault(item.event, item.target)
    targets = sorted({i.target for i in items})
    vectors = gate.encoder.encode(targets)
    close = vectors @ vectors.T
    related = {(a, b) for i, a in enumerate(targets) for j, b in enumerate(targets) if close[i, j] >= 0.35}
    own = gate.similarity([i.text for i in items], targets)
    positives, negatives = [], []
    for item, row in zip(items, own, strict=True):
        sims = dict(zip(targets, row, strict=True))
        positives.append((sims[item.target], item.id, item.target))
        if item.event:
            negatives += [sims[t] for e, t in events.items() if e != item.event and (item.target, t) not in related]
    positives.sort()
    print(f"{len(positives)} training articles with their own target; lowest:")
    for value, article, target in positives[:5]:
        print(f"  {value:.3f}  {article}  {target!r}")
    print(f"{len(negatives)} pairs of a training article and an unrelated target of another training event")
    print("threshold  own targets under it  unrelated targets under it")
    for t in CANDIDATES:
        lost = sum(v < t for v, _, _ in positives)
        print(f"{t:9.2f}  {lost:4d} / {len(positives)}  {sum(v < t for v in negatives) / len(negatives):24.3f}")


if __name__ == "__main__":
    main()
