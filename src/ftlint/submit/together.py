"""``--submit --provider together``: Together AI through its official SDK (``pip install 'ftlint[together]'``).

What the together SDK does on the wire (3.1.1, ``together/lib/resources/files.py`` and
``together/resources/fine_tuning.py``), and so what the tests' local server speaks:

1. ``POST /v1/files`` (form fields purpose, file_name, file_type, checksum = the file's sha256)
   answers ``302`` with ``Location`` (a signed storage URL) and ``X-Together-File-Id``; the SDK
   PUTs the file's bytes there (without the API key), then ``POST /v1/files/{id}/preprocess``.
2. ``GET /v1/fine-tunes/models/limits``, ``POST /v1/fine-tunes/estimate-price``, then
   ``POST /v1/fine-tunes`` with the job; ``GET /v1/fine-tunes/{id}`` and ``.../events`` follow it.

The SDK uploads from a path: it is given the private snapshot the linter checked, so the bytes
sent are the bytes validated. Its own local file check is not run (``check=False``): ftlint's lint,
against Together's profile, is the gate. Job defaults the user does not set come from the profile
(``rules/providers/together.toml``: ``[epochs]``, ``[submit]``, ``[methods.X] submit_as``).
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime

from ftlint.submit.backend import ProviderSDKBackend
from ftlint.submit.console import Console, server_text
from ftlint.submit.errors import SubmitError
from ftlint.submit.follow import Follower, JobView, events_as_documented
from ftlint.submit.request import JobSettings, check_method_options
from ftlint.submit.service import patiently
from ftlint.submit.snapshot import Snapshot
from ftlint.submit.upload import UPLOAD_PURPOSE, FileSlot, Uploader, human_size
from ftlint.submit_state import UploadState

#: File processing states (the SDK's FileResponse.processing_status) that mean "not yet".
_FILE_PENDING = ("PENDING", "QUEUED", "RUNNING")
_FILE_FAILED = ("FAILED", "INVALID_FORMAT")
#: The job status of a job that produced its model; the SDK's COMPLETED_STATUSES are the final ones.
_JOB_SUCCEEDED = "completed"


class TogetherBackend(ProviderSDKBackend):
    request_title = "POST /v1/fine-tunes, through the together SDK"

    def api_errors(self) -> tuple[type[BaseException], ...]:
        # The SDK checks the job's parameters against the model's limits itself (ValueError),
        # and refuses files it cannot send (FileTypeError).
        return (self.sdk.APIError, self.sdk.FileTypeError, ValueError)

    def describe_error(self, exc: Exception) -> SubmitError:
        if isinstance(exc, (self.sdk.FileTypeError, ValueError)):
            return SubmitError(f"the together SDK refused the request: {server_text(exc)}")
        return super().describe_error(exc)

    def client(self, console: Console):
        return self.sdk.Together(**self.client_options(console))

    # -- the request --

    def route(self, size: int, part_size: int) -> str:
        return "POST /v1/files, then PUT to the signed URL it redirects to (sha256 checked)"

    def check_sizes(self, slots: list[FileSlot], part_size: int) -> None:
        """The profile's file limits are lint rules; the SDK refuses what it cannot send."""

    def check_job(self, settings: JobSettings, method: str, has_validation: bool) -> None:
        names = self.policy.method_names
        if method not in names:
            takes = ", ".join(f"{ours} ({theirs})" if ours != theirs else ours for ours, theirs in names.items())
            raise SubmitError(f"{self.provider.title} fine-tunes {takes}, not {method}")
        check_method_options(settings, method)
        n_evals = settings.n_evals if settings.n_evals is not None else self.policy.default_n_evals
        if has_validation and not n_evals:
            raise SubmitError(
                f"{self.provider.title} evaluates a validation file only when the job has evaluations "
                f"(n_evals, default {self.policy.default_n_evals}): pass --n-evals N"
            )
        if settings.n_evals and not has_validation:
            raise SubmitError("--n-evals needs a validation file: --validation FILE (or --validation-file-id ID)")

    def job_request(self, settings: JobSettings, method: str, training_file: str, validation_file: str | None) -> dict:
        """The keyword arguments of ``client.fine_tuning.create``: what the user set, else the profile's defaults."""
        policy = self.policy
        default_epochs = self.provider.default_epochs if isinstance(self.provider.default_epochs, int) else None
        body: dict = {"model": settings.model, "training_file": training_file}
        optional = {
            "validation_file": validation_file,
            "n_evals": (settings.n_evals if settings.n_evals is not None else policy.default_n_evals)
            if validation_file is not None else None,
            "n_epochs": settings.n_epochs if settings.n_epochs is not None else default_epochs,
            "learning_rate": settings.learning_rate if settings.learning_rate is not None
            else policy.default_learning_rate,
            "batch_size": settings.batch_size,
            "lora": settings.lora,
            "suffix": settings.suffix,
            "random_seed": settings.seed,
            "training_method": policy.method_names[method],
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        if method == "dpo":
            if settings.beta is not None:
                body["dpo_beta"] = settings.beta
        else:
            body["train_on_inputs"] = "auto"  # the SDK's own default, said so it does not warn
        return body

    # -- the calls --

    def uploader(self, client, console: Console, state: UploadState, part_size: int, poll_interval: float,
                 reupload: bool) -> "TogetherUploader":
        return TogetherUploader(self.sdk, client, console, state, self.service, part_size, poll_interval, reupload)

    def create_job(self, client, body: dict):
        return client.fine_tuning.create(**body)

    def job_id(self, job) -> str:
        return job.id

    def job_status(self, job) -> str:
        return _status_text(job.status)  # the SDK's status is an enum

    def follower(self, client, console: Console, poll_interval: float) -> "TogetherFollower":
        return TogetherFollower(self.sdk, client, console, poll_interval)


class TogetherUploader(Uploader):
    """Uploads through ``client.files.upload``; reusing recorded and given file ids works as for OpenAI."""

    def _upload(self, snap: Snapshot) -> str:
        path = _upload_path(snap)
        self.console.out(
            f"{snap.role} file: uploading {snap.original} ({human_size(snap.size)}, sha256 {snap.sha256}) "
            f"to {self.service.where}"
        )
        file_object = patiently(
            self.openai, self.console, f"uploading {snap.upload_filename}",
            lambda: self.client.files.upload(path, purpose=UPLOAD_PURPOSE, check=False),
        )
        remote_size = getattr(file_object, "bytes", None)
        if remote_size is not None and remote_size != snap.size:
            raise SubmitError(
                f"the service reports {server_text(remote_size)} bytes for {server_text(file_object.id)}, "
                f"but {snap.original} has {snap.size}: the upload did not arrive whole"
            )
        self.state.record(self.base_url, snap.sha256, file_id=file_object.id, size=snap.size,
                          filename=snap.upload_filename)
        self.state.save()
        self.console.out(f"{snap.role} file: uploaded as {server_text(file_object.id)}")
        return file_object.id

    def _waiting_for(self, file_id: str) -> tuple[str, str]:
        return f"{server_text(file_id)} to be validated", server_text(file_id)

    def _processing(self, slot: FileSlot, file_id: str) -> tuple[str | None, str | None]:
        remote = self.client.files.retrieve(file_id)
        status = getattr(remote, "processing_status", None)
        if status in _FILE_FAILED:
            report = getattr(remote, "validation_report", None)
            details = getattr(report, "error", None) or "no details given"
            return None, (f"the service rejected {slot.label} ({server_text(file_id)}, {server_text(status)}): "
                          f"{server_text(details)}")
        # COMPLETED, or a file that skips validation, is done.
        return (status if status in _FILE_PENDING else None), None


def _upload_path(snap: Snapshot):
    """The snapshot under the name it is uploaded as: the SDK sends the path's name and takes the file type
    from its extension (.jsonl). A hard link (or copy) in the private directory, never the user's file."""
    if snap.path.name == snap.upload_filename:
        return snap.path
    target = snap.path.with_name(snap.upload_filename)
    if not target.exists():
        try:
            os.link(snap.path, target)
        except OSError:
            import shutil

            shutil.copyfile(snap.path, target)
    return target


class TogetherFollower(Follower):
    """Follows a Together job: its events (each printed once; they carry no id) and status."""

    def __init__(self, sdk, client, console: Console, poll_interval: float):
        super().__init__(sdk, client, console, poll_interval)
        self.printed: Counter = Counter()
        self.last_error = None
        self.progress = ""

    def look(self, job_id: str) -> JobView:
        job = patiently(self.sdk, self.console, f"job {server_text(job_id)}",
                        lambda: self.client.fine_tuning.retrieve(job_id))
        events = patiently(self.sdk, self.console, f"events of job {server_text(job_id)}",
                           lambda: self.client.fine_tuning.list_events(job_id))
        lines = []
        with events_as_documented(job_id):
            for event in _new_events(getattr(events, "data", None) or [], self.printed):
                lines.append(format_event(event))
                self.progress = progress_from_event(event) or self.progress
                if _is_error(event):
                    self.last_error = event.message
        status = _status_text(job.status)
        view = JobView(server_text(status), lines=lines, progress=self.progress)
        if status == _JOB_SUCCEEDED:
            model = getattr(job, "x_model_output_name", None) or getattr(job, "model_output_name", None)
            view.model = server_text(model or "not named by the service")
        elif status in _final_statuses():
            view.failure = (f"ftlint: fine-tuning job {server_text(job_id)} {server_text(status)}: "
                            f"{server_text(self.last_error or 'no error message given')}")
        return view


def _final_statuses() -> tuple[str, ...]:
    from together.lib.types.fine_tuning import COMPLETED_STATUSES

    return tuple(_status_text(s) for s in COMPLETED_STATUSES)


def _status_text(status) -> str:
    return str(getattr(status, "value", status))


def _event_key(event) -> tuple:
    return (getattr(event, "created_at", None), getattr(event, "type", None), getattr(event, "message", None),
            getattr(event, "step", None))


def _new_events(events: list, printed: Counter) -> list:
    """The events not printed yet, oldest first. Together's events carry no id: one is known by its
    time, type, message and step, and the same one listed twice in a reply is printed twice."""
    listed: Counter = Counter()
    fresh = []
    for event in sorted(events, key=lambda e: str(getattr(e, "created_at", ""))):
        key = _event_key(event)
        listed[key] += 1
        if listed[key] > printed[key]:
            fresh.append(event)
            printed[key] += 1
    return fresh


def _is_error(event) -> bool:
    return getattr(event, "type", None) == "job_error" or str(getattr(event, "level", "") or "").endswith("error")


def format_event(event) -> str:
    created = getattr(event, "created_at", None)
    try:
        when = datetime.fromisoformat(str(created).replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        when = server_text(created)
    level = str(getattr(event, "level", None) or "info")
    marker = "ERROR: " if level.endswith("error") else "WARNING: " if level.endswith("warning") else ""
    return f"[{when}] {marker}{server_text(event.message)}"


def progress_from_event(event) -> str | None:
    step, total = getattr(event, "step", None), getattr(event, "total_steps", None)
    if not isinstance(step, int):
        return None
    return f"step {step}/{total}" if isinstance(total, int) else f"step {step}"
