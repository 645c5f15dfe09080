"""Hypothesis over server replies: whatever the service answers, --submit ends in one of its exit codes
with escaped, bounded text, no traceback, no internal error and no key (attack report F12-F15).

The replies are the fake OpenAI server's (tests/fake_openai.py), with one route's answers replaced
by arbitrary ones: any status, JSON of any shape (the right object with hostile fields, error
bodies, other values), invalid JSON, HTML, nothing, and odd Retry-After headers.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import fake_openai
from fake_openai import ROUTES, FakeOpenAI
from ftlint import submit
from ftlint.submit import service
from test_submit import API_KEY, RecordingLint, make_parser, write_chat


class _Raw(bytes):
    """A reply body sent as it is (the fake JSON-encodes anything but bytes)."""


class ReplyingFake(FakeOpenAI):
    """The fake, with scripted raw replies for one route: (status, body bytes, headers) each."""

    def __init__(self):
        super().__init__()
        self.replies: dict[str, list[tuple[int, bytes, dict]]] = {}

    def handle(self, method, raw_path, headers, body):
        path = raw_path.split("?")[0]
        route = next((name for m, pattern, name in ROUTES if m == method and pattern.match(path)), None)
        with self._lock:
            pending = self.replies.get(route)
            if pending:
                self.requests.append(fake_openai.RecordedRequest(method, raw_path, route, headers, body))
                status, data, extra = pending.pop(0)
                return status, _Raw(data), extra
        return super().handle(method, raw_path, headers, body)


HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x1b]0;owned\x07\x1b[2J", "x\r\n::error::forged", "\u202eevil", "%0A::warning::x",
                     "A" * 50_000, API_KEY, "sk-" + "x" * 40, "\x00\x9b31m"]),
)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT,
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids,
                                                                                      max_size=3), max_leaves=6)
OBJECT_KEYS = ["id", "object", "status", "filename", "bytes", "purpose", "status_details", "fine_tuned_model",
               "error", "message", "data", "has_more", "level", "created_at", "model", "training_file"]


def _bodies():
    shaped = st.dictionaries(st.sampled_from(OBJECT_KEYS), JSON_VALUES, max_size=6).map(json.dumps)
    error = st.fixed_dictionaries({"error": st.dictionaries(st.sampled_from(["message", "type", "code", "param"]),
                                                             JSON_VALUES, max_size=4)}).map(json.dumps)
    anything = JSON_VALUES.map(json.dumps)
    broken = st.sampled_from(['{"id": "file-1"', "<html><body>502 Bad Gateway</body></html>", "", "null",
                              '{"error": "plain string"}', '{"data": [{"message": 1}], "has_more": true}', "[]",
                              "\x1b[2J" + "x" * 10_000])
    return st.one_of(shaped, error, anything, broken).map(lambda text: text.encode("utf-8", "surrogatepass"))


REPLY = st.tuples(
    st.sampled_from([200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504]),
    _bodies(),
    st.dictionaries(st.sampled_from(["retry-after", "retry-after-ms", "x-request-id"]),
                    st.sampled_from(["", "1", "0", "-5", "nan", "1e309", "99999999999", "Wed, 21 Oct 2099 07:28:00 GMT",
                                     "abc", "0.001"]), max_size=2),
)
TARGETS = ["files.create", "files.retrieve", "jobs.create", "jobs.retrieve", "jobs.events"]


@pytest.fixture
def quick(monkeypatch, tmp_path):
    import openai

    monkeypatch.setattr(service.time, "sleep", lambda seconds: None)  # Retry-After waits (SDK's and ftlint's)
    monkeypatch.setattr(openai._base_client, "INITIAL_RETRY_DELAY", 0.0)
    monkeypatch.setattr(openai._base_client, "MAX_RETRY_DELAY", 0.0)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.chdir(tmp_path)


def _submit(server, tmp_path, replies: dict) -> tuple[int, str, str]:
    with server._lock:
        server.replies = replies
    data = tmp_path / "d.jsonl"
    if not data.exists():
        write_chat(data)
    args = make_parser().parse_args(["--submit", "--wait", "--poll-interval", "0.01", "--read-timeout", "5",
                                     "--base-url", server.base_url, "--model", "gpt-4o-mini",
                                     "--state-file", str(tmp_path / "state.json"), "--reupload", str(data)])
    out, err = io.StringIO(), io.StringIO()
    code = submit.run(args, RecordingLint(), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("body, content_type, said", [
    (b"<html><body>upstream</body></html>", "text/html", "is not what the API documents (200, text/html)"),
    (b'{"id": "file-1"', "application/json", "a reply of the service is not valid JSON"),
    (b"null", "application/json", "the reply is null"),
    (b"{}", "application/json", "is not what the API documents (200, application/json)"),
    (b'{"id": 5, "object": "file"}', "application/json", "is not what the API documents"),
])
def test_a_malformed_success_reply_is_one_line_not_an_internal_error(server, tmp_path, quick, body, content_type,
                                                                      said):
    """F14: an HTML page or invalid JSON with status 200 was "internal error: AttributeError/JSONDecodeError"."""
    code, out, err = _submit(server, tmp_path, {"files.create": [(200, body, {"content-type": content_type})]})
    assert code == 2
    line, = err.splitlines()
    assert line.startswith("ftlint: ") and said in line and "internal error" not in line, line


@pytest.fixture(scope="module")
def server():
    fake = ReplyingFake().start()
    fake.expected_api_key = API_KEY
    yield fake
    fake.stop()


@pytest.mark.slow  # ~8 s: 40 submit runs against the local server
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(TARGETS), replies=st.lists(REPLY, min_size=1, max_size=3))
# An events page whose "data" is no list: the SDK's iteration raised TypeError, an internal error.
@example(route="jobs.events", replies=[(200, b'{"id": null, "object": null, "status": null, "data": 1}', {})])
def test_any_server_reply_is_a_clean_exit(server, tmp_path, quick, route, replies):
    code, out, err = _submit(server, tmp_path, {
        route: [(status, body, {"retry-after-ms": "1", **headers}) for status, body, headers in replies]})
    text = out + err
    assert code in (0, 1, 2), text
    assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    assert API_KEY not in text
    for line in text.splitlines():
        assert not any(ch in line for ch in "\x1b\x07\r\x00\x9b\u202e"), line[:300]
        assert not line.startswith("::"), line[:300]
        assert len(line) < 2_000, line[:300]


def test_a_server_echoing_the_key_encoded_gets_it_redacted(server, tmp_path, quick):
    """F15: the URL-encoded and base64 forms of the key were printed as they came."""
    import base64
    import urllib.parse

    forms = [API_KEY, urllib.parse.quote(API_KEY, safe=""), urllib.parse.quote_plus(API_KEY),
             base64.b64encode(API_KEY.encode()).decode(), base64.urlsafe_b64encode(API_KEY.encode()).decode().rstrip("=")]
    message = "Incorrect API key provided: " + " | ".join(forms)
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key"}})
    code, out, err = _submit(server, tmp_path, {"files.create": [(401, body.encode(), {})]})
    assert code == 2 and "authentication failed (401)" in err
    assert not any(form in out + err for form in forms), err
    assert err.count("[REDACTED]") == len(forms)


def test_redact_covers_the_encoded_forms_of_a_key():
    import base64
    import urllib.parse

    from ftlint.submit.console import redact

    key = "tok/ABC+def=ghi jk?>"  # characters URL encoding changes; base64 with + and / in it
    forms = [urllib.parse.quote(key, safe=""), urllib.parse.quote_plus(key), base64.b64encode(key.encode()).decode(),
             base64.urlsafe_b64encode(key.encode()).decode().rstrip("="), key]
    assert len(set(forms)) == 5, forms
    assert redact(" | ".join(forms), (key,)) == " | ".join(["[REDACTED]"] * 5)


@pytest.mark.parametrize("events", [1, "abc", [1], {"x": 1}, [None]])
def test_a_malformed_events_page_is_one_line_not_an_internal_error(server, tmp_path, quick, events):
    """Hypothesis found it: an events page whose "data" is not a list of events was "internal error:
    TypeError: 'int' object is not iterable" while following a job."""
    body = json.dumps({"object": "list", "data": events, "has_more": False}).encode()
    code, out, err = _submit(server, tmp_path, {"jobs.events": [(200, body, {"content-type": "application/json"})]})
    assert code == 2, out + err
    line, = err.splitlines()
    assert line.startswith("ftlint: ") and "events of job" in line and "not what the API documents" in line, line
    assert "internal error" not in line
