"""Distillation: the student's loss and the off-topic and transfer pairs it learns from."""

from __future__ import annotations

import pytest
import torch

from pipeline.classify.network import MeanPoolClassifier
from pipeline.records import StanceExample


class _Encoder(torch.nn.Module):
    config = type("Config", (), {"hidden_size": 4})()


def test_distill_loss_is_zero_when_the_student_matches_the_teacher_and_gold_is_masked():
    head = MeanPoolClassifier(_Encoder(), 3, alpha=1.0, temperature=2.0)
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.0, 0.3, -0.2]])
    soft = torch.softmax(logits, dim=-1)
    labels = torch.tensor([1, 2])
    assert head.distill_loss(logits, labels, soft, torch.tensor([1, 1])).item() == pytest.approx(0, abs=1e-6)
    head.alpha = 0.0  # cross-entropy alone, on the gold examples only
    only_first = head.distill_loss(logits, labels, soft, torch.tensor([1, 0]))
    expected = torch.nn.functional.cross_entropy(logits[:1], labels[:1])
    assert only_first.item() == pytest.approx(expected.item())
    assert head.distill_loss(logits, labels, soft, torch.tensor([0, 0])).item() == 0  # no gold, no CE
    away = head.distill_loss(logits, labels, torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), torch.tensor([1, 1]))
    assert away.item() > 0


def _example(text, target, group):
    return StanceExample(text=text, target=target, label="favor", corpus="labeled:x", split="train", group=group)


STORIES = [  # (claim, its event's target, event); the shutdown and the wall are one story
    ("We must fund the wall before we reopen the government", "a deal to end the government shutdown", "a"),
    ("The shutdown has to end this week", "a deal to end the government shutdown", "a"),
    ("Congress should pay for the border wall", "the border wall funding compromise", "b"),
    ("The wall money is a reasonable compromise", "the border wall funding compromise", "b"),
    ("Tehran must give up enrichment", "negotiations over a nuclear deal with Iran", "c"),
    ("The inspectors need full access", "negotiations over a nuclear deal with Iran", "c"),
    ("The merger makes the company stronger", "the Pfizer-Allergan merger", "d"),
]


@pytest.mark.model
def test_off_topic_pairs_take_unrelated_targets_only():
    from pipeline.data import off_topic

    items = [_example(*story) for story in STORIES]
    pairs = off_topic.pairs(items, share=1.0, seed=1)
    assert pairs and all(p.label == "neutral" and p.corpus == off_topic.CORPUS for p in pairs)
    own = {e.text: e.target for e in items}
    for p in pairs:
        assert p.target != own[p.text]
        # the shutdown and the wall are one story: neither is ever the other's off-topic target
        assert {p.target, own[p.text]} != {
            "a deal to end the government shutdown",
            "the border wall funding compromise",
        }
    # a position that does not say what it is about is never labelled neutral beside another target
    bare = _example("My vote will be no, and I urge my colleagues to do the same.", STORIES[4][1], "c")
    drawn = off_topic.pairs([*items, bare], share=1.0, seed=1, sided_own_similarity=0.3)
    assert drawn and bare.text not in {p.text for p in drawn}
    assert bare.text in {p.text for p in off_topic.pairs([*items, bare], share=1.0, seed=1, tries=200)}


@pytest.mark.model
def test_every_pair_pairs_each_claim_with_each_unrelated_target_of_another_event():
    from pipeline.data import off_topic

    items = [_example(*story) for story in STORIES if story[0] not in (STORIES[1][0], STORIES[3][0])]
    pairs = off_topic.every_pair(items)
    found = {(p.text, p.target) for p in pairs}
    assert all(p.label == "neutral" for p in pairs) and len(found) == len(pairs)
    assert ("Tehran must give up enrichment", "the Pfizer-Allergan merger") in found
    assert ("The inspectors need full access", "negotiations over a nuclear deal with Iran") not in found  # its own
    # the shutdown and the wall are one story: neither is the other's off-topic target
    assert ("We must fund the wall before we reopen the government", "the border wall funding compromise") not in found
    assert ("Congress should pay for the border wall", "a deal to end the government shutdown") not in found
    # a claim found in two events (a wire copy) is about both targets, and counted once
    copied = off_topic.every_pair(items + [_example("The merger makes the company stronger", items[2].target, "c")])
    merger = [p.target for p in copied if p.text == "The merger makes the company stronger"]
    assert items[2].target not in merger and len(merger) == len(set(merger))


@pytest.mark.corpus
def test_transfer_articles_never_include_a_dev_article_or_dev_event(tmp_path):
    from pipeline.config import DistillConfig
    from pipeline.data import standoff
    from pipeline.data.corpora import data_root
    from pipeline.training import distill

    root = data_root()
    if not (root / "polnear").is_dir():
        pytest.skip("shared corpora absent")
    cfg = DistillConfig(teacher=tmp_path)
    items = [i for p in cfg.targets_from for i in standoff.read(p, root)]
    dev = [i for i in items if i.split == "dev"]
    dev_basil = {i.ref.doc_id.rsplit("_", 1)[0] for i in dev if i.ref.corpus == "basil"}
    assert len(dev_basil) == 3 and len(dev) == 10  # and one dev event is a PolNeAR *train* article
    ids = [a.id for a in distill.training_articles(cfg, root, items)]
    assert not {f"{i.ref.corpus}:{i.ref.doc_id}" for i in dev} & set(ids)
    assert len(ids) == len(set(ids)) > 1000
    assert all(i.startswith(("polnear:train/", "basil:")) for i in ids)
    assert not [i for i in ids if i.startswith("basil:") and i.split(":", 1)[1].rsplit("_", 1)[0] in dev_basil]


