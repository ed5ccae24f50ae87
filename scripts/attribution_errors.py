"""Print attribution errors on PolNeAR (train by default: develop on train, report on dev).

python scripts/attribution_errors.py --split train --articles 40 --show spurious|missed|speaker
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.data.corpora import data_root, polnear  # noqa: E402
from pipeline.run.extract import extract_all  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="train")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--show", default="spurious", choices=["spurious", "missed", "speaker"])
    parser.add_argument("--n", type=int, default=25)
    args = parser.parse_args()
    gold = polnear.labeled_articles(data_root(), args.split)
    gold = random.Random(0).sample(gold, min(args.articles, len(gold)))
    pred = {a.id: c for a, c in extract_all(g.article() for g in gold)}
    rows, kinds = [], Counter()
    for g in gold:
        for p in pred[g.id]:
            hits = [c for c in g.claims if c.start_char < p.end_char and c.end_char > p.start_char]
            if args.show == "spurious" and not hits:
                kinds[p.kind] += 1
                rows.append(f"[{p.kind}] {p.speaker_mention.text if p.speaker_mention else None!r}: {p.text[:110]!r}")
            if args.show == "speaker" and hits and hits[0].speaker_start_char is not None and p.speaker_mention:
                h = hits[0]
                m = p.speaker_mention
                if not (m.start_char < h.speaker_end_char and m.end_char > h.speaker_start_char):
                    gold_speaker = g.text[h.speaker_start_char : h.speaker_end_char]
                    rows.append(f"pred {p.speaker_mention.text!r} ({p.speaker}) gold {gold_speaker!r}: {p.text[:80]!r}")
        if args.show == "missed":
            for c in g.claims:
                if not any(p.start_char < c.end_char and p.end_char > c.start_char for p in pred[g.id]):
                    cue = g.text[c.cue_start_char : c.cue_end_char] if c.cue_start_char is not None else None
                    kinds[cue] += 1
                    rows.append(f"[{c.kind}] cue {cue!r}: {g.text[c.start_char : c.end_char][:110]!r}")
    print(kinds.most_common(30))
    for row in random.Random(1).sample(rows, min(args.n, len(rows))):
        print(row)


if __name__ == "__main__":
    main()
