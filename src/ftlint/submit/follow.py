"""Following a fine-tuning job: its events, oldest first and each once, until it ends.

Used by ``--submit --wait`` right after creating the job, and by ``--follow
JOB_ID`` for a job started earlier (or whose ``--wait`` was interrupted), as
the legacy ``openai api fine_tunes.follow -i ID`` did. Every id, status and
message from the server is escaped and bounded before it is printed.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from ftlint.exit_codes import EXIT_OK, EXIT_PROBLEMS
from ftlint.submit.console import Console, server_text
from ftlint.submit.service import patiently

TERMINAL_FAILURE_STATUSES = ("failed", "cancelled")


class JobFollower:
    def __init__(self, openai_module, client, console: Console, poll_interval: float):
        self.openai = openai_module
        self.client = client
        self.console = console
        self.poll_interval = poll_interval

    def follow(self, job_id: str) -> int:
        """Print the job's events oldest first, each once, until it succeeds (0) or fails (1)."""
        seen_event_ids: set[str] = set()
        last_status = None
        progress = ""
        jobs = self.client.fine_tuning.jobs
        while True:
            job = patiently(self.openai, self.console, f"job {server_text(job_id)}", lambda: jobs.retrieve(job_id))
            for event in self._new_events(job_id, seen_event_ids):
                self.console.out(format_event(event))
                progress = progress_from_event(event) or progress
            status = job.status
            if status != last_status:
                self.console.out(f"status: {server_text(status)}")
                last_status = status
            if status == "succeeded":
                self.console.out(f"fine-tuned model: {server_text(job.fine_tuned_model)}")
                return EXIT_OK
            if status in TERMINAL_FAILURE_STATUSES:
                self.console.err(describe_job_failure(job))
                return EXIT_PROBLEMS
            # Anything else (validating_files, queued, running, and the undocumented `paused`)
            # means the job is not finished: keep following.
            self.console.progress(f"[{server_text(status)}] {progress}".rstrip())
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
