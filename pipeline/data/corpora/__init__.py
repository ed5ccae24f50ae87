"""Importers for the shared corpora. Their text is read from ``data_root`` at run time and never copied here."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_ROOT = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def data_root(path: str | Path | None = None) -> Path:
    """The shared corpora folder: an explicit path, else $STANCE_DATA, else ../shared/data beside the project."""
    if path is not None:
        return Path(path)
    env = os.environ.get("STANCE_DATA")
    return Path(env) if env else DEFAULT_DATA_ROOT
