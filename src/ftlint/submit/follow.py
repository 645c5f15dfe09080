"""Following a fine-tuning job: its events, oldest first and each once, until it ends.

Used by ``--submit --wait`` right after creating the job, and by ``--follow
JOB_ID`` for a job started earlier (or whose ``--wait`` was interrupted), as
the legacy ``openai api fine_tunes.follow -i ID`` did. Every id, status and
message from the server is escaped and bounded before it is printed.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ftlint.exit_codes import EXIT_OK, EXIT_PROBLEMS
from ftlint.submit.console import Console, server_text
from ftlint.submit.errors import SubmitError
from ftlint.submit.service import patiently

TERMINAL_FAILURE_STATUSES = ("failed", "cancelled")


@dataclass
class JobView:
    """One look at a job, as a follower prints it (every text already escaped and bounded)."""

    status: str  # short: "running", "succeeded"
    detail: str = ""  # said after the status when it changes: "(message)"
    lines: list[str] = field(default_factory=list)  # the events not printed yet, oldest first
    progress: str = ""  # after the status on the progress line: "step 3/10 train_loss=0.5"
    model: str | None = None  # the job succeeded: the fine-tuned model's name
    failure: str | None = None  # the job ended without a model: the line that says why


class Follower:
    """Follows one job until it ends: prints its new events and each change of its status, keeps a
    progress line while it runs, and ends with the fine-tuned model (exit 0) or why it failed (exit 1).
    Each service says how a job looks (:meth:`look`); a follower follows one job."""

    def __init__(self, sdk, client, console: Console, poll_interval: float):
        self.sdk = sdk
        self.client = client
        self.console = console
        self.poll_interval = poll_interval

    def look(self, job_id: str) -> JobView:
        raise NotImplementedError

    def follow(self, job_id: str) -> int:
        last = None
        while True:
            view = self.look(job_id)
            for line in view.lines:
                self.console.out(line)
            if (view.status, view.detail) != last:
                self.console.out(f"status: {view.status}" + (f" ({view.detail})" if view.detail else ""))
                last = (view.status, view.detail)
            if view.model is not None:
                self.console.out(f"fine-tuned model: {view.model}")
                return EXIT_OK
            if view.failure is not None:
                self.console.err(view.failure)
                return EXIT_PROBLEMS
            self.console.progress(f"[{view.status}] {view.progress}".rstrip())
            time.sleep(self.poll_interval)


class JobFollower(Follower):
    """OpenAI's (and Azure OpenAI's) jobs: events listed newest first, each with an id."""

    def __init__(self, openai_module, client, console: Console, poll_interval: float):
        super().__init__(openai_module, client, console, poll_interval)
        self.seen_event_ids: set[str] = set()
        self.progress = ""

    def look(self, job_id: str) -> JobView:
        jobs = self.client.fine_tuning.jobs
        job = patiently(self.sdk, self.console, f"job {server_text(job_id)}", lambda: jobs.retrieve(job_id))
        lines = []
        with events_as_documented(job_id):
            for event in self._new_events(job_id):
                lines.append(format_event(event))
                self.progress = progress_from_event(event) or self.progress
        view = JobView(server_text(job.status), lines=lines, progress=self.progress)
        if job.status == "succeeded":
            view.model = server_text(job.fine_tuned_model)
        elif job.status in TERMINAL_FAILURE_STATUSES:
            view.failure = describe_job_failure(job)
        # Anything else (validating_files, queued, running, and the undocumented `paused`)
        # means the job is not finished: keep following.
        return view

    def _new_events(self, job_id: str) -> list:
        # The service lists events newest first; walk back until a known one, then flip the order.
        fresh = []
        for event in self.client.fine_tuning.jobs.list_events(job_id, limit=100):
            if event.id in self.seen_event_ids:
                break
            fresh.append(event)
        fresh.reverse()
        self.seen_event_ids.update(event.id for event in fresh)
        return fresh


@contextmanager
def events_as_documented(job_id: str):
    """Walking a job's events: a reply whose "data" is not a list of events is one clear error.

    The SDKs build a page of events without validating it, so a malformed one fails while it is
    walked (TypeError, AttributeError), not in the SDK call.
    """
    try:
        yield
    except (TypeError, AttributeError, ValueError) as exc:
        raise SubmitError(f"the events of job {server_text(job_id)} are not what the API documents "
                          f"(a list of events): {server_text(exc)}") from exc


def format_event(event) -> str:
    try:
        when = datetime.fromtimestamp(event.created_at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError, OverflowError, OSError):
        when = server_text(event.created_at)
    level = getattr(event, "level", "info")
    marker = "" if level == "info" else f"{server_text(str(level).upper())}: "
    return f"[{when}] {marker}{server_text(event.message)}"


def progress_from_event(event) -> str | None:
    data = getattr(event, "data", None)
    if getattr(event, "type", None) != "metrics" or not isinstance(data, dict) or "step" not in data:
        return None
    text = f"step {server_text(data['step'])}"
    if data.get("total_steps"):
        text += f"/{server_text(data['total_steps'])}"
    for key in ("train_loss", "valid_loss"):
        value = data.get(key)
        if isinstance(value, (int, float)):
            text += f" {key}={value:.4g}"
    return text


def describe_job_failure(job) -> str:
    error = getattr(job, "error", None)
    message = getattr(error, "message", None)
    job_id = server_text(job.id)
    if job.status == "cancelled" and not message:
        return f"ftlint: fine-tuning job {job_id} was cancelled"
    details = ", ".join(
        f"{name}: {server_text(value)}"
        for name, value in (("code", getattr(error, "code", None)), ("param", getattr(error, "param", None))) if value
    )
    text = f"ftlint: fine-tuning job {job_id} {server_text(job.status)}: {server_text(message or 'no error message given')}"
    return f"{text} ({details})" if details else text
