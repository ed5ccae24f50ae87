"""NewsMTSC policy-news sentences with sentiment toward a named person; positive->favor, negative->against, neutral."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import StanceExample

FOLDER = "newsmtsc"
CORPUS = "newsmtsc"
FILES = {"train": "train.jsonl", "dev": "devtest_mt.jsonl"}
LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}


def examples(root: Path | str, split: str) -> list[StanceExample]:
    """One example per (sentence, target mention); ``group`` is None: upstream train and dev share articles."""
    if split not in FILES:
        raise ValueError(f"NewsMTSC split must be one of {tuple(FILES)}, not {split!r}")
    path = Path(root) / FOLDER / FILES[split]
    if not path.is_file():
        raise InputError(f"NewsMTSC file not found: {path}")
    out: list[StanceExample] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                sentence, targets = doc["sentence_normalized"], doc["targets"]
                pairs = [(t["mention"], LABELS[float(t["polarity"])]) for t in targets]
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"NewsMTSC {path.name} line {n}: malformed record ({e!r})") from None
            for mention, label in pairs:
                out.append(StanceExample(text=sentence, target=mention, label=label, corpus=CORPUS, split=split))
    return out
