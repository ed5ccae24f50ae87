"""`stance train`: fine-tune all-MiniLM-L6-v2 with a LoRA adapter on mixed stance sources, early-stopped on dev.

The saved folder describes itself: ``adapter_*`` (LoRA weights and the classification head), ``config.json``
(``id2label``), ``stance.json`` (what inference needs) and a ``README.md`` model card with data, hyperparameters and
dev metrics.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from collections import Counter
from datetime import date
from pathlib import Path

from pipeline.classify import network
from pipeline.classify.classifier import META_FILE, encode_pairs, pair_text
from pipeline.config import TrainConfig
from pipeline.data import examples as ex
from pipeline.data import off_topic
from pipeline.errors import StanceError
from pipeline.evaluation.metrics import stance_metrics
from pipeline.models.checkpoint import native_bf16, open_checkpoint
from pipeline.models.encoders import describe, hardware
from pipeline.models.encoders import resolve as resolve_base
from pipeline.records import LABELS, StanceExample
from pipeline.training import distill
from pipeline.training.scaffold import check_output, epoch_lines, model_folder, quiet_libraries, scratch, training_args

log = logging.getLogger("stance")
MIN_STEPS = 20


def _dataset(items: list[StanceExample], tokenizer, cfg: TrainConfig):
    from datasets import Dataset

    label2id = {label: i for i, label in enumerate(LABELS)}
    columns = {
        "target": [e.target for e in items],
        "text": [pair_text(e.text, e.speaker, e.cue, _meta(cfg)) for e in items],
        "label": [label2id[e.label] for e in items],
    }
    if items and items[0].soft is not None:
        columns["soft"] = [e.soft for e in items]
        columns["gold"] = [int(not e.corpus.startswith(distill.TRANSFER)) for e in items]
    data = Dataset.from_dict(columns)

    def encode(batch):
        return encode_pairs(tokenizer, batch["target"], batch["text"], cfg.max_length)

    return data.map(encode, batched=True, remove_columns=["target", "text"])


def _top_layers(n: int, top: int | None) -> list[int] | None:
    """The indices of the encoder's top ``top`` layers (None: every layer gets an adapter)."""
    if top is None:
        return None
    if top > n:
        raise StanceError(f"lora_layers is {top}, but the encoder has {n} layers")
    return list(range(n - top, n))


def lora_targets(model) -> list[str]:
    """The names of the linear layers inside the encoder's layers, read from the model itself: BERT calls its
    attention projections ``query``/``key``/``value``/``dense``, MPNet ``q``/``k``/``v``/``o``, and a fixed list that
    misses them makes PEFT adapt the feed-forward layers alone without a word."""
    import re

    from torch import nn

    names = {
        name.rsplit(".", 1)[-1]
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and re.search(r"\.layers?\.\d+\.", name)
    }
    if not names:
        raise StanceError(f"found no linear layers in the encoder layers of {type(model).__name__}")
    return sorted(names)


def lora_config(cfg: TrainConfig, num_layers: int, targets: list[str], head: str = "head"):
    """The adapter ``cfg`` asks for, on the linear layers ``targets`` of an encoder of ``num_layers`` layers whose
    classifier module is ``head``."""
    from peft import LoraConfig

    return LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=targets,
        modules_to_save=[head],
        layers_to_transform=_top_layers(num_layers, cfg.lora_layers),
    )


def _continue(model, cfg: TrainConfig):
    """``model`` with the adapter and head of the checkpoint ``cfg.init_from``, trainable: a second stage."""
    from peft import PeftModel

    folder = Path(cfg.init_from)
    meta, _ = open_checkpoint(folder, META_FILE, f"init_from: no stance model at {folder} (missing {META_FILE})")
    wanted = (cfg.base_model, cfg.base_layers, cfg.max_length)
    if (meta.get("base_model"), meta.get("base_layers"), meta.get("max_length")) != wanted:
        raise StanceError(
            f"init_from: {folder} was trained on {meta.get('base_model')}{_kept(meta.get('base_layers'))} at "
            f"{meta.get('max_length')} tokens, this config asks for {cfg.base_model}{_kept(cfg.base_layers)} at "
            f"{cfg.max_length}"
        )
    return PeftModel.from_pretrained(model, str(folder), is_trainable=True)


def _kept(layers: int | None) -> str:
    return f" (its first {_layer_count(layers)})" if layers else ""


def _balanced(on: bool) -> str:
    return "; the loss weighs the three classes alike" if on else ""


def _kept_note(layers: int | None) -> str:
    return f"; only its first {_layer_count(layers)} kept (the others are dropped at loading)" if layers else ""


