"""`stance report`: one self-contained HTML file (inline CSS and SVG, no scripts or network) per run folder:
per target, a chart of each main actor's stance over time, a table of actors, and each actor's evidence claims
highlighted in their sentences."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from pipeline.corpus import UNDATED, ActorSummary
from pipeline.errors import InputError
from pipeline.records import Claim
from pipeline.writers import atomic_path

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
WIDTH, HEIGHT, PAD = 760, 260, 44


def _chart(actors: list[ActorSummary]) -> dict:
    """Polyline coordinates for each actor's timeline on a shared date axis (score from -1 against to +1 favor)."""
    dates = sorted({p.date for a in actors for p in a.timeline}, key=lambda d: (d == UNDATED, d))
    step = (WIDTH - 2 * PAD) / max(len(dates) - 1, 1)
    x_of = {d: PAD + i * step if len(dates) > 1 else WIDTH / 2 for i, d in enumerate(dates)}

    def y_of(score: float) -> float:
        return PAD / 2 + (1 - score) / 2 * (HEIGHT - PAD)

    lines = []
    for i, actor in enumerate(actors):
        points = [(round(x_of[p.date], 1), round(y_of(p.score), 1), p) for p in actor.timeline]
        lines.append(
            {
                "actor": actor.actor,
                "color": COLORS[i % len(COLORS)],
                "points": points,
                "path": " ".join(f"{x},{y}" for x, y, _ in points),
            }
        )
    ticks = [{"x": round(x_of[d], 1), "label": d} for d in dates]
    if len(ticks) > 8:
        keep = max(1, len(ticks) // 8)
        ticks = ticks[::keep]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "lines": lines,
        "ticks": ticks,
        "y_favor": y_of(1),
        "y_zero": y_of(0),
        "y_against": y_of(-1),
    }


def _highlight(claim: Claim) -> dict:
    ctx = claim.context
    if ctx is None:
        return {"before": "", "claim": claim.text, "after": ""}
    a, b = claim.start_char - ctx.start_char, claim.end_char - ctx.start_char
    return {"before": ctx.text[:a], "claim": ctx.text[a:b], "after": ctx.text[b:]}


def render(claims: list[Claim], summary: list[ActorSummary], articles: list[dict], main_actors: int = 6) -> str:
    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(["html", "j2"]))
    by_id = {(c.claim_id, c.target): c for c in claims}
    titles = {a["id"]: a.get("title") or a["id"] for a in articles}
    targets = []
    for target in sorted({s.target for s in summary}):
        actors = [s for s in summary if s.target == target]
        main = actors[:main_actors]
        evidence = {
            a.actor_id: [
                {
                    "claim": by_id[(e.claim_id, target)],
                    "parts": _highlight(by_id[(e.claim_id, target)]),
                    "title": titles.get(e.article_id, e.article_id),
                    "date": e.date or UNDATED,
                }
                for e in a.evidence
                if (e.claim_id, target) in by_id
            ]
            for a in actors
        }
        targets.append({"name": target, "actors": actors, "chart": _chart(main), "evidence": evidence})
    return env.get_template("report.html.j2").render(
        targets=targets, n_articles=len(articles), n_claims=len({c.claim_id for c in claims})
    )


def write_report(folder: Path, claims: list[Claim], summary: list[ActorSummary], articles: list[dict]) -> Path:
    path = Path(folder) / "report.html"
    with atomic_path(path, suffix=".html") as tmp:
        tmp.write_text(render(claims, summary, articles), encoding="utf-8")
    return path


def report_from_folder(folder: Path) -> Path:
    """Rebuild report.html from a finished run folder."""
    folder = Path(folder)
    needed = ["claims.jsonl", "actor_summary.jsonl", "articles.jsonl"]
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise InputError(f"{folder} is not a finished run folder (missing {', '.join(missing)})")

    def rows(name: str) -> list[dict]:
        return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line]

    claims = [Claim.model_validate(r) for r in rows("claims.jsonl")]
    summary = [ActorSummary.model_validate(r) for r in rows("actor_summary.jsonl")]
    return write_report(folder, claims, summary, rows("articles.jsonl"))
