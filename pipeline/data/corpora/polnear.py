"""PolNeAR articles (plain text, one per file) as the project's ``Article`` records."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.claims.kinds import claim_kind
from pipeline.data.corpora import data_root
from pipeline.data.labeled import LabeledArticle, LabeledClaim, Ref, check, with_text
from pipeline.records import Article


@lru_cache(maxsize=4)
def _metadata(root: Path) -> dict[str, dict]:
    path = root / "polnear" / "data" / "metadata.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}


def load_article(root: Path, doc_id: str) -> Article:
    """``doc_id`` is ``<split>/<file stem>``, e.g. ``train/nyt_2016-03-21_factory-workers-feel-sting-of-gl``."""
    split, name = doc_id.split("/", 1)
    text = (root / "polnear" / "data" / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
    meta = _metadata(root).get(name, {})
    return Article(
        id=f"polnear:{doc_id}",
        text=text,
        title=meta.get("title"),
        date=meta.get("publication_date"),
        source=meta.get("publisher"),
    )


def iter_articles(root: Path, split: str) -> Iterator[Article]:
    for path in sorted((root / "polnear" / "data" / split / "text").glob("*.txt")):
        yield load_article(root, f"{split}/{path.stem}")


# --- brat standoff attributions -> labeled articles -------------------------------------------------------------

_RECORD_START = re.compile(r"^(?:[TERAMN]\d+|#\d*)\t")
_T_HEADER = re.compile(r"^(?P<type>\S+) (?P<frags>\d+ \d+(?:;\d+ \d+)*)$")
FLAG_TYPES = frozenset({"Discuss", "Discard"})


@dataclass(frozen=True)
class BratSpan:
    """A text-bound annotation (``T`` line): its type, its fragments (half-open) and the text brat wrote."""

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(e for _, e in self.fragments)

    def overlaps(self, other: BratSpan) -> bool:
        return any(s < oe and os < e for s, e in self.fragments for os, oe in other.fragments)


@dataclass(frozen=True)
class BratEvent:
    """An event (``E`` line): its type (``Attribution`` / ``Attribution-no-source``) and its role -> span id pairs."""

    id: str
    type: str
    trigger: str | None
    args: tuple[tuple[str, str], ...]

    def role(self, name: str) -> list[str]:
        """Span ids for a role, counting numbered repeats (``Content``, ``Content2``, ...)."""
        return [ref for role, ref in self.args if re.fullmatch(re.escape(name) + r"\d*", role)]


@dataclass
class BratDoc:
    spans: dict[str, BratSpan] = field(default_factory=dict)
    events: list[BratEvent] = field(default_factory=list)


@dataclass
class ImportStats:
    """What ``import_split`` saw and dropped; every count is over the chosen annotator files only."""

    articles: int = 0
    ann_files_total: int = 0
    attributions: int = 0  # E lines
    claims: int = 0
    dropped_flagged: int = 0  # a Content/Source/Cue span overlaps a Discuss/Discard span
    dropped_flag_reference: int = 0  # the event itself references a Discuss/Discard span
    skipped_no_content: int = 0
    no_source: int = 0
    no_cue: int = 0
    discontinuous_content: int = 0
    flag_spans: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    single_fragment_spans: int = 0
    single_fragment_mismatches: int = 0
    multi_fragment_spans: int = 0
    multi_fragment_mismatches: int = 0  # the written text != fragments joined by one space
    mismatch_examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "mismatch_examples"}
        data["flag_spans"] = dict(self.flag_spans)
        data["kinds"] = dict(self.kinds)
        return data


def parse_ann(text: str) -> BratDoc:
    """Parse brat standoff. A span's text may run over several lines (it crosses a newline of the article): a line
    that does not start a record continues the previous one. ``#`` notes and other record kinds are ignored."""
    records: list[list[str]] = []
    for line in text.split("\n"):
        if _RECORD_START.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    doc = BratDoc()
    for lines in records:
        record = "\n".join(lines).rstrip("\n")  # blank lines between records and at the end of the file
        if record.startswith("T"):
            parts = record.split("\t", 2)
            header = _T_HEADER.match(parts[1]) if len(parts) == 3 else None
            if header is None:
                raise ValueError(f"malformed T line: {record[:80]!r}")
            frags = tuple((int(s), int(e)) for s, e in (frag.split() for frag in header["frags"].split(";")))
            doc.spans[parts[0]] = BratSpan(parts[0], header["type"], frags, parts[2])
        elif record.startswith("E"):
            parts = record.split("\t")
            if len(parts) < 2:
                raise ValueError(f"malformed E line: {record[:80]!r}")
            items = [item.split(":", 1) for item in parts[1].split()]
            etype = items[0][0]
            trigger = items[0][1] or None if len(items[0]) == 2 else None
            args = tuple((role, ref) for role, ref in (item for item in items[1:] if len(item) == 2))
            doc.events.append(BratEvent(parts[0], etype, trigger, args))
    return doc


