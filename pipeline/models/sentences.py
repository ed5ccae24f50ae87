"""Sentence vectors from all-MiniLM-L6-v2: the mean of its last layer over the tokens, at unit length, as the model
was trained to give them (what sentence-transformers computes), read with transformers alone: importing
sentence-transformers costs each worker process of a run about 270 MB and 4 seconds for the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import ModelError
from pipeline.models.checkpoint import load_errors, with_precision
from pipeline.models.encoders import resolve


class SentenceEncoder:
    def __init__(self, precision: str = "fp32", max_tokens: int = 256):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()  # its "Loading weights" bar opened `stance evaluate`'s output
        try:
            path = resolve(None)
            if not (Path(path) / "config.json").is_file():
                raise OSError(f"no config.json in {path}")
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            model = AutoModel.from_pretrained(path)
        except (ImportError, *load_errors()) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load the sentence encoder all-MiniLM-L6-v2: {first}") from exc
        self.model = with_precision(model.eval(), precision)
        self.max_tokens = max_tokens

    def encode(self, texts: Sequence[str], batch_size: int = 64):
        """Unit-length vectors (float32 numpy, one row per text, in input order); texts of similar length share a
        batch, so that little of it is padding."""
        import numpy as np
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for lo in range(0, len(order), batch_size):
                idx = order[lo : lo + batch_size]
                enc = self.tokenizer(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    pad_to_multiple_of=16,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state.float()
                mask = enc["attention_mask"].unsqueeze(-1).float()
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(mean, dim=-1).numpy()
        return out
