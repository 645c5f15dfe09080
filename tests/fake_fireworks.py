"""A small stand-in for Fireworks AI's dataset and fine-tuning endpoints, for tests.

Two servers on 127.0.0.1 (random ports): the API, and a storage host for the signed-URL PUT.
They speak the wire format of the official ``fireworks-ai`` SDK (1.2.x: ``resources/datasets.py``,
``supervised_fine_tuning_jobs.py``, ``dpo_jobs.py``) and Fireworks' "Fine-tuning via API" guide:

* ``POST /v1/accounts/{a}/datasets`` (``datasetId``, ``dataset: {userUploaded: {}}``): the record;
* ``POST .../datasets/{id}:upload``: the file as multipart form data (files up to 150 MB);
* ``POST .../datasets/{id}:getUploadEndpoint`` (``filenameToSize``) -> ``filenameToSignedUrls``;
  ``PUT`` there with ``x-goog-content-length-range``; then ``POST .../datasets/{id}:validateUpload``;
* ``GET .../datasets/{id}``: ``state`` steps through ``dataset_states`` once the bytes are in;
* ``POST``/``GET .../supervisedFineTuningJobs[/{id}]`` and ``.../dpoJobs[/{id}]``: the job's
  ``state`` steps through ``job_plan``, one per GET.

Errors are ``{"code": N, "message": ...}`` (gRPC-gateway style). Every request is recorded;
``fail_next(route, status)`` stages an error.
"""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urlsplit

from fake_openai import _parse_multipart
from fake_together import ApiWithStorage

_ACCOUNT = r"/v1/accounts/(?P<account>[^/]+)"
ROUTES = (
    ("POST", re.compile(_ACCOUNT + r"/datasets$"), "datasets.create"),
    ("POST", re.compile(_ACCOUNT + r"/datasets/(?P<id>[^/:]+):upload$"), "datasets.upload"),
    ("POST", re.compile(_ACCOUNT + r"/datasets/(?P<id>[^/:]+):getUploadEndpoint$"), "datasets.endpoint"),
    ("POST", re.compile(_ACCOUNT + r"/datasets/(?P<id>[^/:]+):validateUpload$"), "datasets.validate"),
    ("GET", re.compile(_ACCOUNT + r"/datasets/(?P<id>[^/:]+)$"), "datasets.get"),
    ("POST", re.compile(_ACCOUNT + r"/(?P<kind>supervisedFineTuningJobs|dpoJobs)$"), "jobs.create"),
    ("GET", re.compile(_ACCOUNT + r"/(?P<kind>supervisedFineTuningJobs|dpoJobs)/(?P<id>[^/:]+)$"), "jobs.get"),
)


def succeeding_plan() -> list[dict]:
    return [
        {"state": "JOB_STATE_VALIDATING"},
        {"state": "JOB_STATE_RUNNING", "jobProgress": {"percent": 40, "epoch": 1}},
        {"state": "JOB_STATE_RUNNING", "jobProgress": {"percent": 90, "epoch": 1}},
        {"state": "JOB_STATE_COMPLETED"},
    ]


def failing_plan(message: str = "Dataset line 4: assistant message missing") -> list[dict]:
    return [{"state": "JOB_STATE_VALIDATING"},
            {"state": "JOB_STATE_FAILED", "status": {"code": "INVALID_ARGUMENT", "message": message}}]


