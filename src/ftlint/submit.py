"""``ftlint --submit``: lint, then upload exactly the validated bytes and create the fine-tuning job.

Flow of :func:`run`:

1. Check the options (exit 2 on anything invalid), that the ``openai`` SDK is installed and that an
   API key is in the environment -- all before touching a file or the network.
2. Copy each input once into a private temporary directory, hashing while copying. The linter sees
   the snapshots, and the snapshots are what gets uploaded, so the bytes sent are the bytes checked
   even if the original file changes meanwhile.
3. Lint. Anything but exit 0 stops here; nothing is sent.
4. Upload (Files API up to :data:`FILES_API_MAX_BYTES`, the multi-part Uploads API above), or reuse
   an earlier upload of the same bytes recorded in the state file; wait until the file is processed.
5. Create the job; with ``--wait`` follow its events until it ends.

The openai SDK is imported lazily: plain linting (and ``--dry-run``) must work without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shlex
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TextIO

from ftlint.submit_state import UploadState, state_key_for_base_url

# --- Service limits (openai-ft-facts.md section 3 / 5). Module attributes so tests can lower them. ---
# "512 MB" is not documented as MiB; stay on the safe side and switch to the Uploads API at 512e6.
FILES_API_MAX_BYTES = 512 * 1000 * 1000
# Same reasoning for the documented 8 GB cap of one Upload.
UPLOADS_API_MAX_BYTES = 8 * 1000 * 1000 * 1000
# The SDK's own chunked uploader uses 64 MiB parts, so the service accepts that much per part.
MAX_PART_BYTES = 64 * 1024 * 1024
FILE_PROCESSING_TIMEOUT_SECONDS = 30 * 60

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_STATE_FILE = ".ftlint/uploads.json"
DEFAULT_POLL_INTERVAL_SECONDS = 5.0
SEED_MAX = 2_147_483_647
SUFFIX_MAX_CHARS = 64
METADATA_MAX_PAIRS = 16
METADATA_KEY_MAX_CHARS = 64
METADATA_VALUE_MAX_CHARS = 512
UPLOAD_PURPOSE = "fine-tune"
METHODS = ("supervised", "dpo", "reinforcement")
TERMINAL_FAILURE_STATUSES = ("failed", "cancelled")

EXIT_OK = 0
EXIT_FAILED = 1  # lint problems, a file the service rejected, a failed or cancelled job
EXIT_USAGE = 2  # options, configuration, authentication, network

INSTALL_HINT = "--submit needs the openai SDK: pip install 'ftlint[submit]'"
NO_KEY_MESSAGE = (
    "--submit needs an API key: set OPENAI_API_KEY (nothing was linted or sent)"
)
WIND_DOWN_MESSAGE = (
    "OpenAI refused to create the job: it is winding down self-serve fine-tuning and this organisation "
    "can no longer create fine-tuning jobs (no organisation can after 2027-01-06). Your files are still "
    "valid; to train on them use an OpenAI-compatible provider with --base-url URL."
)

_LINT_FAILED_MESSAGE = "not submitting: lint did not pass (exit {code}); nothing was uploaded"


class SubmitError(Exception):
    """A failure reported as one line (plus optional hint lines) and an exit code; no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, hints: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hints = hints


