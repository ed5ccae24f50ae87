"""`stance report`: one self-contained HTML file (inline CSS and SVG, no scripts or network) per run folder:
per target, a chart of each main actor's stance over time, a table of actors, and each actor's evidence claims
highlighted in their sentences."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from pipeline.actors import reliability
from pipeline.actors.corpus import UNDATED, ActorSummary
from pipeline.actors.resolution import slug
from pipeline.config import MODELS
from pipeline.errors import InputError
from pipeline.records import Claim
from pipeline.run.store import CLAIMS, FINISHED, MANIFEST, SETTINGS
from pipeline.writers import atomic_path

KINDS = {"direct": "quote", "indirect": "paraphrase", "mixed": "partly quoted", "according_to": "according to"}
CLOSE = 0.6  # an actor with both sides whose winning side holds less of the probability mass is a close call
CARD_ACCURACY = re.compile(r"accuracy (\d\.\d+) on (\d+) dev examples")
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
WIDTH, HEIGHT, PAD = 1000, 300, 14  # the plot's own units; it scales to the page's width, labels are HTML
STEPS = [
    (1, "day"),
    (2, "day"),
    (7, "day"),
    (14, "day"),
    (1, "month"),
    (2, "month"),
    (3, "month"),
    (6, "month"),
    (1, "year"),
    (2, "year"),
    (5, "year"),
    (10, "year"),
]
MAX_TICKS = 6


def _ticks(first: date, last: date) -> list[date]:
    """Calendar-aligned dates between ``first`` and ``last``, at the finest step that gives at most MAX_TICKS."""
    for n, unit in STEPS:
        if unit == "day":
            start = first if n == 1 else first + timedelta(days=(-first.toordinal()) % n)
            ticks = [start + timedelta(days=i) for i in range(0, (last - start).days + 1, n)]
        else:
            months = 12 * n if unit == "year" else n
            index = first.year * 12 + first.month - 1 + (first.day > 1)  # the first whole month
            index += (-index) % months
            ticks = []
            while (d := date(index // 12, index % 12 + 1, 1)) <= last:
                ticks.append(d)
                index += months
        if len(ticks) <= MAX_TICKS:
            return ticks
    return [first, last]


def _label(d: date, first: date, last: date) -> str:
    span = (last - first).days
    if span <= 92:
        return f"{d:%b} {d.day}"
    return f"{d:%b %Y}" if span <= 3 * 366 else f"{d:%Y}"


def _chart(actors: list[ActorSummary], colors: dict[str, str]) -> dict:
    """Each actor's stance over a real time scale (gaps where there are gaps): points and lines in the plot's units,
    axis labels as percentages of its width and height, so that they keep their size at any page width."""
    days = sorted({date.fromisoformat(p.date) for a in actors for p in a.timeline if p.date != UNDATED})
    first, last = (days[0], days[-1]) if days else (None, None)
    span = max((last - first).days, 1) if days else 1

    def x_of(d: date) -> float:
        return PAD + ((d - first).days / span if first != last else 0.5) * (WIDTH - 2 * PAD)

    def y_of(score: float) -> float:
        return PAD + (1 - score) / 2 * (HEIGHT - 2 * PAD)

    lines: list[dict] = []
    used: set[str] = set()  # no two lines of one chart share a colour
    for actor in actors:
        dated = [p for p in actor.timeline if p.date != UNDATED]
        points = [(round(x_of(date.fromisoformat(p.date)), 1), round(y_of(p.score), 1), p) for p in dated]
        lines.append(
            {
                "actor": actor.actor,
                "actor_id": actor.actor_id,
                "color": _color(actor.actor_id, colors, used),
                "points": points,
                "path": " ".join(f"{x},{y}" for x, y, _ in points),
            }
        )
    ticks = []
    if days:
        for n, d in enumerate(_ticks(first, last) if first != last else [first]):
            ticks.append({"left": round(100 * x_of(d) / WIDTH, 2), "label": _label(d, first, last), "minor": n % 2})
    undated = sum(p.counts[k] for a in actors for p in a.timeline if p.date == UNDATED for k in p.counts)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "ticks": ticks,
        "y_zero": y_of(0),
        "y_favor": y_of(1),
        "y_against": y_of(-1),
        "range": f"{first:%b %-d, %Y} to {last:%b %-d, %Y}"
        if days and first != last
        else (f"{first:%b %-d, %Y}" if days else ""),
        "undated_claims": undated,
        "top": round(100 * y_of(1) / HEIGHT, 2),
        "bottom": round(100 * y_of(-1) / HEIGHT, 2),
    }


def _color(actor_id: str, colors: dict[str, str], used: set[str]) -> str:
    """The actor's colour from an earlier chart where this chart has not used it yet, else the first free one."""
    color = colors.get(actor_id)
    if color is None or color in used:
        free = [c for c in COLORS if c not in used]
        unseen = [c for c in free if c not in colors.values()]
        color = (unseen or free or COLORS)[0]
        colors.setdefault(actor_id, color)
    used.add(color)
    return color


