"""Every output gives a problem the same column: text, JSON, SARIF and GitHub annotations.

Text showed ``path:19:1:`` for a duplicate while JSON said ``"column": null`` and SARIF had no startColumn.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from hypothesis import given, strategies as st

from ftlint.problem import Level, Problem
from ftlint.reporters.github import annotation
from ftlint.reporters.json_report import diagnostic
from ftlint.reporters.text import location


@given(line=st.none() | st.integers(1, 10**6), column=st.none() | st.integers(1, 10**4))
def test_text_json_and_github_give_one_column(line, column):
    p = Problem("a.jsonl", line, column, "FT403", "duplicate-example", Level.WARNING, "duplicate of line 2")
    shown = diagnostic(p)["column"]
    if line is None:
        assert shown is None and location(p) == "a.jsonl" and ",col=" not in annotation(p)
        return
    assert shown == (column or 1)
    assert location(p) == f"a.jsonl:{line}:{shown}"
    assert f",line={line},col={shown}," in annotation(p)


def test_a_duplicate_has_column_1_in_json_and_sarif_as_in_text(tmp_path):
    row = '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'
    data = tmp_path / "d.jsonl"
    data.write_text(row * 2)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ftlint", str(data), "--select", "FT403", *args],
                              capture_output=True, text=True).stdout

    assert re.search(r"d\.jsonl:2:1: FT403", run())
    (found,) = json.loads(run("--format", "json"))["files"][0]["diagnostics"]
    assert (found["line"], found["column"]) == (2, 1)
    (result,) = json.loads(run("--format", "sarif"))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 1}
