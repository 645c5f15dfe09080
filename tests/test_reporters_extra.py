"""The concise, SARIF and JUnit formats, --output-file, --statistics and the GitHub step summary."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import require_shared
from ftlint.cli import main
from ftlint.engine import FileResult
from ftlint.problem import Level, Problem
from ftlint.reporters import REPORTER_NAMES, RunSummary, get_reporter
from ftlint.reporters.step_summary import StepSummary
from ftlint.reporters.statistics import statistics_rows
from ftlint.rules import load_rules

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())

GOOD = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}


def clean_lines(n: int = 60) -> str:
    """``n`` distinct valid chat examples."""
    return "".join(
        json.dumps({"messages": [{"role": "user", "content": f"Q{i}"}, {"role": "assistant", "content": f"A{i}"}]}) + "\n"
        for i in range(n)
    )


def run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--isolated", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def broken(tmp_path) -> Path:
    """Invalid JSON on line 2, a blank line 3, a duplicate on line 5, 5 examples (FT401 file-level)."""
    path = tmp_path / "broken data.jsonl"
    good = json.dumps(GOOD)
    path.write_text(f'{good}\n{{"messages": [}}\n\n{json.dumps({"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y|z"}]})}\n{good}\n')
    return path


def test_every_format_is_registered():
    assert {"concise", "sarif", "junit"} <= set(REPORTER_NAMES)
    for name in REPORTER_NAMES:
        assert get_reporter(name).name == name


def test_concise(broken):
    code, out, _ = run(["--format", "concise", str(broken)])
    assert code == 1
    lines = out.splitlines()
    assert f"{broken}:2:" in lines[0] and " FT001 invalid JSON" in lines[0]
    assert any(line.startswith(f"{broken}:3:1: FT004 ") for line in lines)
    assert any(line.startswith(f"{broken}: FT401 ") for line in lines)  # file-level: no position
    assert lines[-1].startswith("Found ")


def test_sarif_is_valid_and_complete(broken, tmp_path):
    code, out, _ = run(["--format", "sarif", str(broken), str(tmp_path / "missing.jsonl")])
    assert code == 2  # the missing file
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(load_rules())
    ft001 = next(r for r in rules if r["id"] == "FT001")
    assert ft001["name"] == "invalid-json" and ft001["defaultConfiguration"]["level"] == "error"
    assert ft001["helpUri"].endswith("/docs/rules/FT001.md")
    assert ft001["shortDescription"]["text"] and "## What it does" in ft001["fullDescription"]["text"]
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    assert rules[by_rule["FT001"]["ruleIndex"]]["id"] == "FT001"
    region = by_rule["FT001"]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 2 and region["startColumn"] >= 1
    assert by_rule["FT403"]["level"] == "warning"
    file_level = by_rule["FT401"]["locations"][0]["physicalLocation"]
    assert "region" not in file_level
    assert file_level["artifactLocation"]["uri"].startswith("file:///") and "broken%20data.jsonl" in file_level["artifactLocation"]["uri"]
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "no such file" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_columns_are_declared_code_points_and_count_an_emoji_as_one(tmp_path):
    path = tmp_path / "emoji.jsonl"
    # A stray quote after 20 emoji: the parser stops at column 70 in code points (90 in UTF-16 code units).
    line = '{"messages": [{"role": "user", "content": "' + "\U0001F600" * 20 + ' say "hi" now"}]}'
    path.write_text(line + "\n", encoding="utf-8")
    code, out, _ = run(["--format", "sarif", "--select", "FT001", str(path)])
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    [result] = run_["results"]
    column = result["locations"][0]["physicalLocation"]["region"]["startColumn"]
    assert line[column - 1:].startswith('hi" now')
    assert column == line.index('hi" now') + 1 == 70


def test_sarif_relative_uri_and_clean_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("ok.jsonl").write_text(clean_lines())
    code, out, _ = run(["--format", "sarif", "ok.jsonl"])
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert code == 0 and log["runs"][0]["results"] == []


def test_sarif_on_real_files_validates():
    files = [require_shared("corpus", "real", "latslats-finetune_er_projects__finetune_broken.jsonl"),
             require_shared("corpus", "real", "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl")]
    _, out, _ = run(["--format", "sarif", *map(str, files)])
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) > 100


def test_junit(broken, tmp_path):
    clean = tmp_path / "clean.jsonl"
    clean.write_text(clean_lines())
    code, out, _ = run(["--format", "junit", "--select", "FT0,FT4", "--ignore", "FT402", str(broken), str(clean)])
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(broken), str(clean)]
    failed = {c.get("name"): c for c in suites[0].findall("testcase")}
    assert "FT001 invalid-json" in failed and "FT004 blank-line" in failed
    assert suites[0].get("failures") == str(len(failed))
    assert failed["FT004 blank-line"].find("failure").text.startswith("line 3: blank line")
    assert failed["FT401 too-few-examples"].find("failure").text.startswith("file: ")
    assert [c.get("name") for c in suites[1].findall("testcase")] == ["ftlint"]
    assert suites[1].findall("testcase")[0].find("failure") is None


def test_output_file(broken, tmp_path):
    target = tmp_path / "report.json"
    code, out, _ = run(["--format", "json", "--output-file", str(target), str(broken)])
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["errors"] >= 2


def test_output_file_unwritable(broken, tmp_path):
    code, _, err = run(["--output-file", str(tmp_path / "no" / "dir" / "r.txt"), str(broken)])
    assert code == 2 and "cannot write --output-file" in err


def test_statistics(broken):
    code, out, _ = run(["--statistics", str(broken)])
    lines = out.splitlines()
    assert code == 1
    counts = [int(line.split()[0]) for line in lines[:-1]]
    assert counts == sorted(counts, reverse=True)
    assert any(line.split()[1:] == ["FT004", "[*]", "blank-line"] for line in lines)
    assert any(line.split()[1:] == ["FT403", "[!]", "duplicate-example"] for line in lines)
    assert lines[-1].startswith("Found ")


def test_statistics_marks_no_fix_where_only_a_file_level_problem_was_found(tmp_path):
    """FT204's "prompts share no common separator" offers no fix (--fix rewrites lines): no [*] for it."""
    rows = [{"prompt": prompt, "completion": " yes\n"} for prompt in ("Is it red?", "Blue or not", "Sky: ", "ok ->")]
    data = tmp_path / "legacy.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run(["--statistics", "--model", "babbage-002", "--select", "FT204", str(data)])
    assert out.splitlines()[0].split() == ["1", "FT204", "missing-separator"]
    code, out, _ = run(["--statistics", "--format", "json", "--model", "babbage-002", "--select", "FT204", str(data)])
    assert json.loads(out) == [{"code": "FT204", "name": "missing-separator", "count": 1, "fixable": None}]
    rows.append({"prompt": "Is it green? ->", "completion": " no\n"})
    rows[:4] = [{"prompt": r["prompt"] + " ->", "completion": r["completion"]} for r in rows[:4]]
    rows.append({"prompt": "Purple", "completion": " no\n"})
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run(["--statistics", "--model", "babbage-002", "--select", "FT204", str(data)])
    assert out.splitlines()[0].split() == ["1", "FT204", "[*]", "missing-separator"]  # a prompt --fix completes


