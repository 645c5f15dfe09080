"""The composite GitHub Action: its steps run in a simulated GitHub environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ftlint.action import expand

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}
RUN_STEPS = [step for step in ACTION["runs"]["steps"] if "run" in step]
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([a-z_-]+)\s*\}\}")


def chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"Q{i}"}, {"role": "assistant", "content": f"A{i}"}]}


def step_env(step: dict, inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: as GitHub evaluates it (inputs replaced by their values or defaults)."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    return {key: EXPRESSION.sub(lambda m: values[m.group(1)], str(value)) for key, value in step.get("env", {}).items()}


def runner_temp(workspace: Path) -> Path:
    """$RUNNER_TEMP with the venv the install step makes: here, this interpreter (ftlint from src/)."""
    temp = workspace.parent / "runner-temp"
    bin_dir = temp / "ftlint-venv" / "bin"
    if not bin_dir.exists():
        bin_dir.mkdir(parents=True)
        python = bin_dir / "python"
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        python.chmod(0o755)
    return temp


def run_step(name: str, workspace: Path, inputs: dict[str, str], extra_env: dict[str, str] | None = None,
             path_prefix: Path | None = None) -> subprocess.CompletedProcess:
    step = STEPS[name]
    env = {
        "PATH": (f"{path_prefix}{os.pathsep}" if path_prefix else "") + os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(workspace)),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(runner_temp(workspace)),
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
    assert set(ACTION["inputs"]) == {"files", "model", "args", "version", "extras", "summary", "sarif"}
    assert set(ACTION["outputs"]) == {"errors", "warnings", "examples", "billed-tokens", "cost"}
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.ftlint.outputs.{name} }}}}"
    assert STEPS["Run ftlint"]["id"] == "ftlint"
    uses = {step["name"]: step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step}
    assert uses == {"Cache pip downloads": "actions/cache@v4",
                    "Upload SARIF to code scanning": "github/codeql-action/upload-sarif@v3"}
    assert "runner.temp" in STEPS["Cache pip downloads"]["with"]["path"]
    assert STEPS["Upload SARIF to code scanning"]["if"] == "${{ always() && inputs.sarif != '' }}"
    used = {"sarif"}  # the upload step reads it in with:
    for step in RUN_STEPS:
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
    assert "This summary lists every problem." in text  # nothing folded: it may say so


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


def test_install_step_makes_its_own_venv_and_pins_the_version(workspace, tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    log = tmp_path / "pip.log"
    temp = tmp_path / "temp"
    temp.mkdir()
    for name in ("python3", "python"):
        fake = fake_bin / name
        # "-m venv DIR" makes DIR/bin/python (this same fake); every call logs who ran it and how.
        fake.write_text('#!/bin/sh\n'
                        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; fi\n'
                        f'echo "$0 cache=$PIP_CACHE_DIR $*" >> "{log}"\n')
        fake.chmod(0o755)
    done = run_step("Install ftlint", workspace, {"version": "1.2.3"}, {"RUNNER_TEMP": str(temp)}, path_prefix=fake_bin)
    assert done.returncode == 0, done.stderr
    made, installed = log.read_text().splitlines()[-2:]
    assert made.endswith(f"-m venv {temp}/ftlint-venv")
    assert installed == (f"{temp}/ftlint-venv/bin/python cache={temp}/ftlint-pip-cache -m pip install "
                         "--disable-pip-version-check --quiet ftlint==1.2.3")
    assert run_step("Install ftlint", workspace, {}, {"RUNNER_TEMP": str(temp)}, path_prefix=fake_bin).returncode == 0
    assert log.read_text().splitlines()[-1].endswith(f"--quiet {ROOT}")
    # extras: --chat-template and the open-model tokenizers need them (an output review: the Action had no way
    # to install them, and --chat-template failed in it); only names and commas reach the shell.
    run_step("Install ftlint", workspace, {"extras": "templates, llama"}, {"RUNNER_TEMP": str(temp)},
             path_prefix=fake_bin)
    assert log.read_text().splitlines()[-1].endswith(f"--quiet {ROOT}[templates,llama]")
    run_step("Install ftlint", workspace, {"version": "1.2.3", "extras": "qwen"}, {"RUNNER_TEMP": str(temp)},
             path_prefix=fake_bin)
    assert log.read_text().splitlines()[-1].endswith("--quiet ftlint[qwen]==1.2.3")
    lines = len(log.read_text().splitlines())
    bad = run_step("Install ftlint", workspace, {"extras": "templates]; touch /tmp/x #"}, {"RUNNER_TEMP": str(temp)},
                   path_prefix=fake_bin)
    assert bad.returncode == 2 and bad.stdout.startswith("::error title=ftlint::extras must be names")
    assert len(log.read_text().splitlines()) == lines  # nothing installed


def test_outputs_links_chart_and_totals_in_the_summary(workspace, tmp_path):
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    bad = "".join(json.dumps(chat(i)) + "\n" for i in range(12)) + "{oops\n" + "\n" * 7
    (workspace / "data" / "bad.jsonl").write_text(bad)
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs), "GITHUB_REPOSITORY": "acme/data",
           "GITHUB_SHA": "0123abc", "GITHUB_SERVER_URL": "https://github.com"}
    result = run_step("Run ftlint", workspace, {"files": "data missing.jsonl", "model": "gpt-4o-mini"}, env)
    assert result.returncode == 2  # an unreadable input
    assert "::error file=missing.jsonl,title=ftlint%3A input could not be read::missing.jsonl: no such file" in result.stdout
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values["errors"] == "8" and values["warnings"] == "1" and values["examples"] == "72"
    billed = int(values["billed-tokens"])
    assert billed > 0 and float(values["cost"]) > 0
    text = summary.read_text()
    assert "[line 13](https://github.com/acme/data/blob/0123abc/data/bad.jsonl#L13): **FT001** (error)" in text
    assert "- ... and 4 more in the job log" in text
    assert "This summary lists the first 5 problems of each file; the job log lists all 9." in text
    assert "The job log and this summary are the full record" not in text
    assert "```mermaid\nxychart-beta\n" in text and '    y-axis "examples"' in text
    assert f"**{billed:,}**" in text and f"**${float(values['cost']):,.2f}**" in text  # totals across files
    assert "| missing.jsonl | unreadable |" in text
    cost_lines = [line for line in text.splitlines() if line.startswith("cost: ")]
    assert cost_lines and all(" x $3.00/1M = $" in line for line in cost_lines)  # worded as the text report


def counting_lint_runs(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Env for run_step that makes every lint run of the step's process log one line to the returned file."""
    hook = tmp_path / "count-runs"
    hook.mkdir()
    log = tmp_path / "lint-runs.log"
    (hook / "sitecustomize.py").write_text(
        "import ftlint.runner as runner\n"
        "_run_lint = runner.run_lint\n"
        "def run_lint(linter, files, *args, **kwargs):\n"
        f"    with open({str(log)!r}, 'a') as fh:\n"
        "        fh.write(' '.join(files) + '\\n')\n"
        "    return _run_lint(linter, files, *args, **kwargs)\n"
        "runner.run_lint = run_lint\n")
    return {"PYTHONPATH": f"{hook}{os.pathsep}{ROOT / 'src'}"}, log


