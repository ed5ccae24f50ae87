"""A learned attribution tagger: BIO token classification of claim content, source and cue spans in news text.

MiniLM (+ a LoRA adapter) labels every word piece with one of ``LABELS``. A long article is read in windows of at
most ``max_length`` tokens that end at paragraph breaks (``plan_windows``), so no token is read twice unless a
paragraph is longer than a window (its windows share ``stride`` tokens; a token seen twice gets the mean of the
probabilities). Training cuts windows anywhere (``training.tagger.windows``); on the held-out train articles the
paragraph windows score as the overlapping ones did and read a fifth fewer tokens. Tokens are decoded to character
spans: a span is a run of tokens of one type, a ``B-`` label starts a new one and an ``I-`` label without a preceding
span of its type starts one too.

``tagger.json`` in the model folder says what inference needs: the labels, ``max_length``, ``stride``, the base
model and how many of its layers the tagger keeps (``layers``; null: all). ``spans_to_claims`` turns tagged spans
into the project's ``Claim`` records (for scoring and for merging with the rule-based extractor).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ModelError
from pipeline.records import Claim, Span

if TYPE_CHECKING:
    import numpy as np

META_FILE = "tagger.json"
TYPES: tuple[str, ...] = ("content", "source", "cue")
LABELS: tuple[str, ...] = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
# When spans overlap, a token takes the type that comes first here (a cue inside a content span stays a cue).
PRIORITY: tuple[str, ...] = ("cue", "source", "content")
# Decoding defaults, chosen on the held-out PolNeAR train articles (never on dev): content spans of fewer words are
# dropped, and two content spans with at most this many words (all outside any span) between them are joined.
MIN_CONTENT_WORDS = 3
BRIDGE_WORDS = 5


@dataclass(frozen=True)
class TaggedSpan:
    """A predicted span: its type, half-open character offsets into the text and a confidence in [0, 1]."""

    label: str
    start: int
    end: int
    score: float


def char_labels(text_length: int, spans: Sequence[tuple[str, int, int]]) -> list[tuple[str, int] | None]:
    """Per character, the (type, span index) that owns it, or None. Types compete by ``PRIORITY``; among spans of one
    type the one that starts first (the outer one) keeps the character."""
    rank = {t: i for i, t in enumerate(PRIORITY)}
    owner: list[tuple[str, int] | None] = [None] * text_length
    key: list[tuple[int, int, int] | None] = [None] * text_length
    for index, (label, start, end) in enumerate(spans):
        k = (rank[label], start, index)
        for i in range(max(0, start), min(text_length, end)):
            if key[i] is None or k < key[i]:
                key[i] = k
                owner[i] = (label, index)
    return owner


def token_labels(offsets: Sequence[tuple[int, int]], owner: Sequence[tuple[str, int] | None]) -> list[str | None]:
    """BIO labels for tokens given by their character offsets (in text order); ``None`` for special tokens (empty
    offsets). A token takes the owner of its first owned character; it is ``B-`` when the token before it has
    another owner (another span, or another type)."""
    labels: list[str | None] = []
    previous: tuple[str, int] | None = None
    for start, end in offsets:
        if end <= start:
            labels.append(None)
            continue
        mine = next((owner[i] for i in range(start, min(end, len(owner))) if owner[i] is not None), None)
        if mine is None:
            labels.append("O")
        else:
            labels.append(("I-" if mine == previous else "B-") + mine[0])
        previous = mine
    return labels


def decode(
    text: str, offsets: Sequence[tuple[int, int]], labels: Sequence[str], scores: Sequence[float] | None = None
) -> list[TaggedSpan]:
    """BIO labels of tokens (in text order, with their character offsets) to trimmed character spans. A span runs
    from its first token's start to its last token's end; its score is the mean of its tokens' scores."""
    spans: list[TaggedSpan] = []
    current: list | None = None  # [type, start, end, score sum, tokens]

    def close() -> None:
        if current is None:
            return
        kind, start, end, total, n = current
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(TaggedSpan(kind, start, end, round(total / n, 4)))

    for i, ((start, end), label) in enumerate(zip(offsets, labels, strict=True)):
        score = scores[i] if scores is not None else 1.0
        if end <= start:
            continue
        if label == "O" or "-" not in label:
            close()
            current = None
            continue
        prefix, kind = label.split("-", 1)
        if prefix == "I" and current is not None and current[0] == kind:
            current[2] = max(current[2], end)
            current[3] += score
            current[4] += 1
        else:
            close()
            current = [kind, start, end, score, 1]
    close()
    return spans


