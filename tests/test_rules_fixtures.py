"""Every rule's pass and fail fixtures (fixtures/<CODE>/{pass,fail}/*.jsonl).

A fail fixture has a ``.expected`` file of ``LINE CODE`` rows (``-`` for a
file-level problem); optional companions: ``.options.json`` (rule options),
``.model`` (the --model; default: the catalog's default model) and
``.training`` (then the fixture is linted as the validation file).
Each fixture is linted with only its rule selected.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, codes, lint_paths


def _cases(kind):
    for path in sorted(FIXTURES.glob(f"FT*/{kind}/*.jsonl")):
        yield pytest.param(path, id=f"{path.parts[-3]}-{kind}-{path.stem}")


def _lint_fixture(path):
    code = path.parts[-3]
    options_file = path.with_suffix(".options.json")
    options = json.loads(options_file.read_text()) if options_file.exists() else None
    model_file = path.with_suffix(".model")
    model = model_file.read_text().strip() if model_file.exists() else None
    training = path.with_suffix(".training")
    if training.exists():
        return lint_paths([training], validation=[path], select=[code], options=options, model=model)[0]
    return lint_paths([path], select=[code], options=options, model=model)[0]


@pytest.mark.parametrize("path", _cases("fail"))
def test_fail_fixture_reports_expected_lines(path):
    expected = []
    for row in path.with_suffix(".expected").read_text().split("\n"):
        if row.strip():
            line, code = row.split()
            expected.append((None if line == "-" else int(line), code))
    assert sorted(codes(_lint_fixture(path)), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("path", _cases("pass"))
def test_pass_fixture_is_clean(path):
    assert _lint_fixture(path) == []
