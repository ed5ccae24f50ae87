"""Shared fixtures: a tiny randomly initialised BERT (plumbing only), the seed article, config writers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "pompeo-north-korea-talks.txt"
SEED_GOLD = ROOT / "data" / "annotations" / "seed.jsonl"
SHIPPED_MODEL = ROOT / "models" / "stance-mpnet"  # the default ("accurate") stance model
FAST_MODEL = ROOT / "models" / "stance-minilm"  # its distilled student ("fast")
TARGET = "negotiations between the United States and North Korea"
VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + list("abcdefghijklmnopqrstuvwxyz0123456789.,'\"")
    + [
        "the",
        "talks",
        "said",
        "we",
        "will",
        "not",
        "deal",
        "north",
        "korea",
        "negotiations",
        "pompeo",
        "hopeful",
    ]
)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT classifier with a real tokenizer; its predictions mean nothing."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-model")
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    labels = ["favor", "against", "neutral"]
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        num_labels=3,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    meta = {
        "id2label": {str(i): label for i, label in enumerate(labels)},
        "base_model": str(folder),
        "max_length": 64,
        "include_speaker": False,
    }
    (folder / "stance.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture
def write_config(tmp_path):
    def write(text: str, name: str = "config.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def needs_shipped_model():
    return pytest.mark.skipif(not (SHIPPED_MODEL / "stance.json").is_file(), reason="no shipped model in models/")
