"""`ftlint --submit` end to end through main(): the real CLI, the real linter,
the official openai SDK, and the local fake API on 127.0.0.1."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from ftlint.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from fake_openai import FakeOpenAI  # noqa: E402

API_KEY = "sk-test-cli-NEVER-PRINTED-0987654321"


@pytest.fixture
def fake(monkeypatch, tmp_path):
    for name in ("OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.chdir(tmp_path)
    server = FakeOpenAI().start()
    server.expected_api_key = API_KEY
    yield server
    server.stop()


def write(path, n, broken=False):
    rows = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
            for i in range(n)]
    if broken:
        rows.insert(3, "")
    path.write_text("\n".join(rows) + "\n")
    return path


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    return main(argv, stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_submit_uploads_the_linted_bytes_and_creates_the_job(fake, tmp_path):
    train = write(tmp_path / "train.jsonl", 60)
    valid = write(tmp_path / "valid.jsonl", 12)
    code, out, err = run(["--submit", str(train), "--validation", str(valid), "--model", "gpt-4o-mini-2024-07-18",
                          "--epochs", "3", "--suffix", "bot", "--base-url", fake.base_url])
    assert code == 0, out + err
    assert f"{train}: chat (messages), 60 examples" in out  # the report names the user's file, not the snapshot
    assert f"{valid} (validation): chat (messages), 12 examples" in out
    uploads = fake.requests_to("files.create")
    assert len(uploads) == 2
    sent = [r.body for r in uploads]
    assert any(train.read_bytes() in body for body in sent)
    assert any(valid.read_bytes() in body for body in sent)
    (job,) = fake.requests_to("jobs.create")
    body = job.json()
    assert body["model"] == "gpt-4o-mini-2024-07-18" and body["suffix"] == "bot"
    assert body["method"]["supervised"]["hyperparameters"]["n_epochs"] == 3
    assert API_KEY not in out + err


def test_submit_needs_no_http_library_beyond_the_openai_sdks_own(fake, tmp_path, monkeypatch):
    """pip install 'ftlint[submit]' resolves openai 3.x, built on httpx2: 0.3.0 imported httpx itself
    and every --submit ended in "internal error: ModuleNotFoundError: No module named 'httpx'"."""
    monkeypatch.setitem(sys.modules, "httpx", None)  # `import httpx` now fails, as in such a venv
    train = write(tmp_path / "train.jsonl", 60)
    code, out, err = run(["--submit", str(train), "--model", "gpt-4o-mini-2024-07-18", "--base-url", fake.base_url,
                          "--read-timeout", "7", "--connect-timeout", "3"])
    assert code == 0, out + err
    assert len(fake.requests_to("files.create")) == 1 and len(fake.requests_to("jobs.create")) == 1


def test_debug_prints_the_traceback_of_an_internal_error_during_submit(fake, tmp_path, monkeypatch):
    from ftlint.submit import backend

    def broken(self, client, body):
        raise RuntimeError("a bug in ftlint")

    monkeypatch.setattr(backend.OpenAIBackend, "create_job", broken)
    train = write(tmp_path / "train.jsonl", 60)
    argv = ["--submit", str(train), "--model", "gpt-4o-mini-2024-07-18", "--base-url", fake.base_url]
    code, _, err = run(argv)
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[-1] == ("ftlint: internal error during --submit: RuntimeError: a bug in ftlint "
                                    "(please report: https://github.com/ftlint/ftlint/issues; --debug shows the traceback)")
    code, _, err = run([*argv, "--debug"])
    assert code == 2
    lines = err.splitlines()
    assert "Traceback (most recent call last):" in lines and 'raise RuntimeError("a bug in ftlint")' in err
    assert lines[-1] == ("ftlint: internal error during --submit: RuntimeError: a bug in ftlint "
                         "(please report: https://github.com/ftlint/ftlint/issues)")
    assert API_KEY not in err


def test_submit_sends_nothing_when_lint_fails(fake, tmp_path):
    train = write(tmp_path / "train.jsonl", 60, broken=True)
    code, out, err = run(["--submit", str(train), "--model", "gpt-4o-mini-2024-07-18", "--base-url", fake.base_url])
    assert code == 1
    assert f"{train}:4:1: FT004 [error] blank line" in out
    assert fake.requests == []


def test_submit_fails_on_warnings_with_strict(fake, tmp_path):
    train = write(tmp_path / "train.jsonl", 20)  # FT402 warning
    code, _, _ = run(["--submit", str(train), "--model", "gpt-4o-mini-2024-07-18", "--strict",
                      "--base-url", fake.base_url])
    assert code == 1 and fake.requests == []


RFT_FILE = "microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl"
STRING_CHECK = {"type": "string_check", "name": "answer", "input": "{{sample.output_text}}",
                "reference": "{{item.reference_answer}}", "operation": "eq"}


def _rft_sample(real_corpus, tmp_path, lines=40):
    """The first lines of a real RFT file: user turns only, which o4-mini trains on with reinforcement."""
    head = (real_corpus / RFT_FILE).read_bytes().splitlines(keepends=True)[:lines]
    path = tmp_path / "rft_train.jsonl"
    path.write_bytes(b"".join(head))
    return path


def test_submit_creates_the_job_with_the_method_the_lint_decided(fake, tmp_path, real_corpus, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2026-09-01")  # before o4-mini's shutdown
    train = _rft_sample(real_corpus, tmp_path)
    grader = tmp_path / "grader.json"
    grader.write_text(json.dumps(STRING_CHECK))
    code, out, err = run(["--submit", str(train), "--model", "o4-mini", "--grader", str(grader),
                          "--base-url", fake.base_url])
    assert code == 0, out + err
    assert "as reinforcement (o4-mini-2025-04-16 trains only with reinforcement fine-tuning)" in out
    (job,) = fake.requests_to("jobs.create")
    assert job.json()["method"] == {"type": "reinforcement", "reinforcement": {"grader": STRING_CHECK}}


def test_submit_asks_for_the_grader_the_linted_method_needs(fake, tmp_path, real_corpus, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2026-09-01")
    train = _rft_sample(real_corpus, tmp_path)
    code, out, err = run(["--submit", str(train), "--model", "o4-mini", "--base-url", fake.base_url])
    assert code == 2
    assert err.strip() == ("ftlint: reinforcement jobs need a grader: --grader grader.json (the file was linted as "
                           "reinforcement because o4-mini-2025-04-16 trains only with reinforcement fine-tuning)")
    assert fake.requests == []


def test_submit_dry_run_shows_the_linted_method(tmp_path, real_corpus, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2026-09-01")
    monkeypatch.chdir(tmp_path)
    train = _rft_sample(real_corpus, tmp_path)
    grader = tmp_path / "grader.json"
    grader.write_text(json.dumps(STRING_CHECK))
    code, out, err = run(["--submit", str(train), "--model", "o4-mini", "--provider", "azure", "--dry-run", "-q",
                          "--base-url", "https://x.openai.azure.com/openai/v1/", "--grader", str(grader)])
    assert code == 0, out + err
    assert '"type": "reinforcement"' in out and '"supervised"' not in out


def test_submit_dry_run_keeps_a_json_report_alone_on_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    train = write(tmp_path / "train.jsonl", 12)
    code, out, err = run(["--submit", str(train), "--model", "gpt-4o-mini", "--dry-run", "--format", "json"])
    assert code == 0, err
    report = json.loads(out)  # the whole of stdout is the JSON document
    assert report["summary"]["files"] == 1
    assert err.startswith("dry run: nothing is sent. Service: https://api.openai.com/v1\n")
    assert '"training_file": "<file id of train.jsonl>"' in err


def test_submit_json_report_and_job_id_apart(fake, tmp_path):
    train = write(tmp_path / "train.jsonl", 12)
    code, out, err = run(["--submit", str(train), "--model", "gpt-4o-mini-2024-07-18", "--format", "json",
                          "--base-url", fake.base_url])
    assert code == 0, err
    json.loads(out)
    assert "created fine-tuning job ftjob-" in err


def test_submit_text_report_keeps_the_dry_run_on_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    train = write(tmp_path / "train.jsonl", 12)
    code, out, err = run(["--submit", str(train), "--model", "gpt-4o-mini", "--dry-run"])
    assert code == 0, err
    assert "dry run: nothing is sent." in out and "dry run" not in err
