"""ftlint --submit --provider together: the real together SDK against a local fake of Together's API
(tests/fake_together.py: the API plus a signed-URL storage host, both on 127.0.0.1). No real API."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path

import pytest

pytest.importorskip("together")

from ftlint import cli, submit  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from fake_together import FakeTogether, TogetherStep, failing_plan  # noqa: E402
from test_submit import RecordingLint, make_parser, write_chat, write_dpo  # noqa: E402

TOGETHER_KEY = "tgp_v1_test-DO-NOT-LEAK-0123456789abcdef"
MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"


@pytest.fixture
def together_fake():
    server = FakeTogether().start()
    server.expected_api_key = TOGETHER_KEY
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def together_environment(monkeypatch, tmp_path):
    for name in ("TOGETHER_BASE_URL", "TOGETHER_PROJECT_ID", "TOGETHER_CUSTOM_HEADERS", "TOGETHER_LOG",
                 "TOGETHER_ALLOW_INSECURE_UPLOAD_REDIRECTS", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TOGETHER_API_KEY", TOGETHER_KEY)
    monkeypatch.chdir(tmp_path)


def run_cli(argv: list[str]):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, out, err)
    assert TOGETHER_KEY not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def run(argv: list[str], fake: FakeTogether, lint=None):
    """submit.run with the CLI's submit options (the linter stubbed by RecordingLint)."""
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", "--base-url", fake.base_url, *argv])
    args.provider = "together"
    out, err = io.StringIO(), io.StringIO()
    code = submit.run(args, lint if lint is not None else RecordingLint(), out, err)
    assert TOGETHER_KEY not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def only(items: dict):
    assert len(items) == 1, items
    return next(iter(items.values()))


# -- end to end through the command line ----------------------------------------------------------


def test_submit_and_wait_end_to_end_uploads_the_linted_bytes_through_the_signed_url(together_fake, tmp_path):
    data = write_chat(tmp_path / "train.jsonl")
    code, out, err = run_cli(["--submit", "--provider", "together", "--model", MODEL, str(data), "--wait",
                              "--poll-interval", "0.01", "--base-url", together_fake.base_url])
    assert code == 0, out + err
    # The bytes arrived on the storage host, exactly, and the SDK declared their sha256.
    assert only(together_fake.file_contents) == data.read_bytes()
    declared = only(together_fake.declared)
    assert declared["file_name"] == "train.jsonl" and declared["file_type"] == "jsonl"
    assert declared["purpose"] == "fine-tune"
    # The key went to the API only, never to the storage host.
    assert together_fake.storage_requests and all(
        "authorization" not in r.headers and TOGETHER_KEY.encode() not in r.body for r in together_fake.storage_requests
    )
    assert all(r.headers["authorization"] == f"Bearer {TOGETHER_KEY}" for r in together_fake.requests)
    request = only(together_fake.job_requests)
    assert request["model"] == MODEL
    assert request["training_file"] == only(together_fake.files)["id"]
    # Defaults from rules/providers/together.toml: [epochs] default 1, [submit] learning rate 1e-5, sft.
    assert request["n_epochs"] == 1 and request["learning_rate"] == 0.00001
    assert request["training_method"] == {"method": "sft", "train_on_inputs": "auto"}
    job_id = only(together_fake.jobs)["id"]
    assert f"created fine-tuning job {job_id} (status: pending)" in out
    assert out.count("Training started for model " + MODEL) == 1
    assert "status: completed" in out
    assert f"fine-tuned model: fake-user/Meta-Llama-3.1-8B-Instruct-Reference-ftlint-{job_id}" in out


