"""The attribution tagger: label alignment and BIO decoding (pure), and a few training steps of a tiny random BERT
through ``train_tagger`` to a saved folder that ``AttributionTagger`` loads and runs."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from pipeline.attribution.tagger import (
    LABELS,
    TaggedSpan,
    char_labels,
    choose_labels,
    clean_content,
    decode,
    merge_split_quotes,
    spans_to_claims,
    token_labels,
    words,
)
from pipeline.data.labeled import LabeledArticle, LabeledClaim
from pipeline.errors import ModelError


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


def at(text: str, sub: str, after: str | None = None) -> tuple[int, int]:
    origin = text.index(after) + len(after) if after else 0
    start = text.index(sub, origin)
    return start, start + len(sub)


def test_token_labels_follow_char_offsets_and_priority():
    text = "Smith said that Jones claimed the plan failed."
    spans = [
        ("source", *at(text, "Smith")),
        ("cue", *at(text, "said")),
        ("content", *at(text, "that Jones claimed the plan failed")),
        ("source", *at(text, "Jones")),
        ("cue", *at(text, "claimed")),
        ("content", *at(text, "the plan failed")),
    ]
    offsets = [(0, 0)] + word_spans(text) + [(0, 0)]  # special tokens have empty offsets
    labels = token_labels(offsets, char_labels(len(text), spans))
    assert labels == [
        None, "B-source", "B-cue", "B-content", "B-source", "B-cue", "B-content", "I-content", "I-content", "O", None
    ]  # fmt: skip


def test_token_labels_split_adjacent_spans_and_subword_starts():
    text = "He said A. She said B."
    spans = [("content", *at(text, "He said A.")), ("content", *at(text, "She said B."))]
    labels = token_labels(word_spans(text), char_labels(len(text), spans))
    assert labels == ["B-content", "I-content", "I-content", "I-content", "B-content"] + ["I-content"] * 3
    # A span that starts inside a token labels that token.
    owner = char_labels(10, [("cue", 3, 6)])
    assert token_labels([(0, 5), (5, 8), (8, 10)], owner) == ["B-cue", "I-cue", "O"]


def test_decode_bio_to_trimmed_char_spans():
    text = "Smith  said the plan failed . Jones"
    offsets = word_spans(text)
    labels = ["B-source", "I-cue", "I-content", "I-content", "B-content", "O", "I-source"]
    spans = decode(text, offsets, labels, [0.9, 0.8, 0.6, 0.4, 0.5, 0.1, 0.7])
    got = [(s.label, text[s.start : s.end], s.score) for s in spans]
    assert got == [
        ("source", "Smith", 0.9),
        ("cue", "said", 0.8),  # an I- without B- starts a span
        ("content", "the plan", 0.5),  # the mean of its tokens' scores
        ("content", "failed", 0.5),  # B- breaks a run of one type
        ("source", "Jones", 0.7),
    ]
    # Special tokens (empty offsets) are skipped; a span ends at its last token's character end.
    assert decode("ab cd", [(0, 0), (0, 2), (3, 5), (0, 0)], ["O", "B-cue", "I-cue", "O"]) == [
        TaggedSpan("cue", 0, 5, 1.0)
    ]


def test_word_pieces_join_and_labels_come_from_summed_probabilities():
    text = "GOP leaders said"
    offsets = [(0, 2), (2, 3), (4, 11), (12, 16)]
    probs = [[0.0, 0.0, 0.0, 0.8, 0.2, 0.0, 0.0], [0.0, 0.0, 0.0, 0.2, 0.4, 0.0, 0.4]] + [[1.0] + [0.0] * 6] * 2
    word_offsets, word_probs = words(text, offsets, probs)
    assert word_offsets == [(0, 3), (4, 11), (12, 16)]
    assert [round(x, 3) for x in word_probs[0]] == [0.0, 0.0, 0.0, 0.5, 0.3, 0.0, 0.2]
    # O 0.4 beats each of B-cue 0.35 and I-cue 0.25, but not cue (0.6) as a whole.
    assert choose_labels([[0.4, 0, 0, 0, 0, 0.35, 0.25]], LABELS) == (["B-cue"], [0.6])


def test_clean_content_joins_broken_spans_and_drops_short_ones():
    text = "one two three four five six seven . eight nine ten eleven"
    offsets = [m.span() for m in re.finditer(r"\S+", text)]
    span = lambda label, a, b: TaggedSpan(label, offsets[a][0], offsets[b][1], 0.5)  # noqa: E731  words a..b
    spans = [span("content", 0, 2), span("content", 4, 4), span("source", 6, 6), span("content", 8, 8)]
    got = [(s.label, text[s.start : s.end]) for s in clean_content(text, spans, offsets, min_words=2, bridge_words=1)]
    assert got == [("content", "one two three four five"), ("source", "seven")]  # 'eight' alone is dropped
    assert clean_content(text, spans, offsets, min_words=1, bridge_words=0) == spans


def test_split_quotation_merges_and_claims_pick_the_nearest_source():
    text = "\u201cIt is over,\u201d Jones said, \u201cand we lost.\u201d\nSmith said taxes rose."
    spans = [
        TaggedSpan("content", *at(text, "\u201cIt is over,\u201d"), 0.9),
        TaggedSpan("source", *at(text, "Jones"), 0.9),
        TaggedSpan("cue", *at(text, "said"), 0.9),
        TaggedSpan("content", *at(text, "\u201cand we lost.\u201d"), 0.7),
        TaggedSpan("source", *at(text, "Smith"), 0.9),
        TaggedSpan("cue", *at(text, "said", "Smith"), 0.9),
        TaggedSpan("content", *at(text, "taxes rose"), 0.8),
    ]
    merged = [s for s in merge_split_quotes(text, spans) if s.label == "content"]
    assert [text[s.start : s.end] for s in merged] == [
        "\u201cIt is over,\u201d Jones said, \u201cand we lost.\u201d",
        "taxes rose",
    ]
    claims = spans_to_claims("a", text, spans)
    assert [(c.kind, c.speaker, c.cue.text if c.cue else None) for c in claims] == [
        ("direct", "Jones", "said"),
        ("indirect", "Smith", "said"),
    ]
    assert all(text[c.start_char : c.end_char] == c.text for c in claims)


def test_heldout_split_is_deterministic_and_disjoint():
    from pipeline.training.tagger import split_heldout

    items = [LabeledArticle(id=f"a{i}", text="x") for i in range(40)]
    train, held = split_heldout(items, 0.1)
    assert len(held) == 4 and len(train) == 36
    assert {a.id for a in train}.isdisjoint(a.id for a in held)
    assert [a.id for a in split_heldout(list(reversed(items)), 0.1)[1]] == [a.id for a in reversed(held)]


VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghijklmnopqrstuvwxyz.,\"") + [
    "smith", "said", "that", "the", "plan", "failed", "jones", "told", "reporters", "we", "will", "not", "deal",
    "talks", "were", "over", "rain", "fell", "on", "monday", "according", "to", "police", "nobody", "was", "hurt",
]  # fmt: skip

SENTENCES = [
    ("Smith said that the plan failed.", "Smith", "said", "that the plan failed"),
    ('"We will not deal," Jones told reporters.', "Jones", "told", '"We will not deal,"'),
    ("According to police, nobody was hurt.", "police", "According to", "nobody was hurt"),
    ("Jones said the talks were over.", "Jones", "said", "the talks were over"),
]


def article(n: int) -> LabeledArticle:
    parts, claims, pos = [], [], 0
    for i in range(6):
        sentence, source, cue, content = SENTENCES[(n + i) % len(SENTENCES)]
        filler = "Rain fell on Monday. "
        parts.append(filler + sentence + " ")
        base = pos + len(filler)
        s, c, t = sentence.index(source), sentence.index(cue), sentence.index(content)
        claims.append(
            LabeledClaim(
                start_char=base + t,
                end_char=base + t + len(content),
                speaker=source,
                speaker_start_char=base + s,
                speaker_end_char=base + s + len(source),
                cue_start_char=base + c,
                cue_end_char=base + c + len(cue),
            )
        )
        pos += len(parts[-1])
    return LabeledArticle(id=f"tiny:{n}", text="".join(parts), claims=claims)


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    """A 2-layer, 32-wide random BERT (no head) with its own WordPiece vocabulary."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=64,
    )  # fmt: skip
    BertModel(config).save_pretrained(folder)
    return folder