def test_sarif_input_comes_from_the_same_single_run(workspace, tmp_path):
    """One lint run writes the annotations, the job summary, the outputs and the SARIF file."""
    target, summary, outputs = tmp_path / "ftlint.sarif", tmp_path / "summary.md", tmp_path / "outputs.txt"
    env, runs = counting_lint_runs(tmp_path)
    env.update({"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)})
    result = run_step("Run ftlint", workspace, {"files": "data", "sarif": str(target)}, env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert runs.read_text() == "data/bad.jsonl data/sub/good.jsonl\n"  # ftlint ran once
    assert result.stdout.startswith(f"ftlint --format github --also-output sarif:{target} -- data/bad.jsonl ")
    sarif = json.loads(target.read_text())
    assert sarif["version"] == "2.1.0"
    in_sarif = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"))
                for r in sarif["runs"][0]["results"]]
    annotated = [(m["code"], m["file"], int(m["line"]) if m["line"] else None) for m in re.finditer(
        r"^::(?:error|warning|notice) file=(?P<file>[^,]+)(?:,line=(?P<line>\d+))?.*?title=ftlint (?P<code>FT\d+)",
        result.stdout, flags=re.M)]
    assert in_sarif == annotated  # the same problems, in the same order
    assert ("FT004", "data/bad.jsonl", 2) in in_sarif and ("FT001", "data/bad.jsonl", 3) in in_sarif
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values["errors"] == str(sum(r["level"] == "error" for r in sarif["runs"][0]["results"])) == "3"
    assert "| FT004 | blank-line | error | 1 |" in summary.read_text()


def test_sarif_path_that_cannot_be_written_fails_before_linting(workspace, tmp_path):
    env, runs = counting_lint_runs(tmp_path)
    result = run_step("Run ftlint", workspace, {"files": "data", "sarif": str(tmp_path / "no-dir" / "x.sarif")}, env)
    assert result.returncode == 2
    assert f"ftlint: error: cannot write --also-output {tmp_path}/no-dir/x.sarif: No such file or directory" in result.stderr
    assert not runs.exists() or runs.read_text() == ""


def test_expand(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    assert expand(["."]) == ["data/bad.jsonl", "data/sub/good.jsonl"]
    assert expand(["data/**/*.jsonl", "data/bad.jsonl"]) == ["data/bad.jsonl", "data/sub/good.jsonl"]
    assert expand(["missing.jsonl"]) == ["missing.jsonl"]


def test_billed_tokens_stay_empty_when_no_tokens_were_counted(workspace, tmp_path):
    """An output review: with the token checks skipped (a missing tokenizer package, or here no token
    rule selected) the step output said billed-tokens=0 and the summary's total row '**0** | ****'."""
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    run_step("Run ftlint", workspace, {"files": "data/sub", "args": "--select FT001"}, env)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values["billed-tokens"] == "" and values["cost"] == ""
    total = next(line for line in summary.read_text().splitlines() if line.startswith("| **total**"))
    assert total.endswith("| **0** | **0** |  |  |") and "****" not in total
