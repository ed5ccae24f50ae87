"""The `stance` command line: parse arguments, call the library, turn its errors into one line and exit 1."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="Who said what, and is each actor for or against the talks? Claims, speakers and stances from news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
CONFIG = typer.Argument(..., help="YAML config file", show_default=False)
FOLDER = typer.Argument(..., help="output folder of a finished `stance run`", show_default=False)


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _guard(fn):
    """Run ``fn``; a StanceError or Ctrl-C becomes one clear line and a non-zero exit, never a traceback."""
    from pipeline.errors import StanceError

    try:
        return fn()
    except StanceError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)


@app.command()
def run(
    config: Path = CONFIG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress or summary"),
    fresh: bool = typer.Option(False, "--fresh", help="start over instead of resuming a previous run"),
):
    """Extract claims, attribute speakers and classify stance; write claims, actors and actor summaries."""
    from pipeline.config import RunConfig, load

    cfg = _guard(lambda: load(config, RunConfig))
    from pipeline import progress as ui
    from pipeline.run import run as run_pipeline

    with ui.articles_bar(disable=quiet) as bar:
        result = _guard(lambda: run_pipeline(cfg, progress=bar, fresh=fresh))
    if not quiet:
        ui.summary(result)


@app.command()
def train(config: Path = CONFIG):
    """Fine-tune the stance model (LoRA on all-MiniLM-L6-v2) and save it with its model card."""
    from pipeline.config import TrainConfig, load

    cfg = _guard(lambda: load(config, TrainConfig))
    from pipeline.train import train as train_model

    result = _guard(lambda: train_model(cfg))
    dev = result["dev"]
    typer.echo(
        f"saved {cfg.output}: dev F_avg {dev['eval_f_avg']:.3f}, macro-F1 {dev['eval_macro_f1']:.3f}, "
        f"accuracy {dev['eval_accuracy']:.3f}; {result['train_examples']} training examples, "
        f"{result['train_seconds'] / 60:.1f} min"
    )


@app.command()
def evaluate(config: Path = CONFIG):
    """Measure stance and attribution against gold labels; write metrics.json and print tables."""
    from pipeline.config import EvaluateConfig, load

    cfg = _guard(lambda: load(config, EvaluateConfig))
    from pipeline.evaluate import evaluate as evaluate_all
    from pipeline.evaluate import print_report

    report = _guard(lambda: evaluate_all(cfg))
    print_report(report)


@app.command()
def report(folder: Path = FOLDER):
    """Write report.html (charts, actor table, evidence) for a finished run folder."""
    from pipeline.report import report_from_folder

    path = _guard(lambda: report_from_folder(folder))
    typer.echo(f"wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
