"""Benchmark `stance run` end to end on real articles (not a timed test: run it by hand, read the medians).

    python scripts/bench_run.py --articles 120 --repeats 3
    python scripts/bench_run.py --splits train dev --articles 1000 --repeats 1 --parse-processes 2 --quantize
    python scripts/bench_run.py --precision fp32   (the models in float32; default auto: bfloat16 on an AMX CPU)

Writes the PolNeAR texts to a temporary JSONL (never into the repo), then times, in fresh processes:
the spaCy parse alone (nlp.pipe, the floor) and the full pipeline (`stance run`), and reports articles/s and the
peak RSS of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARSE_ONLY = """
import sys, json, time, resource
from pipeline.text import nlp
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
model = nlp.load()
t = time.perf_counter()
for _ in model.pipe(texts, batch_size=16, n_process=int(sys.argv[4])):
    pass
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": rss}))
"""

FULL = """
import sys, json, time, resource
from pipeline.config import RunConfig
from pipeline.run.engine import run
cfg = RunConfig(input=sys.argv[1], targets=[sys.argv[3]], output=sys.argv[2], resume=False,
                parse_processes=int(sys.argv[4]), quantize=sys.argv[5] == "1",
                background_classifier=sys.argv[6] == "1", precision=sys.argv[7])
t = time.perf_counter()
result = run(cfg)
print(json.dumps({"seconds": time.perf_counter() - t, "claims": len(result.claims),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    from pipeline.data.corpora import data_root, polnear
    from pipeline.models.checkpoint import PRECISIONS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--splits", nargs="+", default=["train"])
    parser.add_argument("--parse-processes", type=int, default=1)
    parser.add_argument("--quantize", action="store_true")
    parser.add_argument("--precision", default="auto", choices=PRECISIONS, help="the models' numbers")
    parser.add_argument("--no-background", action="store_true", help="score stance in the parsing thread")
    parser.add_argument("--target", default="the trade deal")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        articles = [a for split in args.splits for a in polnear.iter_articles(data_root(), split)][: args.articles]
        with corpus.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps({"id": a.id, "text": a.text, "date": a.date, "source": a.source}) + "\n")
        chars = sum(len(a.text) for a in articles)
        print(
            f"{len(articles)} PolNeAR {'+'.join(args.splits)} articles, {chars:,} characters; "
            f"parse_processes={args.parse_processes}, quantize={args.quantize}, precision={args.precision}, "
            f"background classifier={not args.no_background}"
        )
        rows = {}
        for name, code in (("parse only (spaCy floor)", PARSE_ONLY), ("stance run (end to end)", FULL)):
            runs = []
            for _ in range(args.repeats):
                out = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        code,
                        str(corpus),
                        str(Path(tmp) / "out"),
                        args.target,
                        str(args.parse_processes),
                        "1" if args.quantize else "0",
                        "0" if args.no_background else "1",
                        args.precision,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            seconds = statistics.median(r["seconds"] for r in runs)
            rows[name] = (len(articles) / seconds, max(r["rss_mb"] for r in runs), seconds)
        print(f"| stage | articles/s (median of {args.repeats}) | seconds | peak RSS MB |")
        print("|---|---|---|---|")
        for name, (rate, rss, seconds) in rows.items():
            print(f"| {name} | {rate:.2f} | {seconds:.1f} | {rss:.0f} |")
        floor, full = rows["parse only (spaCy floor)"][0], rows["stance run (end to end)"][0]
        print(f"end to end runs at {full / floor:.0%} of the parse-only rate")


if __name__ == "__main__":
    main()
