"""Progress bar and the short per-actor summary printed by `stance run`."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True)


def wide() -> int | None:
    """The width of tables printed to a file or a pipe: rich's 80 columns cut numbers off; a terminal keeps its own
    (``COLUMNS`` still decides where it is set)."""
    return None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200


STANCE_STYLE = {"favor": "green", "against": "red", "neutral": "dim"}


def error(message: str) -> None:
    """One line on stderr, on a line of its own (above a live progress bar, never inside it)."""
    console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)


class WarningLines(logging.Handler):
    """The library's warnings (logger "stance"), one line each, printed as ``error`` prints."""

    def emit(self, record: logging.LogRecord) -> None:
        console.print(f"[yellow]warning:[/] {escape(record.getMessage())}", soft_wrap=True, highlight=False)


def show_warnings() -> None:
    log = logging.getLogger("stance")
    if not any(isinstance(h, WarningLines) for h in log.handlers):
        log.addHandler(WarningLines(logging.WARNING))
        log.propagate = False


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
        # on a terminal only: into a file or a pipe rich prints just the last state, and an empty line on errors
        disable=disable or not console.is_terminal,
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
        try:
            yield update
        except BaseException:
            progress.remove_task(task)  # an error leaves its one line, not a half-drawn bar beside it
            raise


def summary(result, top: int = 25) -> None:
    """One article: its actors. A corpus: the ``top`` actors across it by claim count (all are in actor_summary)."""
    out = Console(width=wide())
    many = result.articles > 1
    rows = result.summary if many else result.actors
    for target in dict.fromkeys([*result.targets, *sorted({a.target for a in rows})]):
        aside = (result.set_aside or {}).get(target, 0)
        note = f"{aside} article(s) set aside by the topic check: not about this target" if aside else None
        mine = sorted((a for a in rows if a.target == target), key=lambda a: (-sum(a.counts.values()), a.actor))
        if not mine:
            out.print(f"Stance toward: {target}: no actor has a claim toward it" + (f" ({note})" if note else ""))
            continue
        table = Table(title=f"Stance toward: {target}", title_justify="left", caption=note, caption_justify="left")
        for column in ("actor", "stance", "right on held-out", "claims (favor/against/neutral)"):
            table.add_column(column)
        if many:
            table.add_column("articles")
            table.add_column("dates")
        for a in mine[:top] if many else mine:
            c = a.counts
            cells = [
                a.actor,
                f"[{STANCE_STYLE[a.stance]}]{a.stance}[/]",
                f"{rate:.0%}" if (rate := result.held_out_rate(c, a.stance)) is not None else "-",
                f"{c['favor']}/{c['against']}/{c['neutral']}",
            ]
            if many:
                cells += [str(a.articles), " to ".join(dict.fromkeys(d for d in (a.first_date, a.last_date) if d))]
            table.add_row(*cells)
        out.print(table)
        if many and len(mine) > top:
            out.print(f"... and {len(mine) - top} more actors in actor_summary.jsonl")
    out.print(f"{result.articles} article(s), {len({c.claim_id for c in result.claims})} claims")
    if result.skipped:
        out.print(f"{result.skipped} article(s) were done by an earlier run into this folder and kept (--fresh: redo)")
    if result.stale:
        out.print(f"{result.stale} stored article(s) changed or no longer in the input: done again or dropped")
    for path in result.files:
        out.print(f"wrote {path}")
