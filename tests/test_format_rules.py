"""Fixtures of the format rules (FT5xx tools, FT6xx weight & vision, FT7xx DPO, FT8xx RFT).

Layout: fixtures/<CODE>/pass/*.jsonl must lint with no problem at all;
fixtures/<CODE>/fail/<name>.jsonl must give exactly the problems listed in
<name>.expected, one "LINE CODE" pair a line ("-" for a file-level problem).
Every rule runs, so a fixture also proves that no other rule fires on it;
only FT401-FT404 are off: a fixture is a list of independent small cases, so
its example count, duplicates and same-input pairs mean nothing.

An optional <name>.args sets how the file is linted, one "key = value" a line:
method, role (training | validation), model and model-methods (a stand-in for
the catalog entry: comma-separated methods), and CODE.option for rule options.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from ftlint.engine import Linter, RunContext
from ftlint.rules import load_rules
from ftlint.settings import Selection

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMAT_BANDS = ("FT5", "FT6", "FT7", "FT8")
#: Rules about the file as a data set, which a list of independent cases trips.
DATASET_RULES = ["FT401", "FT402", "FT403", "FT404"]
RULES = load_rules(plugins=False)


class ListSink:
    def __init__(self):
        self.problems = []

    def problem(self, problem):
        self.problems.append(problem)


def read_args(jsonl: Path) -> dict[str, str]:
    sidecar = jsonl.with_suffix(".args")
    if not sidecar.exists():
        return {}
    pairs = (line.split("=", 1) for line in sidecar.read_text().splitlines() if line.strip())
    return {k.strip(): v.strip() for k, v in pairs}


def lint(path: Path, args: dict[str, str] | None = None, ignore: list[str] = DATASET_RULES):
    """Problems from linting ``path`` with every default rule (minus ``ignore``)."""
    args = dict(args or {})
    options: dict[str, dict] = {}
    for key in [k for k in args if "." in k]:
        code, option = key.split(".", 1)
        value = args.pop(key)
        options.setdefault(code, {})[option] = int(value) if value.isdigit() else value
    model = None
    if "model" in args:
        model = SimpleNamespace(name=args["model"], methods=tuple(args.get("model-methods", "").split(",")))
    selection = Selection(rules=RULES, ignore=list(ignore), options=options)
    linter = Linter(selection, method=args.get("method"), run=RunContext(model=model))
    sink = ListSink()
    result = linter.lint_file(str(path), sink, role=args.get("role", "training"))
    assert result.error is None, result.error
    return sink.problems


def fixture_cases(kind: str):
    for code_dir in sorted(FIXTURES.glob("FT*")):
        if code_dir.name.startswith(FORMAT_BANDS):
            for jsonl in sorted((code_dir / kind).glob("*.jsonl")):
                yield pytest.param(jsonl, id=f"{code_dir.name}/{kind}/{jsonl.stem}")


def shown(problems) -> list[str]:
    return [f"{p.line if p.line is not None else '-'} {p.code} {p.message}" for p in problems]


@pytest.mark.parametrize("jsonl", fixture_cases("pass"))
def test_pass_fixture_is_clean(jsonl):
    problems = lint(jsonl, read_args(jsonl))
    assert not problems, "\n".join(shown(problems))


@pytest.mark.parametrize("jsonl", fixture_cases("fail"))
def test_fail_fixture_gives_expected_problems(jsonl):
    expected = Counter(tuple(line.split()) for line in jsonl.with_suffix(".expected").read_text().splitlines()
                       if line.strip())
    problems = lint(jsonl, read_args(jsonl))
    got = Counter((str(p.line) if p.line is not None else "-", p.code) for p in problems)
    assert got == expected, "\n".join(shown(problems))
    rule_code = jsonl.parent.parent.name
    assert rule_code in {code for _, code in expected}, "a fail fixture must show its own rule"


def test_every_format_rule_has_pass_and_fail_fixtures():
    codes = [c for c in RULES if c.startswith(FORMAT_BANDS)]
    missing = [c for c in codes if not all(list((FIXTURES / c / kind).glob("*.jsonl")) for kind in ("pass", "fail"))]
    assert not missing


def test_messages_say_what_to_do_and_never_the_code():
    for jsonl in (FIXTURES.glob("FT[5-8]*/fail/*.jsonl")):
        for p in lint(jsonl, read_args(jsonl)):
            assert p.code not in p.message
            assert len(p.message) > 20
