"""The import rule the file tree promises: a stage imports only earlier stages and the shared modules; data import,
evaluation and training import stages, never the other way round. Read from the source with ``ast`` (imports inside
functions count too), so no module is executed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"

# Each top-level name under pipeline/ and its place in the order: a module may import from its own place or an
# earlier one. 0 is the shared plumbing; 1-6 are the stages in pipeline order; then the layers built on the stages.
ORDER = {
    "records": 0,
    "errors": 0,
    "config": 0,
    "writers": 0,
    "progress": 0,
    "models": 0,  # pretrained encoders and checkpoint loading, shared by the tagger and the classifier
    "text": 1,
    "claims": 2,
    "attribution": 3,
    "actors": 4,
    "classify": 5,
    "pipeline": 6,  # the stages built from one config; the engines run it
    "run": 6,
    "data": 7,
    "evaluation": 8,
    "training": 9,
    "cli": 10,
}
STAGES = ("text", "claims", "attribution", "actors", "classify", "run")
NEVER_FROM_A_STAGE = ("pipeline.evaluation", "pipeline.training", "pipeline.data")


def _place(relative: Path) -> str:
    """``text/reader.py`` -> ``text``; ``cli.py`` -> ``cli``."""
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(source: str) -> list[str]:
    """Every ``pipeline...`` module a source imports, as dotted names (``from pipeline import nlp`` gives
    ``pipeline.nlp``); a relative import is returned as ``.`` + its module so that the rule can refuse it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "pipeline"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append("." * node.level + (node.module or ""))
            elif node.module == "pipeline":
                found += [f"pipeline.{alias.name}" for alias in node.names]
            elif node.module and node.module.split(".")[0] == "pipeline":
                found.append(node.module)
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """The broken rules among ``sources`` (path relative to pipeline/ -> source text), one line each."""
    found = []
    for relative, source in sorted(sources.items()):
        own = _place(Path(relative))
        if relative == "__init__.py":
            continue
        if own not in ORDER:
            found.append(f"{relative}: {own!r} has no place in ORDER (add it where it belongs)")
            continue
        for module in imported_modules(source):
            if module.startswith("."):
                found.append(f"{relative}: relative import {module!r} (import from pipeline. ...)")
                continue
            parts = module.split(".")
            if len(parts) < 2:
                continue
            target = parts[1]
            if target not in ORDER:
                found.append(f"{relative}: imports {module}, which has no place in ORDER")
            elif ORDER[target] > ORDER[own]:
                found.append(f"{relative} ({own}) imports {module} ({target}), a later layer")
            if own in STAGES and module.startswith(NEVER_FROM_A_STAGE):
                found.append(f"{relative} is a stage and imports {module}")
    return found


def _tree() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def test_every_module_imports_only_its_own_or_earlier_layers():
    assert violations(_tree()) == []


def test_every_package_and_module_under_pipeline_has_a_place():
    names = {_place(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert names <= set(ORDER), sorted(names - set(ORDER))
    assert set(STAGES) <= names


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("text/reader.py", "from pipeline.run.store import RunStore"),  # text imports a later stage
        ("claims/rules.py", "def f():\n    from pipeline import actors\n"),  # lazily, in a function
        ("attribution/tagger.py", "from pipeline.data.corpora.polnear import claim_kind"),  # a corpus importer
        ("classify/classifier.py", "import pipeline.evaluation.metrics"),
        ("run/engine.py", "from pipeline.training import distill"),
        ("data/labeled.py", "from pipeline.evaluation import metrics"),
        ("models/checkpoint.py", "from pipeline.classify.classifier import META_FILE"),  # shared imports a stage
        ("text/nlp.py", "from . import token_rules"),
        ("newstage/thing.py", ""),
    ],
)
def test_the_rule_catches_a_wrong_import(relative, source):
    assert violations({relative: source}) != []


def test_the_rule_allows_earlier_layers():
    sources = {
        "actors/corpus.py": "from pipeline.actors.resolution import fold\nfrom pipeline.records import Claim",
        "training/stance.py": "from pipeline.classify import network\nfrom pipeline.evaluation.metrics import f",
        "data/corpora/polnear.py": "from pipeline.claims.kinds import claim_kind",
    }
    assert violations(sources) == []


@pytest.mark.slow
def test_every_module_imports_in_a_fresh_interpreter():
    """Every module imports (``pkgutil.walk_packages`` order) in a new interpreter: a broken import or an import
    cycle fails here."""
    code = (
        "import importlib, pkgutil, pipeline\n"
        "for m in pkgutil.walk_packages(pipeline.__path__, 'pipeline.'):\n"
        "    importlib.import_module(m.name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
