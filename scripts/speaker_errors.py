"""Count speaker errors by class on articles the rules were not tuned on, for one configuration.

    python scripts/speaker_errors.py [--tagger models/attribution-tagger-fast] [--show CLASS] [--json OUT]
    python scripts/speaker_errors.py --tuning --show "other cue"   # the PolNeAR train articles to tune rules on

Two gold sets: the 84 PolNeAR *train* articles the shipped taggers held out (``heldout_ids`` in the fast tagger's
``heldout_metrics.json``; speaker = the mention overlaps PolNeAR's source) and the negotiation dev events of
``data/annotations/negotiations.jsonl`` (one claim per quoted piece; actor = the resolved name agrees with the
canonical gold name). Every matched claim whose speaker is wrong gets one class:

- no speaker: the claim has no speaker mention although the gold has one;
- pronoun: the mention is a pronoun resolved to the wrong person (or to nobody);
- description or group: a description ("the official", "Democrats") resolved to the wrong person or left alone;
- runs past the name: the mention holds the gold one and more words ("President Trump on Saturday");
- other cue: the claim's cue is not the gold cue (the speaker of another verb was taken);
- other name: a named mention of someone else.

``--tuning`` counts on the other 756 PolNeAR train articles instead (those the taggers were trained on): the place
to read examples while changing the rules, so that the two sets above stay unread.

Runs with the code it is started from (``PYTHONPATH`` picks another checkout, to count before a change).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.data import standoff  # noqa: E402
from pipeline.data.corpora import data_root, polnear  # noqa: E402
from pipeline.evaluation.attribution_metrics import Tokens, greedy_match, names_agree, speaker_correct  # noqa: E402
from pipeline.run.extract import extract_all  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"}
CLASSES = ["no speaker", "pronoun", "description or group", "runs past the name", "other cue", "other name"]


def classify(text: str, gold, pred) -> str:
    mention = pred.speaker_mention
    if mention is None:
        return "no speaker"
    words = mention.text.split()
    if mention.text.lower() in PRONOUNS:
        return "pronoun"
    gs, ge = gold.speaker_start_char, gold.speaker_end_char
    if (
        gs is not None
        and mention.start_char <= gs
        and ge <= mention.end_char
        and len(words) > len(text[gs:ge].split()) + 1
    ):
        return "runs past the name"
    cue = pred.cue
    if gold.cue_start_char is not None and cue is not None and not cue.start_char < gold.cue_end_char:
        return "other cue"
    if gold.cue_start_char is not None and cue is not None and not gold.cue_start_char < cue.end_char:
        return "other cue"
    if not any(w[:1].isupper() for w in words[1:]) and not (words and words[0][:1].isupper() and len(words) == 1):
        return "description or group"
    return "other name"


def errors(gold_articles, predicted, canonical: bool) -> tuple[Counter, list, int]:
    counts: Counter = Counter()
    examples = []
    scored = 0
    for article in gold_articles:
        text = article.text
        tokens = Tokens(text)
        gclaims, pclaims = list(article.claims), predicted.get(article.id, [])
        granges = [tokens.positions(c.start_char, c.end_char) for c in gclaims]
        pranges = [tokens.positions(c.start_char, c.end_char) for c in pclaims]
        for g, p, _ in greedy_match(granges, pranges):
            gold, pred = gclaims[g], pclaims[p]
            if canonical:
                if not gold.speaker or gold.speaker.lower() == "unnamed source":
                    continue
                ok = names_agree(gold.speaker, pred.speaker)
            else:
                ok = speaker_correct(gold, pred)
            scored += 1
            if not ok:
                kind = classify(text, gold, pred)
                counts[kind] += 1
                gold_name = gold.speaker or text[gold.speaker_start_char or 0 : gold.speaker_end_char or 0]
                examples.append(
                    (
                        kind,
                        article.id,
                        pred.text[:70],
                        pred.speaker_mention and pred.speaker_mention.text,
                        pred.speaker,
                        gold_name,
                    )
                )
    return counts, examples, scored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tagger", type=Path)
    parser.add_argument("--show", choices=CLASSES)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--tuning", action="store_true", help="the PolNeAR train articles not held out")
    args = parser.parse_args()
    root = data_root()
    held = set(
        json.loads((ROOT / "models/attribution-tagger-fast/heldout_metrics.json").read_text())["data"]["heldout_ids"]
    )
    polnear_gold = [a for a in polnear.labeled_articles(root, "train") if (a.id in held) != args.tuning]
    negotiation_gold = [
        a for a in standoff.read(ROOT / "data/annotations/negotiations.jsonl", root) if a.split == "dev"
    ]
    tagger = None
    if args.tagger:
        from pipeline.attribution.tagger import AttributionTagger

        tagger = AttributionTagger(args.tagger)
    report = {}
    sets = (
        [("PolNeAR train, tuning", polnear_gold, False, True)]
        if args.tuning
        else [
            ("PolNeAR held-out train", polnear_gold, False, True),
            ("negotiation dev events", negotiation_gold, True, False),
        ]
    )
    for name, gold, canonical, join in sets:
        predicted = {a.id: c for a, c in extract_all((g.article() for g in gold), tagger=tagger, join_quotes=join)}
        counts, examples, scored = errors(gold, predicted, canonical)
        report[name] = {"scored": scored, "wrong": sum(counts.values()), **{k: counts[k] for k in CLASSES}}
        print(f"{name}: {sum(counts.values())} wrong of {scored} ({'actor' if canonical else 'speaker'})")
        for kind in CLASSES:
            print(f"  {kind:22s} {counts[kind]}")
        for example in examples:
            if args.show == example[0]:
                print("   ", example[1:])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
