"""ftlint --submit --provider fireworks: the real fireworks-ai SDK against a local fake of Fireworks' API
(tests/fake_fireworks.py: the API plus a signed-URL storage host, both on 127.0.0.1). No real API."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("fireworks")

from ftlint import cli, submit  # noqa: E402
from ftlint.submit import fireworks as fireworks_backend  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from fake_fireworks import FakeFireworks, failing_plan  # noqa: E402
from test_submit import RecordingLint, make_parser, sha256_of, write_chat, write_dpo  # noqa: E402

FIREWORKS_KEY = "fw_test-DO-NOT-LEAK-0123456789abcdef"
ACCOUNT = "acct-test"
MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"


@pytest.fixture
def fw():
    server = FakeFireworks(ACCOUNT).start()
    server.expected_api_key = FIREWORKS_KEY
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fireworks_environment(monkeypatch, tmp_path):
    for name in ("FIREWORKS_BASE_URL", "FIREWORKS_CUSTOM_HEADERS", "FIREWORKS_LOG", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FIREWORKS_API_KEY", FIREWORKS_KEY)
    monkeypatch.setenv("FIREWORKS_ACCOUNT_ID", ACCOUNT)
    monkeypatch.chdir(tmp_path)


def run_cli(argv: list[str]):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, out, err)
    assert FIREWORKS_KEY not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def run(argv: list[str], fake: FakeFireworks, lint=None):
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", "--base-url", fake.base_url, *argv])
    args.provider = "fireworks"
    out, err = io.StringIO(), io.StringIO()
    code = submit.run(args, lint if lint is not None else RecordingLint(), out, err)
    assert FIREWORKS_KEY not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def only(items: dict):
    assert len(items) == 1, items
    return next(iter(items.values()))


def test_submit_and_wait_end_to_end(fw, tmp_path):
    data = write_chat(tmp_path / "train.jsonl")
    code, out, err = run_cli(["--submit", "--provider", "fireworks", "--model", MODEL, str(data), "--wait",
                              "--poll-interval", "0.01", "--base-url", fw.base_url])
    assert code == 0, out + err
    dataset_id = f"ftlint-{sha256_of(data.read_bytes())[:32]}"
    assert fw.contents == {dataset_id: data.read_bytes()}
    assert fw.datasets[dataset_id]["displayName"] == "train.jsonl"
    assert all(r.headers["authorization"] == f"Bearer {FIREWORKS_KEY}" for r in fw.requests)
    request = only(fw.job_requests)
    assert request["dataset"] == f"accounts/{ACCOUNT}/datasets/{dataset_id}"
    assert request["baseModel"] == MODEL and request["epochs"] == 1  # the profile's [epochs] default
    job = only(fw.jobs)
    assert job["name"].startswith(f"accounts/{ACCOUNT}/supervisedFineTuningJobs/")
    assert f"created fine-tuning job {job['name']} (status: JOB_STATE_CREATING)" in out
    assert "status: validating" in out and "status: completed" in out
    assert f"fine-tuned model: {job['outputModel']}" in out


def test_follow_by_job_name(fw, tmp_path):
    code, out, _ = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw)
    assert code == 0
    name = only(fw.jobs)["name"]
    assert f"follow it with: ftlint --follow {name} --provider fireworks" in out
    code, out, err = run_cli(["--follow", name, "--provider", "fireworks", "--base-url", fw.base_url,
                              "--poll-interval", "0.01"])
    assert code == 0, err
    assert [line for line in out.splitlines() if line.startswith("status: ")] == [
        "status: validating", "status: running", "status: completed"]


def test_a_failed_job_exits_1_with_the_services_message(fw, tmp_path):
    fw.job_plan = failing_plan()
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--wait"], fw)
    assert code == 1
    assert "failed: Dataset line 4: assistant message missing" in err


def test_preference_files_become_dpo_jobs(fw, tmp_path):
    code, out, err = run([str(write_dpo(tmp_path / "p.jsonl")), "--model", MODEL, "--epochs", "2",
                          "--learning-rate", "0.0001"], fw)
    assert code == 0, err
    name = only(fw.jobs)["name"]
    assert "/dpoJobs/" in name
    request = fw.job_requests[name]
    assert request["trainingConfig"] == {"baseModel": MODEL, "epochs": 2, "learningRate": 0.0001}
    assert request["lossConfig"] == {"method": "DPO"}


def test_validation_file_becomes_the_evaluation_dataset(fw, tmp_path):
    train, valid = write_chat(tmp_path / "t.jsonl"), write_chat(tmp_path / "v.jsonl", 4)
    code, _, err = run([str(train), "--validation", str(valid), "--model", MODEL], fw)
    assert code == 0, err
    request = only(fw.job_requests)
    assert request["evaluationDataset"] == f"accounts/{ACCOUNT}/datasets/ftlint-{sha256_of(valid.read_bytes())[:32]}"
    assert sorted(fw.contents.values()) == sorted([train.read_bytes(), valid.read_bytes()])


def test_large_files_go_through_the_signed_url(fw, tmp_path, monkeypatch):
    data = write_chat(tmp_path / "big.jsonl", 40)
    # Through the SDK's own client type: ftlint imports no HTTP library itself (0.3.0 imported httpx,
    # which the submit extra does not install). The SDK, imported above, keeps the one it declares.
    monkeypatch.setitem(sys.modules, "httpx", None)
    monkeypatch.setattr(fireworks_backend.FireworksBackend, "direct_upload_limit", lambda self: 100)
    code, out, err = run([str(data), "--model", MODEL], fw)
    assert code == 0, err
    assert fw.requests_to("datasets.endpoint") and fw.requests_to("datasets.validate")
    assert not fw.requests_to("datasets.upload")
    assert only(fw.contents) == data.read_bytes()
    put = only({i: r for i, r in enumerate(fw.storage_requests)})
    assert "authorization" not in put.headers and put.body == data.read_bytes()


def test_the_same_bytes_are_not_uploaded_twice(fw, tmp_path):
    data = write_chat(tmp_path / "d.jsonl")
    assert run([str(data), "--model", MODEL], fw)[0] == 0
    (tmp_path / ".ftlint" / "uploads.json").unlink()  # even without the state file
    code, out, err = run([str(data), "--model", MODEL], fw)
    assert code == 0, err
    assert len(fw.requests_to("datasets.upload")) == 1 and len(fw.jobs) == 2
    assert "is already dataset ftlint-" in out


def test_a_dataset_the_service_rejects_stops_before_the_job(fw, tmp_path):
    fw.dataset_error = {"code": "INVALID_ARGUMENT", "message": "line 2: \x1b[2Jnot JSON"}
    fw.dataset_states = ["UPLOADING", "UPLOADING"]
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw)
    assert code == 1
    assert "the service rejected" in err and "INVALID_ARGUMENT" in err and "not JSON" in err
    assert "\x1b" not in err and not fw.requests_to("jobs.create")


def test_the_key_echoed_by_the_server_is_redacted(fw, tmp_path):
    fw.fail_next("jobs.create", 400, f"bad request from key {FIREWORKS_KEY}")
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw)
    assert code == 2 and "bad request from key [REDACTED]" in err


def test_dry_run_names_the_job_collection_and_sends_nothing(fw, tmp_path):
    code, out, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, "--dry-run", "--suffix", "v1"], fw)
    assert code == 0, err
    body = json.loads(out[out.index("{\n"):])
    assert body == {"collection": "supervisedFineTuningJobs", "dataset": f"accounts/{ACCOUNT}/datasets/<file id of d.jsonl>",
                    "display_name": "v1", "base_model": MODEL, "epochs": 1}
    assert not fw.requests


def test_lint_failure_sends_nothing(fw, tmp_path):
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw, RecordingLint(exit_code=1))
    assert code == 1 and "nothing was uploaded" in err
    assert not fw.requests and not fw.storage_requests


def test_no_account_id_is_one_line_before_anything(fw, tmp_path, monkeypatch):
    monkeypatch.delenv("FIREWORKS_ACCOUNT_ID")
    lint = RecordingLint()
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw, lint)
    assert code == 2 and "set FIREWORKS_ACCOUNT_ID (nothing was linted or sent)" in err
    assert not lint.calls and not fw.requests


def test_a_wrong_key_names_the_variable(fw, tmp_path):
    fw.expected_api_key = "another-key-0123456789"
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL], fw)
    assert code == 2 and "authentication failed (401)" in err and "check FIREWORKS_API_KEY" in err


@pytest.mark.parametrize("argv, message", [
    (["--seed", "3"], "--seed does not apply to Fireworks AI jobs"),
    (["--n-evals", "2"], "--n-evals does not apply to Fireworks AI jobs"),
    (["--no-lora"], "--lora/--no-lora does not apply to Fireworks AI jobs"),
    (["--learning-rate-multiplier", "2"], "--learning-rate-multiplier does not apply to Fireworks AI jobs"),
])
def test_what_fireworks_cannot_take_is_one_line(fw, tmp_path, argv, message):
    code, _, err = run([str(write_chat(tmp_path / "d.jsonl")), "--model", MODEL, *argv], fw)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not fw.requests
