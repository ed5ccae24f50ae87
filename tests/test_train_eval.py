"""`stance train` and `stance evaluate` end to end on a tiny BERT and a tiny labeled set (plumbing, not accuracy)."""

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.classify.classifier import StanceClassifier
from pipeline.cli import app
from pipeline.config import EvaluateConfig
from pipeline.errors import ModelError
from pipeline.evaluation.evaluate import found_actor_report, found_claims, match_actors
from pipeline.evaluation.metrics import intervals, stance_metrics
from pipeline.records import LABELS
from tests.conftest import SEED_GOLD

runner = CliRunner()
CLAIMS = [
    ("We will keep talking until we reach a deal", "favor"),
    ("The talks are productive and we are hopeful", "favor"),
    ("We will never accept these demands", "against"),
    ("The deal is dead and we walk away", "against"),
    ("The meeting is on Tuesday", "neutral"),
    ("The delegation arrived in Hanoi", "neutral"),
]


def labeled_file(path):
    rows = []
    for split in ("train", "dev"):
        text, claims = "", []
        for sentence, stance in CLAIMS:
            start = len(text)
            text += sentence + ". "
            claims.append(
                {
                    "start_char": start,
                    "end_char": start + len(sentence),
                    "stance": stance,
                    "speaker": "Kim",
                    "kind": "indirect",
                }
            )
        rows.append(
            {
                "id": f"doc-{split}",
                "text": text,
                "split": split,
                "event": f"event-{split}",
                "target": "the talks",
                "claims": claims,
                "actors": [{"name": "Kim", "stance": "favor"}],
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_train_saves_a_self_describing_checkpoint(tmp_path, tiny_model, write_config):
    data = labeled_file(tmp_path / "labeled.jsonl")
    out = tmp_path / "model"
    cfg = write_config(
        f"base_model: {tiny_model}\nsources: [{{corpus: labeled, path: {data}, weight: 2}}]\n"
        f"dev: [{{corpus: labeled, path: {data}}}]\noutput: {out}\nepochs: 2\nbatch_size: 4\nmax_length: 32\n"
        "off_topic: 0.3\n"
    )
    result = runner.invoke(app, ["train", str(cfg)])
    assert result.exit_code == 0, result.output
    # one target: no off-topic pair can be drawn, which the run says and the card does not hide
    assert "no off-topic pair could be drawn: it needs labeled training claims with an event" in result.output
    assert "optimizer steps: too few to change the model much" in result.output  # a few claims say so
    assert "no off-topic pairs (off_topic 0.3: none could be drawn" in (out / "README.md").read_text(encoding="utf-8")
    assert "dev F_avg" in result.output
    assert "epoch 1: dev F_avg" in result.output and "(best so far)" in result.output  # one line an epoch
    assert "'eval_loss'" not in result.output and "LOAD REPORT" not in result.output  # not the trainer's raw logs
    meta = json.loads((out / "stance.json").read_text(encoding="utf-8"))
    assert meta["id2label"] == {"0": "favor", "1": "against", "2": "neutral"}
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["id2label"] == {"0": "favor", "1": "against", "2": "neutral"}
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Training data" in card and "## Dev metrics" in card and "labeled:labeled" in card
    assert '"path": "../labeled.jsonl"' in card and str(tmp_path) not in card  # no machine's layout in the card
    scores = StanceClassifier(out, precision="fp32").predict(["the talks"], ["We will keep talking"])
    assert set(scores[0]) == {"favor", "against", "neutral"} and abs(sum(scores[0].values()) - 1) < 1e-3
    # bfloat16 weights (the default on an AMX CPU) score the same pair to about two decimals
    [half] = StanceClassifier(out, precision="bf16").predict(["the talks"], ["We will keep talking"])
    assert all(abs(half[k] - scores[0][k]) < 0.05 for k in half) and abs(sum(half.values()) - 1) < 1e-2
    with pytest.raises(ModelError, match="precision"):
        StanceClassifier(out, quantize=True, precision="fp16")

    report = tmp_path / "eval"
    cfg = write_config(
        f"models: [{{path: {out}, name: tiny, seeds: [{out}]}}]\nstance: [{{corpus: labeled, path: {data}}}]\n"
        f"train: [{{corpus: labeled, path: {data}}}]\n"
        f"attribution: [{{corpus: labeled, path: {data}, split: dev}}]\noutput: {report}\n",
        name="eval.yaml",
    )
    result = runner.invoke(app, ["evaluate", str(cfg)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    entry = metrics["stance"]["labeled:labeled"]
    # every example, gold and predicted, to read the errors by: one line per example and run
    rows = [json.loads(line) for line in (report / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [r for r in rows if r["model"] == "tiny"]
    assert len(rows) == 2 * len(mine) and "predictions" not in metrics
    assert sum(r["gold"] == r["predicted"] for r in mine) / len(mine) == pytest.approx(entry["tiny"]["accuracy"])
    assert set(entry) == {
        "tiny",
        f"tiny (run 2: {out.name})",
        "tiny: mean of 2 runs",
        "tiny: ensemble of 2 runs",
        "majority",
        "tfidf_logreg",
    }
    assert entry["tiny"]["n"] == len(CLAIMS)
    ci = entry["tiny"]["intervals"]
    assert set(ci) == {"accuracy", "macro_f1", "f_avg", "f_avg_minus_baseline"}
    assert ci["f_avg"][0] <= entry["tiny"]["f_avg"] <= ci["f_avg"][1]
    mean = entry["tiny: mean of 2 runs"]
    assert mean["runs"] == 2 and mean["f_avg"] == pytest.approx(entry["tiny"]["f_avg"])  # the same folder twice
    assert entry["tiny: ensemble of 2 runs"]["f_avg"] == pytest.approx(entry["tiny"]["f_avg"])
    printed = " ".join(result.output.split())
    assert "95% bootstrap" in printed and "tiny: mean of 2" in printed
    assert metrics["actors"]["labeled:labeled"]["tiny"]["n"] == 1
    assert "content" in metrics["attribution"]["labeled:labeled"]
    assert {r["speaker"] for r in mine} == {"Kim"}  # which actor a claim is of, to read the errors by
    # each gold actor with its stance, on gold claims and end to end (the actor it was found as), for every run
    actors = [
        json.loads(line) for line in (report / "actor_predictions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert {(r["claims"], r["actor"], r["gold"]) for r in actors} == {("gold claims", "Kim", "favor"),
                                                                      ("end to end", "Kim", "favor")}  # fmt: skip
    assert {r["found_as"] for r in actors if r["claims"] == "end to end"} <= {"Kim", None}
    assert len(actors) == 4 and "rows" not in metrics["actors"]["labeled:labeled"]["tiny"]


@pytest.mark.model
def test_evaluate_pairs_each_events_claims_with_the_other_events_targets(tmp_path, tiny_model, write_config):
    data = labeled_file(tmp_path / "labeled.jsonl")
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    text = "The airline merger will cut fares. "
    claim = {"start_char": 0, "end_char": len(text) - 2, "stance": "favor", "speaker": "Lee", "kind": "indirect"}
    rows.append({**rows[-1], "id": "doc-dev2", "text": text, "event": "event-dev2", "claims": [claim],
                 "target": "the merger of two airlines", "actors": [{"name": "Lee", "stance": "favor"}]})  # fmt: skip
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = tmp_path / "eval"
    cfg = write_config(
        f"models: [{{path: {tiny_model}, name: tiny}}]\nstance: [{{corpus: labeled, path: {data}}}]\n"
        f"baselines: false\nfound_actors: false\nbootstrap: 0\nother_events: true\noutput: {report}\n",
        name="eval.yaml",
    )
    result = runner.invoke(app, ["evaluate", str(cfg)])
    assert result.exit_code == 0, result.output
    found = json.loads((report / "metrics.json").read_text(encoding="utf-8"))["other_events"]["tiny"]["labeled:labeled"]
    # the talks' six claims toward the merger, the merger's one toward the talks, where the encoder finds them apart
    assert 0 < found["n"] <= len(CLAIMS) + 1 and found["events"] == 2
    assert 0 <= found["neutral_share"] <= 1 and 0 <= found["neutral_share_topic_checked"] <= 1
    assert "off-topic within labeled:labeled" in " ".join(result.output.split())
    topic = json.loads((report / "metrics.json").read_text(encoding="utf-8"))["topic"]
    # the dev articles, each read beside its own target (the talks, the merger), which it is about
    assert topic["threshold"] == 0.3 and topic["own_target_articles"] == 2
    assert topic["own_target_below"] == [] and topic["own_target_lowest"] >= 0.3


def test_trainer_logs_read_as_one_line_each():
    from pipeline.training.scaffold import log_line

    assert log_line({"loss": 1.12345, "grad_norm": 2.0, "epoch": 1.0}) == "epoch 1: training loss 1.1235"
    dev = {"eval_loss": 1.1, "eval_f_avg": 0.5, "eval_macro_f1": 0.25, "eval_runtime": 0.1, "epoch": 2.0}
    assert log_line(dev, "f_avg", 0.4) == "epoch 2: dev F_avg 0.500, macro-F1 0.250 (best so far)"
    assert log_line(dev, "f_avg", 0.6) == "epoch 2: dev F_avg 0.500, macro-F1 0.250"
    assert log_line({**dev, "epoch": 0.25}, "f_avg", None).startswith("epoch 0.25: dev")
    assert log_line({"train_runtime": 3.0, "train_loss": 1.0, "epoch": 2.0}) is None


def test_training_never_replaces_a_folder_that_holds_no_model(tmp_path, monkeypatch):
    from pipeline.errors import ConfigError
    from pipeline.training.scaffold import check_output, model_folder

    run = tmp_path / "run"
    run.mkdir()
    (run / "claims.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="holds files and no model"):
        check_output(run, "stance.json")
    with pytest.raises(ConfigError), model_folder(run, "stance.json") as tmp:
        (tmp / "stance.json").write_text("{}", encoding="utf-8")
    assert (run / "claims.jsonl").is_file() and not (run / "stance.json").exists()
    with pytest.raises(ConfigError, match="is a file"):
        check_output(run / "claims.jsonl", "stance.json")
    model = tmp_path / "model"  # a new folder, an empty one and a model folder of the same kind may all be written
    check_output(model, "stance.json")
    for _ in range(2):
        with model_folder(model, "stance.json") as tmp:
            (tmp / "stance.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in model.iterdir()] == ["stance.json"]
    with pytest.raises(ConfigError, match="no tagger.json"):  # a stance model is no tagger to overwrite
        check_output(model, "tagger.json")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".gitkeep").touch()
    check_output(empty, "stance.json")
    (empty / ".git").mkdir()  # a hidden folder is something to lose
    with pytest.raises(ConfigError, match="holds files"):
        check_output(empty, "stance.json")
    (tmp_path / "link").symlink_to(model)  # saving would fail after training: said before it
    with pytest.raises(ConfigError, match="is a link"):
        check_output(tmp_path / "link", "stance.json")
    # the current folder, one above it or the home folder: never, even with a model file in it
    (tmp_path / "stance.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(model)
    for folder in (".", "..", str(tmp_path)):
        with pytest.raises(ConfigError, match="current folder"):
            check_output(Path(folder), "stance.json")


def test_stance_metrics_by_hand():
    gold = ["favor", "favor", "against", "neutral"]
    pred = ["favor", "against", "against", "neutral"]
    m = stance_metrics(gold, pred)
    assert m["accuracy"] == 0.75
    # favor: P 1, R .5, F1 2/3; against: P .5, R 1, F1 2/3; F_avg = 2/3
    assert abs(m["f_avg"] - 2 / 3) < 1e-9
    assert m["confusion"]["matrix"] == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]


def test_bootstrap_intervals_hold_the_estimate_and_narrow_with_more_examples():
    rng = random.Random(0)
    gold = [rng.choice(LABELS) for _ in range(2000)]
    pred = [g if rng.random() < 0.7 else rng.choice(LABELS) for g in gold]
    chance = [rng.choice(LABELS) for _ in gold]
    small = intervals(gold[:100], pred[:100], chance[:100], resamples=300)
    large = intervals(gold, pred, chance, resamples=300)
    for name, key in (("accuracy", "accuracy"), ("macro_f1", "macro_f1"), ("f_avg", "f_avg")):
        point = stance_metrics(gold, pred)[key]
        assert large[name][0] <= point <= large[name][1]
        assert large[name][1] - large[name][0] < (small[name][1] - small[name][0]) / 2
    assert large["f_avg_minus_baseline"][0] > 0.3  # a 0.8-accurate system is well clear of chance
    same = intervals(gold[:200], pred[:200], pred[:200], resamples=100)
    assert same["f_avg_minus_baseline"] == [0.0, 0.0]
    perfect = intervals(gold[:200], gold[:200], resamples=100)
    assert perfect["f_avg"] == [1.0, 1.0] and "f_avg_minus_baseline" not in perfect
    assert intervals(gold[:1], pred[:1]) == {}  # nothing to resample


def test_attribution_metrics_are_the_same_with_worker_processes(tmp_path):
    """The seed gold through two parse workers scores exactly as in one process (only the timing differs)."""
    from pathlib import Path

    from pipeline.config import EvaluateConfig
    from pipeline.evaluation.evaluate import attribution_report
    from pipeline.run.parallel import Extractors

    seed = Path(__file__).resolve().parents[1] / "data" / "annotations" / "seed.jsonl"
    cfg = EvaluateConfig(attribution=[{"corpus": "labeled", "path": seed, "split": "all"}], parse_processes=1)
    alone = attribution_report(cfg)["labeled:seed"]
    with Extractors(2, cfg) as workers:
        shared = attribution_report(cfg, workers)["labeled:seed"]
    assert (alone["processes"], shared["processes"]) == (1, 2)
    assert alone["counts"]["gold"] > 10
    for key in ("counts", "content", "exact", "speaker", "end_to_end", "recall_by_gold_kind"):
        assert shared[key] == alone[key]


def test_mixed_length_sampler_sorts_within_small_groups():
    import torch

    from pipeline.config import TrainConfig
    from pipeline.training.stance import _trainer_class, mixed_length_sampler

    lengths = [(i * 37) % 101 + 1 for i in range(200)]
    order = list(mixed_length_sampler(lengths, batch_size=4, groups=3, generator=torch.Generator().manual_seed(0)))
    assert sorted(order) == list(range(200))
    for start in range(0, 200, 12):  # the library swaps the longest item of all to the front: skip each group's first
        group = [lengths[i] for i in order[start + 1 : start + 12]]
        assert group == sorted(group, reverse=True)
    assert order != sorted(range(200), key=lambda i: -lengths[i])  # groups, not one global sort
    from transformers import Trainer

    mix = {"sources": [{"corpus": "semeval"}], "dev": [{"corpus": "semeval"}], "group_by_length": True}
    assert _trainer_class(Trainer, TrainConfig(**mix)) is Trainer
    assert _trainer_class(Trainer, TrainConfig(**mix, length_group_batches=4)) is not Trainer


def test_one_labeled_file_in_several_sources_keeps_every_report():
    from pathlib import Path

    from pipeline.config import EvaluateConfig
    from pipeline.evaluation.evaluate import attribution_report

    seed = Path(__file__).resolve().parents[1] / "data" / "annotations" / "seed.jsonl"
    sources = [{"corpus": "labeled", "path": seed, "split": split} for split in ("all", "seed", "seed")]
    report = attribution_report(EvaluateConfig(attribution=sources, parse_processes=1))
    assert sorted(report) == ["labeled:seed", "labeled:seed:seed", "labeled:seed:seed:2"]
    assert report["labeled:seed"]["actor"]["scored"] > 10  # our annotations name speakers: actor accuracy is scored


def tiny_recipe(tmp_path, tiny_model) -> str:
    """A stance training config on the tiny model and a small labeled file, without its output."""
    data = labeled_file(tmp_path / "labeled.jsonl")
    return (
        f"base_model: {tiny_model}\nsources: [{{corpus: labeled, path: {data}}}]\n"
        f"dev: [{{corpus: labeled, path: {data}}}]\nepochs: 1\nbatch_size: 4\nmax_length: 32\n"
    )


def lora_keys(folder) -> list[str]:
    from safetensors import safe_open

    with safe_open(str(folder / "adapter_model.safetensors"), "pt") as weights:
        return [k for k in weights.keys() if "lora_" in k]  # noqa: SIM118 (safe_open has no __iter__)


def test_lora_layers_adapts_only_the_top_layers(tmp_path, tiny_model, write_config):
    out = tmp_path / "model"
    body = tiny_recipe(tmp_path, tiny_model) + f"output: {out}\n"
    result = runner.invoke(app, ["train", str(write_config(body + "lora_layers: 1\n"))])
    assert result.exit_code == 0, result.output
    lora = lora_keys(out)
    assert lora and all(".layer.1." in k for k in lora)  # the tiny encoder has layers 0 and 1
    assert "(the top layer)" in (out / "README.md").read_text(encoding="utf-8")
    [scores] = StanceClassifier(out).predict(["the talks"], ["We will keep talking"])
    assert set(scores) == {"favor", "against", "neutral"}

    result = runner.invoke(app, ["train", str(write_config(body + "lora_layers: 3\n", name="deep.yaml"))])
    assert result.exit_code == 1
    assert "lora_layers is 3, but the encoder has 2 layers" in result.output


def test_base_layers_keeps_the_first_layers_in_training_and_at_loading(tmp_path, tiny_model, write_config):
    out = tmp_path / "model"
    recipe = tiny_recipe(tmp_path, tiny_model)
    result = runner.invoke(app, ["train", str(write_config(recipe + f"output: {out}\nbase_layers: 1\n"))])
    assert result.exit_code == 0, result.output
    lora = lora_keys(out)
    assert lora and all(".layer.0." in k for k in lora)  # the tiny encoder's second layer is gone
    assert "(its first layer)" in (out / "README.md").read_text(encoding="utf-8")
    model = StanceClassifier(out, precision="fp32")
    assert model.meta["base_layers"] == 1 and len(model.model.encoder.encoder.layer) == 1
    [scores] = model.predict(["the talks"], ["We will keep talking"])
    assert abs(sum(scores.values()) - 1) < 1e-3

    whole = write_config(recipe + f"output: {tmp_path / 'second'}\ninit_from: {out}\n")
    result = runner.invoke(app, ["train", str(whole)])  # a second stage must keep the first's layers
    assert result.exit_code == 1 and "(its first layer)" in result.output


def test_a_second_stage_starts_from_the_first_models_adapter_and_head(tmp_path, tiny_model, write_config):
    from safetensors.torch import load_file

    first, second = tmp_path / "first", tmp_path / "second"
    body = tiny_recipe(tmp_path, tiny_model)
    result = runner.invoke(app, ["train", str(write_config(body + f"output: {first}\n"))])
    assert result.exit_code == 0, result.output
    # a learning rate too small to move anything: the second stage's weights are the first's, head included
    stage = body + f"output: {second}\ninit_from: {first}\nlearning_rate: 1.0e-12\nmax_steps: 1\n"
    result = runner.invoke(app, ["train", str(write_config(stage, name="stage.yaml"))])
    assert result.exit_code == 0, result.output
    a, b = (load_file(str(f / "adapter_model.safetensors")) for f in (first, second))
    assert a.keys() == b.keys() and any("head" in k for k in a) and any("lora_B" in k for k in a)
    assert all((a[k] - b[k]).abs().max() < 1e-6 for k in a)
    card = (second / "README.md").read_text(encoding="utf-8")
    assert "## Second stage" in card and "| 0.00 (the model it starts from) |" in card  # a worse stage shows it

    longer = write_config(stage.replace("max_length: 32", "max_length: 64"), name="longer.yaml")
    result = runner.invoke(app, ["train", str(longer)])
    assert result.exit_code == 1
    assert "init_from" in result.output and "at 32 tokens" in result.output

    (first / "stance.json").write_text("{not json", encoding="utf-8")  # a damaged checkpoint: one line, no traceback
    result = runner.invoke(app, ["train", str(write_config(stage, name="stage.yaml"))])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "stance.json" in result.output


def test_a_target_longer_than_the_window_is_cut_not_an_error(tiny_model):
    [scores] = StanceClassifier(tiny_model, precision="fp32").predict(["the talks " * 200], ["we walk away"])
    assert abs(sum(scores.values()) - 1) < 1e-3


def test_per_actor_end_to_end_matches_each_gold_actor_to_a_found_one():
    cfg = EvaluateConfig(stance=[{"corpus": "labeled", "path": SEED_GOLD}], split="seed", parse_processes=1)
    found = found_claims(cfg)
    [(item, claims)] = found["labeled:seed"]
    assert claims and all(c.article_id == item.id for c in claims)

    class AlwaysFavor:
        def predict(self, targets, texts, *rest):
            return [{"favor": 0.8, "against": 0.1, "neutral": 0.1}] * len(texts)

    report = found_actor_report(found, AlwaysFavor())["labeled:seed"]
    # every gold actor is found under its name but "North Korea" (the pipeline's actor is "North Koreans"), which
    # counts as neutral, as a run's output would leave it
    assert report["n"] == len(item.actors) == 8 and report["not_found"] == 1
    matrix = report["confusion"]["matrix"]
    assert [row[0] for row in matrix] == [2, 1, 4] and [row[2] for row in matrix] == [0, 1, 0]


def test_gold_actors_match_found_ones_one_to_one_same_name_first():
    from pipeline.records import ActorStance

    def verdict(name, n):
        ids = [f"c{i}" for i in range(n)]
        return ActorStance(actor_id=name, actor=name, aliases=[], target="t", stance="favor", confidence=1.0,
                           counts={}, article_id="a", claim_ids=ids)  # fmt: skip

    trump, donald, pence = verdict("Trump", 3), verdict("Donald Trump", 1), verdict("Pence", 2)
    matched = match_actors(["Donald Trump", "Ivanka Trump", "Mike Pence", "Karen Pence"], [trump, donald, pence])
    # the same name wins over a surname with more claims; a found actor counts for one gold actor only
    assert matched["Donald Trump"] is donald and matched["Ivanka Trump"] is trump
    assert matched["Mike Pence"] is pence and "Karen Pence" not in matched
    critics = verdict("critics [a]", 1)  # an actor of one article
    assert match_actors(["critics"], [critics]) == {"critics": critics}


def test_a_labeled_claim_that_is_its_verbs_object_is_read_with_the_verb(tmp_path):
    from pipeline.data.examples import from_labeled

    text = (
        "Netanyahu rejected the proposal on Sunday. He said the deal was bad for Israel. "
        "Trump rejected criticism from Democrats that the deal was weak."
    )
    spans = [
        ("the proposal on Sunday", "against"),
        ("the deal was bad for Israel", "against"),
        ("the deal was weak", "against"),
    ]
    claims = [
        {"start_char": text.index(s), "end_char": text.index(s) + len(s), "stance": label, "speaker": "Netanyahu"}
        for s, label in spans
    ]
    cue = text.index("criticism")
    claims[-1] |= {"speaker": "Democrats", "cue_start_char": cue, "cue_end_char": cue + len("criticism")}
    row = {"id": "a", "text": text, "split": "train", "event": "e", "target": "the deal", "claims": claims}
    path = tmp_path / "labeled.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    found = [e.text for e in from_labeled(path, "train")]
    # as `stance run` reads them (Claim.statement): the object with its verb, a reported clause alone, and never
    # with another speaker's verb (the Democrats' criticism is not Trump's rejecting)
    assert found == ["rejected the proposal on Sunday", "the deal was bad for Israel", "the deal was weak"]
    # the shipped recipes train on the spans alone (``object_verb: false``)
    assert [e.text for e in from_labeled(path, "train", object_verb=False)] == [s for s, _ in spans]