def _layer_count(n: int) -> str:
    return "layer" if n == 1 else f"{n} layers"


def _teachers(teacher: Path | list[Path]) -> str:
    if not isinstance(teacher, list):
        return f"`{Path(teacher).name}`"
    names = ", ".join(f"`{Path(t).name}`" for t in teacher)
    return f"an ensemble of {len(teacher)} runs ({names}; the mean of their probabilities)"


def _layers_text(top: int | None) -> str:
    if top is None:
        return "every layer"
    return "the top layer" if top == 1 else f"the top {top} layers"


def _meta(cfg: TrainConfig) -> dict:
    """What inference needs to rebuild the model and its inputs (saved as stance.json)."""
    return {
        "id2label": {str(i): label for i, label in enumerate(LABELS)},
        "base_model": cfg.base_model,
        "base_layers": cfg.base_layers,
        "max_length": cfg.max_length,
        "include_speaker": cfg.include_speaker,
        "include_cue": cfg.include_cue,
        "input": "tokenizer(target, [speaker] [cue:] claim) as a sentence pair",
        "architecture": "mean-pool",
    }


def _off_topic(cfg: TrainConfig, train_items: list[StanceExample]) -> str:
    n = sum(e.corpus == off_topic.CORPUS for e in train_items)
    if not cfg.off_topic:
        return "no off-topic pairs"
    if not n:
        return f"no off-topic pairs (off_topic {cfg.off_topic}: none could be drawn for want of events or targets)"
    sided = ""
    if cfg.off_topic_sided_own:
        sided = f" (a claim with a side only where its cosine to its own target is at least {cfg.off_topic_sided_own})"
    return (
        f"{n} off-topic pairs (corpus `off-topic`, {cfg.off_topic} x the labeled news claims): each claim with an "
        f"unrelated event's target, labelled neutral{sided}"
    )