def test_a_together_model_selects_together_without_provider(together_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("TOGETHER_BASE_URL", together_fake.base_url)
    code, out, err = run_cli(["--submit", "--model", MODEL, str(write_chat(tmp_path / "d.jsonl"))])
    assert code == 0, out + err
    job_id = only(together_fake.jobs)["id"]
    assert f"follow it with: ftlint --follow {job_id} --provider together" in out


def test_lint_failure_sends_nothing(together_fake, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"messages": [{"role": "assistant", "content": "no user first"}]}\n', encoding="utf-8")
    code, out, err = run_cli(["--submit", "--provider", "together", "--model", MODEL, str(bad),
                              "--base-url", together_fake.base_url])
    assert code == 1
    assert "not submitting: lint did not pass (exit 1); nothing was uploaded" in err
    assert not together_fake.requests and not together_fake.storage_requests


def test_follow_a_together_job_by_its_id(together_fake, tmp_path):
    code, out, _ = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake)
    assert code == 0
    job_id = only(together_fake.jobs)["id"]
    code, out, err = run_cli(["--follow", job_id, "--provider", "together", "--base-url", together_fake.base_url,
                              "--poll-interval", "0.01"])
    assert code == 0, err
    assert f"following fine-tuning job {job_id}" in out
    lines = out.splitlines()
    # Each event once, oldest first, with its time.
    messages = [line for line in lines if line.startswith("[2026-12-01 ")]
    assert [m.split("] ", 1)[1] for m in messages] == [
        "Fine tune request created", "Job started", f"Training started for model {MODEL}",
        "Epoch completed, at step 2", "New checkpoint saved at step 3", "Uploading output model", "Job finished",
    ]
    assert "status: completed" in out


def test_following_an_unknown_job_is_one_line(together_fake):
    code, out, err = run_cli(["--follow", "ft-nope", "--provider", "together", "--base-url", together_fake.base_url])
    assert code == 2
    assert err.strip() == "ftlint: not found (404): Fine-tune job not found: ft-nope (param: id)"


def test_a_rate_limited_upload_reads_the_servers_message_not_the_headers(together_fake, tmp_path):
    together_fake.fail_next("files.create", 429, "Too many uploads", times=3)
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake)
    assert code == 2
    assert "rate limited (429) even after retries: Too many uploads; the server asked to wait 0.001 s" in err
    assert "headers" not in err
    assert len(together_fake.requests_to("files.create")) == 3  # the SDK retried twice
    assert not together_fake.storage_requests


def test_a_failed_job_exits_1_with_the_services_error_event(together_fake, tmp_path):
    together_fake.job_plan = failing_plan()
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--wait"], together_fake)
    assert code == 1
    job_id = only(together_fake.jobs)["id"]
    assert "ERROR: Training file contains invalid examples: line 3 has no assistant message" in out
    assert (f"ftlint: fine-tuning job {job_id} error: Training file contains invalid examples: "
            "line 3 has no assistant message") in err


# -- the job request: options and the profile's facts ---------------------------------------------


def test_preference_files_become_dpo_jobs_with_beta(together_fake, tmp_path):
    code, out, err = run([str(write_dpo(tmp_path / "prefs.jsonl")), "--model", MODEL, "--beta", "0.2"], together_fake)
    assert code == 0, err
    method = only(together_fake.job_requests)["training_method"]
    assert method["method"] == "dpo" and method["dpo_beta"] == 0.2


def test_options_reach_the_request(together_fake, tmp_path):
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--epochs", "3",
                          "--learning-rate", "0.0002", "--no-lora", "--batch-size", "8", "--suffix", "mine",
                          "--seed", "7"], together_fake)
    assert code == 0, err
    request = only(together_fake.job_requests)
    assert request["n_epochs"] == 3 and request["learning_rate"] == 0.0002
    assert request["training_type"] == {"type": "Full"}
    assert request["batch_size"] == 8 and request["suffix"] == "mine" and request["random_seed"] == 7


def test_lora_asks_for_the_models_default_rank(together_fake, tmp_path):
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--lora"], together_fake)
    assert code == 0, err
    training_type = only(together_fake.job_requests)["training_type"]
    assert training_type["type"] == "Lora" and training_type["lora_r"] == 64  # the fake's model limits


def test_validation_file_with_evaluations(together_fake, tmp_path):
    train, valid = write_chat(tmp_path / "t.jsonl"), write_chat(tmp_path / "v.jsonl", 4)
    lint = RecordingLint()
    code, out, err = run([str(train), "--validation", str(valid), "--model", MODEL, "--n-evals", "5"],
                         together_fake, lint)
    assert code == 0, err
    request = only(together_fake.job_requests)
    contents = {together_fake.files[i]["filename"]: c for i, c in together_fake.file_contents.items()}
    assert contents == {"t.jsonl": train.read_bytes(), "v.jsonl": valid.read_bytes()}
    assert lint.seen_bytes == [train.read_bytes(), valid.read_bytes()]
    assert request["n_evals"] == 5
    assert together_fake.files[request["validation_file"]]["filename"] == "v.jsonl"


