"""Seconds per training step on this machine for MiniLM-L6's shape and a BERT-base shape.

One step is forward, backward and AdamW on a batch of 32 x 64 tokens in float32, with randomly initialised weights (the
cost depends on the shapes only, and no base-size weights are available offline), trained as ``stance train`` trains
the shipped model: the LoRA adapter of ``configs/train.yaml`` plus the classification head. The two shapes alternate
twice; each figure is the median of 8 steps after 2 warm-up steps. Usage: python scripts/step_cost.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def step_seconds(config, recipe, steps: int = 10, warmup: int = 2) -> float:
    import torch
    from peft import get_peft_model
    from transformers import BertForSequenceClassification

    from pipeline.training.stance import lora_config

    torch.manual_seed(0)
    lora = lora_config(recipe, config.num_hidden_layers, head="classifier")
    model = get_peft_model(BertForSequenceClassification(config), lora).train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-4)
    ids, labels = torch.randint(1000, 20000, (32, 64)), torch.randint(0, 3, (32,))
    times = []
    for i in range(steps):
        start = time.perf_counter()
        model(input_ids=ids, labels=labels).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from transformers import BertConfig

    from pipeline.config import TrainConfig, load
    from pipeline.models.encoders import resolve as resolve_base

    recipe = load(Path(__file__).resolve().parents[1] / "configs" / "train.yaml", TrainConfig)

    shapes = {
        "MiniLM-L6": BertConfig.from_pretrained(resolve_base(), num_labels=3),
        "BERT-base": BertConfig(
            hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072, num_labels=3
        ),
    }
    seconds: dict[str, list[float]] = {name: [] for name in shapes}
    for _ in range(2):
        for name, config in shapes.items():
            seconds[name].append(step_seconds(config, recipe))
            print(f"{name}: {seconds[name][-1]:.2f} s a step", flush=True)
    ratio = statistics.median(seconds["BERT-base"]) / statistics.median(seconds["MiniLM-L6"])
    print(f"BERT-base / MiniLM-L6: {ratio:.1f}")


if __name__ == "__main__":
    main()
