"""Stage 5: stance classification of (target, claim) pairs with the fine-tuned MiniLM + LoRA checkpoint."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import ModelError
from pipeline.models.checkpoint import check_precision, load_errors, open_checkpoint, with_precision
from pipeline.models.encoders import resolve as resolve_base

META_FILE = "stance.json"


def pair_text(text: str, speaker: str | None = None, cue: str | None = None, meta: dict | None = None) -> str:
    """The classifier's second segment: the claim, after its reporting verb and speaker when the model uses them."""
    meta = meta or {}
    if meta.get("include_cue") and cue:
        text = f"{cue}: {text}"
    if meta.get("include_speaker") and speaker:
        text = f"{speaker} {text}" if meta.get("include_cue") and cue else f"{speaker}: {text}"
    return text


def encode_pairs(tokenizer, targets: Sequence[str], texts: Sequence[str], max_length: int, **kwargs):
    """Tokenize (target, text) pairs, in training as in inference: the claim is cut; a target too long to leave it
    room is cut too (``truncation="longest_first"``)."""
    return tokenizer(targets, texts, truncation="longest_first", max_length=max_length, **kwargs)


class StanceClassifier:
    """Loads a checkpoint folder (LoRA adapter + head + ``stance.json``) and scores pairs in length-sorted batches."""

    def __init__(
        self,
        path: str | Path,
        batch_size: int = 32,
        threads: int | None = None,
        quantize: bool = False,
        precision: str = "auto",
        device: str = "auto",
    ):
        path = Path(path)
        check_precision(precision)
        missing = (
            f"no stance model at {path} (missing {META_FILE}): name 'accurate', 'fast' or a folder 'stance train' wrote"
        )
        self.meta, self.labels = open_checkpoint(path, META_FILE, missing, threads)
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        try:
            base = resolve_base(self.meta.get("base_model"))
            self.tokenizer = AutoTokenizer.from_pretrained(base)
            if self.meta.get("architecture") == "mean-pool":
                from peft import PeftModel

                from pipeline.classify.network import build

                network = build(base, self.labels, layers=self.meta.get("base_layers"))
                model = PeftModel.from_pretrained(network, str(path)).merge_and_unload()
            else:  # a plain transformers sequence classifier saved in the folder
                model = AutoModelForSequenceClassification.from_pretrained(str(path))
        except load_errors() as exc:
            raise ModelError(f"cannot load the stance model at {path}: {exc}") from exc
        model = model.eval()
        if quantize:
            # int8 weights for the linear layers: faster on a CPU, for a small change in scores
            warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        else:
            model = with_precision(model, precision)
        self.device = "cuda" if device == "auto" and not quantize and torch.cuda.is_available() else "cpu"
        if self.device == "cuda" and precision == "auto":  # bfloat16 where the GPU has it, as on an AMX CPU
            model = model.to(torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
        self.model = model.to(self.device)
        self.batch_size = batch_size
        self.max_length = int(self.meta.get("max_length", 128))
        self._torch = torch

    def predict(
        self,
        targets: Sequence[str],
        texts: Sequence[str],
        speakers: Sequence[str | None] | None = None,
        cues: Sequence[str | None] | None = None,
    ) -> list[dict[str, float]]:
        """Probabilities per label for each (target, text) pair, in input order."""
        torch = self._torch
        speakers = speakers or [None] * len(texts)
        cues = cues or [None] * len(texts)
        inputs = [pair_text(t, s, c, self.meta) for t, s, c in zip(texts, speakers, cues, strict=True)]
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]) + len(targets[i]))
        out: list[dict[str, float] | None] = [None] * len(inputs)
        with torch.inference_mode():
            for lo in range(0, len(order), self.batch_size):
                idx = order[lo : lo + self.batch_size]
                enc = encode_pairs(
                    self.tokenizer,
                    [targets[i] for i in idx],
                    [inputs[i] for i in idx],
                    self.max_length,
                    padding=True,
                    return_tensors="pt",
                ).to(self.device)
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).tolist()
                for i, row in zip(idx, probs, strict=True):
                    out[i] = {label: round(p, 4) for label, p in zip(self.labels, row, strict=True)}
        return out  # type: ignore[return-value]
