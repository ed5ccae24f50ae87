"""DSE, entity-to-entity directed sentiment in political news (Park et al. 2021), read as stance toward an entity.

Each row is a sentence with two bracketed entities and who endorses or blames whom. The entity that receives the
sentiment becomes the target: endorsing it is favor, blaming it against; a row with no directed sentiment is neutral
toward the second entity. The brackets are removed, since claims at run time have none. The files are as published:
12% of train rows repeat another train row, and 27% of the "dev" (valid.txt) rows are also in train, so DSE's dev is
not held out and is not reported as such.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import StanceExample

FOLDER = "dse_directed_sentiment"
CORPUS = "dse"
FILES = {"train": "train.txt", "dev": "valid.txt", "test": "test.txt"}
# label -> (which entity is the target, stance toward it); 1/3: entity1 -> entity2, 2/4: entity2 -> entity1
LABELS = {"0": (2, "neutral"), "1": (2, "favor"), "2": (1, "favor"), "3": (2, "against"), "4": (1, "against")}


def examples(root: Path | str, split: str) -> list[StanceExample]:
    if split not in FILES:
        raise ValueError(f"DSE split must be one of {tuple(FILES)}, not {split!r}")
    path = Path(root) / FOLDER / "dataset" / FILES[split]
    if not path.is_file():
        raise InputError(f"DSE file not found: {path}")
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")  # 5% of sentences are CSV-quoted ("a ""word"" here")
        for row in reader:
            if not row:
                continue
            if len(row) != 4 or row[3].strip() not in LABELS:
                raise InputError(
                    f"DSE {path.name} line {reader.line_num}: expected sentence, entity1, entity2 and a label 0-4 "
                    f"separated by tabs, got {len(row)} fields ending in {row[-1][:40]!r}"
                )
            which, stance = LABELS[row[3].strip()]
            target = row[which].strip()
            text = row[0].replace("[", "").replace("]", "").strip()
            if not target or not text:
                continue  # a pair whose entity the source's NER left empty
            out.append(StanceExample(text=text, target=target, label=stance, corpus=CORPUS, split=split))
    return out
