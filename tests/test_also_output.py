"""``--also-output FORMAT:PATH``: several reports from one lint run."""

from __future__ import annotations

import io
import json

import pytest

from ftlint.cli import main

ROWS = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
        for i in range(30)]


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--isolated", "--no-cache", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(ROWS) + '\n{"messages": [{"role": "human", "content": "hi"}]}\n\n')
    return path


def test_text_on_stdout_json_and_sarif_in_files_from_one_run(bad, tmp_path):
    report, sarif = tmp_path / "report.json", tmp_path / "report.sarif"
    code, out, err = run(["-q", str(bad), "--also-output", f"json:{report}", "--also-output", f"sarif:{sarif}"])
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "Found 4 problems (3 errors, 1 warning, 0 info) in 1 file (31 examples)."
    assert lines[1] == f'{bad}:31:1: FT102 [error] $.messages[0].role: unknown role "human"; did you mean "user"?'
    document = json.loads(report.read_text())
    diagnostics = document["files"][0]["diagnostics"]
    assert [(d["code"], d["line"]) for d in diagnostics] == [("FT106", 31), ("FT102", 31), ("FT004", 32), ("FT402", None)]
    where = {31: ":31:1", 32: ":32:1", None: ""}
    assert lines[:-1] == [f"{bad}{where[d['line']]}: {d['code']} [{d['severity']}] "
                          f"{d['json_path'] + ': ' if d['json_path'] not in (None, '$') else ''}{d['message']}"
                          for d in diagnostics]  # the same problems, the same words
    assert document["summary"]["errors"] == 3
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["FT106", "FT102", "FT004", "FT402"]


def test_an_unreadable_input_is_reported_once(tmp_path):
    sarif = tmp_path / "report.sarif"
    code, out, err = run([str(tmp_path / "missing.jsonl"), "--also-output", f"sarif:{sarif}"])
    assert code == 2 and err.count("missing.jsonl") == 1
    invocation = json.loads(sarif.read_text())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False


@pytest.mark.parametrize("value, message", [
    ("sarif", "expected FORMAT:PATH (e.g. sarif:ftlint.sarif), got 'sarif'"),
    ("yaml:x.yaml", "unknown output format 'yaml' in 'yaml:x.yaml' (choose from text, concise, json, github, sarif, "
                    "junit, html)"),
])
def test_bad_values_are_usage_errors(bad, value, message):
    code, out, err = run([str(bad), "--also-output", value])
    assert (code, out) == (2, "")
    assert err == f"ftlint: error: argument --also-output: {message}\n"


def test_two_reports_to_one_file_is_a_usage_error(bad, tmp_path):
    target = tmp_path / "r.json"
    code, _, err = run([str(bad), "-o", str(target), "--also-output", f"sarif:{target}"])
    assert code == 2 and err == f"ftlint: error: --also-output sarif:{target}: another report already goes to {target}\n"


def test_the_step_summary_and_outputs_are_written_once_with_two_github_reports(tmp_path, monkeypatch):
    """An output review: --format github --also-output github:F wrote the job summary ("## ftlint") and every
    step output twice; the first github report of the run writes them, once."""
    import io

    from ftlint import cli

    data = tmp_path / "d.jsonl"
    data.write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n')
    for main_format in ("github", "text"):
        summary, outputs = tmp_path / f"s-{main_format}.md", tmp_path / f"o-{main_format}.txt"
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
        cli.main([str(data), "--no-cache", "--format", main_format, "--also-output",
                  f"github:{tmp_path / f'g-{main_format}.txt'}"], stdout=io.StringIO(), stderr=io.StringIO())
        assert summary.read_text().count("## ftlint") == 1, main_format
        keys = [line.split("=", 1)[0] for line in outputs.read_text().splitlines()]
        assert keys == ["errors", "warnings", "examples", "billed-tokens", "cost"], main_format
