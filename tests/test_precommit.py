"""The hook as users run it: the real `pre-commit try-repo` against this repository.

pre-commit builds its own virtualenv and pip-installs this repository into it,
so this needs the package registry (CI has it); it is marked `precommit`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


def test_every_hook_id_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for hook in HOOKS:
        assert f"id: {hook['id']}" in readme, hook["id"]


@pytest.mark.parametrize("name, lint, fix", [
    ("data/train.jsonl", True, True), ("train.jsonl.gz", True, False), ("fixtures/FT001/fail/stray_quote.jsonl", True, True),
    ("notes.json", False, False), ("train.jsonl.bak", False, False), ("data.csv", False, False),
])
def test_files_pattern(name, lint, fix):
    # The fixer does not rewrite .gz files (it would have to recompress them).
    expected = {"ftlint": lint, "ftlint-fix": fix}
    assert {hook["id"]: bool(re.search(hook["files"], name)) for hook in HOOKS} == expected


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.precommit
def test_pre_commit_try_repo_passes_good_and_fails_bad(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "data-repo"
    work.mkdir()
    _git(work, "init", "-q")
    good = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
            for i in range(60)]
    (work / "good.jsonl").write_text("\n".join(good) + "\n")
    (work / "bad.jsonl").write_text("\n".join(good[:30]) + '\n{"messages": [{"role": "human", "content": "hi"}]}\n\n')
    (work / "notes.txt").write_text("not linted\n")
    _git(work, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "ftlint", "--verbose", "--color", "never"]

    passed = subprocess.run(cmd + ["--files", "good.jsonl", "notes.txt"], cwd=work, capture_output=True, text=True,
                            env=env, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    failed = subprocess.run(cmd + ["--files", "good.jsonl", "bad.jsonl"], cwd=work, capture_output=True, text=True,
                            env=env, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert 'bad.jsonl:31:1: FT102 [error] $.messages[0].role: unknown role "human"; did you mean "user"?' in failed.stdout
    assert "bad.jsonl:32:1: FT004 [error] blank line" in failed.stdout
    assert "good.jsonl: chat (messages), 60 examples; no problems" in failed.stdout


@pytest.mark.precommit
def test_pre_commit_fix_hook_rewrites_and_fails_once(tmp_path):
    work = tmp_path / "data-repo"
    work.mkdir()
    _git(work, "init", "-q")
    rows = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
            for i in range(60)]
    crlf = work / "crlf.jsonl"
    crlf.write_bytes(("\r\n".join(rows) + "\r\n\r\n").encode())
    _git(work, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "ftlint-fix", "--verbose", "--color", "never",
           "--files", "crlf.jsonl"]
    first = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env, timeout=900)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Fixing crlf.jsonl" in first.stdout
    assert crlf.read_bytes() == ("\n".join(rows) + "\n").encode()
    second = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env, timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr
