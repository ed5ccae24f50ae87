"""Stance corpus importers: counts against each SOURCE.md on the shared data, plus tiny fake corpora."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.data.corpora import data_root, dse, emergent, gwsd, newsmtsc, semeval
from pipeline.errors import InputError

ROOT = data_root()
ALL_LABELS = {"favor", "against", "neutral"}


def needs(folder: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (ROOT / folder).is_dir(), reason=f"shared corpus {ROOT / folder} is absent")


def _check(rows, corpus: str, split: str) -> None:
    assert rows
    assert {r.label for r in rows} == ALL_LABELS
    assert all(r.text.strip() and r.target.strip() for r in rows)
    assert {(r.corpus, r.split) for r in rows} == {(corpus, split)}
    assert all(r.speaker is None for r in rows)


@pytest.mark.corpus
@needs(semeval.FOLDER)
def test_semeval_real() -> None:
    train, val = semeval.examples(ROOT, "train"), semeval.examples(ROOT, "val")
    assert (len(train), len(val)) == (2620, 294)
    _check(train, "semeval2016", "train")
    _check(val, "semeval2016", "val")
    assert {r.group for r in train} == set(semeval.TARGETS)
    assert {r.target for r in train} == set(semeval.TARGETS.values())


@pytest.mark.corpus
@needs(dse.FOLDER)
def test_dse_real() -> None:
    train, dev = dse.examples(ROOT, "train"), dse.examples(ROOT, "dev")
    assert (len(train), len(dev)) == (13144, 1461)  # SOURCE.md's counts
    # favor = endorsements either way (1,341 + 265), against = blame either way (2,562 + 387)
    assert Counter(r.label for r in train) == {"neutral": 8589, "favor": 1606, "against": 2949}
    _check(train, "dse", "train")
    _check(dev, "dse", "dev")
    assert not any("[" in r.text or "]" in r.text for r in train)
    # 5% of rows are CSV-quoted: read as such, the doubled quotes are single again
    assert any('was characterized as an "associate" of a Vietnamese street gang.' in r.text for r in train)


@pytest.mark.corpus
@needs(gwsd.FOLDER)
def test_gwsd_real() -> None:
    train, dev = gwsd.examples(ROOT, "train"), gwsd.examples(ROOT, "dev")
    assert len(train) + len(dev) == 2050
    assert len(dev) == 200  # the rows flagged in_held_out_test
    _check(train, "gwsd", "train")
    _check(dev, "gwsd", "dev")
    assert Counter(r.label for r in train + dev) == {"neutral": 873, "favor": 777, "against": 400}


@pytest.mark.corpus
@needs(emergent.FOLDER)
def test_emergent_real() -> None:
    train, dev = emergent.examples(ROOT, "train"), emergent.examples(ROOT, "dev")
    _check(train, "emergent", "train")
    _check(dev, "emergent", "dev")
    assert Counter(r.label for r in train) == {"favor": 992, "neutral": 775, "against": 304}
    assert Counter(r.label for r in dev) == {"favor": 246, "neutral": 187, "against": 91}
    train_claims, dev_claims = {r.group for r in train}, {r.group for r in dev}
    assert (len(train_claims), len(dev_claims)) == (240, 60)
    assert not train_claims & dev_claims


@pytest.mark.corpus
@needs(newsmtsc.FOLDER)
def test_newsmtsc_real() -> None:
    train, dev = newsmtsc.examples(ROOT, "train"), newsmtsc.examples(ROOT, "dev")
    _check(train, "newsmtsc", "train")
    _check(dev, "newsmtsc", "dev")
    assert Counter(r.label for r in train) == {"against": 3316, "neutral": 3028, "favor": 2395}
    assert Counter(r.label for r in dev) == {"against": 482, "neutral": 748, "favor": 246}
    assert len({r.text for r in dev}) == 721  # devtest_mt sentences, each with two or more targets


def test_semeval_fake(tmp_path) -> None:
    for name in semeval.TARGETS:
        folder = tmp_path / semeval.FOLDER / name
        folder.mkdir(parents=True)
        (folder / "train_text.txt").write_text("first tweet \nsecond tweet\nthird\n", encoding="utf-8")
        (folder / "train_labels.txt").write_text("0\n1\n2\n", encoding="utf-8")
        (folder / "val_text.txt").write_text("only one\n", encoding="utf-8")
        (folder / "val_labels.txt").write_text("2\n", encoding="utf-8")
    train = semeval.examples(tmp_path, "train")
    assert len(train) == 15
    first = train[0]
    assert (first.text, first.target, first.label, first.group) == (
        "first tweet",
        "legalization of abortion",
        "neutral",
        "abortion",
    )
    assert [r.label for r in train[:3]] == ["neutral", "against", "favor"]
    assert [r.target for r in semeval.examples(tmp_path, "val")][-1] == "Hillary Clinton"
    (tmp_path / semeval.FOLDER / "atheism" / "val_labels.txt").write_text("2\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 texts but 2 labels"):
        semeval.examples(tmp_path, "val")


GWSD_HEADER = "\tround\tbatch\tsent_id\tsentence\tworker_0\tdisagree\tagree\tneutral\tguid"


def _gwsd_file(tmp_path, rows: list[str], flag: bool) -> None:
    folder = tmp_path / gwsd.FOLDER
    folder.mkdir(exist_ok=True)
    lines = [GWSD_HEADER + ("\tin_held_out_test" if flag else ""), *rows]
    (folder / gwsd.FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_gwsd_fake(tmp_path) -> None:
    rows = [
        "0\t1\t0\ts0\tGlobal warming is a hoax.\tdisagrees\t\t\t\t1_0_s0\tFalse",  # screening: no posterior
        "1\t1\t0\tt0\tIt is warming.\tagrees\t0.1\t0.7\t0.2\t1_0_t0\tFalse",
        "2\t1\t0\tt1\tIt is not.\tdisagrees\t0.6\t0.1\t0.3\t1_0_t1\tTrue",
        "3\t1\t0\tt2\tBusiness grew.\tneutral\t0.1\t0.2\t0.7\t1_0_t2\tFalse",
    ]
    _gwsd_file(tmp_path, rows, flag=True)
    train, dev = gwsd.examples(tmp_path, "train"), gwsd.examples(tmp_path, "dev")
    assert [(r.text, r.label) for r in train] == [("It is warming.", "favor"), ("Business grew.", "neutral")]
    assert [(r.text, r.label, r.target) for r in dev] == [("It is not.", "against", gwsd.TARGET)]

    # Without a held-out flag the split is a stable hash of the guid: deterministic and exhaustive.
    many = [f"{i}\t1\t0\tt{i}\tSentence {i}.\tneutral\t0.1\t0.2\t0.7\tg{i}" for i in range(200)]
    _gwsd_file(tmp_path, many, flag=False)
    train, dev = gwsd.examples(tmp_path, "train"), gwsd.examples(tmp_path, "dev")
    assert len(train) + len(dev) == 200
    assert 10 <= len(dev) <= 50
    assert not {r.text for r in train} & {r.text for r in dev}
    assert [r.text for r in gwsd.examples(tmp_path, "dev")] == [r.text for r in dev]


@pytest.mark.parametrize("module", [semeval, gwsd, emergent, newsmtsc, dse])
def test_missing_folder(tmp_path, module) -> None:
    split = "val" if module is semeval else "dev"
    with pytest.raises(InputError, match="not found"):
        module.examples(tmp_path / "nowhere", split)


def test_dse_fake(tmp_path) -> None:
    folder = tmp_path / dse.FOLDER / "dataset"
    folder.mkdir(parents=True)
    rows = [
        "[Pelosi] praised [the deal] on Friday.\tPelosi\tthe deal\t1",
        "[The deal] was attacked by [Sanders].\tThe deal\tSanders\t4",
        "[Kim] met [Pompeo] in Hanoi.\tKim\tPompeo\t0",
        '"[Kim] called [Trump] a ""great"" partner."\tKim\tTrump\t1',
    ]
    (folder / "valid.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    got = [(r.text, r.target, r.label) for r in dse.examples(tmp_path, "dev")]
    assert got == [
        ("Pelosi praised the deal on Friday.", "the deal", "favor"),
        ("The deal was attacked by Sanders.", "The deal", "against"),
        ("Kim met Pompeo in Hanoi.", "Pompeo", "neutral"),
        ('Kim called Trump a "great" partner.', "Trump", "favor"),
    ]
    (folder / "valid.txt").write_text("[Kim] met.\tKim\tPompeo\t0\n\nonly a sentence\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: .* got 1 fields"):
        dse.examples(tmp_path, "dev")
