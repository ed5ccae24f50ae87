"""Fast development loop for claim and speaker extraction on the tagger's held-out PolNeAR *train* articles.

    python scripts/attribution_dev.py [--tagger models/attribution-tagger] [--precision auto|fp32|bf16] [--cache PATH]

The 84 train articles the tagger never saw (``heldout_ids`` in its ``heldout_metrics.json``) are parsed and tagged
once and cached (about a minute); every later run re-extracts from the cache and scores rules, rules + tagger and,
when the tagger's folder has one, rules + tagger + its speaker ranker (``pipeline.training.speakers``) in a few
seconds, so a change to the rules is measured on train, never on dev. Delete the cache after changing the tagger or
spaCy. The cache is named after the tagger and ``--precision`` (the tags are computed once, in that precision).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.attribution.ranker import SpeakerRanker  # noqa: E402
from pipeline.data.corpora import data_root, polnear  # noqa: E402
from pipeline.evaluation.attribution_metrics import score  # noqa: E402
from pipeline.models.checkpoint import PRECISIONS  # noqa: E402
from pipeline.run.extract import extract  # noqa: E402
from pipeline.text import nlp  # noqa: E402


def load(tagger_path: Path, cache: Path, precision: str = "auto"):
    from spacy.tokens import DocBin

    model = nlp.load()
    if cache.is_file():
        gold, docs, tags = pickle.loads(cache.read_bytes())
        return gold, list(DocBin().from_bytes(docs).get_docs(model.vocab)), tags
    from pipeline.attribution.tagger import AttributionTagger

    ids = set(json.loads((tagger_path / "heldout_metrics.json").read_text(encoding="utf-8"))["data"]["heldout_ids"])
    gold = [g for g in polnear.labeled_articles(data_root(), "train") if g.id in ids]
    bin_ = DocBin()
    docs = list(model.pipe([nlp.parser_text(g.text) for g in gold], batch_size=16))
    for doc in docs:
        bin_.add(doc)
    tagger = AttributionTagger(tagger_path, precision=precision)
    tags = [tagger.predict([g.text])[0] for g in gold]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps((gold, bin_.to_bytes(), tags)))
    return gold, docs, tags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tagger", type=Path, default=ROOT / "models" / "attribution-tagger")
    parser.add_argument("--cache", type=Path, default=None, help="out/attribution-dev-<tagger>-<precision>.pkl")
    parser.add_argument("--precision", default="auto", choices=PRECISIONS, help="the tagger's (cached)")
    args = parser.parse_args()
    cache = args.cache or ROOT / "out" / f"attribution-dev-{args.tagger.name}-{args.precision}.pkl"
    gold, docs, tags = load(args.tagger, cache, args.precision)
    ranker = SpeakerRanker.load(args.tagger)
    runs = [("rules", False, None), ("rules + tagger", True, None)]
    if ranker is not None:  # fitted on the articles the tagger was trained on, never on these
        runs.append(("+ speaker ranker", True, ranker))
    for name, use, speakers in runs:
        pred = {
            g.id: extract(g.article(), d, t if use else None, speakers=speakers)
            for g, d, t in zip(gold, docs, tags, strict=True)
        }
        m = score(gold, pred)
        c, recall = m["content"], m["recall_by_gold_kind"]
        print(
            f"{name:15s} content P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f} | exact "
            f"{m['exact']['f1']:.3f} | speaker {m['speaker']['accuracy']:.3f} | e2e {m['end_to_end']['f1']:.3f} | "
            + " ".join(f"{k} {v['recall']:.2f}" for k, v in recall.items())
        )


if __name__ == "__main__":
    main()