def main_actors(actors: list[ActorSummary], n: int) -> list[ActorSummary]:
    """The actors a reader needs first: most claims that take a side, then most claims; one entry per actor."""
    ranked = sorted(
        actors,
        key=lambda a: (-(a.counts["favor"] + a.counts["against"]), -sum(a.counts.values()), -a.confidence, a.actor),
    )
    seen, out = set(), []
    for a in ranked:
        if a.actor_id not in seen:
            seen.add(a.actor_id)
            out.append(a)
    return out[:n]


def _highlight(claim: Claim) -> list[tuple[str, bool]]:
    """The claim's sentence in pieces, each marked if the speaker said it: a quotation split by its attribution marks
    its quoted pieces, not the "she told a news conference" between them."""
    ctx = claim.context
    said = claim.parts or [claim]
    if ctx is None:
        return [(p.text, True) for p in said]
    pieces, at = [], ctx.start_char
    for part in said:
        pieces += [(ctx.text[at - ctx.start_char : part.start_char - ctx.start_char], False), (part.text, True)]
        at = part.end_char
    return [*pieces, (ctx.text[at - ctx.start_char :], False)]


def render(claims: list[Claim], summary: list[ActorSummary], articles: list[dict], settings: dict, top: int = 6) -> str:
    env = Environment(loader=PackageLoader("pipeline.run", "templates"), autoescape=select_autoescape(["html", "j2"]))
    by_id = {(c.claim_id, c.target): c for c in claims}
    titles = {a["id"]: a.get("title") or a["id"] for a in articles}
    sources = {a["id"]: a.get("source") for a in articles}
    targets = []
    slugs: set[str] = {"articles"}  # the articles table's anchor
    colors: dict[str, str] = {}  # an actor keeps its colour in every target's chart
    # every target the run was given, in its order (one with no actor too: its articles may all be set aside)
    for target in dict.fromkeys([*(settings.get("targets") or []), *sorted({s.target for s in summary})]):
        actors = main_actors([s for s in summary if s.target == target], len(summary))
        main = [a for a in actors[:top] if any(p.date != UNDATED for p in a.timeline)]
        evidence = {
            a.actor_id: [
                {
                    "claim": by_id[(e.claim_id, target)],
                    "parts": _highlight(by_id[(e.claim_id, target)]),
                    "title": titles.get(e.article_id, e.article_id),
                    "source": sources.get(e.article_id),
                    "date": e.date or UNDATED,
                    "kind": KINDS[by_id[(e.claim_id, target)].kind],
                }
                for e in a.evidence
                if (e.claim_id, target) in by_id
            ]
            for a in actors
        }
        targets.append(
            {
                "name": target,
                "slug": _unique(slug(target), slugs),
                "actors": actors,
                "chart": _chart(main, colors),
                "evidence": evidence,
                "close": {a.actor_id for a in actors if _close(a)},
                "off_topic": _off_topic(claims, target, settings.get("topic_threshold")),
            }
        )
    return env.get_template("report.html.j2").render(
        targets=targets,
        articles=_articles(articles, claims, [t["name"] for t in targets], settings.get("topic_threshold")),
        n_articles=len(articles),
        n_claims=len({c.claim_id for c in claims}),
        model=_model(settings.get("model", "")),
        written=date.today().isoformat(),
        input=Path(settings.get("input", "")).name,
        tagger=Path(settings["tagger"]).name if settings.get("tagger") not in (None, "None") else "none (rules)",
        close=CLOSE,
        kinds=reliability.KINDS,
        held_out=_held_out(settings.get("model", "")),
        topic_threshold=settings.get("topic_threshold"),
    )


