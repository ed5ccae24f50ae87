"""How often an actor's verdict is right, by the kind of evidence it rests on, on articles no stance model was trained
on; writes ``verdicts.json`` into each model's folder, which `stance run` reads to give each actor the rate of its
kind (``pipeline/actors/reliability.py``).

    python scripts/verdict_reliability.py models/stance-mpnet models/stance-minilm [--dry-run]

The articles: the 2,783 gold claims of ``data/annotations/policy-claims-more.jsonl`` (63 PolNeAR train articles, 57
BASIL articles, each with a policy target). Its claims carry no actor, so an actor is a speaker within an article,
known by the last capitalised word of the annotated speaker (pronoun speakers left out), and its gold stance is the
shipped rule (``actors.aggregate``) over its gold claim labels. The accurate model never saw these articles; the fast
student saw their claims with the teacher's labels as transfer pairs (never the gold labels).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.actors import reliability  # noqa: E402
from pipeline.actors.aggregate import NOT_NAMES, actor_stances  # noqa: E402
from pipeline.classify.classifier import StanceClassifier  # noqa: E402
from pipeline.data import examples, standoff  # noqa: E402
from pipeline.data.corpora import data_root  # noqa: E402
from pipeline.records import LABELS, Claim  # noqa: E402

HELD_OUT = ROOT / "data" / "annotations" / "policy-claims-more.jsonl"
WORD = re.compile(r"[\w'’-]+")


def actor_key(text: str, claim) -> str | None:
    if claim.speaker_start_char is None:
        return None
    mention = text[claim.speaker_start_char : claim.speaker_end_char].strip()
    words = WORD.findall(mention)
    if not words or mention.lower() in NOT_NAMES | {"we", "they", "i"}:
        return None
    capitalised = [w for w in words if w[0].isupper()]
    return (capitalised[-1] if capitalised else mention).lower()


def verdicts(item, claims, labels, scores) -> dict[str, object]:
    records = [
        Claim(
            article_id=item.id,
            claim_id=f"{item.id}:{n}",
            text="-",
            start_char=0,
            end_char=1,
            kind="indirect",
            speaker=key,
            actor_id=key,
            target=item.target,
            stance=label,
            scores=score,
        )  # fmt: skip
        for (n, c), label, score in zip(claims, labels, scores, strict=True)
        if (key := actor_key(item.text, c)) is not None
    ]
    return {a.actor_id: a for a in actor_stances(records)}


def measure(model: str, items, starts) -> dict[str, dict[str, int]]:
    classifier = StanceClassifier(model)
    tally: dict[str, dict[str, int]] = defaultdict(lambda: {"right": 0, "n": 0})
    for item, start in zip(items, starts, strict=True):
        claims = [(n, c) for n, c in enumerate(item.claims) if c.stance]
        if not claims:
            continue
        said = [item.text[start.get(n, c.start_char) : c.end_char] for n, c in claims]
        scores = classifier.predict([item.target] * len(claims), said)
        predicted = verdicts(item, claims, [max(s, key=s.get) for s in scores], scores)
        gold_scores = [{label: float(label == c.stance) for label in LABELS} for _, c in claims]
        gold = verdicts(item, claims, [c.stance for _, c in claims], gold_scores)
        for key, truth in gold.items():
            found = predicted[key]
            row = tally[reliability.kind(found.counts, found.stance)]
            row["right"] += found.stance == truth.stance
            row["n"] += 1
    return {k: tally[k] for k in reliability.KINDS if k in tally}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="stance model folders")
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args()
    items = [i for i in standoff.read(HELD_OUT, data_root()) if i.target]
    starts = examples.statement_starts(items)
    for model in args.models:
        kinds = measure(model, items, starts)
        right, n = sum(k["right"] for k in kinds.values()), sum(k["n"] for k in kinds.values())
        print(f"{model}: {right} of {n} actors right ({right / n:.3f})")
        for name, k in kinds.items():
            print(f"  {name:30s} {k['right']:4d} / {k['n']:4d} = {k['right'] / k['n']:.3f}")
        if not args.dry_run:
            out = {
                "data": f"{HELD_OUT.relative_to(ROOT)}: {len(items)} articles no stance model was trained on "
                "(the fast student saw their claims with its teacher's labels); actors by speaker within an article, "
                "gold = the actor rule over gold claim labels",
                "measured": date.today().isoformat(),
                "command": f"python scripts/verdict_reliability.py {model}",
                "right": right,
                "n": n,
                "kinds": kinds,
            }
            (Path(model) / reliability.FILE).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
