"""The output folder of a run, written so that a crash or Ctrl-C loses nothing already written.

Each finished article appends its claim and actor lines, then one line to ``articles.jsonl`` (the manifest); each
append is one write of whole lines, flushed and synced. On the next run with the same settings the manifest says
which articles are done: lines of an article that never reached the manifest, and a torn last line, are dropped.
An article whose text, title, date or source changed since it was stored is done again, and one no longer in the
input is dropped, so a resumed folder always describes the input it was last run on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from pydantic import BaseModel

from pipeline.errors import InputError
from pipeline.records import ActorStance, Article, Claim
from pipeline.writers import atomic_lines

CLAIMS, ACTORS, MANIFEST, SETTINGS = "claims.jsonl", "actors.jsonl", "articles.jsonl", "run.json"
FINISHED = "finished.json"  # written last by a run that reached its end; gone while a run is in progress
FINAL = (
    "actor_summary.jsonl",
    "report.html",
    *(f"{n}.{x}" for n in ("claims", "actors", "actor_summary", "articles", "timeline") for x in ("csv", "parquet")),
)


def fingerprint(article: Article) -> str:
    """What an article's stored results depend on, hashed: a changed text, title, date or source changes it."""
    return hashlib.sha1(article.model_dump_json().encode("utf-8")).hexdigest()


PATHS = ("input", "model", "tagger")


def _setting(settings: dict, key: str):
    """A run setting as compared on resuming: the targets as a set (their order changes nothing stored), a path as
    the file it names ("folder" and "../probe/folder" are one input; a relative path stored by an older run is read
    from the current folder)."""
    value = settings.get(key)
    if key in PATHS and isinstance(value, str) and value != "None":
        return str(Path(value).resolve())
    return sorted(value) if key == "targets" and isinstance(value, list) else value


def _read_lines(path: Path) -> list[dict]:
    """Whole JSON lines of a file; a torn last line (a crash mid-write) is skipped."""
    if not path.is_file():
        return []
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                break
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                break
    return out


class RunStore:
    """``current`` maps the input's article ids to their ``fingerprint``, in input order: stored articles not among
    them, or stored with another fingerprint, are dropped (and done again); ``finish`` puts the rest in input order."""

    def __init__(self, folder: Path, settings: dict, fresh: bool = False, current: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.settings = settings
        self.current = current
        if fresh and self.folder.exists():
            for name in (FINISHED, CLAIMS, ACTORS, MANIFEST, SETTINGS, *FINAL):
                (self.folder / name).unlink(missing_ok=True)
        self.done: dict[str, dict] = {}
        self.stale: list[str] = []  # stored articles dropped: changed since, or no longer in the input
        self._open()

    def _open(self) -> None:
        settings_path = self.folder / SETTINGS
        if settings_path.is_file():
            previous = json.loads(settings_path.read_text(encoding="utf-8"))
            keys = set(previous) | set(self.settings)
            changed = sorted(k for k in keys if _setting(previous, k) != _setting(self.settings, k))
            if changed:
                hint = ""
                if changed == ["topic_threshold"]:
                    was, now = previous.get("topic_threshold"), self.settings.get("topic_threshold")
                    if was is None:
                        hint = " (written without the topic check: --no-topic-check resumes it)"
                    elif now is None:
                        hint = f" (written with the topic check at {was}: resume it without --no-topic-check)"
                    else:
                        hint = f" (written with the topic check at {was}: --topic-threshold {was} resumes it)"
                raise InputError(
                    f"{self.folder} holds a run with other settings ({', '.join(changed)}){hint}; "
                    "use another output folder, or --fresh to start over"
                )
        manifest = _read_lines(self.folder / MANIFEST)
        self.done = {row["id"]: row for row in manifest}
        if self.current is not None:
            # a row without a fingerprint was written before them: it cannot be checked, and redoing a whole corpus
            # for that would cost hours, so only its presence in the input counts
            self.stale = sorted(
                i
                for i, row in self.done.items()
                if i not in self.current or row.get("fingerprint", self.current[i]) != self.current[i]
            )
            for i in self.stale:
                del self.done[i]
            if self.stale:
                atomic_lines(self.folder / MANIFEST, [json.dumps(row) for row in self.done.values()])
        self._repair(CLAIMS)
        self._repair(ACTORS)
        self._started = settings_path.is_file()

    def _start(self) -> None:
        """Create the folder and its settings with the first finished article, so that a run that fails before it
        leaves nothing behind (and a corrected config is not refused as "other settings")."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the output folder {self.folder}: {exc.strerror}") from exc
        atomic_lines(self.folder / SETTINGS, [json.dumps(self.settings, sort_keys=True)])
        atomic_lines(self.folder / MANIFEST, [json.dumps(row) for row in self.done.values()])
        self._started = True

    def _repair(self, name: str) -> None:
        """Keep only the lines of articles in the manifest (rewritten atomically when anything goes)."""
        path = self.folder / name
        if not path.is_file():
            return
        rows = _read_lines(path)
        kept = [r for r in rows if r.get("article_id") in self.done]
        raw = path.read_text(encoding="utf-8")
        if len(kept) != len(rows) or raw.count("\n") != len(rows) or not raw.endswith("\n"):
            atomic_lines(path, [json.dumps(r, ensure_ascii=False) for r in kept])

    @staticmethod
    def _append(path: Path, records: list[BaseModel | dict]) -> None:
        if not records:
            return
        data = "".join(
            json.dumps(r.model_dump() if isinstance(r, BaseModel) else r, ensure_ascii=False) + "\n" for r in records
        )
        with path.open("a", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def add(self, article: Article, claims: list[Claim], actors: list[ActorStance]) -> None:
        if not self._started:
            self._start()
        (self.folder / FINISHED).unlink(missing_ok=True)
        self._append(self.folder / CLAIMS, claims)
        self._append(self.folder / ACTORS, actors)
        row = {
            "id": article.id,
            "title": article.title,
            "date": article.date,
            "source": article.source,
            "claims": len({c.claim_id for c in claims}),
            "fingerprint": fingerprint(article),
        }
        self._append(self.folder / MANIFEST, [row])
        self.done[article.id] = row

    def in_input_order(self) -> None:
        """Rewrite the manifest in input order (an article done again on resuming was appended after the others), so
        that a resumed run's files are a fresh run's."""
        if self.current is None:
            return
        order = {i: n for n, i in enumerate(self.current)}
        ordered = dict(sorted(self.done.items(), key=lambda item: order.get(item[0], len(order))))
        if list(ordered) != list(self.done):
            self.done = ordered
            atomic_lines(self.folder / MANIFEST, [json.dumps(row) for row in ordered.values()])

    def finish(self, summary: dict) -> None:
        """Mark the folder finished: its final files match its manifest."""
        atomic_lines(self.folder / FINISHED, [json.dumps({**summary, "articles": len(self.done)}, sort_keys=True)])

    def claims(self) -> list[Claim]:
        """The stored claims, article by article in the manifest's order."""
        order = {i: n for n, i in enumerate(self.done)}
        rows = sorted(_read_lines(self.folder / CLAIMS), key=lambda r: order.get(r.get("article_id"), len(order)))
        return [Claim.model_validate(r) for r in rows]

    def articles(self) -> list[dict]:
        return list(self.done.values())

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