# ------------------------------------------------------------------------------------------------
# Arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the 'submit' argument group. --model, --epochs, --validation, --method and --strict are
    the CLI's own (shared with linting); :func:`run` reads them from the namespace."""
    group = parser.add_argument_group(
        "submit", "upload the linted files and create a fine-tuning job (needs: pip install 'ftlint[submit]')"
    )
    group.add_argument("--submit", action="store_true", help="after a clean lint, upload the files and create the job")
    group.add_argument("--dry-run", action="store_true", help="with --submit: show what would be sent, send nothing")
    group.add_argument("--wait", action="store_true", help="follow the job's events until it ends")
    group.add_argument("--suffix", help=f"fine-tuned model name suffix (1-{SUFFIX_MAX_CHARS} characters)")
    group.add_argument("--seed", type=int, help=f"training seed (0-{SEED_MAX})")
    group.add_argument("--base-url", help="API base URL of an OpenAI-compatible service (default: $OPENAI_BASE_URL or OpenAI)")
    group.add_argument("--training-file-id", metavar="FILE_ID", help="use this uploaded file instead of uploading")
    group.add_argument("--validation-file-id", metavar="FILE_ID", help="use this uploaded validation file")
    group.add_argument("--reupload", action="store_true", help="upload even if the state file records these bytes")
    group.add_argument("--batch-size", type=int, help="hyperparameter batch_size (1-256; default auto)")
    group.add_argument("--learning-rate-multiplier", type=float, help="hyperparameter learning_rate_multiplier (> 0)")
    group.add_argument("--beta", type=float, help="DPO hyperparameter beta (0 < beta <= 2)")
    group.add_argument("--grader", metavar="JSON_FILE", help="reinforcement jobs: the grader object, as a JSON file")
    group.add_argument(
        "--metadata", action="append", default=None, metavar="KEY=VALUE",
        help=f"job metadata (repeatable, at most {METADATA_MAX_PAIRS} pairs)",
    )
    group.add_argument(
        "--poll-interval", type=float, default=DEFAULT_POLL_INTERVAL_SECONDS, metavar="SECONDS",
        help=f"seconds between status checks (default {DEFAULT_POLL_INTERVAL_SECONDS:g})",
    )
    group.add_argument(
        "--upload-part-size", type=int, default=MAX_PART_BYTES, metavar="BYTES",
        help="part size for the multi-part Uploads API (default and maximum 64 MiB)",
    )
    group.add_argument(
        "--state-file", default=DEFAULT_STATE_FILE, metavar="PATH",
        help=f"record of uploaded files, for idempotence (default {DEFAULT_STATE_FILE})",
    )


# ------------------------------------------------------------------------------------------------
# Output with redaction


_KEY_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)\b(bearer)\s+[^\s'\"]+"),
    re.compile(r"(?i)\b(api[-_]?key[\"']?\s*[:=]\s*[\"']?)[^\s'\",}]+"),
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove the API key, and anything shaped like a key, from text meant for a human."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    text = _KEY_PATTERNS[0].sub("sk-[REDACTED]", text)
    text = _KEY_PATTERNS[1].sub(lambda m: f"{m.group(1)} [REDACTED]", text)
    return _KEY_PATTERNS[2].sub(lambda m: f"{m.group(1)}[REDACTED]", text)


def _environment_secrets() -> tuple[str, ...]:
    names = ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "AZURE_OPENAI_API_KEY")
    # Short values would redact ordinary words; real keys are long.
    return tuple(v for v in (os.environ.get(n, "").strip() for n in names) if len(v) >= 8)


class _Console:
    """Every line ftlint --submit prints goes through here, redacted."""

    def __init__(self, stdout: TextIO, stderr: TextIO):
        self._stdout = stdout
        self._stderr = stderr
        self._secrets = _environment_secrets()
        isatty = getattr(stdout, "isatty", None)
        self.is_tty = bool(isatty and isatty())
        self._progress_shown = False

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self._stdout.write("\r\x1b[K")
            self._progress_shown = False

    def out(self, text: str = "") -> None:
        self._clear_progress()
        self._stdout.write(redact(text, self._secrets) + "\n")
        self._stdout.flush()

    def err(self, text: str) -> None:
        self._clear_progress()
        self._stdout.flush()
        self._stderr.write(redact(text, self._secrets) + "\n")
        self._stderr.flush()

    def progress(self, text: str) -> None:
        """A single self-overwriting status line; only on a terminal, never in logs or pipes."""
        if not self.is_tty:
            return
        self._stdout.write("\r\x1b[K" + redact(text, self._secrets))
        self._stdout.flush()
        self._progress_shown = True

    def end_progress(self) -> None:
        self._clear_progress()


# ------------------------------------------------------------------------------------------------
# Settings


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


@dataclass(frozen=True)
class InputSpec:
    """One of the job's two files: a local path to lint and upload, an existing file id, or both."""

    role: str  # "training" | "validation"
    path: Path | None
    file_id: str | None


