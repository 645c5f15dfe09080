"""The job request: options read and validated, inputs, and the JSON body of the create call."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftlint.arguments import (DEFAULT_POLL_INTERVAL_SECONDS, MAX_PART_BYTES, METADATA_MAX_PAIRS,  # noqa: F401
                              SEED_MAX, SUFFIX_MAX_CHARS)
from ftlint.formats import METHODS
from ftlint.submit.errors import SubmitError

METADATA_KEY_MAX_CHARS = 64
METADATA_VALUE_MAX_CHARS = 512


@dataclass(frozen=True)
class JobSettings:
    """Everything from the command line that shapes the job request, validated."""

    model: str
    method: str | None  # None: detect from the training file
    n_epochs: int | None
    batch_size: int | None
    learning_rate_multiplier: float | None
    beta: float | None
    suffix: str | None
    seed: int | None
    metadata: dict[str, str]
    grader: dict | None
    # Together's own parameters (--learning-rate, --lora/--no-lora, --n-evals); None: not given.
    learning_rate: float | None = None
    lora: bool | None = None
    n_evals: int | None = None


@dataclass(frozen=True)
class InputSpec:
    """One of the job's two files: a local path to lint and upload, an existing file id, or both."""

    role: str  # "training" | "validation"
    path: Path | None
    file_id: str | None


def option(args, name: str, default: Any = None) -> Any:
    # The CLI owns part of the namespace; tolerate options it has not defined (yet).
    return getattr(args, name, default)


def read_inputs(args) -> tuple[InputSpec, InputSpec | None]:
    files = [Path(f) for f in (option(args, "files") or [])]
    training_id = option(args, "training_file_id")
    if training_id is not None and not training_id.strip():
        raise SubmitError("--training-file-id is empty")
    if len(files) > 1:
        raise SubmitError(
            f"--submit takes exactly one training FILE, got {len(files)}; pass the validation file with --validation FILE"
        )
    if not files and training_id is None:
        raise SubmitError("--submit needs the training FILE (or --training-file-id FILE_ID)")
    if files:
        _refuse_directory(files[0], "--submit uploads one training file")
    training = InputSpec("training", files[0] if files else None, training_id)

    validation_paths = option(args, "validation") or ()  # the CLI allows one with --submit
    validation_path = validation_paths[0] if validation_paths else None
    validation_id = option(args, "validation_file_id")
    if validation_id is not None and not validation_id.strip():
        raise SubmitError("--validation-file-id is empty")
    if validation_path is not None:
        _refuse_directory(Path(validation_path), "--submit uploads one validation file")
    validation = None
    if validation_path is not None or validation_id is not None:
        validation = InputSpec(
            "validation", Path(validation_path) if validation_path is not None else None, validation_id
        )
    return training, validation


def _refuse_directory(path: Path, uploads: str) -> None:
    """A directory where a job's file belongs: say what to pass instead (a job has one training file)."""
    if not path.is_dir():
        return
    from ftlint.escape import terminal

    try:
        inside = sorted(p.name for p in path.iterdir() if p.suffix == ".jsonl" and p.is_file())
    except OSError:
        inside = []
    shown = terminal(str(path))
    if len(inside) == 1:
        choice = terminal(str(path / inside[0]))
    elif inside:
        choice = (f"one of its {len(inside):,} .jsonl files, e.g. {terminal(str(path / inside[0]))} "
                  f"(ftlint {shown} lints them all)")
    else:
        choice = "a .jsonl file (it holds none)"
    raise SubmitError(f"{shown} is a directory; {uploads}: pass {choice}")


def _parse_metadata(pairs: list[str] | None) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SubmitError(f"--metadata expects KEY=VALUE, got {pair!r}")
        if len(key) > METADATA_KEY_MAX_CHARS:
            raise SubmitError(f"--metadata key {key[:20]!r}... is longer than {METADATA_KEY_MAX_CHARS} characters")
        if len(value) > METADATA_VALUE_MAX_CHARS:
            raise SubmitError(f"--metadata value for {key!r} is longer than {METADATA_VALUE_MAX_CHARS} characters")
        metadata[key] = value
    if len(metadata) > METADATA_MAX_PAIRS:
        raise SubmitError(f"--metadata: at most {METADATA_MAX_PAIRS} pairs, got {len(metadata)}")
    return metadata