def train(cfg: TrainConfig, command: str = "stance train CONFIG") -> dict:
    """Train, save to ``cfg.output`` with a model card; ``command`` is how to reproduce it, for the card."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    from peft import get_peft_model
    from transformers import (
        AutoTokenizer,
        DataCollatorWithPadding,
        EarlyStoppingCallback,
        Trainer,
        set_seed,
    )
    from transformers.utils import logging as hf_logging

    check_output(Path(cfg.output), META_FILE)
    set_seed(cfg.seed)
    quiet_libraries()
    if cfg.threads:
        import torch

        torch.set_num_threads(cfg.threads)
    train_items = ex.mix(cfg.sources, "train", cfg.data_root, cfg.seed, cfg.object_verb)
    if cfg.off_topic:
        news = list({(e.text, e.target): e for e in train_items if e.corpus.startswith("labeled")}.values())
        drawn = off_topic.pairs(news, cfg.off_topic, cfg.seed, sided_own_similarity=cfg.off_topic_sided_own)
        if not drawn:
            log.warning(
                f"off_topic {cfg.off_topic}: no off-topic pair could be drawn: it needs labeled training claims with "
                "an event and two or more unrelated targets"
            )
        train_items += drawn
        random.Random(cfg.seed).shuffle(train_items)
    if cfg.distill:
        train_items = distill.transfer_set(cfg.distill, train_items, cfg.data_root)
        random.Random(cfg.seed).shuffle(train_items)
    dev_items = [e for s in cfg.dev for e in ex.load(s, "dev", cfg.data_root, cfg.seed, cfg.object_verb)]
    if not train_items or not dev_items:
        raise StanceError(f"no examples: {len(train_items)} for training, {len(dev_items)} for dev")
    steps = math.ceil(math.ceil(len(train_items) / cfg.batch_size) * cfg.epochs)  # as the trainer counts them
    if cfg.max_steps < 0 and steps < MIN_STEPS:  # a user's few claims: one epoch can be one step that moves nothing
        log.warning(
            f"{len(train_items)} training examples at batch_size {cfg.batch_size} for {cfg.epochs} epoch(s) make "
            f"{steps:g} optimizer steps: too few to change the model much; raise epochs or lower batch_size"
        )
    base = resolve_base(cfg.base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    weights = None
    if cfg.balance_classes:
        counts = Counter(e.label for e in train_items if not e.corpus.startswith(distill.TRANSFER))
        weights = [len(train_items) / (len(LABELS) * max(counts[label], 1)) for label in LABELS]
    soft = {"alpha": cfg.distill.alpha, "temperature": cfg.distill.temperature} if cfg.distill else {}
    model = network.build(base, list(LABELS), class_weights=weights, layers=cfg.base_layers, **soft)
    if cfg.init_from:
        model = _continue(model, cfg)
    else:
        model = get_peft_model(model, lora_config(cfg, model.config.num_hidden_layers, lora_targets(model)))

    def compute(eval_pred):
        logits, labels = eval_pred
        pred = np.asarray(logits).argmax(-1)
        m = stance_metrics([LABELS[i] for i in labels], [LABELS[i] for i in pred])
        return {"f_avg": m["f_avg"], "macro_f1": m["macro_f1"], "accuracy": m["accuracy"]}

    with scratch("stance-train-") as work:
        args = training_args(
            cfg,
            work,
            metric="f_avg",
            eval_batch_size=64,
            train_sampling_strategy="group_by_length" if cfg.group_by_length else "random",
            use_cpu=not _on_gpu(cfg),
            bf16=_mixed_bf16(cfg),
        )
        trainer = _trainer_class(Trainer, cfg)(
            model=model,
            args=args,
            train_dataset=_dataset(train_items, tokenizer, cfg),
            eval_dataset=_dataset(dev_items, tokenizer, cfg),
            data_collator=DataCollatorWithPadding(tokenizer),
            processing_class=tokenizer,
            compute_metrics=compute,
            callbacks=[EarlyStoppingCallback(early_stopping_patience=cfg.early_stopping_patience)],
        )
        epoch_lines(trainer)
        hf_logging.enable_progress_bar()  # loading a teacher turns it off
        # a second stage's card shows where it started, so that a stage that made dev worse says so
        start = trainer.evaluate() if cfg.init_from is not None else None
        started = time.perf_counter()
        trainer.train()
        seconds = time.perf_counter() - started
        dev = trainer.evaluate()
        history = ([{**start, "epoch": 0.0}] if start else []) + trainer.state.log_history
        _save(model, cfg, train_items, dev_items, dev, seconds, history, command)
    return {"train_seconds": seconds, "dev": dev, "train_examples": len(train_items), "dev_examples": len(dev_items)}


def _save(
    model, cfg: TrainConfig, train_items, dev_items, dev: dict, seconds: float, history: list, command: str
) -> None:
    targets = model.peft_config["default"].target_modules
    with model_folder(Path(cfg.output), META_FILE) as tmp:
        model.save_pretrained(str(tmp))
        model.base_model.model.config.save_pretrained(str(tmp))  # config.json with id2label
        (tmp / META_FILE).write_text(json.dumps(_meta(cfg), indent=2) + "\n", encoding="utf-8")
        card = _card(cfg, train_items, dev_items, dev, seconds, history, targets, command)
        (tmp / "README.md").write_text(card, encoding="utf-8")


def mixed_length_sampler(lengths: list[int], batch_size: int, groups: int, generator=None):
    """The library's length-grouped sampler with its groups ("mega-batches") ``groups`` batches long instead of 50:
    each random group of ``groups * batch_size`` examples is sorted by length and cut into batches."""
    from transformers.trainer_pt_utils import LengthGroupedSampler, get_length_grouped_indices

    class MixedLengthSampler(LengthGroupedSampler):
        def __iter__(self):
            return iter(get_length_grouped_indices(self.lengths, self.batch_size, groups, generator=self.generator))

    return MixedLengthSampler(batch_size, lengths=lengths, generator=generator)


def _trainer_class(trainer, cfg: TrainConfig):
    """The Trainer, or one whose length-grouped sampler sorts within groups of ``cfg.length_group_batches`` batches."""
    if not (cfg.group_by_length and cfg.length_group_batches):
        return trainer
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class GroupedTrainer(trainer):
        def _get_train_sampler(self, train_dataset=None):
            sampler = super()._get_train_sampler(train_dataset)
            if isinstance(sampler, LengthGroupedSampler):
                groups = cfg.length_group_batches
                return mixed_length_sampler(sampler.lengths, sampler.batch_size, groups, sampler.generator)
            return sampler

    return GroupedTrainer


def _on_gpu(cfg: TrainConfig) -> bool:
    import torch

    return cfg.device == "auto" and torch.cuda.is_available()


def _mixed_bf16(cfg: TrainConfig) -> bool:
    """Whether to train under bfloat16 autocast: asked for, or "auto" on hardware that multiplies bfloat16 natively."""
    import torch

    if cfg.precision != "auto":
        return cfg.precision == "bf16"
    return torch.cuda.is_bf16_supported() if _on_gpu(cfg) else native_bf16()


def _sources(cfg: TrainConfig) -> list[dict]:
    """The config's sources with each path relative to the model folder (the repository's own annotations then read
    the same on every checkout); absolute where no relative path exists (another drive on Windows)."""
    out = []
    for source in cfg.sources:
        row = source.model_dump(mode="json")
        if source.path is not None:
            try:
                row["path"] = Path(os.path.relpath(source.path.resolve(), Path(cfg.output).resolve())).as_posix()
            except ValueError:
                row["path"] = source.path.resolve().as_posix()
        out.append(row)
    return out


def _stage(cfg: TrainConfig) -> str:
    if not cfg.init_from:
        return ""
    return f"""
