"""Score the attribution tagger on PolNeAR (dev by default: the reported benchmark, never used in training).

    python scripts/eval_tagger.py --model models/attribution-tagger --split dev [--raw] [--rules] [--out FILE.json]

Prints and writes: content P/R/F1 ("any overlap", one-to-one, ``attribution_metrics.score``) with and without
joining split quotations, exact and end-to-end scores, recall by gold kind, source / cue span P/R/F1 (any overlap
against the gold spans, deduplicated), and inference speed (articles/s over the whole split, model load excluded).
With ``--rules`` also the rule-based extractor's recall and the recall of the union (a gold claim found by either).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def span_prf(gold, spans, label: str) -> dict:
    from pipeline.evaluation.attribution_metrics import Tokens, greedy_match, prf

    tp = n_pred = n_gold = 0
    for article, found in zip(gold, spans, strict=True):
        tokens = Tokens(article.text)
        key = {"source": ("speaker_start_char", "speaker_end_char"), "cue": ("cue_start_char", "cue_end_char")}[label]
        g = sorted({(getattr(c, key[0]), getattr(c, key[1])) for c in article.claims if getattr(c, key[0]) is not None})
        p = [(s.start, s.end) for s in found if s.label == label]
        tp += len(greedy_match([tokens.positions(*x) for x in g], [tokens.positions(*x) for x in p]))
        n_pred += len(p)
        n_gold += len(g)
    return prf(tp, n_pred, n_gold) | {"gold": n_gold, "predicted": n_pred}


def union_recall(gold, tagger_claims: dict, rule_claims: dict) -> dict:
    """Gold claims matched (one-to-one, any overlap) by the tagger, by the rules, by either; per gold kind too."""
    from collections import Counter

    from pipeline.evaluation.attribution_metrics import Tokens, greedy_match

    hit: dict[str, Counter] = {"tagger": Counter(), "rules": Counter(), "either": Counter()}
    total: Counter = Counter()
    for article in gold:
        tokens = Tokens(article.text)
        granges = [tokens.positions(c.start_char, c.end_char) for c in article.claims]
        found = {}
        for name, claims in (("tagger", tagger_claims), ("rules", rule_claims)):
            pr = [tokens.positions(c.start_char, c.end_char) for c in claims.get(article.id, [])]
            found[name] = {g for g, _, _ in greedy_match(granges, pr)}
        for i, claim in enumerate(article.claims):
            kind = claim.kind or "unknown"
            total[kind] += 1
            total["all"] += 1
            for name in ("tagger", "rules"):
                if i in found[name]:
                    hit[name][kind] += 1
                    hit[name]["all"] += 1
            if i in found["tagger"] | found["rules"]:
                hit["either"][kind] += 1
                hit["either"]["all"] += 1
    return {k: {name: round(hit[name][k] / total[k], 4) for name in hit} | {"gold": total[k]} for k in total}


def main() -> None:
    from pipeline.models.checkpoint import PRECISIONS

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(ROOT / "models" / "attribution-tagger"))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--raw", action="store_true", help="keep every decoded span (min_content_words 1, bridge 0)")
    parser.add_argument("--rules", action="store_true", help="also score the rule-based extractor and the union")
    parser.add_argument("--out", default=None)
    parser.add_argument("--precision", default="fp32", choices=PRECISIONS, help="fp32: as the model card")
    args = parser.parse_args()

    from pipeline.attribution.tagger import AttributionTagger, spans_to_claims
    from pipeline.data.corpora import data_root, polnear
    from pipeline.evaluation.attribution_metrics import score

    gold = polnear.labeled_articles(data_root(None), args.split)
    started = time.perf_counter()
    decoding = {"min_content_words": 1, "bridge_words": 0} if args.raw else {}
    tagger = AttributionTagger(args.model, batch_size=args.batch_size, precision=args.precision, **decoding)
    load_seconds = time.perf_counter() - started
    texts = [a.text for a in gold]
    started = time.perf_counter()
    spans = tagger.predict(texts)
    seconds = time.perf_counter() - started
    n_windows = len(
        tagger.tokenizer(
            texts, truncation=True, max_length=tagger.max_length, stride=tagger.stride, return_overflowing_tokens=True
        )["input_ids"]
    )
    report: dict = {
        "model": args.model,
        "split": args.split,
        "articles": len(gold),
        "characters": sum(len(t) for t in texts),
        "windows": n_windows,
        "decoding": {"min_content_words": tagger.min_content_words, "bridge_words": tagger.bridge_words},
        "speed": {
            "load_seconds": round(load_seconds, 2),
            "predict_seconds": round(seconds, 2),
            "articles_per_second": round(len(gold) / seconds, 3),
            "windows_per_second": round(n_windows / seconds, 2),
            "batch_size": args.batch_size,
            "threads": __import__("torch").get_num_threads(),
        },
    }
    claims = {}
    for merge in (True, False):
        predicted = {a.id: spans_to_claims(a.id, a.text, s, merge) for a, s in zip(gold, spans, strict=True)}
        m = score(gold, predicted)
        report["merge_quotes" if merge else "no_merge"] = {
            "content": m["content"],
            "exact": m["exact"],
            "end_to_end": m["end_to_end"],
            "speaker_accuracy": m["speaker"]["accuracy"],
            "counts": m["counts"],
            "recall_by_gold_kind": m["recall_by_gold_kind"],
            "precision_by_predicted_kind": m["precision_by_predicted_kind"],
        }
        if merge:
            claims = predicted
    report["source_spans"] = span_prf(gold, spans, "source")
    report["cue_spans"] = span_prf(gold, spans, "cue")
    if args.rules:
        from pipeline.run.extract import extract_all

        started = time.perf_counter()
        rules = {article.id: found for article, found in extract_all(g.article() for g in gold)}
        report["rules_seconds"] = round(time.perf_counter() - started, 2)
        rm = score(gold, rules)
        report["rules"] = {"content": rm["content"], "end_to_end": rm["end_to_end"]}
        report["recall_tagger_rules_union"] = union_recall(gold, claims, rules)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