def _read_grader(path: str | None) -> dict | None:
    if path is None:
        return None
    try:
        grader = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SubmitError(f"--grader: cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise SubmitError(f"--grader: {path} is not valid JSON: {exc}") from None
    if not isinstance(grader, dict) or "type" not in grader:
        raise SubmitError(f"--grader: {path} must hold a grader object with a \"type\"")
    return grader


def read_settings(args, example_model: str = "gpt-4o-mini-2024-07-18") -> JobSettings:
    """``example_model``: the model the "needs --model" error shows (the provider's default model)."""
    model = option(args, "model")
    if not model:
        raise SubmitError(f"--submit needs --model (e.g. --model {example_model})")
    method = option(args, "method")
    if method is not None and method not in METHODS:
        raise SubmitError(f"--method must be one of {', '.join(METHODS)}")
    # Upper bounds are the service's: OpenAI's in check_provider_options, the others' checked by
    # their SDK against the model's limits (Together) or by the service.
    n_epochs = option(args, "epochs")
    if n_epochs is not None and n_epochs < 1:
        raise SubmitError("--epochs must be at least 1")
    batch_size = option(args, "batch_size")
    if batch_size is not None and batch_size < 1:
        raise SubmitError("--batch-size must be at least 1")
    lr = option(args, "learning_rate_multiplier")
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise SubmitError("--learning-rate-multiplier must be greater than 0")
    beta = option(args, "beta")
    if beta is not None and not (math.isfinite(beta) and beta > 0):
        raise SubmitError("--beta must be greater than 0")
    suffix = option(args, "suffix")
    if suffix is not None and not 1 <= len(suffix) <= SUFFIX_MAX_CHARS:
        raise SubmitError(f"--suffix must be 1 to {SUFFIX_MAX_CHARS} characters, got {len(suffix)}")
    learning_rate = option(args, "learning_rate")
    if learning_rate is not None and not (math.isfinite(learning_rate) and learning_rate > 0):
        raise SubmitError("--learning-rate must be greater than 0")
    n_evals = option(args, "n_evals")
    if n_evals is not None and n_evals < 0:
        raise SubmitError("--n-evals must be 0 or more")
    seed = option(args, "seed")
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise SubmitError(f"--seed must be between 0 and {SEED_MAX}")
    part_size = option(args, "upload_part_size", MAX_PART_BYTES)
    if not 1 <= part_size <= MAX_PART_BYTES:
        raise SubmitError(f"--upload-part-size must be between 1 and {MAX_PART_BYTES} bytes")
    poll = option(args, "poll_interval", DEFAULT_POLL_INTERVAL_SECONDS)
    if not (math.isfinite(poll) and poll > 0):
        raise SubmitError("--poll-interval must be a positive number of seconds")
    return JobSettings(
        model=model,
        method=method,
        n_epochs=n_epochs,
        batch_size=batch_size,
        learning_rate_multiplier=lr,
        beta=beta,
        suffix=suffix,
        seed=seed,
        metadata=_parse_metadata(option(args, "metadata")),
        grader=_read_grader(option(args, "grader")),
        learning_rate=learning_rate,
        lora=option(args, "lora"),
        n_evals=n_evals,
    )


#: The options of the job request, by JobSettings field, and the SDKs whose job takes each
#: (the SDKs' create calls: openai fine_tuning.jobs, together fine_tuning, fireworks-ai
#: supervised_fine_tuning_jobs / dpo_jobs).
JOB_OPTIONS = (
    ("learning_rate_multiplier", "--learning-rate-multiplier", ("openai",)),
    ("grader", "--grader", ("openai",)),
    ("metadata", "--metadata", ("openai",)),
    ("learning_rate", "--learning-rate", ("together", "fireworks")),
    ("lora", "--lora/--no-lora", ("together",)),
    ("n_evals", "--n-evals", ("together",)),
    ("seed", "--seed", ("openai", "together")),
    ("beta", "--beta", ("openai", "together")),
)


def check_provider_options(settings: JobSettings, provider) -> None:
    """Options the provider's job request has no place for are usage errors, as is a suffix longer than it
    takes; ``provider`` is the run's :class:`ftlint.providers.Provider` (its ``[submit]`` table)."""
    policy = provider.submit
    for field_name, flag, sdks in JOB_OPTIONS:
        if policy.sdk not in sdks and getattr(settings, field_name) not in (None, {}):
            hint = ("; it takes --learning-rate (an absolute rate)"
                    if field_name == "learning_rate_multiplier" and "learning_rate" in _taken(policy.sdk) else "")
            raise SubmitError(f"{flag} does not apply to {provider.title} jobs{hint}")
    if policy.sdk == "openai":
        _check_openai_bounds(settings)
    limit = policy.suffix_max_chars
    if settings.suffix is not None and limit is not None and len(settings.suffix) > limit:
        raise SubmitError(f"--suffix must be 1 to {limit} characters for {provider.title}, got {len(settings.suffix)}")


#: The ranges OpenAI's job API takes (its API reference: n_epochs 1-50, batch_size 1-256, DPO beta
#: above 0 up to 2); Azure OpenAI's is the same API.
OPENAI_EPOCHS_MAX = 50
OPENAI_BATCH_SIZE_MAX = 256
OPENAI_BETA_MAX = 2


def _check_openai_bounds(settings: JobSettings) -> None:
    if settings.n_epochs is not None and settings.n_epochs > OPENAI_EPOCHS_MAX:
        raise SubmitError(f"--epochs must be between 1 and {OPENAI_EPOCHS_MAX}")
    if settings.batch_size is not None and settings.batch_size > OPENAI_BATCH_SIZE_MAX:
        raise SubmitError(f"--batch-size must be between 1 and {OPENAI_BATCH_SIZE_MAX}")
    if settings.beta is not None and settings.beta > OPENAI_BETA_MAX:
        raise SubmitError(f"--beta must be greater than 0 and at most {OPENAI_BETA_MAX}")


def _taken(sdk: str) -> tuple[str, ...]:
    return tuple(field_name for field_name, _, sdks in JOB_OPTIONS if sdk in sdks)


def check_method_options(settings: JobSettings, method: str) -> None:
    if settings.beta is not None and method != "dpo":
        raise SubmitError(f"--beta applies to dpo jobs only (this job's method is {method})")
    if method == "reinforcement" and settings.grader is None:
        raise SubmitError("reinforcement jobs need a grader: --grader grader.json")
    if settings.grader is not None and method != "reinforcement":
        raise SubmitError(f"--grader applies to reinforcement jobs only (this job's method is {method})")


def build_job_request(settings: JobSettings, method: str, training_file: str, validation_file: str | None) -> dict:
    """The JSON body of POST /fine_tuning/jobs (also the keyword arguments of jobs.create)."""
    hyperparameters: dict[str, Any] = {}
    if settings.n_epochs is not None:
        hyperparameters["n_epochs"] = settings.n_epochs
    if settings.batch_size is not None:
        hyperparameters["batch_size"] = settings.batch_size
    if settings.learning_rate_multiplier is not None:
        hyperparameters["learning_rate_multiplier"] = settings.learning_rate_multiplier
    if settings.beta is not None:
        hyperparameters["beta"] = settings.beta
    method_details: dict[str, Any] = {}
    if hyperparameters:
        method_details["hyperparameters"] = hyperparameters
    if settings.grader is not None:
        method_details["grader"] = settings.grader
    method_body: dict[str, Any] = {"type": method}
    if method_details:
        method_body[method] = method_details

    body: dict[str, Any] = {"model": settings.model, "training_file": training_file}
    if validation_file is not None:
        body["validation_file"] = validation_file
    if settings.suffix is not None:
        body["suffix"] = settings.suffix
    if settings.seed is not None:
        body["seed"] = settings.seed
    if settings.metadata:
        body["metadata"] = settings.metadata
    body["method"] = method_body
    return body