def _held_out(model: str) -> dict | None:
    path = Path(model) / reliability.FILE
    return json.loads(path.read_text(encoding="utf-8")) if model and path.is_file() else None


def _close(actor: ActorSummary) -> bool:
    return actor.counts["favor"] > 0 and actor.counts["against"] > 0 and actor.confidence < CLOSE


def _model(path: str) -> dict:
    """The stance model as the README names it ("accurate"), its folder, and the accuracy its card measured."""
    folder = Path(path)
    names = [name for name, shipped in MODELS.items() if Path(shipped).resolve() == folder.resolve()]
    card = folder / "README.md"
    found = CARD_ACCURACY.search(card.read_text(encoding="utf-8")) if card.is_file() else None
    return {
        "name": names[0] if names else None,
        "folder": folder.name,
        "accuracy": float(found.group(1)) if found else None,
        "dev": int(found.group(2)) if found else None,
    }


def _articles(articles: list[dict], claims: list[Claim], targets: list[str], threshold: float | None) -> list[dict]:
    """Each article with its claims and, per target, how close its closest sentence came and whether the topic check
    set it aside."""
    topic = {(c.article_id, c.target): c.topic for c in claims if c.topic is not None and c.target is not None}
    aside = {t: set_aside(claims, t, threshold) for t in targets} if threshold is not None else {}
    rows = []
    for a in articles:
        checks = [
            {"target": t, "topic": topic.get((a["id"], t)), "aside": a["id"] in aside.get(t, ())} for t in targets
        ]
        rows.append({**a, "checks": checks})
    return sorted(rows, key=lambda r: (r.get("date") is None, r.get("date") or "", r["id"]))


def set_aside(claims: list[Claim], target: str, threshold: float) -> set[str]:
    """The articles whose claims the topic check found not about ``target``."""
    return {c.article_id for c in claims if c.target == target and c.topic is not None and c.topic < threshold}


def _unique(name: str, taken: set[str]) -> str:
    """An anchor no other target has: "The Talks" and "the talks" are two sections."""
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name}-{n}"
    taken.add(found)
    return found


def _off_topic(claims: list[Claim], target: str, threshold: float | None) -> dict | None:
    """The articles the topic check found not about the target, and their claims (none with a stance toward it)."""
    if threshold is None:
        return None
    articles = set_aside(claims, target, threshold)
    return {"articles": len(articles), "claims": sum(c.article_id in articles and c.target == target for c in claims)}


def write_report(
    folder: Path, claims: list[Claim], summary: list[ActorSummary], articles: list[dict], settings: dict
) -> Path:
    path = Path(folder) / "report.html"
    with atomic_path(path, suffix=".html") as tmp:
        tmp.write_text(render(claims, summary, articles, settings), encoding="utf-8")
    return path


def report_from_folder(folder: Path) -> Path:
    """Rebuild report.html from a finished run folder; refuse one whose run has not reached its end."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"no run folder at {folder}")
    needed = [SETTINGS, MANIFEST, CLAIMS, "actor_summary.jsonl", FINISHED]
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise InputError(
            f"{folder} is not a finished run (missing {', '.join(missing)}); run `stance run` again to finish it"
        )

    def rows(name: str) -> list[dict]:
        return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line]

    articles = rows(MANIFEST)
    finished = json.loads((folder / FINISHED).read_text(encoding="utf-8"))
    settings = json.loads((folder / SETTINGS).read_text(encoding="utf-8"))
    same_targets = sorted(finished.get("targets") or []) == sorted(settings.get("targets") or [])  # in any order
    if finished.get("articles") != len(articles) or not same_targets:
        raise InputError(
            f"{folder} holds an unfinished run (its summary is older than its articles); run `stance "
            "run` again to finish it"
        )
    claims = [Claim.model_validate(r) for r in rows(CLAIMS)]
    summary = [ActorSummary.model_validate(r) for r in rows("actor_summary.jsonl")]
    return write_report(folder, claims, summary, articles, settings)
