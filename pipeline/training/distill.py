"""Transfer pairs for distilling the accurate stance model into a fast one.

The student learns from the teacher's probabilities on (target, claim) pairs that look like what ``stance run`` sees:
claims the pipeline extracts from training articles of the shared corpora (PolNeAR train, BASIL events that are not
dev events), each paired with a training target that matches the article and with one that does not, plus NewsMTSC
and DSE training sentences toward their own entity. No dev article, dev event or PolNeAR dev text is read.

The pairs hold corpus text, so they are cached outside the repository (``encoders.cache_dir()``): the pairs keyed by
the settings and the extraction code, the teacher's scores by the teacher, the settings and the pairs themselves.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import MAX_TARGET_CHARS, DistillConfig
from pipeline.data import examples as ex
from pipeline.data import labeled, standoff
from pipeline.data.corpora import basil, data_root, polnear
from pipeline.errors import StanceError
from pipeline.models.encoders import cache_dir
from pipeline.records import LABELS, Article, StanceExample
from pipeline.writers import atomic_lines


def track(items, total: int | None = None, description: str = ""):
    """A progress bar on stderr over ``items``."""
    from rich.progress import track as rich_track

    from pipeline.progress import console

    return rich_track(items, total=total, description=description, console=console, transient=True)


TRANSFER = "distill:"  # the corpus prefix of a transfer pair (no gold label)
# the code and data that find the transfer claims and write their text: a change makes cached pairs (and their
# scores) stale
PACKAGE = Path(__file__).resolve().parents[1]
EXTRACTION_CODE = [
    PACKAGE / name
    for name in ("claims", "attribution", "actors", "text", "run/extract.py", "records.py", "training/distill.py")
] + [PACKAGE / "data" / "first_names.tsv"]


def _labeled(cfg: DistillConfig, root: Path) -> list[labeled.LabeledArticle]:
    return [item for path in cfg.targets_from for item in standoff.read(path, root)]


def _held_out(items: list[labeled.LabeledArticle]) -> tuple[set[str], set[str]]:
    """The ids of every article not in a train split (a PolNeAR train article can be a dev event's), and the BASIL
    triplets (one event, three outlets) they belong to: none of them is read."""
    held = [i for i in items if i.split != "train"]
    ids = {i.id for i in held} | {f"{i.ref.corpus}:{i.ref.doc_id}" for i in held if i.ref}
    return ids, {_triplet(i.ref.doc_id) for i in held if i.ref and i.ref.corpus == "basil"}


def _triplet(doc_id: str) -> str:
    return doc_id.rsplit("_", 1)[0]


def training_articles(cfg: DistillConfig, root: Path, items: list[labeled.LabeledArticle]) -> Iterator[Article]:
    """PolNeAR train articles, then BASIL articles of events that are not dev events, capped by ``max_articles``."""
    dev_ids, dev_events = _held_out(items)
    n = 0
    if "polnear" in cfg.corpora:
        for article in polnear.iter_articles(root, "train"):
            if article.id in dev_ids:
                continue
            if cfg.max_articles and n >= cfg.max_articles:
                return
            n += 1
            yield article
    if "basil" in cfg.corpora:
        for article in basil.iter_articles(root):
            doc_id = article.id.split(":", 1)[1]
            if _triplet(doc_id) in dev_events:
                continue
            if cfg.max_articles and n >= cfg.max_articles:
                return
            n += 1
            yield article


def _targets(items: list[labeled.LabeledArticle]) -> tuple[dict[str, str], list[str]]:
    """The target each training article was annotated with (by article id) and every training target."""
    own = {i.id: i.target for i in items if i.split == "train" and i.target}
    return own, sorted(set(own.values()))


def news_pairs(cfg: DistillConfig, root: Path, items: list[labeled.LabeledArticle]) -> list[StanceExample]:
    """Extracted claims of training articles, each with the article's own or nearest training target, and with a
    random other one."""
    from pipeline.data.off_topic import embed
    from pipeline.run.extract import extract_all

    own, targets = _targets(items)
    articles = list(training_articles(cfg, root, items))
    heads = [f"{a.title or ''}. {a.text[:600]}" for a in articles]
    vectors = embed(targets + heads)
    tvec, avec = vectors[: len(targets)], vectors[len(targets) :]
    rng = random.Random(cfg.seed)
    out = []
    found = track(extract_all(articles, join_quotes=True), total=len(articles), description="transfer claims")
    for (article, claims), head in zip(found, avec, strict=True):
        near = own.get(article.id) or targets[int((tvec @ head).argmax())]
        corpus = TRANSFER + article.id.split(":", 1)[0]
        for claim in claims:
            pair = dict(text=claim.statement(), label="neutral", corpus=corpus, split="train", group=article.id,
                        speaker=claim.speaker, cue=claim.cue.text if claim.cue else None)  # fmt: skip
            out.append(StanceExample(target=near, **pair))
            if rng.random() < cfg.random_target_share:
                out.append(StanceExample(target=rng.choice(targets), **pair))
    return out


def sentence_pairs(cfg: DistillConfig, root: Path) -> list[StanceExample]:
    """NewsMTSC and DSE training sentences toward their own entity (their gold labels are not used here)."""
    out = []
    for corpus in ("newsmtsc", "dse"):
        if corpus not in cfg.corpora:
            continue
        found = ex.IMPORTERS[corpus](root, "train")
        found = list({(e.text, e.target): e for e in found}.values())
        if cfg.max_sentences and len(found) > cfg.max_sentences:
            found = random.Random(cfg.seed).sample(found, cfg.max_sentences)
        out += [
            e.model_copy(update={"corpus": TRANSFER + corpus, "label": "neutral"})
            for e in found
            if len(e.target) <= MAX_TARGET_CHARS  # a few DSE "entities" are whole clauses
        ]
    return out


def _pairs_key(cfg: DistillConfig) -> str:
    """The transfer pairs' cache key: the settings that choose them and the code that extracts them."""
    digest = hashlib.sha256()
    digest.update(cfg.model_dump_json(exclude={"teacher", "alpha", "temperature"}).encode())
    digest.update(extraction_digest().encode())
    return digest.hexdigest()[:16]


def _scores_key(
    cfg: DistillConfig, teacher_meta: dict, adapter: Path, gold: list[StanceExample], pairs: list[StanceExample]
) -> str:
    """The teacher's scores' cache key: the pairs themselves, not the code that found them, so a change to the
    extraction code that finds the same pairs keeps the scores."""
    digest = hashlib.sha256()
    digest.update(cfg.model_dump_json(exclude={"teacher", "alpha", "temperature"}).encode())
    for items in (gold, pairs):  # whole records: the cache gives them back as they were stored
        digest.update(json.dumps([e.model_dump_json() for e in items]).encode())
    digest.update(json.dumps(teacher_meta, sort_keys=True).encode())
    for name in ("adapter_model.safetensors", "model.safetensors"):
        if (adapter / name).is_file():
            digest.update(hashlib.sha256((adapter / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


def extraction_digest() -> str:
    """A hash of the claim, attribution, actor and text code that extracts the transfer pairs."""
    digest = hashlib.sha256()
    files = sorted({f for p in EXTRACTION_CODE for f in ([p] if p.is_file() else p.rglob("*.py"))})
    if not files:  # a package imported from a zip: no key could tell its versions apart
        raise StanceError("cannot read the extraction code to key the distillation cache")
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def transfer_set(
    cfg: DistillConfig, gold: list[StanceExample], root: Path | None = None, precision: str = "auto"
) -> list[StanceExample]:
    """The student's training set: the ``gold`` examples and the transfer pairs, each with the teacher's
    probabilities (``soft``; with several teachers, an ensemble, their mean); a transfer pair's ``label`` is the
    teacher's choice (its corpus starts "distill:"). Each teacher's scores are cached under its weights, the
    settings and the gold examples."""
    teachers = cfg.teacher if isinstance(cfg.teacher, list) else [cfg.teacher]
    runs = [_scored(cfg, path, gold, data_root(root), precision) for path in teachers]
    if len(runs) == 1:
        return runs[0]
    out = []
    for items in zip(*runs, strict=True):
        soft = [sum(p.soft[i] for p in items) / len(items) for i in range(len(LABELS))]
        update = (
            {"soft": soft}
            if not items[0].corpus.startswith(TRANSFER)
            else {"soft": soft, "label": LABELS[max(range(len(LABELS)), key=soft.__getitem__)]}
        )
        out.append(items[0].model_copy(update=update))
    return out


def _scored(
    cfg: DistillConfig, path: Path, gold: list[StanceExample], base: Path, precision: str
) -> list[StanceExample]:
    from pipeline.classify.classifier import StanceClassifier

    teacher = StanceClassifier(path, batch_size=64, precision=precision)
    pairs_cache = cache_dir() / "distill" / f"pairs-{_pairs_key(cfg)}.jsonl"
    if pairs_cache.is_file():  # extracting them takes most of the time; the teacher's scores depend on the teacher
        pairs = [StanceExample.model_validate_json(line) for line in pairs_cache.read_text("utf-8").splitlines()]
    else:
        items = _labeled(cfg, base)
        pairs = news_pairs(cfg, base, items) + sentence_pairs(cfg, base)
        pairs_cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_lines(pairs_cache, (p.model_dump_json() for p in pairs))
    cache = cache_dir() / "distill" / f"{_scores_key(cfg, teacher.meta, Path(path), gold, pairs)}.jsonl"
    if cache.is_file():
        return [StanceExample.model_validate_json(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    if not pairs:
        raise StanceError("no transfer pairs: check 'corpora' in the distill settings")
    every = gold + pairs
    scores: list[dict[str, float]] = []
    for lo in track(range(0, len(every), 2048), description=f"probabilities of {Path(path).name}"):
        part = every[lo : lo + 2048]
        scores += teacher.predict(
            [p.target for p in part], [p.text for p in part], [p.speaker for p in part], [p.cue for p in part]
        )
    scored = [
        p.model_copy(update={"soft": [s[label] for label in LABELS]}) for p, s in zip(gold, scores, strict=False)
    ] + [
        p.model_copy(update={"soft": [s[label] for label in LABELS], "label": max(s, key=s.get)})
        for p, s in zip(pairs, scores[len(gold) :], strict=True)
    ]
    atomic_lines(cache, (p.model_dump_json() for p in scored))
    return scored