def words(text: str, offsets: Sequence[tuple[int, int]], probs) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Join word pieces into words: a token that starts where the previous one ended, with letters or digits on both
    sides of the join ("GO" + "##P"), continues its word. A word's probabilities are the mean of its pieces'."""
    import numpy as np

    probs = np.asarray(probs, dtype=np.float64)
    spans: list[list[int]] = []
    group: list[int] = []
    for start, end in offsets:
        if spans and start == spans[-1][1] and start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            spans[-1][1] = end
        else:
            spans.append([start, end])
        group.append(len(spans) - 1)
    if not spans:
        return [], np.zeros((0, probs.shape[1] if probs.ndim == 2 else 0))
    ids = np.asarray(group)
    total = np.zeros((len(spans), probs.shape[1]))
    np.add.at(total, ids, probs)
    return [(s, e) for s, e in spans], total / np.bincount(ids)[:, None]


def clean_content(
    text: str,
    spans: Sequence[TaggedSpan],
    word_offsets: Sequence[tuple[int, int]],
    min_words: int = MIN_CONTENT_WORDS,
    bridge_words: int = BRIDGE_WORDS,
) -> list[TaggedSpan]:
    """Join content spans that follow each other (no source or cue span between them) across a gap of at most
    ``bridge_words`` words on one line (0: join none, not even touching ones), then drop content spans of fewer than
    ``min_words`` words. Source and cue spans pass unchanged. ``min_words=1, bridge_words=0`` keeps the spans as
    decoded."""
    from bisect import bisect_left

    starts = [s for s, _ in word_offsets]
    joined: list[TaggedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        prev = joined[-1] if joined else None
        if (
            span.label == "content"
            and prev is not None
            and prev.label == "content"
            and bridge_words > 0
            and bisect_left(starts, span.start) - bisect_left(starts, prev.end) <= bridge_words
            and "\n" not in text[prev.end : span.start]
        ):
            joined[-1] = TaggedSpan("content", prev.start, span.end, round((prev.score + span.score) / 2, 4))
        else:
            joined.append(span)
    return [
        s
        for s in joined
        if s.label != "content" or bisect_left(starts, s.end) - bisect_left(starts, s.start) >= min_words
    ]


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, len(text) if hi < 0 else hi


def _nearest(spans: list[TaggedSpan], fragments: list[TaggedSpan], lo: int, hi: int) -> TaggedSpan | None:
    """The span in [lo, hi) closest to the fragments of a content span and not lying strictly inside one of them
    (that one belongs to a nested attribution)."""
    best = None
    for s in spans:
        if s.start < lo or s.end > hi or any(f.start < s.start and s.end < f.end for f in fragments):
            continue
        gap = min(max(0, s.start - f.end, f.start - s.end) for f in fragments)
        if best is None or gap < best[0]:
            best = (gap, s)
    return best[1] if best else None


def _content_groups(text: str, spans: Sequence[TaggedSpan], merge_quotes: bool) -> list[list[TaggedSpan]]:
    """Content spans in text order, each a list of its fragments: with ``merge_quotes`` the two halves of a quotation
    split by its attribution (“A,” she said, “B.”) are one claim. Halves: two content spans of one line with only
    source / cue spans, spaces and punctuation between them, the first ending in a comma and a closing quote."""
    contents = sorted((s for s in spans if s.label == "content"), key=lambda s: s.start)
    others = [s for s in spans if s.label != "content"]
    groups: list[list[TaggedSpan]] = []
    for span in contents:
        if merge_quotes and groups and _split_quote(text, groups[-1][-1], span, others):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def merge_split_quotes(text: str, spans: Sequence[TaggedSpan]) -> list[TaggedSpan]:
    """The spans with each split quotation's halves joined into one content span (see ``_content_groups``)."""
    merged = [
        TaggedSpan("content", g[0].start, g[-1].end, round(sum(f.score for f in g) / len(g), 4))
        for g in _content_groups(text, spans, True)
    ]
    return sorted(merged + [s for s in spans if s.label != "content"], key=lambda s: (s.start, s.end))


