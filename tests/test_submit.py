"""ftlint --submit against a local fake of the OpenAI API, through the real openai SDK. No real API."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shlex
import sys
from pathlib import Path

import pytest

from ftlint import submit
from ftlint.arguments import add_submit_arguments

sys.path.insert(0, str(Path(__file__).parent))  # works whether or not tests/ is a package
from fake_openai import WIND_DOWN_403, FakeOpenAI, JobStep, failing_job_plan, succeeding_job_plan

API_KEY = "sk-test-DO-NOT-LEAK-1234567890abcdef"


# ------------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture
def fake():
    server = FakeOpenAI().start()
    server.expected_api_key = API_KEY
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    for name in ("OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ADMIN_KEY", "OPENAI_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.chdir(tmp_path)  # the default state file is relative to the working directory


def chat_line(i: int) -> str:
    return json.dumps({"messages": [{"role": "user", "content": f"question {i} ✓"},
                                    {"role": "assistant", "content": f"answer {i}"}]}, ensure_ascii=False)


def write_chat(path: Path, n: int = 12) -> Path:
    path.write_text("".join(chat_line(i) + "\n" for i in range(n)), encoding="utf-8")
    return path


def write_dpo(path: Path, n: int = 12) -> Path:
    lines = [json.dumps({"input": {"messages": [{"role": "user", "content": f"q{i}"}]},
                         "preferred_output": [{"role": "assistant", "content": "good"}],
                         "non_preferred_output": [{"role": "assistant", "content": "bad"}]}) for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_parser() -> argparse.ArgumentParser:
    """What the CLI provides: the shared lint options, plus submit's own group."""
    parser = argparse.ArgumentParser(prog="ftlint")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--model")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--validation", action="append")  # as the CLI: a list
    parser.add_argument("--method", choices=["supervised", "dpo", "reinforcement"])
    parser.add_argument("--strict", action="store_true")
    add_submit_arguments(parser)
    return parser


class RecordingLint:
    """Stands in for the real linter; remembers what it was asked to check."""

    def __init__(self, exit_code: int = 0, side_effect=None):
        self.exit_code = exit_code
        self.calls: list[tuple[list[Path], list[str]]] = []
        self.seen_bytes: list[bytes] = []
        self.side_effect = side_effect

    def __call__(self, paths, names):
        self.calls.append((list(paths), list(names)))
        self.seen_bytes = [Path(p).read_bytes() for p in paths]
        if self.side_effect:
            self.side_effect()
        return self.exit_code


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def all_output(self) -> str:
        return self.out + self.err


def run_submit(argv: list[str], lint=None, fake: FakeOpenAI | None = None) -> Result:
    if fake is not None:
        argv = argv + ["--base-url", fake.base_url]
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01"] + argv)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = submit.run(args, lint if lint is not None else RecordingLint(), stdout, stderr)
    result = Result(code, stdout.getvalue(), stderr.getvalue())
    assert API_KEY not in result.all_output
    assert API_KEY[8:] not in result.all_output
    return result


def state_file_text() -> str:
    path = Path(".ftlint/uploads.json")
    return path.read_text() if path.exists() else ""


# ------------------------------------------------------------------------------------------------
# Happy path and what is sent


