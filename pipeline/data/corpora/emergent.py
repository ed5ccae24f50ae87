"""Emergent news headlines vs rumoured claims (Ferreira & Vlachos 2016); for->favor, against, observing->neutral."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import StanceExample

FOLDER = "emergent"
DATA_FILE = "url-versions-2015-06-14-clean.csv"
SPLIT_FILE = "split_ferreira_vlachos_2016.csv"
CORPUS = "emergent"
SPLITS = {"train": "train", "test": "dev"}  # the paper's claim-disjoint test split serves as "dev"
LABELS = {"for": "favor", "against": "against", "observing": "neutral"}


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"Emergent file not found: {path}")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def examples(root: Path | str, split: str) -> list[StanceExample]:
    """``text`` is the article headline, ``target`` the claim; ``group`` the claim id, so no claim spans two splits."""
    if split not in SPLITS.values():
        raise ValueError(f"Emergent split must be one of {tuple(SPLITS.values())}, not {split!r}")
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        raise InputError(f"Emergent folder not found: {folder}")
    assigned = {row["id"]: row for row in _rows(folder / SPLIT_FILE)}
    out: list[StanceExample] = []
    for row in _rows(folder / DATA_FILE):
        where = assigned.get(row["id"])
        if where is None or where["claimId"] != row["claimId"] or where["articleId"] != row["articleId"]:
            raise InputError(f"Emergent row id {row['id']}: no matching row in {SPLIT_FILE}")
        if where["split"] not in SPLITS:
            raise InputError(f"Emergent row id {row['id']}: unknown split {where['split']!r} in {SPLIT_FILE}")
        if row["articleHeadlineStance"] not in LABELS:
            raise InputError(f"Emergent row id {row['id']}: unknown stance {row['articleHeadlineStance']!r}")
        if SPLITS[where["split"]] == split:
            out.append(
                StanceExample(
                    text=row["articleHeadline"].strip(),
                    target=row["claimHeadline"].strip(),
                    label=LABELS[row["articleHeadlineStance"]],
                    corpus=CORPUS,
                    split=split,
                    group=row["claimId"],
                )
            )
    return out
