"""ftlint.lint(): the Python API returns the JSON report's data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import ftlint
from conftest import require_shared
from ftlint.cli import main
from ftlint.settings import ConfigError



def chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"Q{i}"}, {"role": "assistant", "content": f"A{i}"}]}


@pytest.fixture
def files(tmp_path):
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(chat(i)) + "\n" for i in range(12)) + "\n" + json.dumps(chat(3)) + "\n")
    valid = tmp_path / "valid.jsonl"
    valid.write_text(json.dumps(chat(3)) + "\n" + json.dumps(chat(100)) + "\n")
    return train, valid


def cli_json(argv) -> dict:
    out = io.StringIO()
    main(["--isolated", "--format", "json", *argv], out, io.StringIO())
    return json.loads(out.getvalue())


def test_same_data_as_the_json_report(files):
    train, valid = files
    report = ftlint.lint(str(train), validation=[str(valid)])
    assert report.to_dict() == cli_json([str(train), "--validation", str(valid)])
    assert [f.role for f in report.files] == ["training", "validation"]
    assert not report.ok  # the blank line is an error
    codes = {d["code"] for d in report.diagnostics()}
    assert {"FT004", "FT403", "FT405"} <= codes
    assert all(d["path"] == str(train) for d in report.diagnostics() if d["code"] == "FT403")


def test_select_ignore_and_paths(files, tmp_path):
    train, _ = files
    report = ftlint.lint([train], select=["FT4"], ignore="FT402")
    assert {d["code"] for d in report.diagnostics()} == {"FT403"}
    assert report.ok and report.summary["warnings"] == 1
    assert report.to_dict() == cli_json(["--select", "FT4", "--ignore", "FT402", str(train)])


def test_unreadable_file_and_bad_selector(tmp_path):
    report = ftlint.lint(tmp_path / "missing.jsonl")
    assert report.summary["unreadable"] == 1 and not report.ok
    assert "no such file" in report.files[0].error
    with pytest.raises(ConfigError, match='no rule matches "FT999"'):
        ftlint.lint(tmp_path / "missing.jsonl", select=["FT999"])


def test_config_is_read_only_when_named(files, tmp_path):
    train, _ = files
    (tmp_path / "ftlint.toml").write_text("ignore = ['FT403']\n")
    assert "FT403" in {d["code"] for d in ftlint.lint(train).diagnostics()}
    assert "FT403" not in {d["code"] for d in ftlint.lint(train, config=tmp_path / "ftlint.toml").diagnostics()}


def test_real_file_matches_cli():
    path = require_shared("corpus", "real", "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl")
    assert ftlint.lint(path, model="babbage-002").to_dict() == cli_json([str(path), "--model", "babbage-002"])
