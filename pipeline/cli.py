"""The `stance` command line: parse arguments, call the library, turn its errors into one line and exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Who said what, and is each actor for or against the talks? Claims, speakers and stances from news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
CONFIG = typer.Argument(..., help="YAML config file", show_default=False)
FOLDER = typer.Argument(..., help="output folder of a finished `stance run`", show_default=False)
CONFIG_SUFFIXES = {".yaml", ".yml"}


def _fail(message: str, code: int = 1) -> None:
    from pipeline import progress as ui

    ui.error(message)
    raise typer.Exit(code)


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=lambda v: _version(v), is_eager=True, help="print the version and exit"
    ),
) -> None:
    """Who said what, and is each actor for or against the talks? Claims, speakers and stances from news."""
    import signal

    from pipeline import progress as ui

    ui.show_warnings()
    signal.signal(signal.SIGTERM, _on_sigterm)
    # a shell starts a background job ("stance run ... &") with Ctrl-C ignored, and Python then keeps it ignored:
    # an interrupt sent to the run must still stop it cleanly
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _guard(fn):
    """Run ``fn``; a StanceError, Ctrl-C or SIGTERM becomes one clear line and a non-zero exit, never a traceback."""
    from pipeline.errors import StanceError, Terminated

    try:
        return fn()
    except StanceError as exc:
        _fail(str(exc))
    except OSError as exc:  # a disk that fills up, a folder removed under a run: what and where, in one line
        _fail(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Terminated:
        _fail("terminated (SIGTERM); a rerun resumes where this one stopped", 143)


def _shown(path: Path) -> str:
    """A path as a model card may show it: relative to the project when inside it, else the file name alone."""
    from pipeline.config import PROJECT_ROOT

    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def _on_sigterm(signum, frame) -> None:
    from pipeline.errors import Terminated

    raise Terminated()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"stance {version('stance')}")
        raise typer.Exit()


@app.command(
    epilog="Examples:\n\n"
    "  stance run articles.jsonl --target 'the Brexit withdrawal agreement' --output out/brexit\n\n"
    "  stance run seeds/pompeo-north-korea-talks.txt -t 'negotiations between the United States and North Korea'\n\n"
    "  stance run configs/seed.yaml --model fast"
)
def run(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="a .txt file, a folder of them, a JSONL file (id, text, optional title, date, source), or a YAML "
            "config",
            show_default=False,
        ),
    ],
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target", "-t", help="what stance is measured toward (repeat for several); needed without a config"
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="output folder (default: out/INPUT-NAME)")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="'accurate' (default), 'fast' or a folder")] = None,
    tagger: Annotated[Path | None, typer.Option(help="attribution tagger folder")] = None,
    report: Annotated[
        bool | None, typer.Option("--report/--no-report", help="write report.html (default: for 2+ articles)")
    ] = None,
    formats: Annotated[list[str] | None, typer.Option("--format", help="jsonl, csv or parquet (repeatable)")] = None,
    skip_bad_lines: Annotated[
        bool | None, typer.Option("--skip-bad-lines", help="skip malformed JSONL lines with a warning")
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="local (default) or ray (Ray Data; pip install -e '.\\[ray]' in the project)")
    ] = None,
    topic_check: Annotated[
        bool | None,
        typer.Option(
            "--topic-check/--no-topic-check",
            help="claims of an article with no sentence close to the target take no stance toward it (default: on)",
        ),
    ] = None,
    topic_threshold: Annotated[
        float | None,
        typer.Option(
            help="the cosine (all-MiniLM-L6-v2) an article's closest sentence needs to the target; default .30, higher "
            "is stricter (.40-.50 for a corpus about several deals)",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress or summary")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="start over instead of resuming a previous run")] = False,
):
    """Extract claims, attribute speakers and classify stance; write claims, actors and actor summaries."""
    from pipeline.config import RunConfig, load, validate

    given = {
        "targets": target or None,
        "output": output,
        "model": model,
        "tagger": tagger,
        "report": report,
        "formats": formats or None,
        "skip_bad_lines": skip_bad_lines,
        "engine": engine,
        "topic_check": topic_check,
        "topic_threshold": topic_threshold,
    }
    if source.suffix.lower() in CONFIG_SUFFIXES:
        cfg = _guard(lambda: load(source, RunConfig, given))
    else:
        if not target:
            _fail("give at least one --target (what the stance is toward), or a YAML config as INPUT")
        given["output"] = output or Path("out") / (source.stem or "run")
        cfg = _guard(lambda: validate(RunConfig, {"input": source, **given}, "command line"))
    from pipeline import progress as ui
    from pipeline.run.engine import run as run_pipeline

    def with_bar():
        with ui.articles_bar(disable=quiet) as bar:
            return run_pipeline(cfg, progress=bar, fresh=fresh)

    result = _guard(with_bar)  # the error line after the bar has stopped: printed beside it, it drags an empty line
    if not quiet:
        ui.summary(result)


@app.command(
    epilog="The config's task key picks what is trained: stance (the default; configs/train.yaml, "
    "configs/train-minilm.yaml), tagger (configs/tagger.yaml) or speakers (configs/speakers.yaml)."
)
def train(
    config: Path = CONFIG,
    seed: Annotated[int | None, typer.Option(help="random seed (overrides the config's)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="model folder (overrides the config's)")] = None,
):
    """Train a model (stance classifier, attribution tagger or speaker ranker) and save it with its model card."""
    from pipeline.config import TaggerTrainConfig, TrainConfig, training_config

    overrides = {"seed": seed, "output": output}
    cfg = _guard(lambda: training_config(config, overrides))
    if isinstance(cfg, TrainConfig):
        from pipeline.training.stance import train as train_model

        command = " ".join(
            ["stance train", _shown(config), *(f"--{k} {v}" for k, v in overrides.items() if v is not None)]
        )
        result = _guard(lambda: train_model(cfg, command))
        dev = result["dev"]
        typer.echo(
            f"saved {cfg.output}: dev F_avg {dev['eval_f_avg']:.3f}, macro-F1 {dev['eval_macro_f1']:.3f}, "
            f"accuracy {dev['eval_accuracy']:.3f}; {result['train_examples']} training examples, "
            f"{result['train_seconds'] / 60:.1f} min"
        )
    elif isinstance(cfg, TaggerTrainConfig):
        from pipeline.training.tagger import train_tagger

        result = _guard(lambda: train_tagger(cfg))
        held = result["heldout_articles"]
        typer.echo(
            f"saved {cfg.output}: held-out content F1 {held['content']['f1']:.3f}, "
            f"{result['train_seconds'] / 60:.1f} min"
        )
    else:
        from pipeline.training.speakers import train_speakers

        if seed is not None or output is not None:
            _fail("a speaker ranker is saved in its tagger's folder: --seed and --output do not apply")
        result = _guard(lambda: train_speakers(cfg))
        ranked = result["heldout"]["with_ranker"]
        typer.echo(
            f"saved the speaker ranker in {cfg.tagger}: held-out speaker accuracy "
            f"{ranked['speaker_accuracy']:.3f}, {result['seconds'] / 60:.1f} min"
        )


@app.command()
def evaluate(config: Path = CONFIG):
    """Measure stance and attribution against gold labels; write metrics.json (and each stance example's prediction
    to predictions.jsonl) and print tables."""
    from pipeline.config import EvaluateConfig, load

    cfg = _guard(lambda: load(config, EvaluateConfig))
    from pipeline.evaluation.evaluate import evaluate as evaluate_all
    from pipeline.evaluation.evaluate import print_report

    report = _guard(lambda: evaluate_all(cfg))
    print_report(report)


@app.command()
def report(folder: Path = FOLDER):
    """Write report.html (charts, actor table, evidence) for a finished run folder."""
    from pipeline.run.report import report_from_folder

    path = _guard(lambda: report_from_folder(folder))
    typer.echo(f"wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
