"""Paths that name a stream, not a file (/dev/stdin, a named pipe, bash's <(...)), have no name to rename:
FT012's "file name does not end in .jsonl" is for regular files only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

from conftest import lint_paths

LINES = "".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]})
                + "\n" for i in range(12))


def ftlint(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "ftlint", "--isolated", "--select", "FT012,FT001", *args],
                          capture_output=True, text=True, **kwargs)


def test_dev_stdin_redirected_from_a_file_is_not_told_to_rename(tmp_path):
    data = tmp_path / "s.jsonl"
    data.write_text(LINES)
    with open(data) as stdin:
        proc = ftlint("/dev/stdin", stdin=stdin)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FT012" not in proc.stdout and "12 examples" in proc.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_process_substitution_is_not_told_to_rename(tmp_path):
    data = tmp_path / "s.jsonl"
    data.write_text(LINES)
    command = f'"{sys.executable}" -m ftlint --isolated --select FT012 <(cat "{data}")'
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FT012" not in proc.stdout and "12 examples" in proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_without_extension_is_not_told_to_rename(tmp_path):
    fifo = tmp_path / "stream"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as out:
            out.write(LINES)

    writer = threading.Thread(target=feed)
    writer.start()
    problems, results = lint_paths([fifo], select=["FT012"])
    writer.join(timeout=10)
    assert problems == [] and results[0].examples == 12


def test_a_regular_file_without_the_extension_is_still_told(tmp_path):
    data = tmp_path / "train.json"
    data.write_text(LINES)
    problems, _ = lint_paths([data], select=["FT012"])
    assert [p.message for p in problems] == [
        "file name does not end in .jsonl; OpenAI takes fine-tuning data only as .jsonl files (rename it)"]