def test_statistics_rows_align_and_tie_break():
    rules = load_rules()
    rows = statistics_rows({"FT403": 3, "FT004": 12, "FT001": 3}, rules)
    assert rows == ["12  FT004  [*] blank-line", " 3  FT001      invalid-json", " 3  FT403  [!] duplicate-example"]


def test_github_step_summary(broken, tmp_path, monkeypatch):
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    code, out, _ = run(["--format", "github", str(broken)])
    assert code == 1
    assert "::error file=" in out
    text = summary_file.read_text()
    assert text.startswith("earlier step\n## ftlint")  # appended, never overwritten
    assert "| FT001 | invalid-json | error | 1 |" in text
    assert "annotations per step" in text


def test_step_summary_words_stats_as_the_text_report(monkeypatch):
    for key in ("GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(key, raising=False)
    summary = StepSummary()
    summary.begin_file()
    for line in range(1, 9):
        summary.problem(Problem("a.jsonl", line, 1, "FT105", "empty-content", Level.ERROR, "empty | content"))
    result = FileResult(path="a.jsonl", format="chat", examples=8)
    result.levels[Level.ERROR] = 8
    result.codes["FT105"] = 8
    cost_line = "cost: 123,456 billed tokens per epoch x 3 epochs (auto) x $3.00/1M = $1.11 (estimate)"
    result.stats.update(
        tokens={"total": 123456, "billed": 123456, "max": 4000},
        cost={"model": "gpt-4o-mini", "epochs": 3, "usd": 1.11},
        text_lines=["tokens: 123,456 total", "tokens per example:", "     1-1 | ### 3", "classes (2): 'a`b' 1", cost_line],
    )
    summary.end_file(result)
    run_summary = RunSummary()
    run_summary.add(result)
    text = summary.markdown(run_summary)
    assert "| FT105 | empty-content | error | 8 |" in text
    assert text.count("- line ") == 5 and "and 3 more in the job log" in text
    assert "empty \\| content" in text
    assert f"```text\ntokens: 123,456 total\nclasses (2): 'a'b' 1\n{cost_line}\n```" in text  # no raw keys, no fence break
    assert "| usd |" not in text and "rate per 1m" not in text
    assert "| a.jsonl | training | 8 | 8 | 0 | 123,456 | $1.11 |" in text
    assert "| **total** (1 file) | | **8** | **8** | **0** | **123,456** | **$1.11** |" in text


def test_github_without_summary_env_writes_nothing(broken, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    run(["--format", "github", str(broken)])
    assert not list(tmp_path.glob("*.md"))


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "html"])
def test_statistics_in_a_format_without_a_statistics_form_is_a_usage_error_writing_nothing(tmp_path, fmt):
    data = tmp_path / "s.jsonl"
    data.write_text(clean_lines(3))
    target = tmp_path / f"st.{fmt}"
    code, out, err = run(["--statistics", "--format", fmt, str(data), "-o", str(target)])
    assert code == 2 and out == "" and not target.exists()  # ruff: "Unsupported serialization format for statistics"
    assert err == (f"ftlint: error: --statistics prints counts per rule as a table or JSON; --format {fmt} has no "
                   "such form: drop --statistics, or use --format text, concise or json\n")


def test_statistics_as_json_stays_json(tmp_path):
    data = tmp_path / "s.jsonl"
    data.write_text(clean_lines(3))
    code, out, _ = run(["--statistics", "--format", "json", str(data)])
    assert code == 1 and [row["code"] for row in json.loads(out)] == ["FT401"]


def test_n_evals_without_a_validation_file_is_a_usage_error_not_ignored(tmp_path):
    data = tmp_path / "s.jsonl"
    data.write_text(clean_lines(12))
    code, out, err = run(["--provider", "together", "--n-evals", "2", str(data)])
    assert code == 2 and out == ""
    assert err == "ftlint: error: --n-evals N prices N evaluations of the validation file: it needs --validation FILE\n"
    valid = tmp_path / "v.jsonl"
    valid.write_text(clean_lines(3).replace("Q", "V"))
    code, out, err = run(["--provider", "together", "--n-evals", "2", str(data), "--validation", str(valid)])
    assert code == 0 and err == ""
