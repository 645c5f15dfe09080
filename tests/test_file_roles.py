"""The same file as training and --validation: linted as training, with a warning (not silently as validation)."""

from __future__ import annotations

import io
import json
import os

import pytest

from ftlint.cli import main


def chat_lines(n, tag="q"):
    return "".join(json.dumps({"messages": [{"role": "user", "content": f"{tag}{i}"},
                                            {"role": "assistant", "content": "a"}]}) + "\n" for i in range(n))


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--isolated", "--format", "json", *argv], out, err)
    return code, json.loads(out.getvalue()), err.getvalue()


@pytest.fixture(autouse=True)
def _not_in_a_hook(monkeypatch):
    monkeypatch.delenv("PRE_COMMIT", raising=False)


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink", "hard link"])
def test_the_training_file_given_as_validation_too_is_linted_as_training_with_a_warning(tmp_path, spelling):
    big = tmp_path / "big.jsonl"
    big.write_text(chat_lines(5))
    other = {"same": big, "dot-slash": tmp_path / "." / "big.jsonl", "symlink": tmp_path / "link.jsonl",
             "hard link": tmp_path / "copy.jsonl"}[spelling]
    if spelling == "symlink":
        other.symlink_to(big)
    elif spelling == "hard link":
        os.link(big, other)
    code, report, err = run([str(big), "--validation", str(other)])
    assert err == (f"ftlint: warning: {big} is both the training file and the --validation file: linted as "
                   "training; a validation file must hold other examples than the training file (here every one "
                   "would be in both): pass another file with --validation\n")
    [linted] = report["files"]
    assert linted["role"] == "training" and linted["cost"]["billed_tokens"] > 0
    assert "FT401" in {d["code"] for d in linted["diagnostics"]}  # training checks ran: 5 examples are too few
    assert code == 1


def test_a_validation_file_among_the_training_files_stays_validation_silently(tmp_path):
    train, valid = tmp_path / "train.jsonl", tmp_path / "valid.jsonl"
    train.write_text(chat_lines(12, "t"))
    valid.write_text(chat_lines(3, "v"))
    code, report, err = run([str(train), str(valid), "--validation", str(valid)])  # ftlint data/*.jsonl --validation
    assert err == "" and code == 0
    assert [(f["path"], f["role"]) for f in report["files"]] == [(str(train), "training"), (str(valid), "validation")]


def test_a_pre_commit_hook_given_only_the_staged_validation_file_lints_it_as_validation(tmp_path, monkeypatch):
    valid = tmp_path / "valid.jsonl"
    valid.write_text(chat_lines(3, "v"))
    monkeypatch.setenv("PRE_COMMIT", "1")  # what pre-commit sets for its hooks
    code, report, err = run(["--validation", str(valid), str(valid)])
    assert err == "" and code == 0
    assert [(f["path"], f["role"]) for f in report["files"]] == [(str(valid), "validation")]
