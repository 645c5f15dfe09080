"""A small stand-in for Together AI's files and fine-tuning endpoints, for tests.

Two servers on 127.0.0.1 (random ports): the API, and a storage host that takes the signed-URL
PUT, as Together's S3-style object storage does. They speak the wire format the official
``together`` SDK (3.1.1) uses, learned from its source (``together/lib/resources/files.py``,
``together/resources/fine_tuning.py``) and Together's API reference:

* ``POST /v1/files``: a form (purpose, file_name, file_type, checksum = sha256 hex) answered with
  ``302`` + ``Location: <signed storage URL>`` + ``X-Together-File-Id``;
* ``PUT <signed URL>`` on the storage host: the file's bytes (checked against the checksum and the
  signature), ``200``;
* ``POST /v1/files/{id}/preprocess`` and ``GET /v1/files/{id}``: the file object
  (``processing_status`` steps through ``file_statuses``, one per GET);
* ``GET /v1/fine-tunes/models/limits?model_name=``, ``POST /v1/fine-tunes/estimate-price``,
  ``POST /v1/fine-tunes``, ``GET /v1/fine-tunes/{id}`` (steps through ``job_plan``, one per GET,
  each adding events) and ``GET /v1/fine-tunes/{id}/events`` (``{"data": [...]}``, oldest first).

Every request is recorded (``requests``, ``storage_requests``); ``fail_next(route, status)``
stages an error reply ``{"error": {message, type, param, code}}``.
Routes: ``files.create``, ``files.preprocess``, ``files.retrieve``, ``jobs.limits``,
``jobs.estimate``, ``jobs.create``, ``jobs.retrieve``, ``jobs.events``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from fake_openai import Fault, RecordedRequest, ScriptedService, _error, _parse_multipart

ROUTES = (
    ("POST", re.compile(r"^/v1/files$"), "files.create"),
    ("POST", re.compile(r"^/v1/files/(?P<id>[^/]+)/preprocess$"), "files.preprocess"),
    ("GET", re.compile(r"^/v1/files/(?P<id>[^/]+)$"), "files.retrieve"),
    ("GET", re.compile(r"^/v1/fine-tunes/models/limits$"), "jobs.limits"),
    ("POST", re.compile(r"^/v1/fine-tunes/estimate-price$"), "jobs.estimate"),
    ("POST", re.compile(r"^/v1/fine-tunes$"), "jobs.create"),
    ("GET", re.compile(r"^/v1/fine-tunes/(?P<id>[^/]+)$"), "jobs.retrieve"),
    ("GET", re.compile(r"^/v1/fine-tunes/(?P<id>[^/]+)/events$"), "jobs.events"),
)


@dataclass
class TogetherStep:
    """One state of a scripted job: its status and the events that appear when it is reached."""

    status: str
    events: list[dict] = field(default_factory=list)  # {"message", "type"?, "level"?, "step"?, "total_steps"?}


def succeeding_plan() -> list[TogetherStep]:
    return [
        TogetherStep("queued", [{"type": "job_pending", "message": "Fine tune request created"}]),
        TogetherStep("running", [
            {"type": "job_start", "message": "Job started"},
            {"type": "training_start", "message": "Training started for model {model}"},
        ]),
        TogetherStep("running", [
            {"type": "epoch_complete", "message": "Epoch completed, at step 2", "step": 2, "total_steps": 3},
            {"type": "checkpoint_save", "message": "New checkpoint saved at step 3", "step": 3, "total_steps": 3},
        ]),
        TogetherStep("uploading", [{"type": "model_uploading", "message": "Uploading output model"}]),
        TogetherStep("completed", [{"type": "job_complete", "message": "Job finished"}]),
    ]


def failing_plan(message: str = "Training file contains invalid examples: line 3 has no assistant message") -> list[TogetherStep]:
    return [
        TogetherStep("queued", [{"type": "job_pending", "message": "Fine tune request created"}]),
        TogetherStep("error", [{"type": "job_error", "message": message, "level": "error"}]),
    ]


class ApiWithStorage(ScriptedService):
    """An API server and a signed-URL storage host on 127.0.0.1. The storage host records every request
    (``storage_requests``), takes PUTs on ``STORAGE_PATH`` and nothing else, and passes them to ``store``."""

    STORAGE_PATH: re.Pattern

    def __init__(self) -> None:
        super().__init__()
        self.storage_requests: list[RecordedRequest] = []

    def _hosts(self) -> list:
        return [self, _Storage(self)]

    def store(self, found: re.Match, query: dict[str, str], headers: dict[str, str], body: bytes):
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._origin(0)

    @property
    def storage_url(self) -> str:
        return self._origin(1)


class _Storage:
    """The signed-URL host of an ApiWithStorage."""

    def __init__(self, fake: ApiWithStorage):
        self.fake = fake

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        url = urlsplit(raw_path)
        with self.fake._lock:
            self.fake.storage_requests.append(RecordedRequest(method, raw_path, "storage.put", headers, body))
        found = self.fake.STORAGE_PATH.match(url.path)
        if method != "PUT" or not found:
            return 405, {"error": "MethodNotAllowed"}
        return self.fake.store(found, {k: v[-1] for k, v in parse_qs(url.query).items()}, headers, body)


class FakeTogether(ApiWithStorage):
    ROUTES = ROUTES
    #: PUT /uploads/{file id}?X-Amz-Signature=...
    STORAGE_PATH = re.compile(r"^/uploads/(?P<id>[^/]+)$")

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, dict] = {}
        self.file_contents: dict[str, bytes] = {}
        self.declared: dict[str, dict] = {}  # file id -> the form POST /v1/files carried
        self.job_requests: dict[str, dict] = {}
        self.events: dict[str, list[dict]] = {}
        self.file_statuses: list[str] = ["COMPLETED"]
        self.file_error: str | None = None
        self.job_plan: list[TogetherStep] = succeeding_plan()
        self._file_polls: dict[str, int] = {}
        self._signatures: dict[str, str] = {}
        self._clock = itertools.count(0)

    # -- scripting and inspection --

    def fail_next(self, route: str, status: int, message: str = "scripted failure", *, times: int = 1,
                  type: str = "invalid_request_error", code: str | None = None, param: str | None = None,
                  headers: dict[str, str] | None = None) -> None:
        self._script(route, Fault(status, message, type, code, param, {"retry-after-ms": "1", **(headers or {})}), times)

    def _now(self) -> str:
        moment = datetime(2026, 12, 1, tzinfo=timezone.utc) + timedelta(seconds=next(self._clock))
        return moment.isoformat().replace("+00:00", "Z")

    # -- the API (called from server threads) --

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        url = urlsplit(raw_path)
        with self._lock:
            route, params, fault = self._receive(method, raw_path, url.path, headers, body)
            if fault is not None:
                return _error(fault.status, fault.message, fault.type, fault.code, fault.param, fault.headers)
            if self._bearer_refused(headers):
                return _error(401, "Invalid API key provided", "invalid_request_error", "invalid_api_key")
            if route is None:
                return _error(404, f"Unknown request URL: {method} {url.path}", "invalid_request_error")
            return self._answer(route, params, url.query, headers, body)

    def _file_object(self, file_id: str) -> dict:
        return dict(self.files[file_id])

    def _files_create(self, params, query, headers, body):
        fields = {name: value.decode() for name, (_, value) in _parse_multipart(headers.get("content-type", ""), body).items()}
        missing = [k for k in ("purpose", "file_name", "file_type", "checksum") if k not in fields]
        if missing:
            return _error(400, f"Missing form field: {missing[0]}", param=missing[0])
        file_id = self._new_id("file-")
        signature = secrets.token_hex(8)
        self._signatures[file_id] = signature
        self.declared[file_id] = fields
        location = f"{self.storage_url}/uploads/{file_id}?X-Amz-Expires=3600&X-Amz-Signature={signature}"
        return 302, {}, {"Location": location, "X-Together-File-Id": file_id}

    def store(self, found: re.Match, query: dict[str, str], headers: dict[str, str], content: bytes):
        """The storage host's PUT: the bytes must match the checksum declared with POST /v1/files."""
        file_id = found.group("id")
        with self._lock:
            if self._signatures.get(file_id) != query.get("X-Amz-Signature", ""):
                return 403, {"error": "SignatureDoesNotMatch"}
            declared = self.declared[file_id]
            if hashlib.sha256(content).hexdigest() != declared["checksum"]:
                return 400, {"error": "BadDigest"}
            self.file_contents[file_id] = content
            self.files[file_id] = {
                "id": file_id, "object": "file", "bytes": len(content), "created_at": 1_764_547_200,
                "filename": declared["file_name"], "FileType": declared["file_type"],
                "purpose": declared["purpose"], "processing_status": self.file_statuses[0],
            }
            self._file_polls[file_id] = 0
            return 200, {}

    def _files_preprocess(self, params, query, headers, body):
        file_id = params["id"]
        if file_id not in self.files:
            return _error(400, f"File {file_id} was not uploaded", param="id")
        return 200, self._file_object(file_id)

    def _files_retrieve(self, params, query, headers, body):
        file_id = params["id"]
        if file_id not in self.files:
            return _error(404, f"File not found: {file_id}", param="id")
        polls = self._file_polls[file_id] = self._file_polls.get(file_id, 0) + 1
        status = self.file_statuses[min(polls, len(self.file_statuses) - 1)]
        self.files[file_id]["processing_status"] = status
        if status in ("FAILED", "INVALID_FORMAT"):
            self.files[file_id]["validation_report"] = {"valid": False, "error_type": "INVALID_FORMAT",
                                                        "error": self.file_error, "file_id": file_id}
        return 200, self._file_object(file_id)

    def _jobs_limits(self, params, query, headers, body):
        return 200, {
            "model_name": query.get("model_name", ""), "default_gradient_accumulation_steps": 1,
            "lora_training": {"default_rank": 64, "max_batch_size": 16, "max_batch_size_dpo": 8, "max_rank": 64,
                              "min_batch_size": 8, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]},
            "full_training": {"max_batch_size": 16, "max_batch_size_dpo": 8, "min_batch_size": 8},
            "max_learning_rate": 1.0, "min_learning_rate": 1e-8, "max_num_checkpoints": 20, "max_num_epochs": 20,
            "max_num_evals": 100, "max_seq_length_dpo": 8192, "max_seq_length_sft": 8192, "merge_output_lora": True,
            "min_max_seq_length": 512, "supports_full_training": True, "supports_reasoning": False,
            "supports_tools": True, "supports_vision": False,
        }

    def _jobs_estimate(self, params, query, headers, body):
        request = json.loads(body)
        if request.get("training_file") not in self.files:
            return 200, {"estimation_available": False, "unavailable_reason": "train_file_not_validated"}
        return 200, {"estimation_available": True, "allowed_to_proceed": True, "estimated_total_price": 1.25,
                     "estimated_train_token_count": 1000.0, "estimated_eval_token_count": 0.0, "user_limit": 100.0}

    def _jobs_create(self, params, query, headers, body):
        request = json.loads(body)
        for key in ("training_file", "validation_file"):
            if request.get(key) and request[key] not in self.files:
                return _error(400, f"Invalid {key}: {request[key]}", param=key)
        job_id = self._new_id("ft-")
        now = self._now()
        self.job_requests[job_id] = request
        self.jobs[job_id] = {
            "id": job_id, "status": "pending", "created_at": now, "updated_at": now, "user_id": "user-fake",
            "model": request["model"], "training_file": request["training_file"],
            "validation_file": request.get("validation_file") or None, "n_epochs": request.get("n_epochs"),
            "suffix": request.get("suffix"), "model_output_name": None, "events": [],
        }
        self.events[job_id] = []
        self.job_steps[job_id] = -1
        return 200, self.jobs[job_id]

    def _add_event(self, job_id: str, spec: dict) -> None:
        job = self.jobs[job_id]
        self.events[job_id].append({
            "object": "fine-tune-event", "created_at": self._now(), "type": spec.get("type", "job_pending"),
            "message": spec["message"].format(model=job["model"]), "level": spec.get("level", "info"),
            **{k: spec[k] for k in ("step", "total_steps") if k in spec},
        })

    def _jobs_retrieve(self, params, query, headers, body):
        job_id = params["id"]
        if job_id not in self.jobs:
            return _error(404, f"Fine-tune job not found: {job_id}", param="id")
        job = self.jobs[job_id]
        step = self._next_step(job_id, self.job_plan)
        if step is not None:
            job["status"] = step.status
            job["updated_at"] = self._now()
            if step.status == "completed":
                suffix = job["suffix"] or "ftlint"
                job["model_output_name"] = f"fake-user/{job['model'].split('/')[-1]}-{suffix}-{job_id}"
            for spec in step.events:
                self._add_event(job_id, spec)
        return 200, job

    def _jobs_events(self, params, query, headers, body):
        job_id = params["id"]
        if job_id not in self.jobs:
            return _error(404, f"Fine-tune job not found: {job_id}", param="id")
        return 200, {"data": list(self.events[job_id])}
