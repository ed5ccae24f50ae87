"""The stages of `stance run`, built from one configuration in one place.

    pipe = Pipeline.from_config(cfg)
    for article, claims, actors in pipe.pipe(articles):
        ...

Stages 1-4 (read text, parse, find claims, attribute them to speakers and resolve actors) are ``extract``; stage 5
scores every (claim, target) pair in two steps, ``predict`` (the probabilities, no side effects: the engine runs it
in a background thread) and ``annotate`` (the scored records, with no stance where the article is not about the target:
the ``topic`` check); stage 6 gives each actor of an article a stance. The
engines (``run.engine``, its worker processes and ``run.ray_engine``) and ``stance evaluate`` all build this object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product

from pipeline.actors import aggregate
from pipeline.config import RunConfig
from pipeline.errors import InputError
from pipeline.records import ActorStance, Article, Claim
from pipeline.run.extract import extract_all
from pipeline.text import reader


class Pipeline:
    def __init__(
        self,
        tagger=None,
        classifier=None,
        targets: list[str] | None = None,
        join_quotes: bool = True,
        topic=None,
        target_margin: float | None = None,
    ):
        self.tagger = tagger  # an attribution.tagger.AttributionTagger, or None for the rules alone
        self.classifier = classifier  # a classify.classifier.StanceClassifier, or None to extract only
        self.targets = list(targets or [])
        self.join_quotes = join_quotes
        self.topic = topic  # a classify.topic.TopicGate, or None to keep every side the classifier gives
        self.target_margin = target_margin  # with a topic gate and several targets: see ``closest_targets``

    @classmethod
    def from_config(
        cls, cfg: RunConfig, threads: int | None = None, extract: bool = True, classify: bool = True
    ) -> Pipeline:
        """The stages a configuration names: with ``extract``, its attribution tagger (if ``cfg.tagger``); with
        ``classify``, its stance classifier; each on ``threads`` torch threads (None: torch's choice). Any config with
        the attribution keys will do for extraction alone (``stance evaluate``'s)."""
        tagger = classifier = topic = None
        if extract and cfg.tagger is not None:
            from pipeline.attribution.tagger import AttributionTagger

            tagger = AttributionTagger(
                cfg.tagger, threads=threads, speakers=cfg.speaker_ranker, precision=cfg.precision
            )
        if classify:
            from pipeline.classify.classifier import StanceClassifier

            classifier = StanceClassifier(
                cfg.model, batch_size=cfg.batch_size, threads=threads, quantize=cfg.quantize,
                precision=cfg.precision, device=cfg.device,
            )  # fmt: skip
            if cfg.topic_check:
                from pipeline.classify.topic import TopicGate

                topic = TopicGate(cfg.topic_threshold, precision=cfg.precision)
        targets = getattr(cfg, "targets", None)
        margin = getattr(cfg, "target_margin", None)
        return cls(tagger, classifier, targets, getattr(cfg, "join_split_quotes", True), topic, margin)

    def extract(
        self, articles: Iterable[Article], batch_size: int = 16, join_quotes: bool | None = None
    ) -> Iterator[tuple[Article, list[Claim]]]:
        """Stages 1-4: each article with its claims, speakers and actors, in input order (``join_quotes`` overrides
        the configured joining of split quotations)."""
        join = self.join_quotes if join_quotes is None else join_quotes
        return extract_all(articles, batch_size, tagger=self.tagger, join_quotes=join)

    def pairs(self, claims: list[Claim]) -> list[tuple[Claim, str]]:
        """Every (claim, target) pair, in the one order ``predict``'s scores and ``annotate`` share."""
        return list(product(claims, self.targets))

    def predict(self, claims: list[Claim]) -> list[dict[str, float]]:
        """Stage 5, the model's part: the probability of each label for every (claim, target) pair."""
        pairs = self.pairs(claims)
        if not pairs:
            return []
        return self.classifier.predict(
            [t for _, t in pairs],
            [c.statement() for c, _ in pairs],
            [c.speaker for c, _ in pairs],
            [c.cue.text if c.cue else None for c, _ in pairs],
        )

    def annotate(
        self, claims: list[Claim], scores: list[dict[str, float]], articles: list[Article] | None = None
    ) -> list[Claim]:
        """Stage 5, the records' part: one claim record per (claim, target), with its stance and scores. With a topic
        check and the claims' ``articles``, each article is measured against each target (``topic``), and under the
        threshold none of its claims has a stance toward it, neutral or a side (the scores stay): its speakers are
        no actors of that target. An article where no claim takes a side toward a target is judged on its lead."""
        out = [
            claim.model_copy(update={"target": target, "stance": max(score, key=score.get), "scores": score})
            for (claim, target), score in zip(self.pairs(claims), scores, strict=True)
        ]
        if self.topic is None or not articles:
            return out
        # every pair, not only those with a side: a neutral speaker of an article about something else would be listed
        # as neutral toward a target the article never discusses. Where no claim takes a side only neutral speakers
        # are at stake, and the lead (12 sentences) decides: reading every sentence of every such article cost a run
        # 22% of its time (an article about the target fails its lead in 16 of 338 annotated ones)
        pairs = {(c.article_id, c.target) for c in out}
        sided = {(c.article_id, c.target) for c in out if c.stance != "neutral"}
        measured = self.topic.scores(articles, pairs, whole=sided)
        return self.closest_targets([self._checked(c, measured.get((c.article_id, c.target))) for c in out], articles)

    def closest_targets(self, records: list[Claim], articles: list[Article]) -> list[Claim]:
        """With several targets, a claim's side toward a target it is not about: "we stand ready to support an
        agreement" in an article about a treaty and the dam it allows read as for the dam at .98. A claim keeps a side
        toward a target only where its paragraph's cosine to that target is within ``target_margin`` of its closest
        target's; else it is neutral toward it (``closer_target`` says why; the scores stay)."""
        if self.target_margin is None or len(self.targets) < 2:
            return records
        text = {a.id: a.text for a in articles}
        sided = {(c.article_id, c.start_char, c.end_char) for c in records if c.stance in ("favor", "against")}
        spans = sorted(sided)
        closeness = self.topic.closeness([_paragraph(text[a], s, e) for a, s, e in spans], self.targets)
        near = {
            span: dict(zip(self.targets, map(float, row), strict=True))
            for span, row in zip(spans, closeness, strict=True)
        }
        out = []
        for c in records:
            cos = near.get((c.article_id, c.start_char, c.end_char))
            if c.stance in ("favor", "against") and cos and cos[c.target] < max(cos.values()) - self.target_margin:
                c = c.model_copy(update={"stance": "neutral", "closer_target": max(cos, key=cos.get)})
            out.append(c)
        return out

    def _checked(self, claim: Claim, topic: float | None) -> Claim:
        if topic is None:
            return claim
        if topic >= self.topic.threshold:
            return claim.model_copy(update={"topic": topic})
        return claim.model_copy(update={"topic": topic, "stance": None})

    def classify(self, claims: list[Claim], articles: list[Article] | None = None) -> list[Claim]:
        """Stage 5: ``predict`` then ``annotate``; give the claims' ``articles`` for the topic check."""
        return self.annotate(claims, self.predict(claims), articles)

    def pipe(
        self, articles: Iterable[Article], batch_size: int = 16
    ) -> Iterator[tuple[Article, list[Claim], list[ActorStance]]]:
        """All stages over a stream of articles: each with its scored claims and its actors' stances. Each article
        is read as `stance run` reads one (``reader.as_read``: HTML entities decoded, line ends made plain, the date as
        YYYY-MM-DD), and that is the article yielded, whose text the offsets index. Article ids must be unique: a
        claim is known by its article's id."""
        chunk: list[tuple[Article, list[Claim]]] = []
        for item in self.extract(map(reader.as_read, _unique_ids(articles)), batch_size):
            chunk.append(item)
            if len(chunk) == batch_size:
                yield from self._finish(chunk)
                chunk = []
        yield from self._finish(chunk)

    def __call__(self, article: Article) -> tuple[list[Claim], list[ActorStance]]:
        """One article's claims and actors; their offsets index ``reader.as_read(article).text``."""
        [(_, claims, actors)] = self.pipe([article])
        return claims, actors

    def _finish(self, chunk: list[tuple[Article, list[Claim]]]):
        """One classifier call for a chunk's claims, then each article's records and actor stances."""
        articles = [a for a, _ in chunk]
        return self.records(articles, self.classify([c for _, claims in chunk for c in claims], articles))

    @staticmethod
    def records(
        articles: list[Article], scored: list[Claim]
    ) -> Iterator[tuple[Article, list[Claim], list[ActorStance]]]:
        """Stage 6 over a chunk: each article with its scored claims and its actors' stances, in the articles' order."""
        for article, claims in by_article(articles, scored):
            yield article, claims, aggregate.actor_stances(claims)


def _unique_ids(articles: Iterable[Article]) -> Iterator[Article]:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise InputError(f"duplicate article id {article.id!r}: each article needs its own id")
        seen.add(article.id)
        yield article


def _paragraph(text: str, start: int, end: int) -> str:
    """The paragraph(s) a span stands in: from the blank line before it to the one after."""
    lo = text.rfind("\n\n", 0, start)
    hi = text.find("\n\n", end)
    return text[lo + 2 if lo >= 0 else 0 : hi if hi >= 0 else len(text)]


def by_article(articles: list[Article], claims: list[Claim]) -> Iterator[tuple[Article, list[Claim]]]:
    """Each article with its claims (none for an article without any), in the articles' order."""
    found: dict[str, list[Claim]] = {}
    for claim in claims:
        found.setdefault(claim.article_id, []).append(claim)
    for article in articles:
        yield article, found.get(article.id, [])
