"""What every `stance train` task shares around the Hugging Face Trainer: its arguments, a scratch folder for its
checkpoints, and the model folder written whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import ConfigError


def training_args(cfg, work: Path, metric: str, eval_batch_size: int, **overrides):
    """The Trainer's arguments from a training config: evaluate and save each epoch, keep the best checkpoint by
    ``metric``, seeded, no external reporting, the progress bar on."""
    from transformers import TrainingArguments

    args = dict(
        output_dir=str(work),
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=eval_batch_size,
        learning_rate=cfg.learning_rate,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        warmup_steps=0.06,
        weight_decay=0.01,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model=metric,
        logging_strategy="epoch",
        report_to="none",
        seed=cfg.seed,
        data_seed=cfg.seed,
        dataloader_num_workers=0,
        disable_tqdm=False,  # the default hides the bar whenever transformers logs at error level (a loaded teacher)
    )
    return TrainingArguments(**(args | overrides))


NAMES = {"f_avg": "F_avg", "macro_f1": "macro-F1", "loss": "loss"}
SKIP = {"runtime", "samples_per_second", "steps_per_second"}


def log_line(logs: dict, metric: str | None = None, before: float | None = None) -> str | None:
    """One readable line for a Trainer log: the training loss, or the dev metrics, marked when ``metric`` (higher is
    better) beats ``before``, the best of the earlier evaluations; None for the summary at the end (the command
    prints its own)."""
    epoch = logs.get("epoch", 0.0)
    when = f"epoch {epoch:g}" if float(epoch).is_integer() else f"epoch {epoch:.2f}"
    if "loss" in logs:
        return f"{when}: training loss {logs['loss']:.4f}"
    scores = {k[5:]: v for k, v in logs.items() if k.startswith("eval_") and k[5:] not in SKIP}
    if not scores:
        return None
    text = ", ".join(f"{NAMES.get(k, k.replace('_', ' '))} {v:.3f}" for k, v in scores.items() if k != "loss")
    value = scores.get(metric)
    mark = " (best so far)" if value is not None and (before is None or value > before) else ""
    return f"{when}: dev {text}{mark}"


def epoch_lines(trainer) -> None:
    """Replace the progress bar's raw dictionaries with one line per log (the bar itself stays)."""
    from transformers.trainer_callback import ProgressCallback

    class EpochLines(ProgressCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            # the Trainer logs an evaluation before it updates state.best_metric, which is then the earlier best
            metric = (args.metric_for_best_model or "").removeprefix("eval_") or None
            line = log_line(logs or {}, metric, state.best_metric)
            if state.is_world_process_zero and self.training_bar is not None and line:
                self.training_bar.write(line)

    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(EpochLines)


def quiet_libraries() -> None:
    """transformers' load reports and checkpoint notes, and datasets' bars for quick maps, tell a user nothing to act
    on; warnings from the project itself still show."""
    import datasets
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    datasets.disable_progress_bars()


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder for the Trainer's checkpoints, removed afterwards whatever happens."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


IGNORED = frozenset({".DS_Store", ".gitkeep", "Thumbs.db"})  # what an empty folder may hold


def check_output(out: Path, marker: str) -> None:
    """Refuse, before any training, an output folder that is not a new or empty folder or a model of the same kind
    (it holds ``marker``: "stance.json", "tagger.json"): saving replaces the whole folder, and a run's outputs, another
    kind of model, the current folder or one above it must never be deleted for it."""
    out = Path(out)
    where = out.resolve()
    if where == Path.home() or where in (Path.cwd(), *Path.cwd().parents):
        raise ConfigError(f"output {out} is the current folder, one above it or the home folder; give a model folder")
    if out.is_symlink():
        raise ConfigError(f"output {out} is a link; give the folder itself")
    if out.is_file():
        raise ConfigError(f"output {out} is a file; give a folder for the model")
    held = [p for p in out.iterdir() if p.name not in IGNORED] if out.is_dir() else []
    if held and not (out / marker).is_file():
        raise ConfigError(
            f"output {out} already holds files and no model of this kind (no {marker}); saving would replace the "
            "whole folder: give a new or empty folder, or a model folder of the same kind to overwrite"
        )


@contextmanager
def model_folder(out: Path, marker: str) -> Iterator[Path]:
    """A folder to write a model into (see ``check_output``); it replaces ``out`` only when the block ends without an
    error, so that a failed or interrupted save never leaves half a model where the old one was."""
    out = Path(out)
    check_output(out, marker)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        for path in tmp.iterdir():
            if path.is_file():
                path.chmod(0o644)
        tmp.chmod(0o755)  # mkdtemp makes it private
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