def test_an_ensemble_teacher_gives_the_mean_of_its_runs(monkeypatch, tmp_path):
    from pipeline.config import DistillConfig
    from pipeline.training import distill

    gold = _example("We back the deal", "the deal", "a")
    pair = gold.model_copy(update={"corpus": distill.TRANSFER + "polnear", "label": "neutral"})
    runs = {"one": ([0.6, 0.0, 0.4], [0.1, 0.1, 0.8]), "two": ([0.2, 0.0, 0.8], [0.1, 0.7, 0.2])}

    def scored(cfg, path, gold_items, base, precision):
        own, transfer = runs[path.name]
        return [gold_items[0].model_copy(update={"soft": own}), pair.model_copy(update={"soft": transfer})]

    monkeypatch.setattr(distill, "_scored", scored)
    cfg = DistillConfig(teacher=[tmp_path / "one", tmp_path / "two"])
    out = distill.transfer_set(cfg, [gold], tmp_path)
    assert out[0].soft == pytest.approx([0.4, 0.0, 0.6]) and out[0].label == "favor"  # gold keeps its label
    assert out[1].soft == pytest.approx([0.1, 0.4, 0.5]) and out[1].label == "neutral"  # the mean's choice


def test_an_empty_list_of_teachers_is_refused():
    from pydantic import ValidationError

    from pipeline.config import DistillConfig

    with pytest.raises(ValidationError, match="at least one teacher"):
        DistillConfig(teacher=[])


def test_cached_transfer_pairs_are_keyed_by_the_code_that_extracts_them(monkeypatch, tmp_path):
    from pipeline.config import DistillConfig
    from pipeline.training import distill

    assert all(p.exists() for p in distill.EXTRACTION_CODE)
    rules = tmp_path / "claims"
    rules.mkdir()
    (rules / "rules.py").write_text("CUES = ['say']\n")
    monkeypatch.setattr(distill, "EXTRACTION_CODE", [rules])
    cfg = DistillConfig()
    before = distill._pairs_key(cfg)
    assert distill._pairs_key(cfg) == before
    (rules / "rules.py").write_text("CUES = ['say', 'warn']\n")
    assert distill._pairs_key(cfg) != before


def test_the_teachers_scores_are_kept_when_new_extraction_code_finds_the_same_pairs(monkeypatch, tmp_path):
    from pipeline.classify import classifier
    from pipeline.config import DistillConfig
    from pipeline.training import distill

    rules = tmp_path / "claims.py"
    rules.write_text("CUES = ['say']\n")
    monkeypatch.setattr(distill, "EXTRACTION_CODE", [rules])
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    gold = _example("We back the deal", "the deal", "a")
    found = [gold.model_copy(update={"corpus": distill.TRANSFER + "polnear", "label": "neutral"})]
    calls = {"extract": 0, "score": 0}

    def news_pairs(cfg, base, items):
        calls["extract"] += 1
        return list(found)

    class Teacher:
        meta = {"base_model": "teacher"}

        def __init__(self, *args, **kwargs):
            pass

        def predict(self, targets, texts, speakers, cues):
            calls["score"] += len(texts)
            return [{"favor": 0.7, "against": 0.1, "neutral": 0.2} for _ in texts]

    monkeypatch.setattr(classifier, "StanceClassifier", Teacher)
    monkeypatch.setattr(distill, "news_pairs", news_pairs)
    monkeypatch.setattr(distill, "sentence_pairs", lambda cfg, base: [])
    monkeypatch.setattr(distill, "_labeled", lambda cfg, base: [])
    cfg = DistillConfig(teacher=tmp_path / "teacher")

    def run():
        return distill._scored(cfg, tmp_path / "teacher", [gold], tmp_path, "fp32")

    first = run()
    assert calls == {"extract": 1, "score": 2} and first[1].label == "favor"
    assert run() == first and calls == {"extract": 1, "score": 2}  # both caches hit
    rules.write_text("CUES = ['say', 'warn']\n")  # new code: the pairs are found again, and are the same
    assert run() == first and calls == {"extract": 2, "score": 2}
    found[0] = found[0].model_copy(update={"text": "We reject the deal"})  # new code that finds other pairs
    rules.write_text("CUES = ['say', 'warn', 'urge']\n")
    run()
    assert calls == {"extract": 3, "score": 4}
    found[0] = found[0].model_copy(update={"group": "another event"})  # the same text, another record
    rules.write_text("CUES = ['say', 'warn', 'urge', 'deny']\n")
    assert run()[1].group == "another event" and calls == {"extract": 4, "score": 6}