def choose_annotations(root: str | Path | None, split: str) -> dict[str, Path]:
    """Article stem -> its annotator file: the lexicographically first ``<stem>_<annotator>.ann``."""
    folder = data_root(root) / "polnear" / "data" / split / "attributions"
    stems = {p.stem for p in (data_root(root) / "polnear" / "data" / split / "text").glob("*.txt")}
    chosen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.ann")):
        stem = path.stem.rsplit("_", 1)[0]
        if stem in stems and stem not in chosen:
            chosen[stem] = path
    return chosen


def _span_text(text: str, span: BratSpan) -> str:
    return " ".join(text[s:e] for s, e in span.fragments)


def article_claims(text: str, doc: BratDoc, stats: ImportStats | None = None) -> list[LabeledClaim]:
    """The attributions of one parsed .ann file as labeled claims, in document order of their content."""
    stats = stats if stats is not None else ImportStats()
    for span in doc.spans.values():
        if span.type in FLAG_TYPES:
            stats.flag_spans[span.type] += 1
        if len(span.fragments) == 1:
            stats.single_fragment_spans += 1
            s, e = span.fragments[0]
            if text[s:e] != span.text:
                stats.single_fragment_mismatches += 1
                if len(stats.mismatch_examples) < 20:
                    stats.mismatch_examples.append(f"{span.id} {s}..{e}: {span.text!r} != {text[s:e]!r}")
        else:
            stats.multi_fragment_spans += 1
            if _span_text(text, span) != span.text:
                stats.multi_fragment_mismatches += 1
    flags = [span for span in doc.spans.values() if span.type in FLAG_TYPES]
    claims: list[LabeledClaim] = []
    for event in doc.events:
        stats.attributions += 1
        refs = [ref for _, ref in event.args] + ([event.trigger] if event.trigger else [])
        missing = [ref for ref in refs if ref not in doc.spans]
        if missing:
            raise ValueError(f"event {event.id} references unknown spans {missing}")
        if any(doc.spans[ref].type in FLAG_TYPES for ref in refs):
            stats.dropped_flag_reference += 1
            continue
        contents = [doc.spans[ref] for ref in event.role("Content")]
        sources = [doc.spans[ref] for ref in event.role("Source")]
        cues = [doc.spans[ref] for ref in event.role("Cue")]
        if not contents:
            stats.skipped_no_content += 1
            continue
        if any(span.overlaps(flag) for span in contents + sources + cues for flag in flags):
            stats.dropped_flagged += 1
            continue
        fragments = sorted(frag for span in contents for frag in span.fragments)
        if len(fragments) > 1:
            stats.discontinuous_content += 1
        source = sources[0] if sources else None
        cue = cues[0] if cues else None
        cue_text = _span_text(text, cue) if cue else None
        kind = claim_kind([text[s:e] for s, e in fragments], cue_text)
        stats.no_source += source is None
        stats.no_cue += cue is None
        stats.kinds[kind] += 1
        claims.append(
            LabeledClaim(
                start_char=fragments[0][0],
                end_char=max(e for _, e in fragments),
                kind=kind,
                speaker=" ".join(_span_text(text, source).split()) if source else None,
                speaker_start_char=source.fragments[0][0] if source else None,
                speaker_end_char=source.fragments[0][1] if source else None,
                cue_start_char=cue.start if cue else None,
                cue_end_char=cue.end if cue else None,
            )
        )
    stats.claims += len(claims)
    claims.sort(key=lambda c: (c.start_char, c.end_char))
    return claims


def import_split(root: str | Path | None, split: str) -> tuple[list[LabeledArticle], ImportStats]:
    """``labeled_articles`` plus the counts of what was read, dropped and checked."""
    base = data_root(root)
    stats = ImportStats()
    chosen = choose_annotations(base, split)
    stats.ann_files_total = len(list((base / "polnear" / "data" / split / "attributions").glob("*.ann")))
    items: list[LabeledArticle] = []
    for stem, path in sorted(chosen.items()):
        article = load_article(base, f"{split}/{stem}")
        doc = parse_ann(path.read_text(encoding="utf-8"))
        claims = article_claims(article.text, doc, stats)
        item = LabeledArticle(
            id=article.id,
            ref=Ref(corpus="polnear", doc_id=f"{split}/{stem}"),
            title=article.title,
            date=article.date,
            source=article.source,
            split=split,
            claims=claims,
        )
        # Fill the text in as standoff.resolve() does (and check every claim against it); the model validator allows
        # only one of text/ref at construction, but a resolved article carries both.
        items.append(check(with_text(item, article)))
        stats.articles += 1
    return items, stats


def labeled_articles(root: str | Path | None, split: str) -> list[LabeledArticle]:
    """The PolNeAR attributions of a split (``train``/``dev``) as labeled articles, one annotator per article.

    ``root`` is the shared data folder that holds ``polnear/`` (``None``: $STANCE_DATA or the default). Each article
    has ``ref`` (corpus "polnear", doc_id "<split>/<stem>") and its text filled in. Attributions touching a span
    flagged ``Discuss``/``Discard`` are dropped; see ``article_claims`` and ``claim_kind``.
    """
    return import_split(root, split)[0]
