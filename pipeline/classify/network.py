"""The stance network: the MiniLM encoder, mean pooling over tokens, and a linear head.

all-MiniLM-L6-v2 was trained as a sentence encoder with mean pooling; its [CLS] vector and pooler were not, so the
head reads the mean of the token vectors, the representation the encoder is good at.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers.modeling_outputs import SequenceClassifierOutput


class MeanPoolClassifier(nn.Module):
    def __init__(
        self,
        encoder,
        num_labels: int,
        dropout: float = 0.1,
        class_weights: list[float] | None = None,
        alpha: float = 0.0,
        temperature: float = 1.0,
    ):
        super().__init__()
        self.alpha, self.temperature = alpha, temperature
        self.encoder = encoder
        self.config = encoder.config
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, num_labels)
        weights = torch.tensor(class_weights) if class_weights else None
        self.register_buffer("class_weights", weights, persistent=False)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None, soft=None, gold=None, **_):
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits = self.head(self.dropout(pooled))
        loss = None
        if soft is not None:
            loss = self.distill_loss(logits, labels, soft, gold)
        elif labels is not None:
            loss = nn.functional.cross_entropy(logits, labels, weight=self.class_weights)
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def distill_loss(self, logits, labels, soft, gold):
        """Hinton et al.'s mix: ``alpha`` of the KL divergence to the teacher's probabilities softened by the
        temperature (times its square, which keeps the gradients' scale), the rest cross-entropy on the gold labels
        of the examples that have one (``gold`` 1)."""
        t, alpha = self.temperature, self.alpha
        teacher = torch.softmax(torch.log(soft.float().clamp_min(1e-8)) / t, dim=-1)
        kl = nn.functional.kl_div(torch.log_softmax(logits.float() / t, dim=-1), teacher, reduction="batchmean")
        loss = alpha * kl * t * t
        mask = gold.bool() if gold is not None else torch.ones_like(labels, dtype=torch.bool)
        if mask.any():
            ce = nn.functional.cross_entropy(logits[mask], labels[mask], weight=self.class_weights)
            loss = loss + (1 - alpha) * ce
        return loss


def build(
    base: str, labels: list[str], class_weights: list[float] | None = None, layers: int | None = None, **distill
) -> MeanPoolClassifier:
    """The network on ``base``, keeping its first ``layers`` transformer layers (None: all of them)."""
    from transformers import AutoModel

    from pipeline.models.encoders import layer_override

    encoder = AutoModel.from_pretrained(base, add_pooling_layer=False, dtype=torch.float32, **layer_override(layers))
    encoder.config.id2label = dict(enumerate(labels))
    encoder.config.label2id = {label: i for i, label in enumerate(labels)}
    torch.manual_seed(0)
    return MeanPoolClassifier(encoder, len(labels), class_weights=class_weights, **distill)