class FakeFireworks(ApiWithStorage):
    ROUTES = ROUTES
    #: PUT /upload/{token}?X-Goog-Signature=...
    STORAGE_PATH = re.compile(r"^/upload/(?P<token>[0-9a-f]+)$")

    def __init__(self, account: str = "acct-test") -> None:
        super().__init__()
        self.account = account
        self.datasets: dict[str, dict] = {}
        self.contents: dict[str, bytes] = {}
        self.job_requests: dict[str, dict] = {}
        self.dataset_states: list[str] = ["UPLOADING", "READY"]
        self.dataset_error: dict | None = None  # a status {code, message} the dataset ends with
        self.job_plan: list[dict] = succeeding_plan()
        self._polls: dict[str, int] = {}
        self._signed: dict[str, tuple[str, str, int]] = {}  # token -> (dataset id, filename, size)
        self._puts: dict[str, bytes] = {}  # dataset id -> bytes PUT to storage, not yet validated

    def fail_next(self, route: str, status: int, message: str = "scripted failure", times: int = 1) -> None:
        self._script(route, (status, message), times)

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        url = urlsplit(raw_path)
        with self._lock:
            route, params, fault = self._receive(method, raw_path, url.path, headers, body)
            if fault is not None:
                status, message = fault
                return _error(status, message, {"retry-after-ms": "1"})
            auth = headers.get("authorization", "")
            if self.expected_api_key is not None and auth != f"Bearer {self.expected_api_key}":
                return _error(401, "unauthenticated: invalid API key")
            if route is None:
                return _error(404, f"unknown path {method} {url.path}")
            if params.get("account") != self.account:
                return _error(403, f"permission denied for account {params.get('account')}")
            return self._answer(route, params, url.query, headers, body)

    def _dataset(self, dataset_id: str) -> dict:
        return dict(self.datasets[dataset_id])

    def _datasets_create(self, params, query, headers, body):
        request = json.loads(body)
        dataset_id = request.get("datasetId")
        if not dataset_id or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", dataset_id):
            return _error(400, f"invalid dataset id {dataset_id!r}")
        if dataset_id in self.datasets:
            return _error(409, f"dataset {dataset_id} already exists")
        self.datasets[dataset_id] = {
            "name": f"accounts/{self.account}/datasets/{dataset_id}", "state": "UPLOADING",
            "status": {"code": "OK", "message": ""}, "createTime": "2026-12-01T00:00:00Z",
            **{k: v for k, v in request.get("dataset", {}).items() if k in ("userUploaded", "displayName")},
        }
        return 200, self._dataset(dataset_id)

    def _received(self, dataset_id: str, content: bytes) -> None:
        self.contents[dataset_id] = content
        self._polls[dataset_id] = 0

    def _datasets_upload(self, params, query, headers, body):
        dataset_id = params["id"]
        if dataset_id not in self.datasets:
            return _error(404, f"dataset {dataset_id} not found")
        fields = _parse_multipart(headers.get("content-type", ""), body)
        if "file" not in fields:
            return _error(400, "missing file")
        filename, content = fields["file"]
        self._received(dataset_id, content)
        return 200, {"id": dataset_id, "object": "file", "bytes": len(content), "created_at": 1_764_547_200,
                     "filename": filename, "purpose": "fine-tune"}

    def _datasets_endpoint(self, params, query, headers, body):
        dataset_id = params["id"]
        if dataset_id not in self.datasets:
            return _error(404, f"dataset {dataset_id} not found")
        sizes = json.loads(body)["filenameToSize"]
        urls = {}
        for filename, size in sizes.items():
            token = secrets.token_hex(8)
            self._signed[token] = (dataset_id, filename, int(size))
            urls[filename] = f"{self.storage_url}/upload/{token}?X-Goog-Signature={token}"
        return 200, {"filenameToSignedUrls": urls}

    def store(self, found: re.Match, query: dict[str, str], headers: dict[str, str], content: bytes):
        token = found.group("token")
        with self._lock:
            if token not in self._signed:
                return 403, {"error": "SignatureDoesNotMatch"}
            dataset_id, _, size = self._signed[token]
            if headers.get("x-goog-content-length-range") != f"{size},{size}" or len(content) != size:
                return 400, {"error": "EntityTooLarge or EntityTooSmall"}
            self._puts[dataset_id] = content
            return 200, {}

    def _datasets_validate(self, params, query, headers, body):
        dataset_id = params["id"]
        content = self._puts.pop(dataset_id, None)
        if content is None:
            return _error(400, f"nothing was uploaded for dataset {dataset_id}")
        self._received(dataset_id, content)
        return 200, {}

    def _datasets_get(self, params, query, headers, body):
        dataset_id = params["id"]
        if dataset_id not in self.datasets:
            return _error(404, f"dataset {dataset_id} not found")
        dataset = self.datasets[dataset_id]
        if dataset_id in self._polls:
            polls = self._polls[dataset_id] = self._polls[dataset_id] + 1
            dataset["state"] = self.dataset_states[min(polls, len(self.dataset_states) - 1)]
            if self.dataset_error and polls >= len(self.dataset_states) - 1:
                dataset["status"] = dict(self.dataset_error)
        return 200, self._dataset(dataset_id)

    def _jobs_create(self, params, query, headers, body):
        request = json.loads(body)
        datasets = [request.get("dataset"), request.get("evaluationDataset")]
        for name in filter(None, datasets):
            dataset_id = name.rsplit("/", 1)[-1]
            if dataset_id not in self.datasets or self.datasets[dataset_id]["state"] != "READY":
                return _error(400, f"dataset {name} is not ready")
        job_id = f"job{next(self._ids):06d}"
        name = f"accounts/{self.account}/{params['kind']}/{job_id}"
        self.job_requests[name] = request
        base = (request.get("trainingConfig") or request).get("baseModel", "")
        self.jobs[name] = {"name": name, "state": "JOB_STATE_CREATING", "dataset": request["dataset"],
                           "createTime": "2026-12-01T00:00:00Z", "status": {"code": "OK", "message": ""},
                           "outputModel": f"accounts/{self.account}/models/{base.rsplit('/', 1)[-1]}-{job_id}"}
        self.job_steps[name] = -1
        return 200, {k: v for k, v in self.jobs[name].items() if k != "outputModel"}

    def _jobs_get(self, params, query, headers, body):
        name = f"accounts/{self.account}/{params['kind']}/{params['id']}"
        if name not in self.jobs:
            return _error(404, f"job {params['id']} not found")
        job = self.jobs[name]
        step = self._next_step(name, self.job_plan)
        if step is not None:
            job.update(step)
        shown = dict(job)
        if job["state"] not in ("JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED"):
            shown.pop("outputModel")
        return 200, shown


def _error(status: int, message: str, headers: dict[str, str] | None = None):
    return status, {"code": status, "message": message}, headers or {}
