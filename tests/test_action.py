"""The composite GitHub Action: its steps run in a simulated GitHub environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from ftlint.action import expand

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([a-z_-]+)\s*\}\}")


def chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"Q{i}"}, {"role": "assistant", "content": f"A{i}"}]}


def step_env(step: dict, inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: as GitHub evaluates it (inputs replaced by their values or defaults)."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    return {key: EXPRESSION.sub(lambda m: values[m.group(1)], str(value)) for key, value in step.get("env", {}).items()}


def run_step(name: str, workspace: Path, inputs: dict[str, str], extra_env: dict[str, str] | None = None,
             path_prefix: Path | None = None) -> subprocess.CompletedProcess:
    step = STEPS[name]
    env = {
        "PATH": (f"{path_prefix}{os.pathsep}" if path_prefix else "") + os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(workspace)),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "PYTHONPATH": str(ROOT / "src"),
        **step_env(step, inputs),
        **(extra_env or {}),
    }
    return subprocess.run([step.get("shell", "bash"), "-e", "-c", step["run"]], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def workspace(tmp_path) -> Path:
    ws = tmp_path / "repo"
    (ws / "data" / "sub").mkdir(parents=True)
    (ws / "data" / "bad.jsonl").write_text(json.dumps(chat(1)) + "\n\n{not json}\n")
    (ws / "data" / "sub" / "good.jsonl").write_text("".join(json.dumps(chat(i)) + "\n" for i in range(60)))
    (ws / "data" / "notes.txt").write_text("not a dataset")
    (ws / ".git").mkdir()
    (ws / ".git" / "ignored.jsonl").write_text("{bad")
    return ws


def test_action_is_composite_and_inputs_only_travel_through_env():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"files", "model", "args", "version", "summary"}
    used = set()
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], f"expression pasted into run: of {step['name']!r}"
        for key, value in step.get("env", {}).items():
            match = EXPRESSION.fullmatch(str(value).strip())
            assert match and key == f"INPUT_{match.group(1).upper()}"
            used.add(match.group(1))
    assert used == set(ACTION["inputs"])


def test_run_step_annotates_and_writes_the_summary(workspace, tmp_path):
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    result = run_step("Run ftlint", workspace, {"files": "data"}, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "::error file=data/bad.jsonl,line=2,col=1,title=ftlint FT004 (blank-line)::" in out
    assert "::error file=data/bad.jsonl,line=3," in out and "FT001" in out
    assert "data/sub/good.jsonl" in out and "notes.txt" not in out and "ignored" not in out
    text = summary.read_text()
    assert text.startswith("## ftlint")
    assert "| FT004 | blank-line | error | 1 |" in text
    assert "### `data/bad.jsonl`" in text and "### `data/sub/good.jsonl`" in text
    assert "10 error, 10 warning and 10 notice annotations per step" in text


def test_model_args_and_summary_off(workspace, tmp_path):
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    result = run_step("Run ftlint", workspace,
                      {"files": "data/sub/*.jsonl", "model": "gpt-4o-mini-2024-07-18",
                       "args": "--strict --ignore FT402", "summary": "false"},
                      {"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ftlint --format github --model gpt-4o-mini-2024-07-18 --strict --ignore FT402 -- data/sub/good.jsonl\n")
    assert summary.read_text() == ""


def test_inputs_cannot_inject_shell(workspace):
    result = run_step("Run ftlint", workspace, {"files": "$(touch pwned1) data/sub/good.jsonl",
                                                "args": "--strict; touch pwned2 `touch pwned3`"})
    assert result.returncode == 2  # ftlint rejects the odd arguments; nothing was executed
    assert not list(workspace.glob("pwned*"))


def test_no_files_found_is_a_warning(workspace):
    result = run_step("Run ftlint", workspace, {"files": "nothing/**/*.jsonl"})
    assert result.returncode == 0
    assert result.stdout.startswith("::warning title=ftlint::no .jsonl files found in: nothing/**/*.jsonl")


def test_install_step_uses_version_or_the_action_checkout(workspace, tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    log = tmp_path / "pip.log"
    for name in ("python3", "python"):
        fake = fake_bin / name
        fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n')
        fake.chmod(0o755)
    assert run_step("Install ftlint", workspace, {"version": "1.2.3"}, path_prefix=fake_bin).returncode == 0
    assert log.read_text().splitlines()[-1] == "ftlint==1.2.3"
    assert run_step("Install ftlint", workspace, {}, path_prefix=fake_bin).returncode == 0
    assert log.read_text().splitlines()[-1] == str(ROOT)


def test_expand(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    assert expand(["."]) == ["data/bad.jsonl", "data/sub/good.jsonl"]
    assert expand(["data/**/*.jsonl", "data/bad.jsonl"]) == ["data/bad.jsonl", "data/sub/good.jsonl"]
    assert expand(["missing.jsonl"]) == ["missing.jsonl"]
