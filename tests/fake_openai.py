"""A small stand-in for the OpenAI files, uploads and fine-tuning endpoints, for tests.

It listens on 127.0.0.1 only (random port), speaks the wire shapes of
shared/reference/openai-ft-facts.md section 5 closely enough for the official SDK, records every
request (method, path, headers, body bytes) and can be scripted:

* ``fail_next(route, status, ...)``: the next N requests to a route get an error body
  ``{"error": {message, type, param, code}}`` (with ``retry-after-ms: 1`` so SDK retries are quick);
* ``file_statuses``: the statuses successive GET /files/{id} report for a new file;
* ``job_plan``: the steps a job goes through, one per GET /fine_tuning/jobs/{id}, each adding events.

``FakeOpenAI(azure=True)`` speaks Azure OpenAI's v1-compatible API instead: paths under
``/openai/v1`` and the key in the ``api-key`` header (Microsoft Foundry's
"v1 API" docs); ``reply_delay`` (seconds) holds every answer back, for timeouts.

Routes are named ``files.create``, ``files.retrieve``, ``uploads.create``, ``uploads.parts``,
``uploads.complete``, ``uploads.cancel``, ``jobs.create``, ``jobs.retrieve``, ``jobs.events``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ROUTES = (
    ("POST", re.compile(r"^/v1/files$"), "files.create"),
    ("GET", re.compile(r"^/v1/files/(?P<id>[^/]+)$"), "files.retrieve"),
    ("POST", re.compile(r"^/v1/uploads$"), "uploads.create"),
    ("POST", re.compile(r"^/v1/uploads/(?P<id>[^/]+)/parts$"), "uploads.parts"),
    ("POST", re.compile(r"^/v1/uploads/(?P<id>[^/]+)/complete$"), "uploads.complete"),
    ("POST", re.compile(r"^/v1/uploads/(?P<id>[^/]+)/cancel$"), "uploads.cancel"),
    ("POST", re.compile(r"^/v1/fine_tuning/jobs$"), "jobs.create"),
    ("GET", re.compile(r"^/v1/fine_tuning/jobs/(?P<id>[^/]+)$"), "jobs.retrieve"),
    ("GET", re.compile(r"^/v1/fine_tuning/jobs/(?P<id>[^/]+)/events$"), "jobs.events"),
)

WIND_DOWN_403 = (
    "OpenAI is winding down the fine-tuning platform and your organization is no longer able to "
    "create new fine-tuning training jobs."
)


def match_route(routes, method: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The name and path parameters of the first route (method, pattern, name) that matches."""
    for route_method, pattern, name in routes:
        match = pattern.match(path)
        if match and route_method == method:
            return name, match.groupdict()
    return None, {}


@dataclass
class RecordedRequest:
    method: str
    path: str
    route: str | None
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Fault:
    status: int
    message: str
    type: str
    code: str | None
    param: str | None
    headers: dict[str, str]


@dataclass
class JobStep:
    """One state of a scripted job: its status and the events that appear when it is reached."""

    status: str
    events: list[dict] = field(default_factory=list)  # {"message", "type"?, "data"?, "level"?}
    fine_tuned_model: str | None = None
    error: dict | None = None


def succeeding_job_plan() -> list[JobStep]:
    return [
        JobStep("validating_files", [{"message": "Validating training file: {training_file}"}]),
        JobStep("queued", [{"message": "Files validated, moving job to queued state"}]),
        JobStep("running", [
            {"message": "Fine-tuning job started"},
            {"message": "Step 1/3: training loss=1.25", "type": "metrics",
             "data": {"step": 1, "total_steps": 3, "train_loss": 1.25}},
            {"message": "Step 2/3: training loss=0.80", "type": "metrics",
             "data": {"step": 2, "total_steps": 3, "train_loss": 0.8}},
        ]),
        JobStep("running", [
            {"message": "Step 3/3: training loss=0.41", "type": "metrics",
             "data": {"step": 3, "total_steps": 3, "train_loss": 0.41}},
            {"message": "New fine-tuned model created: {fine_tuned_model}"},
            {"message": "The job has successfully completed"},
        ]),
        JobStep("succeeded", fine_tuned_model="ft:gpt-4o-mini-2024-07-18:fake-org:{suffix}:abc123"),
    ]


def failing_job_plan(code="invalid_n_examples", param="training_file",
                     message="Training file has 7 example(s), but must have at least 10 examples") -> list[JobStep]:
    return [
        JobStep("validating_files", [{"message": "Validating training file: {training_file}"}]),
        JobStep("failed", [{"message": message, "level": "error"}],
                error={"code": code, "message": message, "param": param}),
    ]


class ScriptedService:
    """What the fake services share (FakeOpenAI, FakeTogether, FakeFireworks): servers on 127.0.0.1,
    every request recorded in order, faults scripted per route, ids, and jobs that take one step of a
    plan per GET. A subclass names its ``ROUTES`` and answers route ``a.b`` with ``_a_b``."""

    ROUTES: tuple = ()

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.jobs: dict[str, dict] = {}
        self.job_steps: dict[str, int] = {}  # job -> the index of the plan step it has reached
        self.expected_api_key: str | None = None
        self._faults: dict[str, list] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._servers: list[ThreadingHTTPServer] = []

    # -- lifecycle --

    def _hosts(self) -> list:
        """The objects whose ``handle`` answers a server each: the API, and any other host it sends clients to."""
        return [self]

    def start(self):
        for target in self._hosts():
            handler = type("Handler", (_Handler,), {"fake": target})
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            self._servers.append(server)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []

    def _origin(self, host: int = 0) -> str:
        return f"http://127.0.0.1:{self._servers[host].server_address[1]}"

    # -- scripting and inspection --

    def requests_to(self, route: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.route == route]

    def _script(self, route: str, fault, times: int) -> None:
        with self._lock:
            self._faults.setdefault(route, []).extend([fault] * times)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    # -- request handling (called from server threads, with the lock held) --

    def _receive(self, method: str, raw_path: str, path: str, headers: dict[str, str], body: bytes):
        """Record the request: (its route, the route's path parameters, the fault scripted for it or None).
        Scripted faults come first, so a test can stage any answer (even a bad 401)."""
        route, params = match_route(self.ROUTES, method, path)
        self.requests.append(RecordedRequest(method, raw_path, route, headers, body))
        pending = self._faults.get(route)
        return route, params, pending.pop(0) if pending else None

    def _bearer_refused(self, headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        return not auth.startswith("Bearer ") or (
            self.expected_api_key is not None and auth != f"Bearer {self.expected_api_key}")

    def _answer(self, route: str, params: dict, query: str, headers: dict[str, str], body: bytes):
        """The reply of the route's method ``_<route with _ for .>``."""
        fields = {k: v[-1] for k, v in parse_qs(query).items()}
        return getattr(self, "_" + route.replace(".", "_"))(params, fields, headers, body)

    def _next_step(self, job_id: str, plan: list):
        """The next step of ``plan`` for the job, one per GET; None once it has reached the last."""
        index = self.job_steps[job_id] + 1
        if index >= len(plan):
            return None
        self.job_steps[job_id] = index
        return plan[index]


class FakeOpenAI(ScriptedService):
    ROUTES = ROUTES

    def __init__(self, azure: bool = False) -> None:
        super().__init__()
        self.azure = azure
        self.reply_delay = 0.0
        self.files: dict[str, dict] = {}
        self.file_contents: dict[str, bytes] = {}
        self.uploads: dict[str, dict] = {}
        self.parts: dict[str, bytes] = {}
        self.events: dict[str, list[dict]] = {}
        self.file_statuses: list[str] = ["processed"]
        self.file_status_details: str | None = None
        self.job_plan: list[JobStep] = succeeding_job_plan()
        self._file_polls: dict[str, int] = {}
        self._clock = itertools.count(1_763_000_000)

    @property
    def base_url(self) -> str:
        return self._origin() + ("/openai/v1" if self.azure else "/v1")

    # -- scripting --

    def fail_next(self, route: str, status: int, message: str = "scripted failure", *, times: int = 1,
                  type: str | None = None, code: str | None = None, param: str | None = None,
                  headers: dict[str, str] | None = None) -> None:
        default_type = {400: "invalid_request_error", 401: "invalid_request_error", 404: "invalid_request_error",
                        429: "requests", 403: "invalid_request_error"}.get(status, "server_error")
        fault = Fault(status, message, type or default_type, code, param, {"retry-after-ms": "1", **(headers or {})})
        self._script(route, fault, times)

    # -- request handling (called from server threads) --

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        if self.reply_delay:
            time.sleep(self.reply_delay)
        url = urlsplit(raw_path)
        if self.azure:
            if not url.path.startswith("/openai/v1/"):
                return _error(404, f"Resource not found: {url.path}", "invalid_request_error")
            url = url._replace(path=url.path[len("/openai"):])
        with self._lock:
            route, params, fault = self._receive(method, raw_path, url.path, headers, body)
            if fault is not None:
                return _error(fault.status, fault.message, fault.type, fault.code, fault.param, fault.headers)
            if self.azure:
                # Azure's key header; a request without it (or with another key) is refused.
                key = headers.get("api-key", "")
                refused = not key or (self.expected_api_key is not None and key != self.expected_api_key)
            else:
                refused = self._bearer_refused(headers)
            if refused:
                return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            if route is None:
                return _error(404, f"Unknown request URL: {method} {url.path}.", "invalid_request_error")
            return self._answer(route, params, url.query, headers, body)

    def _file_object(self, file_id: str) -> dict:
        return dict(self.files[file_id])

    def _store_file(self, filename: str, purpose: str, content: bytes) -> dict:
        file_id = self._new_id("file-")
        self.files[file_id] = {
            "id": file_id, "object": "file", "bytes": len(content), "created_at": next(self._clock),
            "filename": filename, "purpose": purpose, "status": self.file_statuses[0],
            "status_details": None, "expires_at": None,
        }
        self.file_contents[file_id] = content
        self._file_polls[file_id] = 0
        return self.files[file_id]

    def _files_create(self, params, query, headers, body):
        fields = _parse_multipart(headers.get("content-type", ""), body)
        if "file" not in fields or "purpose" not in fields:
            return _error(400, "Missing required parameter: 'file'.", "invalid_request_error", param="file")
        filename, content = fields["file"]
        return 200, self._store_file(filename or "upload", fields["purpose"][1].decode(), content)

    def _files_retrieve(self, params, query, headers, body):
        file_id = params["id"]
        if file_id not in self.files:
            return _error(404, f"No such File object: {file_id}", "invalid_request_error", param="id")
        # Each poll moves a new file one step along file_statuses.
        polls = self._file_polls[file_id] = self._file_polls.get(file_id, 0) + 1
        status = self.file_statuses[min(polls, len(self.file_statuses) - 1)]
        self.files[file_id]["status"] = status
        if status == "error":
            self.files[file_id]["status_details"] = self.file_status_details
        return 200, self._file_object(file_id)

    def _uploads_create(self, params, query, headers, body):
        request = json.loads(body)
        upload_id = self._new_id("upload_")
        now = next(self._clock)
        self.uploads[upload_id] = {
            "id": upload_id, "object": "upload", "bytes": request["bytes"], "created_at": now,
            "expires_at": now + 3600, "filename": request["filename"], "purpose": request["purpose"],
            "status": "pending", "file": None, "_mime_type": request.get("mime_type"),
        }
        return 200, _public(self.uploads[upload_id])

    def _uploads_parts(self, params, query, headers, body):
        upload = self.uploads.get(params["id"])
        if upload is None:
            return _error(404, f"No such Upload: {params['id']}", "invalid_request_error", param="upload_id")
        fields = _parse_multipart(headers.get("content-type", ""), body)
        data = fields["data"][1]
        if len(data) > 64 * 1024 * 1024:
            return _error(400, "Part is larger than 64 MB.", "invalid_request_error", param="data")
        part_id = self._new_id("part_")
        self.parts[part_id] = data
        upload.setdefault("_parts", []).append(part_id)
        return 200, {"id": part_id, "object": "upload.part", "created_at": next(self._clock), "upload_id": upload["id"]}

    def _uploads_complete(self, params, query, headers, body):
        upload = self.uploads.get(params["id"])
        if upload is None:
            return _error(404, f"No such Upload: {params['id']}", "invalid_request_error", param="upload_id")
        request = json.loads(body)
        content = b"".join(self.parts[part_id] for part_id in request["part_ids"])
        if len(content) != upload["bytes"]:
            return _error(400, f"Upload has {len(content)} bytes, expected {upload['bytes']}.", "invalid_request_error")
        if request.get("md5") and hashlib.md5(content).hexdigest() != request["md5"]:
            return _error(400, "md5 checksum mismatch.", "invalid_request_error", param="md5")
        upload["status"] = "completed"
        upload["file"] = self._store_file(upload["filename"], upload["purpose"], content)
        return 200, _public(upload)

    def _uploads_cancel(self, params, query, headers, body):
        upload = self.uploads[params["id"]]
        upload["status"] = "cancelled"
        return 200, _public(upload)

    def _jobs_create(self, params, query, headers, body):
        request = json.loads(body)
        for key in ("training_file", "validation_file"):
            if request.get(key) and request[key] not in self.files:
                return _error(400, f"invalid {key}: {request[key]}", "invalid_request_error", param=key)
        job_id = self._new_id("ftjob-")
        method = request.get("method") or {"type": "supervised"}
        self.jobs[job_id] = {
            "object": "fine_tuning.job", "id": job_id, "created_at": next(self._clock), "finished_at": None,
            "model": request["model"], "fine_tuned_model": None, "organization_id": "org-fake",
            "status": "validating_files", "training_file": request["training_file"],
            "validation_file": request.get("validation_file"), "result_files": [], "trained_tokens": None,
            "seed": request.get("seed", 42), "estimated_finish": None, "hyperparameters": None,
            "method": method, "metadata": request.get("metadata"), "integrations": [],
            "user_provided_suffix": request.get("suffix"),
            # Real non-failed jobs carry an error object whose fields are all null.
            "error": {"code": None, "message": None, "param": None},
        }
        self.events[job_id] = []
        self.job_steps[job_id] = -1
        self._add_event(job_id, {"message": f"Created fine-tuning job: {job_id}"})
        return 200, self.jobs[job_id]

    def _add_event(self, job_id: str, spec: dict) -> None:
        job = self.jobs[job_id]
        values = {"training_file": job["training_file"], "suffix": job["user_provided_suffix"] or "none",
                  "fine_tuned_model": job["fine_tuned_model"] or "ft:?"}
        self.events[job_id].append({
            "object": "fine_tuning.job.event", "id": self._new_id("ftevent-"), "created_at": next(self._clock),
            "level": spec.get("level", "info"), "message": spec["message"].format(**values),
            "data": spec.get("data"), "type": spec.get("type", "message"),
        })

    def _jobs_retrieve(self, params, query, headers, body):
        job_id = params["id"]
        if job_id not in self.jobs:
            return _error(404, f"No such fine-tuning job: {job_id}", "invalid_request_error", param="id")
        job = self.jobs[job_id]
        step = self._next_step(job_id, self.job_plan)
        if step is not None:
            job["status"] = step.status
            if step.fine_tuned_model:
                job["fine_tuned_model"] = step.fine_tuned_model.format(suffix=job["user_provided_suffix"] or "none")
            if step.error:
                job["error"] = dict(step.error)
            if step.status in ("succeeded", "failed", "cancelled"):
                job["finished_at"] = next(self._clock)
            for spec in step.events:
                self._add_event(job_id, spec)
        return 200, job

    def _jobs_events(self, params, query, headers, body):
        job_id = params["id"]
        if job_id not in self.jobs:
            return _error(404, f"No such fine-tuning job: {job_id}", "invalid_request_error", param="id")
        newest_first = list(reversed(self.events[job_id]))
        if "after" in query:
            ids = [e["id"] for e in newest_first]
            newest_first = newest_first[ids.index(query["after"]) + 1:] if query["after"] in ids else []
        limit = int(query.get("limit", 20))
        page = newest_first[:limit]
        return 200, {"object": "list", "data": page, "has_more": len(newest_first) > limit}


def _public(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def _error(status, message, type="invalid_request_error", code=None, param=None, headers=None):
    return status, {"error": {"message": message, "type": type, "param": param, "code": code}}, headers or {}


def _parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """name -> (filename, exact bytes). Hand-rolled so binary content survives byte for byte."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        return {}
    delimiter = b"--" + match.group(1).encode()
    fields: dict[str, tuple[str | None, bytes]] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk[2:].partition(b"\r\n\r\n")  # skip the CRLF after the delimiter
        if content.endswith(b"\r\n"):
            content = content[:-2]
        disposition = head.decode("utf-8", "replace")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name:
            fields[name.group(1)] = (filename.group(1) if filename else None, content)
    return fields


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"
    # Send headers and body in one segment; otherwise Nagle + delayed ACK add ~40 ms per request.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self, method: str) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        result = self.fake.handle(method, self.path, headers, body)
        status, payload = result[0], result[1]
        extra_headers = dict(result[2]) if len(result) > 2 else {}
        # A reply is JSON, or bytes sent as they are (with their own content-type, for hostile replies).
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", extra_headers.pop("content-type", "application/json"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_{time.monotonic_ns()}")
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PUT(self):  # the signed-URL storage hosts (fake_together, fake_fireworks)
        self._dispatch("PUT")
