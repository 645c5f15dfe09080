"""Uploading the snapshots (or reusing an earlier upload of the same bytes) until each has a processed file id."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable

from ftlint.submit.console import Console, server_text
from ftlint.submit.service import Service, patiently
from ftlint.exit_codes import EXIT_PROBLEMS
from ftlint.submit.errors import SubmitError
from ftlint.submit.request import InputSpec
from ftlint.submit.snapshot import Snapshot
from ftlint.submit_state import UploadState, state_key_for_base_url

# --- Service limits (openai-ft-facts.md section 3 / 5). Module attributes so tests can lower them. ---
# "512 MB" is not documented as MiB; stay on the safe side and switch to the Uploads API at 512e6.
FILES_API_MAX_BYTES = 512 * 1000 * 1000
# Same reasoning for the documented 8 GB cap of one Upload.
UPLOADS_API_MAX_BYTES = 8 * 1000 * 1000 * 1000
FILE_PROCESSING_TIMEOUT_SECONDS = 30 * 60
UPLOAD_PURPOSE = "fine-tune"


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


def upload_route(size: int, part_size: int) -> str:
    if size > UPLOADS_API_MAX_BYTES:
        raise SubmitError(
            f"file is {size} bytes; the service accepts at most {UPLOADS_API_MAX_BYTES} bytes per upload",
        )
    if size <= FILES_API_MAX_BYTES:
        return "Files API (POST /files)"
    parts = -(-size // part_size)
    return f"Uploads API (POST /uploads, {parts} parts of at most {part_size} bytes, md5 checked)"


def check_sizes(slots: list[FileSlot], part_size: int) -> None:
    for slot in slots:
        if slot.snapshot is not None and slot.spec.file_id is None:
            try:
                upload_route(slot.snapshot.size, part_size)
            except SubmitError as exc:
                raise SubmitError(f"{slot.label}: {exc.message}") from None


def human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def print_dry_run(
    console: Console, slots: list[FileSlot], state: UploadState, base_url: str, route: Callable[[int], str],
    request_title: str, make_request: Callable[[str, str | None], dict], reupload: bool, lint_code: int | None,
) -> None:
    """What a real run would send: each file (size, sha256, how it would be uploaded) and the job request.
    ``route(size)`` names the upload route; ``make_request(training_id, validation_id)`` is the request body."""
    console.out(f"dry run: nothing is sent. Service: {state_key_for_base_url(base_url)}")
    placeholders: dict[str, str] = {}
    for slot in slots:
        console.out(f"{slot.spec.role} file: {slot.label}")
        snap = slot.snapshot
        if snap is not None:
            console.out(f"  size:    {snap.size} bytes ({human_size(snap.size)})")
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
            console.out(f"  upload:  {route(snap.size)} as {snap.upload_filename!r}, purpose={UPLOAD_PURPOSE}")
            placeholders[slot.spec.role] = f"<file id of {snap.upload_filename}>"
    body = make_request(placeholders["training"], placeholders.get("validation"))
    console.out(f"job request ({request_title}):")
    console.out(json.dumps(body, indent=2))
    if lint_code:
        console.out(f"lint did not pass (exit {lint_code}): a real run would stop before uploading anything")


class Uploader:
    """Gives each job input a processed file id on the service: the given one, a recorded one, or a new upload."""

    def __init__(self, openai_module, client, console: Console, state: UploadState, service: Service,
                 part_size: int, poll_interval: float, reupload: bool):
        self.openai = openai_module
        self.client = client
        self.console = console
        self.state = state
        self.service = service
        self.base_url = service.base_url
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
            self.console.out(f"{slot.spec.role} file: recorded upload {server_text(record['file_id'])} is gone or unusable; uploading again")
            self.state.forget(self.base_url, snap.sha256)
            self.state.save()
            return False
        slot.file_id = record["file_id"]
        self.console.out(
            f"{slot.spec.role} file: {slot.label} already uploaded as {server_text(slot.file_id)} (same sha256); "
            "not uploading again"
        )
        return True

    def _retrieve_file(self, file_id: str):
        try:
            return self.client.files.retrieve(file_id)
        except self.openai.NotFoundError:
            return None

    def _upload(self, snap: Snapshot) -> str:
        route = upload_route(snap.size, self.part_size)
        self.console.out(f"{snap.role} file: uploading {snap.original} ({human_size(snap.size)}, sha256 {snap.sha256}) via {route}")
        if snap.size <= FILES_API_MAX_BYTES:
            def send():
                with open(snap.path, "rb") as handle:
                    return self.client.files.create(
                        file=(snap.upload_filename, handle, "application/jsonl"), purpose=UPLOAD_PURPOSE
                    )

            file_object = patiently(self.openai, self.console, f"uploading {snap.upload_filename}", send)
        else:
            file_object = self._upload_in_parts(snap)
        # Record at once: if anything later fails, the next run reuses this upload.
        self.state.record(self.base_url, snap.sha256, file_id=file_object.id, size=snap.size, filename=snap.upload_filename)
        self.state.save()
        self.console.out(f"{snap.role} file: uploaded as {server_text(file_object.id)}")
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
            raise SubmitError(
                f"upload {server_text(upload.id)} completed without a file object (status {server_text(completed.status)})"
            )
        return completed.file

    def _cancel_upload_quietly(self, upload_id: str) -> None:
        # Tidy-up only: an abandoned Upload expires on its own after an hour.
        try:
            self.client.with_options(max_retries=0).uploads.cancel(upload_id)
        except Exception:
            pass

    def _wait_until_processed(self, slot: FileSlot) -> None:
        """Poll the uploaded file until the service has processed it. A rejected file is forgotten in the
        state file (the next run uploads it again) and fails the run (exit 1); one still pending after
        FILE_PROCESSING_TIMEOUT_SECONDS is exit 2. Services differ only in how a file's state reads
        (:meth:`_processing`) and what the wait is called (:meth:`_waiting_for`)."""
        file_id = slot.file_id
        assert file_id is not None
        deadline = time.monotonic() + FILE_PROCESSING_TIMEOUT_SECONDS
        while True:
            pending, rejected = self._processing(slot, file_id)
            if rejected is not None:
                if slot.snapshot is not None:
                    self.state.forget(self.base_url, slot.snapshot.sha256)
                    self.state.save()
                raise SubmitError(rejected, EXIT_PROBLEMS)
            if pending is None:
                self.console.end_progress()
                return
            waiting_for, named = self._waiting_for(file_id)
            if time.monotonic() > deadline:
                raise SubmitError(f"{named} is still {server_text(pending)!r} after "
                                  f"{FILE_PROCESSING_TIMEOUT_SECONDS // 60} minutes")
            self.console.progress(f"  waiting for {waiting_for} ({server_text(pending)})")
            time.sleep(self.poll_interval)

    def _waiting_for(self, file_id: str) -> tuple[str, str]:
        """(what the progress line waits for, what the timeout names)."""
        return f"{server_text(file_id)} to be processed", server_text(file_id)

    def _processing(self, slot: FileSlot, file_id: str) -> tuple[str | None, str | None]:
        """(the status while the file is still being processed, else None; why the service rejected it, else
        None). OpenAI: ``status`` processed or absent (deprecated) is done, ``error`` is a rejection."""
        remote = self.client.files.retrieve(file_id)
        status = getattr(remote, "status", None)
        if status == "error":
            details = getattr(remote, "status_details", None) or "no details given"
            return None, f"the service could not process {slot.label} ({server_text(file_id)}): {server_text(details)}"
        return (None if status in (None, "processed") else status), None