def _arg(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    # The CLI owns part of the namespace; tolerate options it has not defined (yet).
    return getattr(args, name, default)


def _read_inputs(args: argparse.Namespace) -> tuple[InputSpec, InputSpec | None]:
    files = [Path(f) for f in (_arg(args, "files") or [])]
    training_id = _arg(args, "training_file_id")
    if training_id is not None and not training_id.strip():
        raise SubmitError("--training-file-id is empty")
    if len(files) > 1:
        raise SubmitError(
            f"--submit takes exactly one training FILE, got {len(files)}; pass the validation file with --validation FILE"
        )
    if not files and training_id is None:
        raise SubmitError("--submit needs the training FILE (or --training-file-id FILE_ID)")
    training = InputSpec("training", files[0] if files else None, training_id)

    validation_paths = _arg(args, "validation") or ()  # the CLI allows one with --submit
    validation_path = validation_paths[0] if validation_paths else None
    validation_id = _arg(args, "validation_file_id")
    if validation_id is not None and not validation_id.strip():
        raise SubmitError("--validation-file-id is empty")
    validation = None
    if validation_path is not None or validation_id is not None:
        validation = InputSpec(
            "validation", Path(validation_path) if validation_path is not None else None, validation_id
        )
    return training, validation


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


def _read_settings(args: argparse.Namespace) -> JobSettings:
    model = _arg(args, "model")
    if not model:
        raise SubmitError("--submit needs --model (e.g. --model gpt-4.1-mini-2025-04-14)")
    method = _arg(args, "method")
    if method is not None and method not in METHODS:
        raise SubmitError(f"--method must be one of {', '.join(METHODS)}")
    n_epochs = _arg(args, "epochs")
    if n_epochs is not None and not 1 <= n_epochs <= 50:
        raise SubmitError("--epochs must be between 1 and 50")
    batch_size = _arg(args, "batch_size")
    if batch_size is not None and not 1 <= batch_size <= 256:
        raise SubmitError("--batch-size must be between 1 and 256")
    lr = _arg(args, "learning_rate_multiplier")
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise SubmitError("--learning-rate-multiplier must be greater than 0")
    beta = _arg(args, "beta")
    if beta is not None and not (math.isfinite(beta) and 0 < beta <= 2):
        raise SubmitError("--beta must be greater than 0 and at most 2")
    suffix = _arg(args, "suffix")
    if suffix is not None and not 1 <= len(suffix) <= SUFFIX_MAX_CHARS:
        raise SubmitError(f"--suffix must be 1 to {SUFFIX_MAX_CHARS} characters, got {len(suffix)}")
    seed = _arg(args, "seed")
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise SubmitError(f"--seed must be between 0 and {SEED_MAX}")
    part_size = _arg(args, "upload_part_size", MAX_PART_BYTES)
    if not 1 <= part_size <= MAX_PART_BYTES:
        raise SubmitError(f"--upload-part-size must be between 1 and {MAX_PART_BYTES} bytes")
    poll = _arg(args, "poll_interval", DEFAULT_POLL_INTERVAL_SECONDS)
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
        metadata=_parse_metadata(_arg(args, "metadata")),
        grader=_read_grader(_arg(args, "grader")),
    )


def _check_method_options(settings: JobSettings, method: str) -> None:
    if settings.beta is not None and method != "dpo":
        raise SubmitError(f"--beta applies to dpo jobs only (this job's method is {method})")
    if method == "reinforcement" and settings.grader is None:
        raise SubmitError("reinforcement jobs need a grader: --grader grader.json")
    if settings.grader is not None and method != "reinforcement":
        raise SubmitError(f"--grader applies to reinforcement jobs only (this job's method is {method})")


def resolve_base_url(explicit: str | None) -> str:
    """The base URL the SDK will use, with the SDK's own precedence: option, $OPENAI_BASE_URL, OpenAI."""
    url = explicit or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    return url.rstrip("/")


# ------------------------------------------------------------------------------------------------
# Snapshots and method detection


@dataclass(frozen=True)
class Snapshot:
    """A private copy of one input file, with the digests of exactly those bytes."""

    role: str
    original: Path
    path: Path
    size: int
    sha256: str
    md5: str  # sent with the Uploads API's complete call, which checks it

    @property
    def upload_filename(self) -> str:
        # The service takes fine-tuning data only from files named *.jsonl.
        name = self.original.name or "data.jsonl"
        return name if name.endswith(".jsonl") else f"{name}.jsonl"


_COPY_CHUNK_BYTES = 1024 * 1024