def _split_quote(text: str, first: TaggedSpan, second: TaggedSpan, others: list[TaggedSpan]) -> bool:
    if second.start < first.end or not text[first.start : first.end].rstrip().endswith((',"', ",\u201d", ",''")):
        return False
    gap = text[first.end : second.start]
    if "\n" in gap or not any(first.end <= o.start and o.end <= second.start for o in others):
        return False
    covered = [False] * len(gap)
    for o in others:
        for i in range(max(o.start, first.end), min(o.end, second.start)):
            covered[i - first.end] = True
    return all(covered[i] or not c.isalnum() for i, c in enumerate(gap))


def spans_to_claims(article_id: str, text: str, spans: Sequence[TaggedSpan], merge_quotes: bool = True) -> list[Claim]:
    """One ``Claim`` per content span (a split quotation's halves joined, with ``merge_quotes``); its speaker mention
    and cue are the nearest predicted source and cue spans of the same paragraph (none when it has none). The kind
    follows PolNeAR's rule (quote marks per fragment, "according to")."""
    from pipeline.claims.kinds import claim_kind

    sources = [s for s in spans if s.label == "source"]
    cues = [s for s in spans if s.label == "cue"]
    claims = []
    for n, fragments in enumerate(_content_groups(text, spans, merge_quotes)):
        start, end = fragments[0].start, fragments[-1].end
        lo, hi = _paragraph(text, start, end)
        source = _nearest(sources, fragments, lo, hi)
        cue = _nearest(cues, fragments, lo, hi)
        cue_text = text[cue.start : cue.end] if cue else None
        claims.append(
            Claim(
                article_id=article_id,
                claim_id=f"{article_id}#t{n}",
                text=text[start:end],
                start_char=start,
                end_char=end,
                kind=claim_kind([text[f.start : f.end] for f in fragments], cue_text),
                cue=Span.of(text, cue.start, cue.end) if cue else None,
                speaker_mention=Span.of(text, source.start, source.end) if source else None,
                speaker=" ".join(text[source.start : source.end].split()) if source else None,
                scores={"tagger": round(sum(f.score for f in fragments) / len(fragments), 4)},
            )
        )
    return claims