@pytest.mark.parametrize("argv, message", [
    (["--validation", "v.jsonl"], "Together AI evaluates a validation file only when the job has evaluations "
                                  "(n_evals, default 0): pass --n-evals N"),
    (["--n-evals", "2"], "--n-evals needs a validation file"),
    (["--learning-rate-multiplier", "2"], "--learning-rate-multiplier does not apply to Together AI jobs; "
                                          "it takes --learning-rate (an absolute rate)"),
    (["--metadata", "a=b"], "--metadata does not apply to Together AI jobs"),
    (["--suffix", "x" * 41], "--suffix must be 1 to 40 characters for Together AI, got 41"),
    (["--method", "reinforcement"], "Together AI fine-tunes supervised (sft), dpo, not reinforcement"),
])
def test_what_together_cannot_take_is_one_line_and_sends_nothing(together_fake, tmp_path, argv, message):
    write_chat(tmp_path / "v.jsonl", 4)
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, *argv], together_fake)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not together_fake.requests and not together_fake.storage_requests


def test_openais_ranges_are_not_applied_to_together(together_fake, tmp_path):
    code, _, err = run([str(write_dpo(tmp_path / "p.jsonl")), "--model", MODEL, "--beta", "3", "--epochs", "60"],
                       together_fake)
    assert code == 0, err  # Together's own limits are the service's (GET /v1/fine-tunes/models/limits)
    request = only(together_fake.job_requests)
    assert request["n_epochs"] == 60 and request["training_method"]["dpo_beta"] == 3


def test_openais_ranges_still_apply_to_openai(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    code, _, err = run_cli(["--submit", "--model", "gpt-4o-mini", "--epochs", "51", "--dry-run",
                            str(write_chat(tmp_path / "d.jsonl"))])
    assert code == 2 and "--epochs must be between 1 and 50" in err


def test_together_options_do_not_apply_to_openai(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    code, _, err = run_cli(["--submit", "--model", "gpt-4o-mini", "--learning-rate", "0.1", "--dry-run",
                            str(write_chat(tmp_path / "d.jsonl"))])
    assert code == 2 and "--learning-rate does not apply to OpenAI jobs" in err


def test_the_sdks_own_parameter_checks_are_one_line(together_fake, tmp_path):
    # The model's limits (from the service) say batch sizes 8-16; the SDK refuses 4 before creating a job.
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--lora", "--batch-size", "4"],
                       together_fake)
    assert code == 2
    assert "the together SDK refused the request: Requested batch size of 4 is lower that the minimum" in err
    assert not together_fake.requests_to("jobs.create")
    assert "--training-file-id" in err  # the uploaded file is reused on retry


def test_dry_run_shows_the_request_and_sends_nothing(together_fake, tmp_path):
    code, out, err = run([str(write_dpo(tmp_path / "p.jsonl")), "--model", MODEL, "--dry-run"], together_fake)
    assert code == 0, err
    assert "POST /v1/files, then PUT to the signed URL it redirects to" in out
    body = json.loads(out[out.index("{"):])
    assert body == {"model": MODEL, "training_file": "<file id of p.jsonl>", "n_epochs": 1,
                    "learning_rate": 0.00001, "training_method": "dpo"}
    assert "job request (POST /v1/fine-tunes, through the together SDK):" in out
    assert not together_fake.requests


# -- reuse, errors, escaping ----------------------------------------------------------------------


def test_a_second_run_reuses_the_upload_of_the_same_bytes(together_fake, tmp_path):
    data = write_chat(tmp_path / "d.jsonl")
    assert run([str(data), "--model", MODEL], together_fake)[0] == 0
    code, out, err = run([str(data), "--model", MODEL], together_fake)
    assert code == 0, err
    assert len(together_fake.requests_to("files.create")) == 1 and len(together_fake.jobs) == 2
    assert "already uploaded as file-" in out


def test_a_file_the_service_rejects_stops_before_the_job(together_fake, tmp_path):
    together_fake.file_statuses = ["PENDING", "RUNNING", "INVALID_FORMAT"]
    together_fake.file_error = "Line 2: \x1b[31mmissing messages\x1b[0m"
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake)
    assert code == 1
    assert "the service rejected" in err and "INVALID_FORMAT" in err and "missing messages" in err
    assert "\x1b" not in err
    assert not together_fake.requests_to("jobs.create")


def test_a_wrong_key_is_one_line_that_names_the_variable(together_fake, tmp_path):
    together_fake.expected_api_key = "another-key-0123456789"
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake)
    assert code == 2
    assert "authentication failed (401)" in err and "Invalid API key provided" in err
    assert "check TOGETHER_API_KEY" in err


