"""Progress bar and the short per-actor summary printed by `stance run`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True)
STANCE_STYLE = {"favor": "green", "against": "red", "neutral": "dim"}


@contextlib.contextmanager
def articles_bar(disable: bool = False) -> Iterator:
    """A progress callback ``(article, n_claims)`` that shows articles done, claims found and articles/s."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} articles, {task.fields[claims]} claims, {task.fields[rate]} articles/s"),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
        transient=False,
    )
    task = progress.add_task("stance run", total=None, claims=0, rate="-")
    started = time.perf_counter()
    totals = {"claims": 0, "articles": 0}

    def update(article, n_claims: int) -> None:
        totals["claims"] += n_claims
        totals["articles"] += 1
        rate = totals["articles"] / max(time.perf_counter() - started, 1e-9)
        progress.update(task, advance=1, claims=totals["claims"], rate=f"{rate:.1f}")

    with progress:
        yield update


def summary(result) -> None:
    out = Console()
    many = result.articles > 1
    for target in sorted({a.target for a in result.actors}):
        table = Table(title=f"Stance toward: {target}", title_justify="left")
        if many:
            table.add_column("article")
        for column in ("actor", "stance", "confidence", "claims (favor/against/neutral)"):
            table.add_column(column)
        rows = [a for a in result.actors if a.target == target]
        for a in sorted(rows, key=lambda a: (a.article_id or "", -sum(a.counts.values()))):
            c = a.counts
            cells = [
                a.actor,
                f"[{STANCE_STYLE[a.stance]}]{a.stance}[/]",
                f"{a.confidence:.2f}",
                f"{c['favor']}/{c['against']}/{c['neutral']}",
            ]
            table.add_row(*([a.article_id or ""] if many else []), *cells)
        out.print(table)
    out.print(f"{result.articles} article(s), {len({c.claim_id for c in result.claims})} claims")
    for path in result.files:
        out.print(f"wrote {path}")
