"""``ftlint --submit``: lint, then upload exactly the validated bytes and create the fine-tuning job.

Flow of :func:`run`, one module per job:

1. Check the options (exit 2 on anything invalid), that the model still takes new jobs
   (ftlint.retirement, with the date ``FTLINT_TODAY`` pins), that the SDK is installed and
   that the provider's API key is in the environment -- all before touching a file or the
   network (:mod:`.request`, :mod:`.service`).
2. Copy each input once into a private temporary directory, hashing while copying. The linter sees
   the snapshots, and the snapshots are what gets uploaded, so the bytes sent are the bytes checked
   even if the original file changes meanwhile (:mod:`.snapshot`).
3. Lint. Anything but exit 0 stops here; nothing is sent.
4. Upload (Files API, or the multi-part Uploads API above its limit), or reuse an earlier
   upload of the same bytes recorded in the state file; wait until the file is processed (:mod:`.upload`).
5. Create the job; with ``--wait`` follow its events until it ends (:mod:`.follow`).

Steps 4 and 5 go through the provider's official SDK, one backend each (:mod:`.backend`:
openai for OpenAI and Azure OpenAI, :mod:`.together` for Together AI).
   ``--follow JOB_ID`` does step 5 alone for a job created earlier.

Everything printed goes through :class:`.console.Console` (keys redacted, server text escaped
and bounded). The SDKs are imported lazily: plain linting and ``--dry-run`` work without them.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from ftlint import tempfiles
from ftlint.entry import interrupted_line
from ftlint.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ftlint.submit.console import Console, redact, server_text
from ftlint.submit.errors import SubmitError
from ftlint.submit.backend import backend_for
from ftlint.arguments import DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_STATE_FILE, MAX_PART_BYTES
from ftlint.submit.request import (
    JobSettings,
    check_provider_options,
    option,
    read_inputs,
    read_settings,
)
from ftlint.submit.service import (
    Service,
    patiently,
    resolve_service,
)
from ftlint.submit.snapshot import detect_method, take_snapshot
from ftlint.submit.upload import FileSlot, print_dry_run
from ftlint.submit_state import UploadState

__all__ = ["Linted", "SubmitError", "detect_method", "follow_job", "redact", "run"]


@dataclass(frozen=True)
class Linted:
    """What linting the snapshots decided: the exit code, and the training method the training file was
    linted for (ftlint.method: the format's, or the one the model and data call for, with ``why``).
    The job is created with that method, so the request never trains what was not checked."""

    code: int
    method: str | None = None
    why: str | None = None

_LINT_FAILED_MESSAGE = "not submitting: lint did not pass (exit {code}); nothing was uploaded"


# ------------------------------------------------------------------------------------------------
# Arguments


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
        ("--suffix", settings.suffix), ("--seed", settings.seed), ("--grader", option(args, "grader")),
        ("--learning-rate", settings.learning_rate), ("--n-evals", settings.n_evals),
    )
    for flag, value in optional:
        if value is not None:
            words += [flag, str(value)]
    if settings.lora is not None:
        words.append("--lora" if settings.lora else "--no-lora")
    for key, value in settings.metadata.items():
        words += ["--metadata", f"{key}={value}"]
    provider = _provider_id(args)
    if provider and (option(args, "provider") or provider != "openai"):
        words += ["--provider", provider]
    if option(args, "base_url"):
        words += ["--base-url", option(args, "base_url")]
    if option(args, "wait"):
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
# Entry points


def _guarded(console: Console, body: Callable[[], int], debug: bool = False) -> int:
    """Run ``body``; every failure is one line (plus hints) and an exit code, never a traceback
    (``--debug`` adds one to an internal error, redacted and escaped like every line)."""
    try:
        return body()
    except SubmitError as exc:
        console.err(f"ftlint: {exc.message}")
        for hint in exc.hints:
            console.err(hint)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM under the console script (ftlint.entry)
        console.end_progress()
        line, code = interrupted_line(exc)  # "terminated", 143 for SIGTERM, as linting says
        console.err(line.rstrip("\n"))
        return code
    except json.JSONDecodeError as exc:  # the SDK parses a JSON reply without wrapping its error (F14)
        console.err(f"ftlint: a reply of the service is not valid JSON: {server_text(exc)}")
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001
        from ftlint.cli import ISSUES_URL, terminal_lines

        # The traceback only on request: frames and URLs may carry credentials (Console redacts keys).
        if debug or os.environ.get("FTLINT_DEBUG"):
            console.err(terminal_lines("".join(traceback.format_exception(exc))).rstrip())
        hint = "" if debug else "; --debug shows the traceback"
        console.err(f"ftlint: internal error during --submit: {type(exc).__name__}: {server_text(exc)} "
                    f"(please report: {ISSUES_URL}{hint})")
        return EXIT_USAGE


def run(args, lint: Callable[[list[Path], list[str]], Linted | int], stdout: TextIO, stderr: TextIO) -> int:
    """Lint the inputs and, when clean, upload them and create the job. Returns the exit code:
    0 ok, 1 lint problems / file rejected / job failed, 2 usage, configuration, auth or network."""
    console = Console(stdout, stderr)
    return _guarded(console, lambda: _run(args, lint, console), bool(option(args, "debug")))


def follow_job(args, stdout: TextIO, stderr: TextIO) -> int:
    """``--follow JOB_ID``: follow a job created earlier until it ends (0 succeeded, 1 failed)."""
    console = Console(stdout, stderr)
    return _guarded(console, lambda: _follow(args, console), bool(option(args, "debug")))


def _provider_id(args) -> str | None:
    """The run's provider as linting picks it: --provider (or the config's), else the one provider whose
    catalog knows --model (a Together model submits to Together), else the default."""
    provider = option(args, "provider")
    model = option(args, "model")
    if provider or not model or option(args, "follow"):
        return provider
    from ftlint.providers import select

    try:
        return select(None, model)[0].id
    except LookupError:  # a model no catalog knows (an OpenAI-compatible service's): OpenAI's SDK
        return None


def _service(args) -> Service:
    return resolve_service(
        _provider_id(args), option(args, "base_url"),
        option(args, "connect_timeout"), option(args, "read_timeout"),
    )


def _poll_interval(args) -> float:
    return option(args, "poll_interval", DEFAULT_POLL_INTERVAL_SECONDS) or DEFAULT_POLL_INTERVAL_SECONDS


def _follow(args, console: Console) -> int:
    job_id = (option(args, "follow") or "").strip()
    if not job_id:
        raise SubmitError("--follow needs the job id (e.g. --follow ftjob-abc123)")
    service = _service(args)
    backend = backend_for(service)
    backend.load()
    service.require_key()
    client = backend.client(console)
    console.out(f"following fine-tuning job {server_text(job_id)} at {service.where}")
    try:
        return backend.follower(client, console, _poll_interval(args)).follow(job_id)
    except backend.api_errors() as exc:
        raise backend.describe_error(exc) from None
    except KeyboardInterrupt:
        console.end_progress()
        console.err(f"ftlint: stopped following; job {server_text(job_id)} keeps running on the server")
        return EXIT_INTERRUPTED


def _refuse_untrainable_model(provider_id: str, settings: JobSettings, base_url: str | None = None) -> None:
    """A model that takes no new jobs (retired, or its provider stopped taking jobs): refuse now,
    before the key is read or anything is linted or sent. Models no catalog knows (fine-tuned
    names) and other OpenAI-compatible services (--base-url) are left to the service."""
    from ftlint import retirement
    from ftlint.catalog import shipped_catalog

    try:
        provider = None
        if provider_id:
            from ftlint.providers import get_provider

            provider = get_provider(provider_id)
            if provider.is_another_service(base_url):
                return
        catalog = provider.catalog if provider is not None else shipped_catalog()
        model = catalog.resolve(settings.model)
    except LookupError:
        return
    judged = retirement.verdict(model, provider, catalog=catalog)
    if not judged.trainable:
        raise SubmitError(f"not submitting: {judged.message()} (nothing was linted or sent)")


def _job_method(settings: JobSettings, linted: Linted, training_snapshot, unlinted: tuple[str, str] | None) -> str:
    """--method, else the method the training file was linted for, else (no local training file
    was linted: --training-file-id) the one the model alone decides (``unlinted``, see
    :func:`_method_without_training_data`)."""
    if settings.method:
        return settings.method
    if linted.method:
        return linted.method
    if training_snapshot is not None:
        return detect_method(training_snapshot.path)
    assert unlinted is not None  # _run asked _method_without_training_data before anything was sent
    return unlinted[0]


def _method_without_training_data(settings: JobSettings, provider_id: str | None, file_id: str) -> tuple[str, str]:
    """--training-file-id without its FILE and without --method: nothing is linted, so only the model can
    say the method -- when it trains with exactly one (o4-mini: reinforcement). Otherwise refuse before
    anything is read or sent: defaulting to supervised would start a paid job of the wrong kind on DPO or
    RFT data (the service trains what the request says). Returns (method, why)."""
    from ftlint.catalog import shipped_catalog
    from ftlint.formats import METHODS
    from ftlint.method import METHOD_TITLES

    model = None
    try:
        if provider_id:
            from ftlint.providers import get_provider

            catalog = get_provider(provider_id).catalog
        else:
            catalog = shipped_catalog()
        model = catalog.resolve(settings.model)
    except LookupError:
        pass
    methods = [m for m in model.methods if m in METHODS] if model is not None else list(METHODS)
    if model is not None and len(methods) == 1:
        only = methods[0]
        return only, f"{model.id} trains only with {METHOD_TITLES.get(only, only)} fine-tuning"
    takes = f"{model.id} trains with {', '.join(methods)}" if model is not None else f"one of {', '.join(methods)}"
    raise SubmitError(
        f"--training-file-id {server_text(file_id)} without its FILE: nothing is linted, so ftlint cannot tell the "
        f"job's method; pass --method ({takes}), or pass the FILE as well to lint it (nothing was sent)"
    )


def _run(args, lint: Callable[[list[Path], list[str]], Linted | int], console: Console) -> int:
    from ftlint.providers import get_provider

    dry_run = bool(option(args, "dry_run"))
    service = _service(args)  # first: a provider that cannot take jobs says so before asking for anything
    provider = get_provider(service.provider)
    training, validation = read_inputs(args)
    settings = read_settings(args, example_model=provider.default_model.id)
    part_size = option(args, "upload_part_size", MAX_PART_BYTES)
    check_provider_options(settings, provider)
    unlinted = None
    if training.path is None and not settings.method:
        unlinted = _method_without_training_data(settings, _provider_id(args), training.file_id)
        console.out(f"ftlint: the job's method is {unlinted[0]}: {unlinted[1]} (the training file was not linted)")
    backend = backend_for(service)
    if not dry_run:
        _refuse_untrainable_model(service.provider, settings, option(args, "base_url"))
        backend.load()
        service.require_key()
    base_url = service.base_url
    state = UploadState.load(Path(option(args, "state_file", DEFAULT_STATE_FILE)))
    if state.load_warning:
        console.err(f"ftlint: warning: {state.load_warning}")

    specs = [training] + ([validation] if validation is not None else [])
    with tempfiles.private_directory("ftlint-submit-") as private_dir:  # removed later if this run is killed
        slots = [
            FileSlot(spec, take_snapshot(spec.role, spec.path, Path(private_dir)) if spec.path is not None else None)
            for spec in specs
        ]
        backend.check_sizes(slots, part_size)
        with_files = [slot for slot in slots if slot.snapshot is not None]
        lint_code, linted = None, Linted(0)
        if with_files:
            linted = lint([slot.snapshot.path for slot in with_files], [str(slot.spec.path) for slot in with_files])
            linted = linted if isinstance(linted, Linted) else Linted(linted)
            lint_code = linted.code
            if lint_code != 0 and not dry_run:
                console.err("ftlint: " + _LINT_FAILED_MESSAGE.format(code=lint_code))
                return lint_code

        method = _job_method(settings, linted, slots[0].snapshot, unlinted)
        try:
            backend.check_job(settings, method, validation is not None)
        except SubmitError as exc:
            if linted.why and not settings.method:  # say why the job is of a method the user did not name
                exc.message += f" (the file was linted as {method} because {linted.why})"
            elif unlinted is not None and linted.method is None:
                exc.message += f" (the job's method is {method} because {unlinted[1]})"
            raise

        def job_request(training_id: str, validation_id: str | None) -> dict:
            return backend.job_request(settings, method, training_id, validation_id)

        if dry_run:
            print_dry_run(console, slots, state, base_url, lambda size: backend.route(size, part_size),
                          backend.request_title, job_request, bool(option(args, "reupload")), lint_code)
            return lint_code or EXIT_OK

        client = backend.client(console)
        uploader = backend.uploader(client, console, state, part_size, _poll_interval(args),
                                    bool(option(args, "reupload")))
        try:
            for slot in slots:
                uploader.resolve(slot)
            body = job_request(slots[0].file_id, slots[1].file_id if len(slots) > 1 else None)
            job = patiently(backend.sdk, console, "creating the job", lambda: backend.create_job(client, body))
        except (SubmitError, *backend.api_errors()) as exc:
            error = exc if isinstance(exc, SubmitError) else backend.describe_error(exc)
            error.hints = error.hints + _recovery_hints(args, settings, method, slots)
            raise error from None

    job_id = server_text(backend.job_id(job))
    console.out(f"created fine-tuning job {job_id} (status: {server_text(backend.job_status(job))})")
    follow_command = f"ftlint --follow {job_id}" + (f" --provider {service.provider}" if service.provider != "openai" else "")
    if not option(args, "wait"):
        console.out(f"follow it with: {follow_command}")
        return EXIT_OK
    try:
        return backend.follower(client, console, _poll_interval(args)).follow(backend.job_id(job))
    except backend.api_errors() as exc:
        error = backend.describe_error(exc)
        error.hints += (f"ftlint: the job {job_id} was created and keeps running; "
                        f"follow it again with: {follow_command}",)
        raise error from None
    except KeyboardInterrupt:
        console.end_progress()
        console.err(f"ftlint: stopped following; job {job_id} keeps running on the server "
                    f"(follow it again with: {follow_command})")
        return EXIT_INTERRUPTED
