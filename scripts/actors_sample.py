"""The cross-article actor check of the attribution issue: articles extracted and their actors unified across the
corpus; prints each actor with its claim count and commonest mentions, for reading by hand (a person split in two, a
phrase that is no speaker), after a count of the splits a script can see.

    python scripts/actors_sample.py                        # the first 39 BASIL articles about budgets, deals, talks
    python scripts/actors_sample.py --all                  # all 285 BASIL articles
    python scripts/actors_sample.py --corpus polnear --all # all 924 PolNeAR articles (train and dev)
    python scripts/actors_sample.py --tagger models/attribution-tagger-fast

The splits counted: two full names of one person (the same surname, the same given name or a nickname of it, no
conflicting middle initial: "Roger J. Stone Jr." beside "Roger Stone"), and a bare surname left beside full names
that end with it ("Trump" beside "Donald Trump"), where some may be right (two Trumps named in full).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.actors.corpus import name_key, nickname, unify_actors  # noqa: E402
from pipeline.data.corpora import basil, data_root, polnear  # noqa: E402
from pipeline.run.extract import extract_all  # noqa: E402

TOPIC = re.compile(r"budget|shutdown|negotiat|deal", re.IGNORECASE)


def articles(corpus: str, everything: bool, count: int) -> list:
    if corpus == "polnear":
        found = [g.article() for split in ("train", "dev") for g in polnear.labeled_articles(data_root(), split)]
    else:
        found = list(basil.iter_articles(data_root()))
    if not everything:
        found = [a for a in found if TOPIC.search((a.title or "") + a.text[:2000])][:count]
    return found


def splits(claims) -> list[str]:
    people = Counter(c.speaker for c in claims if c.speaker and c.speaker_kind == "person")
    keys = {n: k for n in people if (k := name_key(n))}
    by_last = defaultdict(list)
    for name, key in keys.items():
        by_last[key.last].append(name)
    out = []
    for last, full in sorted(by_last.items()):
        for i, a in enumerate(full):
            for b in full[i + 1 :]:
                ka, kb = keys[a], keys[b]
                same = ka.first == kb.first or nickname(ka.first, kb.first) or nickname(kb.first, ka.first)
                if same and (not ka.middle or not kb.middle or ka.middle == kb.middle):
                    out.append(f"two full names: {a} ({people[a]}) ~ {b} ({people[b]})")
        bare = [n for n in people if n.lower() == last]
        if bare:
            others = ", ".join(f"{f} ({people[f]})" for f in full)
            out.append(f"bare surname: {bare[0]} ({people[bare[0]]}) ~ {others}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=39, help="topic articles (without --all)")
    parser.add_argument("--corpus", choices=["basil", "polnear"], default="basil")
    parser.add_argument("--all", action="store_true", help="every article of the corpus, not the topic sample")
    parser.add_argument("--tagger", type=Path, default=None)
    args = parser.parse_args()
    found = articles(args.corpus, args.all, args.count)
    tagger = None
    if args.tagger:
        from pipeline.attribution.tagger import AttributionTagger

        tagger = AttributionTagger(args.tagger)
    claims = unify_actors([c for _, got in extract_all(found, tagger=tagger) for c in got])
    names = Counter(c.speaker for c in claims if c.speaker)
    groups = {c.speaker for c in claims if c.speaker and c.speaker_kind == "group"}
    seen = splits(claims)
    print(f"{len(found)} articles, {len(claims)} claims, {len(names)} actors ({len(groups)} groups)")
    print(f"{sum(s.startswith('two') for s in seen)} pairs of full names, {sum(s.startswith('bare') for s in seen)} "
          "bare surnames beside full names:")  # fmt: skip
    print("\n".join(f"  {s}" for s in seen))
    mentions: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if c.speaker and c.speaker_mention:
            mentions[c.speaker][c.speaker_mention.text] += 1
    for name, n in names.most_common():
        print(n, repr(name), "|", " || ".join(m for m, _ in mentions[name].most_common(3)))


if __name__ == "__main__":
    main()
