"""GWSD news sentences on global warming; posterior argmax: agree->favor, disagree->against, neutral->neutral."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import StanceExample

FOLDER = "gwsd"
FILE = "GWSD.tsv"
CORPUS = "gwsd"
SPLITS = ("train", "dev")
TARGET = "climate change is a serious concern"
LABELS = {"agree": "favor", "disagree": "against", "neutral": "neutral"}
DEV_PERCENT = 15


def _hash_split(guid: str) -> str:
    bucket = int(hashlib.sha256(guid.encode("utf-8")).hexdigest(), 16) % 100
    return "dev" if bucket < DEV_PERCENT else "train"


def _label(row: dict[str, str], line: int) -> str:
    try:
        scores = {name: float(row[name]) for name in LABELS}
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"GWSD {FILE} line {line}: bad posterior columns ({e})") from None
    return LABELS[max(scores, key=scores.__getitem__)]


def examples(root: Path | str, split: str) -> list[StanceExample]:
    """Labeled rows only. Held-out-test rows form "dev" when the file flags any; otherwise a hash of the guid does."""
    if split not in SPLITS:
        raise ValueError(f"GWSD split must be one of {SPLITS}, not {split!r}")
    path = Path(root) / FOLDER / FILE
    if not path.is_file():
        raise InputError(f"GWSD file not found: {path}")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        missing = {"sentence", "guid", *LABELS} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"GWSD {path}: missing columns {sorted(missing)}")
        # Screening sentences (repeated in every batch) have no posterior: they are not labeled examples.
        rows = [(n, row) for n, row in enumerate(reader, start=2) if (row.get("agree") or "").strip()]
    held_out = {row["guid"] for _, row in rows if (row.get("in_held_out_test") or "").strip().lower() == "true"}
    out: list[StanceExample] = []
    for n, row in rows:
        row_split = ("dev" if row["guid"] in held_out else "train") if held_out else _hash_split(row["guid"])
        if row_split == split:
            out.append(
                StanceExample(
                    text=row["sentence"].strip(),
                    target=TARGET,
                    label=_label(row, n),
                    corpus=CORPUS,
                    split=split,
                    group=CORPUS,
                )
            )
    return out
