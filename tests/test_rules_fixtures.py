"""Every rule's pass and fail fixtures: fixtures/<CODE>/{pass,fail}/*.jsonl.

- A fail fixture has ``<name>.expected``: ``LINE CODE`` rows (``-`` for a
  file-level problem), exactly what ftlint reports for the codes named there.
- ``<name>.args`` (optional) says how to lint it, one ``key = value`` a line:
  ``method``, ``role`` (training | validation), ``provider`` (as --provider takes it), ``model`` (as --model takes it;
  default: the catalog's default model), ``CODE.option``, ``display`` (the file name to report), and ``tolerate = CODE ...``
  (errors of other rules a pass fixture draws by design).
- ``<name>.training`` (optional) is linted first as the training file, and the
  fixture as the validation file.

Each fixture is linted with the rules it is about selected; in addition, no
pass fixture may draw an error from any rule (dataset-size and duplicate rules
aside: a fixture is a list of small independent cases).
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, codes, lint_fixture, read_args, read_expected, read_expected_messages
from ftlint.problem import Level


def _cases(kind):
    return [pytest.param(p, id=f"{p.parts[-3]}-{kind}-{p.stem}") for p in sorted(FIXTURES.glob(f"FT*/{kind}/*.jsonl"))]


@pytest.mark.parametrize("path", _cases("fail"))
def test_fail_fixture_reports_expected_lines(path):
    expected = read_expected(path)
    select = sorted({path.parts[-3], *(code for _, code in expected)})
    assert sorted(codes(lint_fixture(path, select=select)), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("path", _cases("pass"))
def test_pass_fixture_is_clean(path):
    assert lint_fixture(path, select=[path.parts[-3]]) == []


#: Rules about the model, which a pass fixture names only when it is about them.
MODEL_RULES = {"FT301", "FT608", "FT805"}


@pytest.mark.parametrize("path", _cases("pass"))
def test_pass_fixture_draws_no_error_from_any_rule(path):
    args = read_args(path)
    tolerated = set(args.get("tolerate", "").split()) | (set() if "model" in args else MODEL_RULES)
    errors = [p for p in lint_fixture(path) if p.level == Level.ERROR and p.code not in tolerated]
    assert errors == []


@pytest.mark.parametrize("path", _cases("fail"))
def test_messages_are_sentences_without_the_code(path):
    for p in lint_fixture(path, select=sorted({path.parts[-3], *(c for _, c in read_expected(path))})):
        assert p.code not in p.message.replace(str(path.parent), "")  # paths may hold the code
        assert len(p.message) > 20, p.message


def _cases_with_messages():
    return [case for case in _cases("fail") if any(text for _, _, text in read_expected_messages(case.values[0]))]


@pytest.mark.parametrize("path", _cases_with_messages())
def test_fail_fixture_messages_say_what_the_expected_file_records(path):
    """A row ``LINE CODE MESSAGE`` of a .expected file: that problem's message contains MESSAGE."""
    wanted = [(line, code, text) for line, code, text in read_expected_messages(path) if text]
    problems = lint_fixture(path, select=sorted({path.parts[-3], *(c for _, c, _ in read_expected_messages(path))}))
    for line, code, text in wanted:
        messages = [p.message for p in problems if (p.line, p.code) == (line, code)]
        assert any(text in m for m in messages), (line, code, text, messages)