## Second stage
Training started from the adapter and head of `{Path(cfg.init_from).name}` (its card names its own data and
recipe), not from a fresh adapter: the data above is this stage's only.
"""


def _card(
    cfg: TrainConfig, train_items, dev_items, dev: dict, seconds: float, history: list, targets, command: str
) -> str:
    def table(items):
        counts = Counter((e.corpus, e.label) for e in items)
        corpora = sorted({c for c, _ in counts})
        rows = [f"| {c} | " + " | ".join(str(counts[(c, label)]) for label in LABELS) + " |" for c in corpora]
        return "| corpus | " + " | ".join(LABELS) + " |\n|---|---|---|---|\n" + "\n".join(rows)

    hp = cfg.model_dump(mode="json", exclude={"sources", "dev", "output", "data_root", "distill", "init_from"})
    epochs = list({h["epoch"]: h for h in reversed(history) if "eval_f_avg" in h}.values())[::-1]
    curve = "\n".join(
        f"| {h['epoch']:.2f}{' (the model it starts from)' if h['epoch'] == 0 else ''} | {h['eval_f_avg']:.3f} | "
        f"{h['eval_macro_f1']:.3f} | {h['eval_accuracy']:.3f} |"
        for h in epochs
    )
    lora = f"LoRA on {', '.join(sorted(targets))} ({_layers_text(cfg.lora_layers)})"
    name = Path(cfg.base_model or "all-MiniLM-L6-v2").name
    teacher = ""
    if cfg.distill:
        d = cfg.distill
        settings = d.model_dump(mode="json", exclude={"teacher", "targets_from"})
        teacher = f"""
## Distillation
A student of {_teachers(d.teacher)} (its card names its base and data): the loss is {d.alpha} x the KL divergence to
the teacher's probabilities at temperature {d.temperature} plus {1 - d.alpha:.2f} x cross-entropy on the gold labels.
Transfer pairs (corpus `distill:*` above; label = the teacher's choice) are claims that the pipeline's rules extract
from training articles, each with its article's own or nearest training target and, for a share, a random one, plus
NewsMTSC and DSE training sentences toward their own entity; no dev article or dev event is read
(`pipeline/training/distill.py`). Settings: `{json.dumps(settings)}`.
"""
    return f"""# Stance classifier: {name}{_kept(cfg.base_layers)} + LoRA

Target-conditioned stance (favor / against / neutral) of a claim toward a free-text target. Input: the pair
(target, claim) through the base model's tokenizer, cut at {cfg.max_length} tokens (the claim is cut, never the
target); the mean of the token vectors feeds a linear head. This folder holds only the LoRA adapter and the head.

Base model: {describe(cfg.base_model)}{_kept_note(cfg.base_layers)}.

## Training data (examples after the source weights{_balanced(cfg.balance_classes)})
{table(train_items)}

Sources and weights (paths relative to this folder): {json.dumps(_sources(cfg))}; {_off_topic(cfg, train_items)}.
{teacher}{_stage(cfg)}
## Dev data
{table(dev_items)}

## Hyperparameters
```json
{json.dumps(hp, indent=2)}
```
{lora}; best epoch by dev F_avg, early stopping patience {cfg.early_stopping_patience}; bfloat16 autocast:
{"yes" if _mixed_bf16(cfg) else "no"}.

## Dev metrics (best checkpoint)
F_avg {dev.get("eval_f_avg", 0):.3f}, macro-F1 {dev.get("eval_macro_f1", 0):.3f},
accuracy {dev.get("eval_accuracy", 0):.3f} on {len(dev_items)} dev examples (held-out negotiation events). The
project's `stance evaluate` reports more (SemEval-2016, per-actor accuracy, off-topic claims, intervals): see the
README's model table and `docs/experiments.md`.

| epoch | dev F_avg | dev macro-F1 | dev accuracy |
|---|---|---|---|
{curve}

## Training time and hardware
{seconds / 60:.1f} minutes of training ({seconds:.0f} s, data loading and the last evaluation not counted) on
{hardware(_on_gpu(cfg))}, {date.today().isoformat()}. Reproduce: `{command}`.
"""
