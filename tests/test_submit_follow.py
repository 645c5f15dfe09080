"""--submit to Azure OpenAI, --follow JOB_ID, and the hardening of submit: escaped server text,
timeouts, long Retry-After, and the refusal to submit for a model that takes no new jobs."""

from __future__ import annotations

import io

import openai
import pytest

from fake_openai import FakeOpenAI, JobStep, succeeding_job_plan
from ftlint import cli, submit
from ftlint.submit import service
from test_submit import API_KEY, RecordingLint, environment, fake, make_parser, write_chat  # noqa: F401

AZURE_KEY = "azure-key-DO-NOT-LEAK-0123456789abcdef"


def run_cli(argv: list[str]):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, out, err)
    text = out.getvalue() + err.getvalue()
    assert API_KEY not in text and AZURE_KEY not in text
    return code, out.getvalue(), err.getvalue()


def submit_args(fake_server, *extra):
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", "--base-url", fake_server.base_url, *extra])
    return args


def run(args, lint=None):
    out, err = io.StringIO(), io.StringIO()
    code = submit.run(args, lint or RecordingLint(), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def fast_sdk_retries(monkeypatch):
    monkeypatch.setattr(openai._base_client, "INITIAL_RETRY_DELAY", 0.001)
    monkeypatch.setattr(openai._base_client, "MAX_RETRY_DELAY", 0.002)


# -- --follow JOB_ID -----------------------------------------------------------------------------


def _job_created_earlier(fake_server, tmp_path) -> str:
    code, out, _ = run(submit_args(fake_server, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 0
    job_id = next(iter(fake_server.jobs))
    assert f"follow it with: ftlint --follow {job_id}" in out
    return job_id


def test_follow_a_job_created_earlier_prints_its_events_once_and_the_model(fake, tmp_path):
    job_id = _job_created_earlier(fake, tmp_path)
    code, out, err = run_cli(["--follow", job_id, "--base-url", fake.base_url, "--poll-interval", "0.01"])
    assert code == 0, err
    assert f"following fine-tuning job {job_id}" in out
    assert out.count(f"Created fine-tuning job: {job_id}") == 1
    assert "status: succeeded" in out
    assert "fine-tuned model: ft:gpt-4o-mini-2024-07-18:fake-org:none:abc123" in out
    assert out.index("Fine-tuning job started") < out.index("The job has successfully completed")
    # Following reads; it never uploads or creates anything.
    assert len(fake.requests_to("jobs.create")) == 1 and len(fake.requests_to("files.create")) == 1


def test_follow_a_failed_job_exits_1_with_the_server_error(fake, tmp_path):
    job_id = _job_created_earlier(fake, tmp_path)
    fake.job_plan = [JobStep("failed", error={"code": "invalid_n_examples", "message": "too few", "param": None})]
    code, _, err = run_cli(["--follow", job_id, "--base-url", fake.base_url, "--poll-interval", "0.01"])
    assert code == 1
    assert f"fine-tuning job {job_id} failed: too few (code: invalid_n_examples)" in err


def test_follow_an_unknown_job_is_one_line(fake):
    code, _, err = run_cli(["--follow", "ftjob-nope", "--base-url", fake.base_url])
    assert code == 2
    assert err.strip().splitlines() == ["ftlint: not found (404): No such fine-tuning job: ftjob-nope (param: id)"]


def test_follow_needs_the_key_and_says_which(fake, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    code, _, err = run_cli(["--follow", "ftjob-1", "--base-url", fake.base_url])
    assert code == 2 and "set OPENAI_API_KEY" in err and not fake.requests


# -- server text is escaped and bounded ----------------------------------------------------------


def test_escape_sequences_and_huge_messages_from_the_server_are_escaped_and_bounded(fake, tmp_path):
    hostile = "\x1b]0;owned\x07\x1b[2J\r::error::forged\n"
    fake.job_plan = [
        JobStep("running\x1b[31m", [{"message": hostile + "event"}]),
        JobStep("failed", error={"code": "x\x1b[1m", "message": hostile + "A" * 100_000, "param": None}),
    ]
    code, out, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini", "--wait"))
    text = out + err
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\\x1b]0;owned\\x07" in text and "\\r::error::forged\\n" in text
    assert all(not line.startswith("::error::") for line in text.splitlines())
    assert max(len(line) for line in text.splitlines()) < 2_000
    assert "more characters)" in err


# -- timeouts ------------------------------------------------------------------------------------


def test_a_server_that_does_not_answer_times_out_with_a_clear_message(fake, tmp_path, fast_sdk_retries):
    fake.reply_delay = 1.0
    code, _, err = run(submit_args(
        fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini",
        "--read-timeout", "0.2", "--connect-timeout", "0.5",
    ))
    assert code == 2
    line = err.strip().splitlines()[0]
    assert "timed out" in line and "read timeout 0.2 s" in line and "--read-timeout" in line


def test_timeouts_must_be_positive(fake, tmp_path):
    code, _, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini",
                                   "--read-timeout", "0"))
    assert code == 2 and "--read-timeout must be a positive number of seconds" in err and not fake.requests


# -- 429 with a long Retry-After -----------------------------------------------------------------


def test_a_retry_after_the_sdk_waits_out_is_announced(fake, tmp_path, monkeypatch):
    waited = []
    monkeypatch.setattr(service.time, "sleep", waited.append)  # the SDK's sleep too (the same module)
    fake.fail_next("jobs.create", 429, "Too many jobs", headers={"retry-after-ms": "", "retry-after": "90"})
    code, out, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 0, err
    assert waited == [90.0]
    assert ("rate limited (429) on POST /v1/fine_tuning/jobs; the server asked to wait 90 s (Retry-After); "
            "retrying at") in err
    assert "created fine-tuning job" in out


def test_a_retry_after_longer_than_the_sdk_waits_is_waited_out_by_ftlint(fake, tmp_path, monkeypatch,
                                                                        fast_sdk_retries):
    waited = []
    monkeypatch.setattr(service.time, "sleep", waited.append)
    # Over its cap (2 minutes) the SDK does not retry at all; ftlint waits and tries again.
    fake.fail_next("jobs.create", 429, "Too many jobs", headers={"retry-after-ms": "", "retry-after": "600"})
    code, out, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 0, err
    assert [w for w in waited if w > 1] == [600.0]
    assert "rate limited (429) on creating the job; waiting 600 s as the server asked (Retry-After), until" in err
    assert "created fine-tuning job" in out


def test_a_retry_after_longer_than_ftlint_waits_says_what_was_asked(fake, tmp_path, monkeypatch, fast_sdk_retries):
    waited = []
    monkeypatch.setattr(service.time, "sleep", waited.append)
    fake.fail_next("jobs.create", 429, "Quota", headers={"retry-after-ms": "", "retry-after": "7200"})
    code, _, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 2
    assert not [w for w in waited if w > 1]
    assert "rate limited (429) even after retries: Quota; the server asked to wait 7200 s (Retry-After)" in err


# -- Azure OpenAI through the openai SDK ---------------------------------------------------------


@pytest.fixture
def azure(monkeypatch):
    server = FakeOpenAI(azure=True).start()
    server.expected_api_key = AZURE_KEY
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_BASE_URL", raising=False)
    yield server
    server.stop()


def test_azure_submit_uploads_the_linted_bytes_with_the_api_key_header(azure, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")  # Azure's own key is what is needed
    data = write_chat(tmp_path / "d.jsonl")
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", "--base-url", azure.base_url,
                                     str(data), "--model", "gpt-4o-mini", "--wait"])
    args.provider = "azure-openai"
    lint = RecordingLint()
    code, out, err = run(args, lint)
    assert code == 0, err
    uploaded = next(iter(azure.file_contents.values()))
    assert uploaded == data.read_bytes() == lint.seen_bytes[0]
    assert all(r.headers.get("api-key") == AZURE_KEY for r in azure.requests)
    assert all(r.path.startswith("/openai/v1/") for r in azure.requests)
    assert "status: succeeded" in out
    assert AZURE_KEY not in out + err