def test_no_key_sends_nothing_and_lints_nothing(together_fake, tmp_path, monkeypatch):
    monkeypatch.delenv("TOGETHER_API_KEY")
    lint = RecordingLint()
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake, lint)
    assert code == 2 and "set TOGETHER_API_KEY" in err
    assert not lint.calls and not together_fake.requests


def test_the_key_echoed_by_the_server_is_redacted(together_fake, tmp_path):
    together_fake.fail_next("jobs.create", 400, f"bad request from key {TOGETHER_KEY}")
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], together_fake)
    assert code == 2 and "bad request from key [REDACTED]" in err


def test_server_text_is_escaped_and_bounded(together_fake, tmp_path):
    together_fake.job_plan = [TogetherStep("running", [{"type": "warning", "level": "warning",
                                                        "message": "\x1b]0;pwned\x07" + "A" * 50_000}]),
                              TogetherStep("completed")]
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--wait"], together_fake)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    warning = next(line for line in out.splitlines() if "WARNING: " in line)
    assert len(warning) < 2_000


def test_a_server_error_on_create_gives_a_retry_command_that_reuses_the_upload(together_fake, tmp_path):
    together_fake.fail_next("jobs.create", 400, "model is not available for fine-tuning")
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--epochs", "2", "--n-evals", "0"],
                       together_fake)
    assert code == 2
    assert "request rejected (400): model is not available for fine-tuning" in err
    command = err.strip().splitlines()[-1].strip()
    words = shlex.split(command)
    file_id = only(together_fake.files)["id"]
    assert words[:4] == ["ftlint", "--submit", "--training-file-id", file_id]
    assert "--provider" in words and words[words.index("--provider") + 1] == "together"
    # Running it creates the job without a second upload.
    code, out, err = run_cli(words[1:] + ["--base-url", together_fake.base_url])
    assert code == 0, err
    assert len(together_fake.requests_to("files.create")) == 1 and len(together_fake.jobs) == 1


@pytest.mark.parametrize("model", [["--model", "m"], []])
def test_a_provider_that_cannot_submit_names_those_that_can(tmp_path, model):
    """Said first: 0.3.0 asked for --model, then refused the provider."""
    code, _, err = run_cli(["--submit", "--provider", "vertex", *model, str(write_chat(tmp_path / "d.jsonl"))])
    assert code == 2
    assert err.strip() == ("ftlint: --submit cannot create jobs on provider 'vertex' (it can on openai, "
                           "azure-openai, fireworks, together); lint with --provider vertex and upload with the "
                           "provider's own tools")


def test_an_uploaded_file_id_alone_needs_the_method_for_a_model_with_two(together_fake, tmp_path):
    """Nothing is linted; a Llama model on Together trains supervised and DPO, so ftlint asks rather than guess."""
    assert run([str(write_dpo(tmp_path / "prefs.jsonl")), "--model", MODEL], together_fake)[0] == 0
    file_id = only(together_fake.files)["id"]
    jobs = len(together_fake.jobs)
    code, out, err = run(["--training-file-id", file_id, "--model", MODEL], together_fake, lint := RecordingLint())
    assert code == 2 and lint.calls == [] and len(together_fake.jobs) == jobs
    assert err.strip() == (f"ftlint: --training-file-id {file_id} without its FILE: nothing is linted, so ftlint "
                           f"cannot tell the job's method; pass --method ({MODEL} trains with supervised, dpo), or "
                           "pass the FILE as well to lint it (nothing was sent)")
    code, out, err = run(["--training-file-id", file_id, "--model", MODEL, "--method", "dpo"], together_fake)
    assert code == 0, err
    assert len(together_fake.jobs) == jobs + 1
    assert list(together_fake.job_requests.values())[-1]["training_method"]["method"] == "dpo"


@pytest.mark.parametrize("provider, example", [
    ("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct"),
    ("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"),
    ("openai", "gpt-4o-mini-2024-07-18"),
])
def test_the_missing_model_example_is_the_providers_own(tmp_path, provider, example):
    """0.3.0 suggested an OpenAI model to every provider (--model gpt-4.1-mini-2025-04-14 for Fireworks)."""
    code, _, err = run_cli(["--submit", "--provider", provider, str(write_chat(tmp_path / "d.jsonl"))])
    assert (code, err) == (2, f"ftlint: --submit needs --model (e.g. --model {example})\n")