def take_snapshot(role: str, original: Path, directory: Path) -> Snapshot:
    """Copy ``original`` into ``directory`` once, hashing the bytes on the way."""
    target_dir = directory / role  # training and validation may share a basename
    target_dir.mkdir(mode=0o700)
    target = target_dir / (original.name or "data.jsonl")
    sha256, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    try:
        with open(original, "rb") as source, open(target, "xb") as copy:
            while chunk := source.read(_COPY_CHUNK_BYTES):
                sha256.update(chunk)
                md5.update(chunk)
                copy.write(chunk)
                size += len(chunk)
    except IsADirectoryError:
        raise SubmitError(f"{original}: is a directory, not a JSONL file") from None
    except OSError as exc:
        raise SubmitError(f"cannot read {original}: {exc.strerror or exc}") from None
    return Snapshot(role, original, target, size, sha256.hexdigest(), md5.hexdigest())


def detect_method(path: Path) -> str:
    """Guess the training method from the first JSON line: ``dpo`` for input + preferred_output,
    ``supervised`` otherwise (also the service's default when no method is sent). Reinforcement
    files look like chat files, so that method must be asked for with --method."""
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if raw.strip():
                    first = json.loads(raw)
                    break
            else:
                return "supervised"
    except (OSError, ValueError):
        return "supervised"
    if isinstance(first, dict) and "input" in first and "preferred_output" in first:
        return "dpo"
    return "supervised"


# ------------------------------------------------------------------------------------------------
# The job request


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


# ------------------------------------------------------------------------------------------------
# Upload planning (shared by --dry-run and the real run)


@dataclass
class FileSlot:
    """One job input on its way to a file id."""

    spec: InputSpec
    snapshot: Snapshot | None
    file_id: str | None = None
    uploaded_now: bool = False

    @property
    def label(self) -> str:
        return str(self.spec.path) if self.spec.path is not None else self.spec.file_id or "?"