def test_train_save_load_and_predict(tiny_base, tmp_path):
    from pipeline.attribution.tagger import AttributionTagger
    from pipeline.config import TaggerTrainConfig
    from pipeline.training.tagger import train_tagger

    out = tmp_path / "tagger"
    cfg = TaggerTrainConfig(
        output=out, base_model=str(tiny_base), max_length=32, stride=8, batch_size=4, learning_rate=5e-3,
        head_learning_rate=5e-3, epochs=1, max_steps=12, eval_steps=6, heldout_fraction=0.3,
    )  # fmt: skip
    result = train_tagger(cfg, articles=[article(n) for n in range(3)])
    assert result["train_articles"] == 2 and result["heldout_article_count"] == 1
    assert result["steps"] == 12
    for name in ("tagger.json", "config.json", "README.md", "adapter_config.json", "heldout_metrics.json"):
        assert (out / name).is_file(), name
    meta = json.loads((out / "tagger.json").read_text(encoding="utf-8"))
    assert meta["max_length"] == 32 and meta["stride"] == 8 and list(meta["id2label"].values()) == list(LABELS)
    assert "Held-out metrics" in (out / "README.md").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".tagger.*")), "the temporary folder was renamed"

    tagger = AttributionTagger(out, batch_size=3, precision="fp32")  # exact comparisons below
    texts = [article(5).text, "Smith said so.", ""]
    # Every token of a long text is seen (windows overlap; each token's probabilities are averaged once).
    offsets, probs = tagger.probabilities(texts[:1])[0]
    full = tagger.tokenizer(texts[0], add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    assert offsets == [tuple(o) for o in full]
    assert all(abs(sum(p) - 1) < 1e-4 for p in probs)
    # a window's rows are the model's own for those tokens, without [CLS] and [SEP]
    short = "Smith said so.\n\nJones agreed."
    (offsets, probs), (long_offsets, _) = tagger.probabilities([short, "\n\n".join([texts[0]] * 3)])
    import torch

    with torch.inference_mode():
        direct = torch.softmax(tagger.model(**tagger.tokenizer(short, return_tensors="pt")).logits, dim=-1)[0]
    assert len(offsets) == direct.shape[0] - 2
    assert torch.allclose(torch.as_tensor(probs, dtype=torch.float32), direct[1:-1], atol=1e-5)
    long_full = tagger.tokenizer("\n\n".join([texts[0]] * 3), add_special_tokens=False, return_offsets_mapping=True)
    assert long_offsets == [tuple(o) for o in long_full["offset_mapping"]]
    lengths = []  # windows are padded to a multiple of 16 tokens (CPU attention is faster there)
    hook = tagger.model.register_forward_pre_hook(
        lambda _, args, kwargs: lengths.append(kwargs["input_ids"].shape[1]), with_kwargs=True
    )
    results = tagger.predict(texts)
    tagger.predict(["Smith said so."])  # 4 tokens, 6 with [CLS] and [SEP]
    assert lengths[-1] == 16 and all(n % 16 == 0 for n in lengths)
    tagger.max_length, tagger.stride = 24, 4  # but never past max_length (the position embeddings may end there)
    tagger.predict(texts[:1])
    tagger.max_length, tagger.stride = 32, 8
    hook.remove()
    assert lengths[-1] == 24
    assert len(results) == 3 and results[2] == []
    # bfloat16 weights (the default on an AMX CPU): the same probabilities to about two decimals
    half = AttributionTagger(out, batch_size=3, precision="bf16")
    assert next(half.model.parameters()).dtype == torch.bfloat16
    (half_offsets, half_probs), _ = half.probabilities([short, "x"])
    assert half_offsets == offsets and np.abs(half_probs - probs).max() < 0.05
    with pytest.raises(ModelError, match="precision"):
        AttributionTagger(out, precision="fp16")
    from unittest.mock import patch

    for amx, dtype in ((True, torch.bfloat16), (False, torch.float32)):  # "auto" follows the CPU
        with patch("pipeline.models.checkpoint.native_bf16", return_value=amx):
            assert next(AttributionTagger(out).model.parameters()).dtype == dtype
    raw = AttributionTagger(out, min_content_words=1, bridge_words=0).predict(texts)
    assert any(raw[0]), "the overfitted tiny model tags something"
    for text, spans in zip(texts * 2, results + raw, strict=True):
        for span in spans:
            assert span.label in ("content", "source", "cue")
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == text[span.start : span.end].strip()
            assert 0 <= span.score <= 1


def test_split_typewriter_quotation_merges():
    text = "''It is over,'' Jones said, ''and we lost.''"
    spans = [
        TaggedSpan("content", *at(text, "''It is over,''"), 0.9),
        TaggedSpan("source", *at(text, "Jones"), 0.9),
        TaggedSpan("cue", *at(text, "said"), 0.9),
        TaggedSpan("content", *at(text, "''and we lost.''"), 0.7),
    ]
    merged = [s for s in merge_split_quotes(text, spans) if s.label == "content"]
    assert [text[s.start : s.end] for s in merged] == [text]


def test_windows_end_at_paragraph_breaks_and_cover_every_token():
    from pipeline.attribution.tagger import plan_windows

    # paragraphs start at tokens 0, 4, 9, 12; windows of 8 tokens pack whole paragraphs and share nothing
    assert plan_windows([4, 9, 12], 15, 8, 2) == [(0, 4), (4, 12), (12, 15)]
    # a paragraph longer than a window is read in windows sharing `stride` tokens, then packing resumes at a break
    assert plan_windows([20], 24, 8, 2) == [(0, 8), (6, 14), (12, 20), (20, 24)]
    assert plan_windows([], 5, 8, 2) == [(0, 5)] and plan_windows([], 0, 8, 2) == []
    for breaks, n in (([3, 5, 30, 31, 40], 41), ([], 100), (list(range(1, 50)), 50)):
        windows = plan_windows(breaks, n, 10, 3)
        assert all(0 < b - a <= 10 for a, b in windows)
        assert windows[0][0] == 0 and windows[-1][1] == n
        assert all(a2 <= b1 for (_, b1), (a2, _) in zip(windows, windows[1:], strict=False))