class AttributionTagger:
    """Loads a tagger folder (LoRA adapter + head, or full weights, and ``tagger.json``) and tags texts.

    Decoding: window probabilities are averaged per token, word pieces are joined into words (mean probabilities),
    each word gets a label (``choose_labels``), runs of one type become spans (``decode``) and short or broken
    content spans are cleaned up (``clean_content``: ``min_content_words``, ``bridge_words``, from the arguments, else
    ``tagger.json``, else ``MIN_CONTENT_WORDS`` / ``BRIDGE_WORDS``; 1 and 0 turn it off). ``speakers``: the folder's
    speaker ranker (``speakers.json``, see ``pipeline.attribution.ranker``), if it has one, picks the claims' speakers.
    ``precision``: "auto", "fp32" or "bf16" (``pipeline.models.checkpoint.with_precision``).
    """

    def __init__(
        self,
        path: str | Path,
        batch_size: int = 8,
        threads: int | None = None,
        min_content_words: int | None = None,
        bridge_words: int | None = None,
        speakers: bool = True,
        precision: str = "auto",
    ):
        from pipeline.attribution.ranker import SpeakerRanker
        from pipeline.models.checkpoint import load_errors, open_checkpoint, with_precision
        from pipeline.models.encoders import layer_override
        from pipeline.models.encoders import resolve as resolve_base

        path = Path(path)
        missing = f"no attribution tagger at {path} (missing {META_FILE})"
        self.meta, self.labels = open_checkpoint(path, META_FILE, missing, threads)
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        try:
            base = resolve_base(self.meta.get("base_model"))
            self.tokenizer = AutoTokenizer.from_pretrained(base)
            if (path / "adapter_config.json").is_file():
                from peft import PeftModel

                model = AutoModelForTokenClassification.from_pretrained(
                    base,
                    num_labels=len(self.labels),
                    id2label=dict(enumerate(self.labels)),
                    label2id={label: i for i, label in enumerate(self.labels)},
                    **layer_override(self.meta.get("layers")),
                )
                model = PeftModel.from_pretrained(model, str(path)).merge_and_unload()
            else:
                model = AutoModelForTokenClassification.from_pretrained(str(path))
        except load_errors() as exc:
            raise ModelError(f"cannot load the attribution tagger at {path}: {exc}") from exc
        if not self.tokenizer.is_fast:
            raise ModelError(f"the tagger needs a fast tokenizer (character offsets); {base} has none")
        self._ready(with_precision(model, precision), batch_size, min_content_words, bridge_words)
        self.speakers = SpeakerRanker.load(path) if speakers else None

    def _ready(self, model, batch_size: int, min_content_words: int | None, bridge_words: int | None) -> None:
        """What both constructors set once the model is loaded: windows from ``tagger.json``, and the decoding, where
        an argument wins over ``tagger.json``, which wins over the module defaults."""
        import torch

        meta = self.meta
        self.model = model.eval()
        self.batch_size = batch_size
        self.max_length = int(meta.get("max_length", 256))
        self.stride = int(meta.get("stride", 64))
        if self.tokenizer.cls_token_id is None or self.tokenizer.sep_token_id is None:
            raise ModelError("the tagger needs a BERT-style tokenizer ([CLS] and [SEP] mark each window)")
        if not 0 <= self.stride < self.max_length - 2:
            raise ModelError(f"tagger.json: stride {self.stride} must be at least 0 and below max_length - 2")
        self._torch = torch
        self.min_content_words = int(
            meta.get("min_content_words", MIN_CONTENT_WORDS) if min_content_words is None else min_content_words
        )
        self.bridge_words = int(meta.get("bridge_words", BRIDGE_WORDS) if bridge_words is None else bridge_words)

    def probabilities(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """Per text: its tokens' character offsets (text order) and their label probabilities (an array, one row a
        token), averaged over the windows that saw each token (``plan_windows``: windows end at paragraph breaks)."""
        import numpy as np

        torch = self._torch
        if not texts:
            return []
        enc = self.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        cls_id, sep_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        jobs = []  # (text index, first token, end token)
        for t, (text, offsets) in enumerate(zip(texts, enc["offset_mapping"], strict=True)):
            breaks = [i for i in range(1, len(offsets)) if "\n" in text[offsets[i - 1][1] : offsets[i][0]]]
            jobs += [(t, a, b) for a, b in plan_windows(breaks, len(offsets), self.max_length - 2, self.stride)]
        seen: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in texts]  # (starts, ends, probs)
        jobs.sort(key=lambda j: j[2] - j[1])
        with torch.inference_mode():
            for lo in range(0, len(jobs), self.batch_size):
                batch = jobs[lo : lo + self.batch_size]
                rows = [[cls_id, *enc["input_ids"][t][a:b], sep_id] for t, a, b in batch]
                # PyTorch's CPU attention runs a third faster on lengths that are multiples of 16 (250 tokens: 10.5
                # ms, 256: 6.5 ms, a batch of 8 in bfloat16), more than the padding costs the other layers; never
                # past max_length, which the model's position embeddings allow
                longest = max(map(len, rows))  # at most max_length
                length = min(-(-longest // 16) * 16, max(longest, self.max_length))
                padded = self.tokenizer.pad(
                    [{"input_ids": r} for r in rows],
                    padding="max_length",
                    max_length=length,
                    padding_side="right",
                    return_tensors="pt",
                )
                probs = torch.softmax(self.model(**padded).logits.float(), dim=-1).numpy()
                for row, (t, a, b) in enumerate(batch):
                    offsets = np.asarray(enc["offset_mapping"][t][a:b], dtype=np.int64).reshape(-1, 2)
                    real = offsets[:, 1] > offsets[:, 0]
                    seen[t].append((offsets[real, 0], offsets[real, 1], probs[row, 1 : 1 + b - a][real]))
        out = []
        for parts in seen:
            if not parts:
                out.append(([], np.zeros((0, len(self.labels)), dtype=np.float32)))
                continue
            starts = np.concatenate([p[0] for p in parts])
            ends = np.concatenate([p[1] for p in parts])
            rows = np.concatenate([p[2] for p in parts])
            unique, first, inverse = np.unique(starts, return_index=True, return_inverse=True)
            total = np.zeros((len(unique), rows.shape[1]), dtype=np.float64)
            np.add.at(total, inverse, rows)
            count = np.bincount(inverse, minlength=len(unique))[:, None]
            out.append((list(zip(unique.tolist(), ends[first].tolist(), strict=True)), total / count))
        return out

    def predict(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Tagged content / source / cue spans per text, in text order (see the class docstring for the decoding)."""
        results = []
        for text, (offsets, probs) in zip(texts, self.probabilities(texts), strict=True):
            word_offsets, word_probs = words(text, offsets, probs)
            labels, scores = choose_labels(word_probs, self.labels)
            spans = decode(text, word_offsets, labels, scores)
            results.append(clean_content(text, spans, word_offsets, self.min_content_words, self.bridge_words))
        return results

    @classmethod
    def from_model(
        cls,
        model,
        tokenizer,
        meta: dict,
        batch_size: int = 8,
        min_content_words: int | None = None,
        bridge_words: int | None = None,
    ) -> AttributionTagger:
        """A tagger around a model already in memory (the trainer scores its held-out articles with it)."""
        self = cls.__new__(cls)
        self.meta = meta
        self.labels = [meta["id2label"][str(i)] for i in range(len(meta["id2label"]))]
        self.tokenizer = tokenizer
        self._ready(model, batch_size, min_content_words, bridge_words)
        self.speakers = None
        return self


def plan_windows(breaks: Sequence[int], n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Windows ``[start, end)`` over ``n`` tokens, each of at most ``size`` tokens, that end at a paragraph break
    (``breaks``: indices of the tokens that start a paragraph) where one lies in reach: neighbours then share nothing
    and no window cuts a sentence. A paragraph longer than a window is read in windows sharing ``stride`` tokens."""
    from bisect import bisect_right

    windows: list[tuple[int, int]] = []
    start = 0
    while start < n:
        limit = start + size
        if limit >= n:
            windows.append((start, n))
            break
        k = bisect_right(breaks, limit) - 1
        if k >= 0 and breaks[k] > start:
            windows.append((start, breaks[k]))
            start = breaks[k]
        else:
            windows.append((start, limit))
            start = limit - stride
    return windows


def choose_labels(probs, labels: Sequence[str]) -> tuple[list[str], list[float]]:
    """Per row of ``probs`` (tokens or words x labels): the type with the largest total probability (B + I, against
    O), then B or I by the larger of the two; its score is that total."""
    import numpy as np

    probs = np.asarray(probs, dtype=np.float64).reshape(-1, len(labels))
    index = {label: i for i, label in enumerate(labels)}
    b = np.stack([probs[:, index[f"B-{t}"]] for t in TYPES], axis=1)
    i = np.stack([probs[:, index[f"I-{t}"]] for t in TYPES], axis=1)
    totals = np.concatenate([probs[:, [index["O"]]], b + i], axis=1)  # O, then one column a type
    best = totals.argmax(axis=1)
    chosen = [
        "O" if k == 0 else ("B-" if b[r, k - 1] > i[r, k - 1] else "I-") + TYPES[k - 1] for r, k in enumerate(best)
    ]
    return chosen, totals[np.arange(len(best)), best].tolist()