def test_happy_path_uploads_the_linted_bytes_and_creates_the_job(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    valid = write_chat(tmp_path / "valid.jsonl", 10)
    lint = RecordingLint()
    result = run_submit(
        [str(train), "--validation", str(valid), "--model", "gpt-4o-mini-2024-07-18", "--epochs", "3",
         "--batch-size", "4", "--learning-rate-multiplier", "1.5", "--suffix", "support-bot", "--seed", "7",
         "--metadata", "team=support", "--metadata", "run=1"],
        lint, fake,
    )
    assert result.code == 0, result.err

    # The linter saw private snapshots, reported under the original names.
    (paths, names), = lint.calls
    assert names == [str(train), str(valid)]
    assert all(p != train and p != valid for p in paths)
    assert lint.seen_bytes == [train.read_bytes(), valid.read_bytes()]

    uploads = fake.requests_to("files.create")
    assert len(uploads) == 2
    stored = {fake.files[f]["filename"]: content for f, content in fake.file_contents.items()}
    assert sha256_of(stored["train.jsonl"]) == sha256_of(train.read_bytes())
    assert sha256_of(stored["valid.jsonl"]) == sha256_of(valid.read_bytes())
    assert all(f["purpose"] == "fine-tune" for f in fake.files.values())

    (job_request,) = fake.requests_to("jobs.create")
    body = job_request.json()
    train_id = next(f for f in fake.files if fake.files[f]["filename"] == "train.jsonl")
    valid_id = next(f for f in fake.files if fake.files[f]["filename"] == "valid.jsonl")
    assert body == {
        "model": "gpt-4o-mini-2024-07-18",
        "training_file": train_id,
        "validation_file": valid_id,
        "suffix": "support-bot",
        "seed": 7,
        "metadata": {"team": "support", "run": "1"},
        "method": {"type": "supervised", "supervised": {"hyperparameters": {
            "n_epochs": 3, "batch_size": 4, "learning_rate_multiplier": 1.5}}},
    }
    job_id = next(iter(fake.jobs))
    assert job_id in result.out
    # The SDK did send the key to the server (so the absence checks below mean something).
    assert job_request.headers["authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in state_file_text()


def test_uploads_the_snapshot_even_if_the_file_changes_after_linting(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    original = train.read_bytes()
    lint = RecordingLint(side_effect=lambda: train.write_text("edited while linting\n"))
    result = run_submit([str(train), "--model", "gpt-4o-mini-2024-07-18"], lint, fake)
    assert result.code == 0, result.err
    (content,) = fake.file_contents.values()
    assert content == original


def test_dpo_file_is_detected_and_beta_sent(fake, tmp_path):
    train = write_dpo(tmp_path / "prefs.jsonl")
    result = run_submit([str(train), "--model", "gpt-4.1-mini-2025-04-14", "--beta", "0.1"], fake=fake)
    assert result.code == 0, result.err
    body = fake.requests_to("jobs.create")[0].json()
    assert body["method"] == {"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.1}}}


def test_detect_method(tmp_path):
    assert submit.detect_method(write_chat(tmp_path / "a.jsonl")) == "supervised"
    assert submit.detect_method(write_dpo(tmp_path / "b.jsonl")) == "dpo"
    (tmp_path / "c.jsonl").write_text("not json\n")
    assert submit.detect_method(tmp_path / "c.jsonl") == "supervised"


# ------------------------------------------------------------------------------------------------
# Nothing is sent


def test_lint_failure_sends_nothing(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "gpt-4o-mini-2024-07-18"], RecordingLint(exit_code=1), fake)
    assert result.code == 1
    assert fake.requests == []
    assert "nothing was uploaded" in result.err


def test_dry_run_prints_plan_and_sends_nothing(fake, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")  # a dry run needs no key
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "gpt-4o-mini-2024-07-18", "--epochs", "2", "--dry-run"], fake=fake)
    assert result.code == 0, result.err
    assert fake.requests == []
    assert sha256_of(train.read_bytes()) in result.out
    assert f"{train.stat().st_size} bytes" in result.out
    assert "Files API" in result.out
    body = json.loads(result.out[result.out.index("{"):])
    assert body == {"model": "gpt-4o-mini-2024-07-18", "training_file": "<file id of train.jsonl>",
                    "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}}}


def test_dry_run_exits_with_the_lint_code(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m", "--dry-run"], RecordingLint(exit_code=1), fake)
    assert result.code == 1
    assert fake.requests == []
    assert "would stop before uploading" in result.out


def test_missing_key_exits_2_before_any_work(fake, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    train = write_chat(tmp_path / "train.jsonl")
    lint = RecordingLint()
    result = run_submit([str(train), "--model", "m"], lint, fake)
    assert result.code == 2
    assert lint.calls == [] and fake.requests == []
    assert result.out == "" and len(result.err.strip().splitlines()) == 1
    assert "OPENAI_API_KEY" in result.err


def test_missing_sdk_exits_2_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openai", None)  # makes `import openai` raise ImportError
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"])
    assert result.code == 2
    assert "pip install 'ftlint[submit]'" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("extra, complaint", [
    (["--suffix", "x" * 65], "--suffix"),
    # --seed, --batch-size and --beta out of every provider's range stop the command line's parsing
    # (test_numeric_options.py); --beta above OpenAI's 2 is OpenAI's own limit, checked here.
    (["--beta", "2.5", "--method", "dpo"], "--beta"),
    ([arg for i in range(17) for arg in ("--metadata", f"k{i}=v")], "--metadata"),
    (["--metadata", "k" * 65 + "=v"], "--metadata"),
    (["--metadata", "k=" + "v" * 513], "--metadata"),
    (["--metadata", "novalue"], "--metadata"),
    (["--epochs", "51"], "--epochs"),
    (["--beta", "0.1"], "--beta"),  # chat file: beta is for dpo only
    (["--method", "reinforcement"], "grader"),
])
def test_invalid_job_options_exit_2_before_uploading(fake, tmp_path, extra, complaint):
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"] + extra, fake=fake)
    assert result.code == 2
    assert complaint in result.err
    assert fake.requests == []


def test_usage_errors(fake, tmp_path):
    a, b = write_chat(tmp_path / "a.jsonl"), write_chat(tmp_path / "b.jsonl")
    assert run_submit([str(a), str(b), "--model", "m"], fake=fake).code == 2
    assert run_submit([str(a)], fake=fake).code == 2  # no --model
    assert run_submit([str(tmp_path / "missing.jsonl"), "--model", "m"], fake=fake).code == 2
    assert fake.requests == []


def test_file_over_the_upload_limit_is_refused_before_sending(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(submit.upload, "UPLOADS_API_MAX_BYTES", 100)
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 2
    assert "at most 100 bytes" in result.err
    assert fake.requests == []


# ------------------------------------------------------------------------------------------------
# Uploads API


def test_large_file_goes_through_the_uploads_api_in_parts(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(submit.upload, "FILES_API_MAX_BYTES", 100)
    train = write_chat(tmp_path / "train.jsonl", 40)
    size = train.stat().st_size
    result = run_submit([str(train), "--model", "m", "--upload-part-size", "256"], fake=fake)
    assert result.code == 0, result.err
    assert fake.requests_to("files.create") == []
    (create,) = fake.requests_to("uploads.create")
    assert create.json() == {"bytes": size, "filename": "train.jsonl", "mime_type": "text/jsonl", "purpose": "fine-tune"}
    assert len(fake.requests_to("uploads.parts")) == -(-size // 256)
    (complete,) = fake.requests_to("uploads.complete")
    assert complete.json()["md5"] == hashlib.md5(train.read_bytes()).hexdigest()
    (upload,) = fake.uploads.values()
    assert sha256_of(fake.file_contents[upload["file"]["id"]]) == sha256_of(train.read_bytes())
    assert fake.requests_to("jobs.create")[0].json()["training_file"] == upload["file"]["id"]


def test_failed_part_cancels_the_upload(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(submit.upload, "FILES_API_MAX_BYTES", 100)
    train = write_chat(tmp_path / "train.jsonl", 20)
    fake.fail_next("uploads.parts", 400, "Part rejected.")
    result = run_submit([str(train), "--model", "m", "--upload-part-size", "256"], fake=fake)
    assert result.code == 2
    assert "Part rejected." in result.err
    assert len(fake.requests_to("uploads.cancel")) == 1
    assert fake.requests_to("jobs.create") == []


# ------------------------------------------------------------------------------------------------
# Retries, errors and recovery


def test_rate_limit_then_success(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    fake.fail_next("files.create", 429, "Rate limit reached for requests")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 0, result.err
    attempts = fake.requests_to("files.create")
    assert len(attempts) == 2
    (content,) = fake.file_contents.values()  # the retry sent the whole file again, not a tail
    assert sha256_of(content) == sha256_of(train.read_bytes())


def test_server_error_on_job_create_gives_a_retry_command_that_works(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    fake.fail_next("jobs.create", 500, "The server had an error while processing your request.", times=3)
    result = run_submit([str(train), "--model", "m", "--epochs", "2", "--suffix", "s b"], fake=fake)
    assert result.code == 2
    assert len(fake.requests_to("jobs.create")) == 3  # the SDK's two retries happened
    (file_id,) = fake.files
    assert "server error (500)" in result.err
    assert file_id in result.err
    command = next(line for line in result.err.splitlines() if line.strip().startswith("ftlint --submit"))
    argv = shlex.split(command)[2:]
    assert "--training-file-id" in argv and file_id in argv

    retry = run_submit(argv, lint := RecordingLint())  # the command carries --base-url already
    assert retry.code == 0, retry.err
    assert lint.calls == []  # only an id was given: nothing to lint
    assert len(fake.requests_to("files.create")) == 1  # no second upload
    body = fake.requests_to("jobs.create")[-1].json()
    assert body["training_file"] == file_id and body["suffix"] == "s b"
    assert body["method"] == {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}}


def test_state_file_prevents_reupload(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
    second = run_submit([str(train), "--model", "m"], fake=fake)
    assert second.code == 0, second.err
    assert len(fake.requests_to("files.create")) == 1
    assert "not uploading again" in second.out
    first_id = fake.requests_to("jobs.create")[0].json()["training_file"]
    assert fake.requests_to("jobs.create")[1].json()["training_file"] == first_id

    state = json.loads(state_file_text())
    (by_sha,) = state["uploads"].values()
    assert by_sha[sha256_of(train.read_bytes())]["file_id"] == first_id

    assert run_submit([str(train), "--model", "m", "--reupload"], fake=fake).code == 0
    assert len(fake.requests_to("files.create")) == 2


def test_recorded_file_gone_from_the_service_is_uploaded_again(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
    fake.files.clear()  # deleted on the service: GET /files/{id} now answers 404
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 0, result.err
    assert len(fake.requests_to("files.create")) == 2


def test_state_is_per_base_url(fake, tmp_path):
    other = FakeOpenAI().start()
    try:
        train = write_chat(tmp_path / "train.jsonl")
        assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
        assert run_submit([str(train), "--model", "m"], fake=other).code == 0
        assert len(other.requests_to("files.create")) == 1
    finally:
        other.stop()


def test_file_id_with_a_file_is_checked_against_the_state_file(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    other = write_chat(tmp_path / "other.jsonl", 30)
    assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
    assert run_submit([str(other), "--model", "m"], fake=fake).code == 0
    train_id, other_id = list(fake.files)
    mismatch = run_submit([str(train), "--training-file-id", other_id, "--model", "m"], fake=fake)
    assert mismatch.code == 2
    assert train_id in mismatch.err
    match = run_submit([str(train), "--training-file-id", train_id, "--model", "m"], fake=fake)
    assert match.code == 0, match.err
    assert len(fake.requests_to("files.create")) == 2


def test_unknown_file_id_is_reported(fake):
    result = run_submit(["--training-file-id", "file-nope", "--model", "m", "--method", "supervised"], fake=fake)
    assert result.code == 2
    assert "file-nope" in result.err and "no such file" in result.err


def _uploaded_id(fake, tmp_path, write=write_chat) -> str:
    """An id of a file already on the (fake) service, uploaded by an earlier ftlint --submit."""
    assert run_submit([str(write(tmp_path / "uploaded.jsonl")), "--model", "m"], fake=fake).code == 0
    fake.requests.clear()
    (file_id,) = fake.files
    return file_id


@pytest.mark.parametrize("model, takes", [
    ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini-2025-04-14 trains with supervised, dpo"),
    ("some-compatible-model", "one of supervised, dpo, reinforcement"),
])
def test_file_id_alone_without_method_is_refused_before_anything_is_sent(fake, tmp_path, model, takes):
    """Nothing is linted, so the method cannot be known; 0.3.0 sent supervised, a wrong paid job for DPO data."""
    file_id = _uploaded_id(fake, tmp_path, write_dpo)
    result = run_submit(["--training-file-id", file_id, "--model", model], lint := RecordingLint(), fake)
    assert result.code == 2
    assert result.err.strip() == (
        f"ftlint: --training-file-id {file_id} without its FILE: nothing is linted, so ftlint cannot tell the job's "
        f"method; pass --method ({takes}), or pass the FILE as well to lint it (nothing was sent)")
    assert fake.requests == [] and lint.calls == []


def test_file_id_alone_with_method_creates_that_job(fake, tmp_path):
    file_id = _uploaded_id(fake, tmp_path, write_dpo)
    result = run_submit(["--training-file-id", file_id, "--model", "gpt-4.1-mini-2025-04-14", "--method", "dpo"],
                        fake=fake)
    assert result.code == 0, result.err
    (job,) = fake.requests_to("jobs.create")
    assert job.json()["method"] == {"type": "dpo"} and job.json()["training_file"] == file_id


def test_file_id_alone_takes_the_only_method_the_model_trains_with(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2026-09-01")  # before o4-mini's shutdown
    file_id = _uploaded_id(fake, tmp_path)
    grader = {"type": "string_check", "name": "a", "input": "{{sample.output_text}}",
              "reference": "{{item.answer}}", "operation": "eq"}
    (tmp_path / "grader.json").write_text(json.dumps(grader))
    without_grader = run_submit(["--training-file-id", file_id, "--model", "o4-mini"], fake=fake)
    assert without_grader.code == 2
    assert without_grader.err.strip() == (
        "ftlint: reinforcement jobs need a grader: --grader grader.json (the job's method is reinforcement because "
        "o4-mini-2025-04-16 trains only with reinforcement fine-tuning)")
    assert fake.requests == []
    result = run_submit(["--training-file-id", file_id, "--model", "o4-mini", "--grader", str(tmp_path / "grader.json")],
                        fake=fake)
    assert result.code == 0, result.err
    assert ("ftlint: the job's method is reinforcement: o4-mini-2025-04-16 trains only with reinforcement "
            "fine-tuning (the training file was not linted)") in result.out
    (job,) = fake.requests_to("jobs.create")
    assert job.json()["method"] == {"type": "reinforcement", "reinforcement": {"grader": grader}}


def test_file_processing_error_reports_the_server_message(fake, tmp_path):
    fake.file_statuses = ["uploaded", "error"]
    fake.file_status_details = "Invalid file format. Example 3 cannot be parsed."
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 1
    assert "Example 3 cannot be parsed" in result.err
    assert fake.requests_to("jobs.create") == []
    assert json.loads(state_file_text())["uploads"] == {}  # a rejected upload is not reused


def test_waits_for_processing_before_creating_the_job(fake, tmp_path):
    fake.file_statuses = ["uploaded", "uploaded", "processed"]
    train = write_chat(tmp_path / "train.jsonl")
    assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
    routes = [r.route for r in fake.requests]
    assert routes == ["files.create", "files.retrieve", "files.retrieve", "jobs.create"]


def test_wind_down_403_is_explained(fake, tmp_path):
    fake.fail_next("jobs.create", 403, WIND_DOWN_403, code="training_not_available")
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "gpt-4o-mini-2024-07-18"], fake=fake)
    assert result.code == 2
    assert len(fake.requests_to("jobs.create")) == 1  # 403 is not retried
    assert "2027-01-06" in result.err
    assert "--base-url" in result.err
    assert "winding down" in result.err
    assert "--training-file-id" in result.err  # the upload is not lost


def test_other_403_is_a_plain_permission_error(fake, tmp_path):
    fake.fail_next("jobs.create", 403, "You are not allowed to sample from this model")
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 2
    assert "permission denied (403)" in result.err and "2027" not in result.err


def test_bad_request_names_the_param(fake, tmp_path):
    fake.fail_next("jobs.create", 400, "Model m is not available for fine-tuning or does not exist.", param="model")
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 2
    assert "not available for fine-tuning" in result.err and "param: model" in result.err


def test_wrong_key_401_is_reported_without_the_key(fake, tmp_path, monkeypatch):
    # Echo the key back like a careless server (or proxy) might; it must still not be printed.
    fake.fail_next("files.create", 401, f"Incorrect API key provided: {API_KEY}.", code="invalid_api_key")
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m"], fake=fake)
    assert result.code == 2
    assert "authentication failed (401)" in result.err
    assert "REDACTED" in result.err


def test_unreachable_service_is_one_line(tmp_path, monkeypatch):
    # Connection errors get the SDK's exponential backoff (no retry-after header); shorten it.
    import openai._base_client

    monkeypatch.setattr(openai._base_client, "INITIAL_RETRY_DELAY", 0.001)
    train = write_chat(tmp_path / "train.jsonl")
    server = FakeOpenAI().start()
    dead_url = server.base_url
    server.stop()
    args = ["--base-url", dead_url, str(train), "--model", "m"]
    result = run_submit(args)
    assert result.code == 2
    assert "cannot connect" in result.err or "timed out" in result.err
    assert "Traceback" not in result.err


def test_redact():
    assert "sk-" not in submit.redact("key sk-abcdefghijklmnop here").replace("sk-[REDACTED]", "")
    assert submit.redact("Authorization: Bearer abc.def") == "Authorization: Bearer [REDACTED]"
    assert submit.redact("my secret value", ("secret",)) == "my [REDACTED] value"


# ------------------------------------------------------------------------------------------------
# --wait


def test_wait_prints_events_in_order_once_and_the_model(fake, tmp_path):
    plan = succeeding_job_plan()
    # The undocumented `paused` status must not end the wait; 150 events exercise event paging.
    plan.insert(2, JobStep("paused", [{"message": "Job paused"}]))
    plan.insert(3, JobStep("running", [{"message": f"bulk event {i}"} for i in range(150)]))
    fake.job_plan = plan
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "gpt-4o-mini-2024-07-18", "--suffix", "bot", "--wait"], fake=fake)
    assert result.code == 0, result.err

    job_id = next(iter(fake.jobs))
    expected = [e["message"] for e in fake.events[job_id]]
    printed = [line.split("] ", 1)[1] for line in result.out.splitlines() if line.startswith("[")]
    assert printed == expected  # chronological, each exactly once
    assert "status: paused" in result.out
    assert "fine-tuned model: ft:gpt-4o-mini-2024-07-18:fake-org:bot:abc123" in result.out
    assert "\r" not in result.out  # no progress line when not on a terminal


def test_wait_on_failed_job_exits_1_with_the_server_error(fake, tmp_path):
    fake.job_plan = failing_job_plan()
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m", "--wait"], fake=fake)
    assert result.code == 1
    assert "Training file has 7 example(s), but must have at least 10 examples" in result.err
    assert "invalid_n_examples" in result.err and "param: training_file" in result.err


def test_wait_on_cancelled_job_exits_1(fake, tmp_path):
    fake.job_plan = [JobStep("running"), JobStep("cancelled", [{"message": "Job cancelled"}])]
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m", "--wait"], fake=fake)
    assert result.code == 1
    assert "cancelled" in result.err


def test_progress_line_only_on_a_tty(fake, tmp_path):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    train = write_chat(tmp_path / "train.jsonl")
    args = make_parser().parse_args(["--submit", "--poll-interval", "0.01", str(train), "--model", "m", "--wait",
                                     "--base-url", fake.base_url])
    out, err = Tty(), io.StringIO()
    assert submit.run(args, RecordingLint(), out, err) == 0
    assert "\r\x1b[K" in out.getvalue() and "step 2/3" in out.getvalue()
    assert API_KEY not in out.getvalue() + err.getvalue()


# ------------------------------------------------------------------------------------------------
# The key never leaks


def test_key_absent_from_output_and_state_file_across_runs(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    fake.fail_next("jobs.create", 500, "boom", times=3)
    outputs = [run_submit([str(train), "--model", "m", "--wait"], fake=fake)]
    outputs.append(run_submit([str(train), "--model", "m", "--wait"], fake=fake))
    outputs.append(run_submit([str(train), "--model", "m", "--dry-run"], fake=fake))
    for result in outputs:
        assert API_KEY not in result.all_output
    assert API_KEY not in state_file_text()
    assert "sk-" not in state_file_text()


def test_dry_run_needs_neither_the_sdk_nor_a_key(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openai", None)
    monkeypatch.delenv("OPENAI_API_KEY")
    train = write_chat(tmp_path / "train.jsonl")
    result = run_submit([str(train), "--model", "m", "--dry-run"])
    assert result.code == 0, result.err
    assert "job request" in result.out


def test_dry_run_shows_a_recorded_upload_as_reused(fake, tmp_path):
    train = write_chat(tmp_path / "train.jsonl")
    assert run_submit([str(train), "--model", "m"], fake=fake).code == 0
    (file_id,) = fake.files
    before = len(fake.requests)
    result = run_submit([str(train), "--model", "m", "--dry-run"], fake=fake)
    assert result.code == 0
    assert len(fake.requests) == before
    assert f"reuses {file_id}" in result.out
    assert f'"training_file": "{file_id}"' in result.out
