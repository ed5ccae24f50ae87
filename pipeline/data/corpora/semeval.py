"""SemEval-2016 Task 6 stance tweets (TweetEval split), 5 targets; labels 0 none->neutral, 1 against, 2 favor."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import StanceExample

FOLDER = "semeval2016_tweeteval"
CORPUS = "semeval2016"
SPLITS = ("train", "val")
TARGETS = {
    "abortion": "legalization of abortion",
    "atheism": "atheism",
    "climate": "climate change is a real concern",
    "feminist": "feminist movement",
    "hillary": "Hillary Clinton",
}
LABELS = {"0": "neutral", "1": "against", "2": "favor"}


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(f"SemEval-2016 file not found: {path}")
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def examples(root: Path | str, split: str) -> list[StanceExample]:
    if split not in SPLITS:
        raise ValueError(f"SemEval-2016 split must be one of {SPLITS}, not {split!r}")
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        raise InputError(f"SemEval-2016 folder not found: {folder}")
    out: list[StanceExample] = []
    for name, target in TARGETS.items():
        texts = _lines(folder / name / f"{split}_text.txt")
        labels = _lines(folder / name / f"{split}_labels.txt")
        if len(texts) != len(labels):
            raise InputError(f"SemEval-2016 {name}/{split}: {len(texts)} texts but {len(labels)} labels")
        for n, (text, label) in enumerate(zip(texts, labels, strict=True), start=1):
            if label.strip() not in LABELS:
                raise InputError(f"SemEval-2016 {name}/{split}_labels.txt line {n}: unknown label {label!r}")
            out.append(
                StanceExample(
                    text=text.strip(),
                    target=target,
                    label=LABELS[label.strip()],
                    corpus=CORPUS,
                    split=split,
                    group=name,
                )
            )
    return out