def _upload_route(size: int, part_size: int) -> str:
    if size > UPLOADS_API_MAX_BYTES:
        raise SubmitError(
            f"file is {size} bytes; the service accepts at most {UPLOADS_API_MAX_BYTES} bytes per upload",
        )
    if size <= FILES_API_MAX_BYTES:
        return "Files API (POST /files)"
    parts = -(-size // part_size)
    return f"Uploads API (POST /uploads, {parts} parts of at most {part_size} bytes, md5 checked)"


def _check_sizes(slots: list[FileSlot], part_size: int) -> None:
    for slot in slots:
        if slot.snapshot is not None and slot.spec.file_id is None:
            try:
                _upload_route(slot.snapshot.size, part_size)
            except SubmitError as exc:
                raise SubmitError(f"{slot.label}: {exc.message}") from None


def _human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def _print_dry_run(
    console: _Console, slots: list[FileSlot], state: UploadState, base_url: str, settings: JobSettings,
    method: str, reupload: bool, part_size: int, lint_code: int | None,
) -> None:
    console.out(f"dry run: nothing is sent. Service: {state_key_for_base_url(base_url)}")
    placeholders: dict[str, str] = {}
    for slot in slots:
        console.out(f"{slot.spec.role} file: {slot.label}")
        snap = slot.snapshot
        if snap is not None:
            console.out(f"  size:    {snap.size} bytes ({_human_size(snap.size)})")
            console.out(f"  sha256:  {snap.sha256}")
        record = state.lookup(base_url, snap.sha256) if snap is not None else None
        if slot.spec.file_id is not None:
            console.out(f"  upload:  none; uses existing {slot.spec.file_id} (--{slot.spec.role}-file-id)")
            placeholders[slot.spec.role] = slot.spec.file_id
        elif record is not None and not reupload:
            console.out(f"  upload:  none; reuses {record['file_id']} recorded in {state.path} (checked on a real run)")
            placeholders[slot.spec.role] = record["file_id"]
        else:
            assert snap is not None
            console.out(f"  upload:  {_upload_route(snap.size, part_size)} as {snap.upload_filename!r}, purpose={UPLOAD_PURPOSE}")
            placeholders[slot.spec.role] = f"<file id of {snap.upload_filename}>"
    body = build_job_request(settings, method, placeholders["training"], placeholders.get("validation"))
    console.out("job request (POST /fine_tuning/jobs):")
    console.out(json.dumps(body, indent=2))
    if lint_code:
        console.out(f"lint did not pass (exit {lint_code}): a real run would stop before uploading anything")


# ------------------------------------------------------------------------------------------------
# Talking to the service


def _import_openai():
    try:
        import openai
    except ImportError:
        raise SubmitError(INSTALL_HINT) from None
    return openai


def _require_api_key() -> None:
    if not os.environ.get("OPENAI_API_KEY", "").strip():
        raise SubmitError(NO_KEY_MESSAGE)


def is_wind_down_error(exc: Exception) -> bool:
    """The 403 OpenAI returns to organisations that may no longer create fine-tuning jobs."""
    code = getattr(exc, "code", None)
    message = str(getattr(exc, "message", "") or "").lower()
    return code == "training_not_available" or "winding down" in message


def describe_api_error(openai_module, exc: Exception, base_url: str) -> SubmitError:
    """One clear line for an SDK exception. The SDK already retried 429s, 5xx and connection errors."""
    o = openai_module
    server_message = _server_message(exc)
    where = state_key_for_base_url(base_url)
    if isinstance(exc, o.AuthenticationError):
        return SubmitError(f"authentication failed (401) at {where}: {server_message}; check OPENAI_API_KEY")
    if isinstance(exc, o.PermissionDeniedError):
        if is_wind_down_error(exc):
            return SubmitError(WIND_DOWN_MESSAGE + f" Server said: {server_message}")
        return SubmitError(f"permission denied (403) at {where}: {server_message}")
    if isinstance(exc, o.NotFoundError):
        return SubmitError(f"not found (404): {server_message}")
    if isinstance(exc, o.RateLimitError):
        return SubmitError(f"rate limited (429) even after retries: {server_message}; try again later")
    if isinstance(exc, o.APIStatusError):
        status = exc.status_code
        kind = "server error" if status >= 500 else "request rejected"
        return SubmitError(f"{kind} ({status}): {server_message}")
    if isinstance(exc, o.APITimeoutError):
        return SubmitError(f"request to {where} timed out (after retries)")
    if isinstance(exc, o.APIConnectionError):
        return SubmitError(f"cannot connect to {where} (after retries): {exc.__cause__ or exc}")
    return SubmitError(f"{type(exc).__name__}: {exc}")


def _server_message(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    # The SDK hands us the inner "error" object; prefer its own message over the SDK's summary.
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        message = body["message"]
    param = getattr(exc, "param", None)
    code = getattr(exc, "code", None)
    details = ", ".join(f"{k}: {v}" for k, v in (("code", code), ("param", param)) if v)
    return f"{message} ({details})" if details else message


def _make_client(openai_module, base_url: str):
    # Credentials, organisation and project come from the environment, read by the SDK itself.
    # Retries with backoff on 429 / 5xx / connection errors are the SDK's (max_retries).
    return openai_module.OpenAI(base_url=base_url)


class _Submission:
    """The real (non-dry) run once the snapshots passed lint: uploads, job, following."""

    def __init__(self, openai_module, client, console: _Console, state: UploadState, base_url: str,
                 part_size: int, poll_interval: float, reupload: bool):
        self.openai = openai_module
        self.client = client
        self.console = console
        self.state = state
        self.base_url = base_url
        self.part_size = part_size
        self.poll_interval = poll_interval
        self.reupload = reupload

    # -- files --

    def resolve(self, slot: FileSlot) -> None:
        """Give ``slot`` a processed file id: the given one, a recorded one, or a new upload."""
        snap = slot.snapshot
        if slot.spec.file_id is not None:
            self._use_given_id(slot)
        elif snap is not None and not self.reupload and self._reuse_recorded(slot):
            pass
        else:
            assert snap is not None
            slot.file_id = self._upload(snap)
            slot.uploaded_now = True
        self._wait_until_processed(slot)

    def _use_given_id(self, slot: FileSlot) -> None:
        file_id = slot.spec.file_id
        assert file_id is not None
        remote = self._retrieve_file(file_id)
        if remote is None:
            raise SubmitError(f"--{slot.spec.role}-file-id {file_id}: no such file at {state_key_for_base_url(self.base_url)}")
        snap = slot.snapshot
        if snap is not None:
            # The FILE was linted; make sure the id plausibly holds those bytes.
            record = self.state.lookup(self.base_url, snap.sha256)
            if record is not None and record["file_id"] != file_id:
                raise SubmitError(
                    f"{slot.label} was uploaded as {record['file_id']} (state file), not {file_id}; "
                    f"pass --{slot.spec.role}-file-id {record['file_id']}, or drop FILE to submit {file_id} unchecked"
                )
            remote_size = getattr(remote, "bytes", None)
            if remote_size is not None and remote_size != snap.size:
                raise SubmitError(
                    f"{file_id} holds {remote_size} bytes but {slot.label} has {snap.size}: they are not the same file"
                )
            if record is None:
                self.console.err(
                    f"ftlint: warning: {file_id} is not in the state file; only its size matches {slot.label}"
                )
        slot.file_id = file_id
        self.console.out(f"{slot.spec.role} file: using {file_id}")

    def _reuse_recorded(self, slot: FileSlot) -> bool:
        snap = slot.snapshot
        assert snap is not None
        record = self.state.lookup(self.base_url, snap.sha256)
        if record is None:
            return False
        remote = self._retrieve_file(record["file_id"])
        stale = (
            remote is None
            or getattr(remote, "status", None) == "error"
            or getattr(remote, "bytes", snap.size) != snap.size
        )
        if stale:
            self.console.out(f"{slot.spec.role} file: recorded upload {record['file_id']} is gone or unusable; uploading again")
            self.state.forget(self.base_url, snap.sha256)
            self.state.save()
            return False
        slot.file_id = record["file_id"]
        self.console.out(f"{slot.spec.role} file: {slot.label} already uploaded as {slot.file_id} (same sha256); not uploading again")
        return True

    def _retrieve_file(self, file_id: str):
        try:
            return self.client.files.retrieve(file_id)
        except self.openai.NotFoundError:
            return None

    def _upload(self, snap: Snapshot) -> str:
        route = _upload_route(snap.size, self.part_size)
        self.console.out(f"{snap.role} file: uploading {snap.original} ({_human_size(snap.size)}, sha256 {snap.sha256}) via {route}")
        if snap.size <= FILES_API_MAX_BYTES:
            with open(snap.path, "rb") as handle:
                file_object = self.client.files.create(
                    file=(snap.upload_filename, handle, "application/jsonl"), purpose=UPLOAD_PURPOSE
                )
        else:
            file_object = self._upload_in_parts(snap)
        # Record at once: if anything later fails, the next run reuses this upload.
        self.state.record(self.base_url, snap.sha256, file_id=file_object.id, size=snap.size, filename=snap.upload_filename)
        self.state.save()
        self.console.out(f"{snap.role} file: uploaded as {file_object.id}")
        return file_object.id

    def _upload_in_parts(self, snap: Snapshot):
        upload = self.client.uploads.create(
            bytes=snap.size, filename=snap.upload_filename, mime_type="text/jsonl", purpose=UPLOAD_PURPOSE
        )
        total_parts = -(-snap.size // self.part_size)
        try:
            part_ids = []
            with open(snap.path, "rb") as handle:
                for number in range(1, total_parts + 1):
                    self.console.progress(f"  part {number}/{total_parts} of {snap.upload_filename}")
                    part = self.client.uploads.parts.create(upload_id=upload.id, data=handle.read(self.part_size))
                    part_ids.append(part.id)
            self.console.end_progress()
            completed = self.client.uploads.complete(upload_id=upload.id, part_ids=part_ids, md5=snap.md5)
        except BaseException:
            self.console.end_progress()
            self._cancel_upload_quietly(upload.id)
            raise
        if completed.file is None:
            raise SubmitError(f"upload {upload.id} completed without a file object (status {completed.status})")
        return completed.file

    def _cancel_upload_quietly(self, upload_id: str) -> None:
        # Tidy-up only: an abandoned Upload expires on its own after an hour.
        try:
            self.client.with_options(max_retries=0).uploads.cancel(upload_id)
        except Exception:
            pass

    def _wait_until_processed(self, slot: FileSlot) -> None:
        file_id = slot.file_id
        assert file_id is not None
        deadline = time.monotonic() + FILE_PROCESSING_TIMEOUT_SECONDS
        while True:
            remote = self.client.files.retrieve(file_id)
            # `status` is deprecated and may be missing; absent means nothing left to wait for.
            status = getattr(remote, "status", None)
            if status in (None, "processed"):
                return
            if status == "error":
                if slot.snapshot is not None:
                    self.state.forget(self.base_url, slot.snapshot.sha256)
                    self.state.save()
                details = getattr(remote, "status_details", None) or "no details given"
                raise SubmitError(f"the service could not process {slot.label} ({file_id}): {details}", EXIT_FAILED)
            if time.monotonic() > deadline:
                raise SubmitError(f"{file_id} is still {status!r} after {FILE_PROCESSING_TIMEOUT_SECONDS // 60} minutes")
            self.console.progress(f"  waiting for {file_id} to be processed ({status})")
            time.sleep(self.poll_interval)
            self.console.end_progress()

    # -- job --

    def create_job(self, body: dict):
        return self.client.fine_tuning.jobs.create(**body)

    def follow(self, job_id: str) -> int:
        """Print the job's events oldest first, each once, until it succeeds (0) or fails (1)."""
        seen_event_ids: set[str] = set()
        last_status = None
        progress = ""
        while True:
            job = self.client.fine_tuning.jobs.retrieve(job_id)
            for event in self._new_events(job_id, seen_event_ids):
                self.console.out(_format_event(event))
                progress = _progress_from_event(event) or progress
            status = job.status
            if status != last_status:
                self.console.out(f"status: {status}")
                last_status = status
            if status == "succeeded":
                self.console.out(f"fine-tuned model: {job.fine_tuned_model}")
                return EXIT_OK
            if status in TERMINAL_FAILURE_STATUSES:
                self.console.err(_describe_job_failure(job))
                return EXIT_FAILED
            # Anything else (validating_files, queued, running, and the undocumented `paused`)
            # means the job is not finished: keep following.
            self.console.progress(f"[{status}] {progress}".rstrip())
            time.sleep(self.poll_interval)

    def _new_events(self, job_id: str, seen_event_ids: set[str]) -> list:
        # The service lists events newest first; walk back until a known one, then flip the order.
        fresh = []
        for event in self.client.fine_tuning.jobs.list_events(job_id, limit=100):
            if event.id in seen_event_ids:
                break
            fresh.append(event)
        fresh.reverse()
        seen_event_ids.update(event.id for event in fresh)
        return fresh


def _format_event(event) -> str:
    when = datetime.fromtimestamp(event.created_at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    level = getattr(event, "level", "info")
    marker = "" if level == "info" else f"{str(level).upper()}: "
    return f"[{when}] {marker}{event.message}"


def _progress_from_event(event) -> str | None:
    data = getattr(event, "data", None)
    if getattr(event, "type", None) != "metrics" or not isinstance(data, dict) or "step" not in data:
        return None
    text = f"step {data['step']}"
    if data.get("total_steps"):
        text += f"/{data['total_steps']}"
    if data.get("train_loss") is not None:
        text += f" train_loss={data['train_loss']:.4g}"
    if data.get("valid_loss") is not None:
        text += f" valid_loss={data['valid_loss']:.4g}"
    return text


def _describe_job_failure(job) -> str:
    error = getattr(job, "error", None)
    message = getattr(error, "message", None)
    if job.status == "cancelled" and not message:
        return f"ftlint: fine-tuning job {job.id} was cancelled"
    details = ", ".join(
        f"{name}: {value}" for name, value in (("code", getattr(error, "code", None)), ("param", getattr(error, "param", None))) if value
    )
    text = f"ftlint: fine-tuning job {job.id} {job.status}: {message or 'no error message given'}"
    return f"{text} ({details})" if details else text


# ------------------------------------------------------------------------------------------------
# Recovery hints


def _retry_command(args: argparse.Namespace, settings: JobSettings, method: str, slots: list[FileSlot]) -> str:
    """The command that creates the job from the files already uploaded, without uploading again."""
    words = ["ftlint", "--submit"]
    for slot in slots:
        if slot.file_id is not None:
            words += [f"--{slot.spec.role}-file-id", slot.file_id]
    words += ["--model", settings.model, "--method", method]
    optional = (
        ("--epochs", settings.n_epochs), ("--batch-size", settings.batch_size),
        ("--learning-rate-multiplier", settings.learning_rate_multiplier), ("--beta", settings.beta),
        ("--suffix", settings.suffix), ("--seed", settings.seed), ("--grader", _arg(args, "grader")),
    )
    for flag, value in optional:
        if value is not None:
            words += [flag, str(value)]
    for key, value in settings.metadata.items():
        words += ["--metadata", f"{key}={value}"]
    if _arg(args, "base_url"):
        words += ["--base-url", _arg(args, "base_url")]
    if _arg(args, "wait"):
        words.append("--wait")
    return shlex.join(words)


def _recovery_hints(args, settings, method, slots) -> tuple[str, ...]:
    with_ids = [slot for slot in slots if slot.file_id is not None]
    if not with_ids:
        return ()
    files = ", ".join(f"{slot.spec.role} {slot.file_id}" for slot in with_ids)
    if len(with_ids) < len(slots):
        # Uploads are recorded in the state file as soon as they finish, so a plain re-run reuses them.
        return (f"ftlint: already uploaded: {files} (recorded in the state file; running again will not re-upload them)",)
    return (
        f"ftlint: the files exist on the service ({files}); to retry without uploading again run:",
        "  " + _retry_command(args, settings, method, slots),
    )


# ------------------------------------------------------------------------------------------------
# Entry point


def run(
    args: argparse.Namespace,
    lint: Callable[[list[Path], list[str]], int],
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Lint the inputs and, when clean, upload them and create the job. Returns the exit code:
    0 ok, 1 lint problems / file rejected / job failed, 2 usage, configuration, auth or network."""
    console = _Console(stdout, stderr)
    try:
        return _run(args, lint, console)
    except SubmitError as exc:
        console.err(f"ftlint: {exc.message}")
        for hint in exc.hints:
            console.err(hint)
        return exc.exit_code
    except KeyboardInterrupt:
        console.err("ftlint: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001
        # No raw traceback: frames and URLs may carry credentials. FTLINT_DEBUG=1 shows a redacted one.
        if os.environ.get("FTLINT_DEBUG"):
            console.err("".join(traceback.format_exception(exc)).rstrip())
        console.err(f"ftlint: internal error during --submit: {type(exc).__name__}: {exc}")
        return EXIT_USAGE


def _run(args: argparse.Namespace, lint: Callable[[list[Path], list[str]], int], console: _Console) -> int:
    dry_run = bool(_arg(args, "dry_run"))
    training, validation = _read_inputs(args)
    settings = _read_settings(args)
    part_size = _arg(args, "upload_part_size", MAX_PART_BYTES)
    openai_module = None
    if not dry_run:
        openai_module = _import_openai()
        _require_api_key()
    base_url = resolve_base_url(_arg(args, "base_url"))
    state = UploadState.load(Path(_arg(args, "state_file", DEFAULT_STATE_FILE)))
    if state.load_warning:
        console.err(f"ftlint: warning: {state.load_warning}")

    specs = [training] + ([validation] if validation is not None else [])
    with tempfile.TemporaryDirectory(prefix="ftlint-submit-") as private_dir:
        slots = [
            FileSlot(spec, take_snapshot(spec.role, spec.path, Path(private_dir)) if spec.path is not None else None)
            for spec in specs
        ]
        _check_sizes(slots, part_size)
        with_files = [slot for slot in slots if slot.snapshot is not None]
        lint_code = None
        if with_files:
            lint_code = lint([slot.snapshot.path for slot in with_files], [str(slot.spec.path) for slot in with_files])
            if lint_code != 0 and not dry_run:
                console.err("ftlint: " + _LINT_FAILED_MESSAGE.format(code=lint_code))
                return lint_code

        training_snapshot = slots[0].snapshot
        method = settings.method or (detect_method(training_snapshot.path) if training_snapshot else "supervised")
        _check_method_options(settings, method)

        if dry_run:
            _print_dry_run(console, slots, state, base_url, settings, method, bool(_arg(args, "reupload")), part_size, lint_code)
            return lint_code or EXIT_OK

        assert openai_module is not None
        client = _make_client(openai_module, base_url)
        submission = _Submission(
            openai_module, client, console, state, base_url, part_size,
            _arg(args, "poll_interval", DEFAULT_POLL_INTERVAL_SECONDS), bool(_arg(args, "reupload")),
        )
        try:
            for slot in slots:
                submission.resolve(slot)
            body = build_job_request(settings, method, slots[0].file_id, slots[1].file_id if len(slots) > 1 else None)
            job = submission.create_job(body)
        except (SubmitError, openai_module.APIError) as exc:
            error = exc if isinstance(exc, SubmitError) else describe_api_error(openai_module, exc, base_url)
            error.hints = error.hints + _recovery_hints(args, settings, method, slots)
            raise error from None

    console.out(f"created fine-tuning job {job.id} (status: {job.status})")
    if not _arg(args, "wait"):
        return EXIT_OK
    try:
        return submission.follow(job.id)
    except openai_module.APIError as exc:
        error = describe_api_error(openai_module, exc, base_url)
        error.hints += (f"ftlint: the job {job.id} was created and keeps running; only following it failed",)
        raise error from None
    except KeyboardInterrupt:
        console.end_progress()
        console.err(f"ftlint: stopped following; job {job.id} keeps running on the server")
        return 130