def test_azure_endpoint_from_the_environment(azure, tmp_path, monkeypatch):
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", azure.base_url[: -len("/openai/v1")])
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", str(write_chat(tmp_path / "d.jsonl")),
                                     "--model", "gpt-4o-mini"])
    args.provider = "azure-openai"
    code, out, err = run(args)
    assert code == 0, err
    assert azure.requests_to("jobs.create")


def test_azure_without_a_key_sends_nothing(azure, tmp_path, monkeypatch):
    monkeypatch.delenv("AZURE_OPENAI_API_KEY")
    lint = RecordingLint()
    args = make_parser().parse_args(["--submit", "--base-url", azure.base_url, str(write_chat(tmp_path / "d.jsonl")),
                                     "--model", "gpt-4o-mini"])
    args.provider = "azure-openai"
    code, _, err = run(args, lint)
    assert code == 2 and "set AZURE_OPENAI_API_KEY" in err
    assert not lint.calls and not azure.requests


def test_azure_failed_lint_sends_nothing(azure, tmp_path):
    args = make_parser().parse_args(["--submit", "--base-url", azure.base_url, str(write_chat(tmp_path / "d.jsonl")),
                                     "--model", "gpt-4o-mini"])
    args.provider = "azure-openai"
    code, _, err = run(args, RecordingLint(exit_code=1))
    assert code == 1 and "nothing was uploaded" in err and not azure.requests


def test_a_provider_without_a_submit_api_is_refused(tmp_path):
    args = make_parser().parse_args(["--submit", str(write_chat(tmp_path / "d.jsonl")), "--model", "m"])
    args.provider = "vertex"
    code, _, err = run(args)
    assert code == 2 and "cannot create jobs on provider 'vertex'" in err


# -- a model that takes no new jobs: refused before the key is read ------------------------------


def test_submit_for_a_model_that_no_longer_takes_jobs_is_refused_before_the_key(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2027-02-01")  # after OpenAI's last day for new jobs
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)  # OpenAI's API, at another address
    lint = RecordingLint()
    args = make_parser().parse_args(["--submit", str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"])
    code, _, err = run(args, lint)
    assert code == 2
    assert "not submitting: gpt-4o-mini-2024-07-18 can no longer be fine-tuned" in err
    assert "can no longer be fine-tuned: OpenAI " in err and "OPENAI_API_KEY" not in err
    assert not lint.calls and not fake.requests


def test_after_openais_last_day_base_url_submits_to_another_compatible_service(fake, tmp_path, monkeypatch):
    """--base-url names another OpenAI-compatible service: OpenAI's dates are not its dates (the README's way on)."""
    monkeypatch.setenv("FTLINT_TODAY", "2027-02-01")
    code, _, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 0, err
    assert len(fake.requests_to("jobs.create")) == 1


def test_the_same_model_is_submitted_while_it_still_takes_jobs(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2026-12-01")
    code, _, err = run(submit_args(fake, str(write_chat(tmp_path / "d.jsonl")), "--model", "gpt-4o-mini"))
    assert code == 0, err


def test_succeeding_plan_is_unchanged_for_the_other_tests():
    assert [s.status for s in succeeding_job_plan()][-1] == "succeeded"
