"""The project's own stand-off annotations read back against the shared corpora (offsets, SHA-1s, splits)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.data import standoff
from pipeline.data.corpora import data_root, polnear

ANNOTATIONS = Path(__file__).resolve().parents[1] / "data" / "annotations"
POLICY_FILES = ("policy-claims.jsonl", "policy-claims-more.jsonl")
needs_corpora = pytest.mark.skipif(
    not all((data_root() / c).is_dir() for c in ("basil", "polnear")), reason="shared corpora are absent"
)


@pytest.mark.corpus
@needs_corpora
def test_negotiation_events_are_in_one_split_only() -> None:
    items = list(standoff.read(ANNOTATIONS / "negotiations.jsonl"))  # resolves every article and checks every offset
    splits: dict[str, set[str]] = {}
    for item in items:
        splits.setdefault(item.event, set()).add(item.split)
        assert item.target and item.claims
    assert all(len(s) == 1 for s in splits.values())
    assert {"train", "dev"} == {s for group in splits.values() for s in group}


@pytest.mark.corpus
@needs_corpora
def test_policy_claims_are_train_only_and_polnear_ones_are_its_gold_spans() -> None:
    items = [i for name in POLICY_FILES for i in standoff.read(ANNOTATIONS / name)]  # resolves, checks every offset
    negotiations = list(standoff.read(ANNOTATIONS / "negotiations.jsonl"))
    negotiation_docs = {i.ref.doc_id for i in negotiations}
    # a BASIL event is three outlets' articles "<year>/<uuid>_<n>": none of a negotiation event may come back here
    negotiation_events = {i.ref.doc_id.rsplit("_", 1)[0] for i in negotiations if i.ref.corpus == "basil"}
    gold = {a.ref.doc_id: a for a in polnear.labeled_articles(data_root(), "train")}
    assert len(items) >= 250
    assert len({i.id for i in items}) == len(items)  # no article in both files
    assert {i.ref.corpus for i in items} == {"polnear", "basil"}
    for item in items:
        assert item.split == "train" and item.target
        assert item.ref.doc_id not in negotiation_docs
        assert all(c.stance in {"favor", "against", "neutral"} and c.speaker is None for c in item.claims)
        if item.ref.corpus == "basil":
            assert item.ref.doc_id.rsplit("_", 1)[0] not in negotiation_events
            continue
        assert item.ref.doc_id.startswith("train/")
        spans = [(c.start_char, c.end_char) for c in gold[item.ref.doc_id].claims]
        assert [(c.start_char, c.end_char) for c in item.claims] == spans


def test_the_checklist_has_fifteen_items_of_each_kind_and_labels_of_the_guide() -> None:
    import json

    from pipeline.records import LABELS

    items = [json.loads(line) for line in (ANNOTATIONS / "checklist.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({i["id"] for i in items}) == len(items) == 150
    kinds = {i["kind"] for i in items}
    assert len(kinds) == 10 and all(sum(i["kind"] == k for i in items) == 15 for k in kinds)
    assert all(i["label"] in LABELS and i["target"] and 0 < len(i["claim"].split()) <= 40 for i in items)
    assert {i["label"] for i in items if i["kind"] in ("balanced", "procedure", "off-topic")} == {"neutral"}
