"""Where the time of `stance run` goes, in core-seconds per article: the parse and extraction (rules alone, or with
the attribution tagger and its ranker) and the stance classifier's time per claim, each on one thread, alternated
and repeated (medians). Not a timed test: run it by hand on a quiet machine.

    python scripts/cost_per_article.py [--articles 60] [--repeats 3] [--model models/stance-mpnet]
    python scripts/cost_per_article.py --articles 30 --classifier-variants   (batch 16 / 32 / 64, int8)

With two cores, a configuration can reach at most 2 / (extraction + claims x classifier) articles/s; the measured
end-to-end speed (`scripts/peak_memory.py stance run ...`, docs/benchmarks.md) is below that bound.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = "negotiations between the United States and North Korea"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default=str(ROOT / "models" / "stance-mpnet"))
    parser.add_argument("--tagger", default=str(ROOT / "models" / "attribution-tagger-fast"))
    parser.add_argument("--classifier-variants", action="store_true", help="only the classifier's ms a claim")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from pipeline.attribution.tagger import AttributionTagger
    from pipeline.classify.classifier import StanceClassifier
    from pipeline.data.corpora import data_root, polnear
    from pipeline.run.extract import extract_all
    from pipeline.text import nlp

    articles = list(itertools.islice(polnear.iter_articles(data_root(), "train"), args.articles))
    nlp.load()
    if args.classifier_variants:
        return variants(args, [c for _, cs in extract_all(articles) for c in cs])
    setups = {"rules": None, "rules + tagger": AttributionTagger(args.tagger, threads=1)}
    model = StanceClassifier(args.model, threads=1)
    seconds: dict[str, list[float]] = {name: [] for name in [*setups, "classifier"]}
    claims: dict[str, int] = {}
    for _ in range(args.repeats):
        for name, tagger in setups.items():
            start = time.perf_counter()
            found = [c for _, cs in extract_all(articles, tagger=tagger) for c in cs]
            seconds[name].append((time.perf_counter() - start) / len(articles))
            claims[name] = len(found)
        start = time.perf_counter()
        model.predict([TARGET] * len(found), [c.text for c in found], [c.speaker for c in found], [None] * len(found))
        seconds["classifier"].append((time.perf_counter() - start) / len(found))
    per_claim = statistics.median(seconds["classifier"])
    print(f"{len(articles)} PolNeAR train articles, {args.repeats} alternated rounds, one thread, medians")
    print(f"classifier ({Path(args.model).name}): {per_claim * 1000:.1f} ms a claim")
    for name in setups:
        extract = statistics.median(seconds[name])
        per_article = claims[name] / len(articles)
        total = extract + per_article * per_claim
        print(
            f"{name}: extraction {extract:.3f} s an article, {per_article:.1f} claims an article, "
            f"{total:.3f} core-s an article with the classifier: at most {2 / total:.2f} articles/s on 2 cores"
        )


def variants(args, claims) -> None:
    """The classifier's ms a claim (rules' claims) at batch 16 / 32 / 64 and with int8 dynamic quantization, each
    model's labels against the first's."""
    from pipeline.classify.classifier import StanceClassifier

    settings = {
        "batch 32": {},
        "batch 64": {"batch_size": 64},
        "batch 16": {"batch_size": 16},
        "int8": {"quantize": True},
    }
    models = {name: StanceClassifier(args.model, threads=1, **kw) for name, kw in settings.items()}
    texts = [c.text for c in claims]
    times: dict[str, list[float]] = {name: [] for name in models}
    first = None
    for _ in range(args.repeats):
        for name, model in models.items():
            start = time.perf_counter()
            scores = model.predict([TARGET] * len(texts), texts, [None] * len(texts), [None] * len(texts))
            times[name].append((time.perf_counter() - start) / len(texts) * 1000)
            labels = [max(s, key=s.get) for s in scores]
            first = first or labels
            same = sum(a == b for a, b in zip(labels, first, strict=True)) / len(labels)
            if len(times[name]) == 1:
                print(f"{name}: same label as batch 32 on {same:.1%} of {len(texts)} claims")
    for name, values in times.items():
        print(f"{name}: {statistics.median(values):.1f} ms a claim (runs {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
