"""Shared test helpers: lint files or lines through the real engine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ftlint.catalog import shipped_catalog
from ftlint.engine import TRAINING, VALIDATION, Linter, RunContext
from ftlint.rules import load_rules
from ftlint.settings import Selection
from ftlint.token_stats import token_hooks

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"

#: Retirement verdicts depend on the date: every test (and every ftlint it
#: starts) sees the same "today" unless it pins its own.
PINNED_TODAY = "2026-11-30"
os.environ.setdefault("FTLINT_TODAY", PINNED_TODAY)

RULES = load_rules(plugins=False)
#: Dataset-size and duplicate rules: a fixture is a list of small independent cases.
DATASET_RULES = ["FT401", "FT402", "FT403", "FT404"]


class ListSink:
    def __init__(self):
        self.problems = []

    def problem(self, p):
        self.problems.append(p)


def lint_paths(training, validation=(), select=None, ignore=(), options=None, method=None, model=None,
               run_options=None, **linter_kwargs):
    """Lint files with the real engine and the CLI's token hooks; returns (problems, results).

    ``model``: a name as --model takes it (default: the catalog's default model).
    """
    catalog = shipped_catalog()
    resolved = catalog.resolve(model) if model else catalog.default
    selection = Selection(rules=RULES, select=select, ignore=list(ignore), options=options or {})
    run_options = {"has_validation": bool(validation), "model_is_default": model is None, **(run_options or {})}
    run = RunContext(model=resolved, options=run_options)
    linter_kwargs = {**token_hooks(), **linter_kwargs}
    linter = Linter(selection, method=method, run=run, **linter_kwargs)
    sink = ListSink()
    results = [linter.lint_file(str(p), sink, role=TRAINING) for p in training]
    results += [linter.lint_file(str(p), sink, role=VALIDATION) for p in validation]
    return sink.problems, results


def lint_lines(tmp_path, lines, name="data.jsonl", **kwargs):
    """Write ``lines`` (dicts, str or bytes) as a JSONL file and lint it."""
    path = tmp_path / name
    with open(path, "wb") as fh:
        for line in lines:
            if isinstance(line, (dict, list)):
                line = json.dumps(line)
            if isinstance(line, str):
                line = line.encode()
            fh.write(line + b"\n")
    return lint_paths([path], **kwargs)


def codes(problems):
    return [(p.line, p.code) for p in problems]


@pytest.fixture
def real_corpus():
    if not REAL_CORPUS.is_dir():
        pytest.skip("../shared/corpus/real is not beside the repository")
    return REAL_CORPUS


def read_args(path):
    sidecar = path.with_suffix(".args")
    if not sidecar.exists():
        return {}
    pairs = (line.split("=", 1) for line in sidecar.read_text().splitlines() if line.strip())
    return {k.strip(): v.strip() for k, v in pairs}


def read_expected(path):
    """``LINE CODE`` rows of a fail fixture (the optional message after them: read_expected_messages)."""
    return [(line, code) for line, code, _ in read_expected_messages(path)]


def read_expected_messages(path):
    """``LINE CODE [MESSAGE]`` rows: MESSAGE, when given, is text the problem's message contains."""
    rows = [row.split(None, 2) for row in path.with_suffix(".expected").read_text().splitlines() if row.strip()]
    return [(None if row[0] == "-" else int(row[0]), row[1], row[2] if len(row) > 2 else None) for row in rows]


def lint_fixture(path, select=None, ignore=None, args=None):
    """Lint one fixture as its ``.args`` sidecar (or ``args``) says; returns the problems.

    Without ``select``, every default rule runs except DATASET_RULES (unless ``ignore`` says otherwise).
    """
    if ignore is None:
        ignore = DATASET_RULES if select is None else ()
    path = Path(path)
    args = dict(read_args(path) if args is None else args)
    today = args.pop("today", None)
    if today is not None:  # the fixture is about a date (retirements)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FTLINT_TODAY", today)
            return lint_fixture(path, select, ignore, args)
    options: dict[str, dict] = {}
    for key in [k for k in args if "." in k]:
        code, option = key.split(".", 1)
        value = args.pop(key)
        options.setdefault(code, {})[option] = int(value) if value.isdigit() else value
    catalog = shipped_catalog()
    model = catalog.resolve(args["model"]) if "model" in args else catalog.default
    training = path.with_suffix(".training")
    selection = Selection(rules=RULES, select=select, ignore=list(ignore), options=options)
    run = RunContext(model=model, options={"has_validation": training.exists(), "model_is_default": "model" not in args})
    linter = Linter(selection, method=args.get("method"), run=run, **token_hooks())
    sink = ListSink()
    if training.exists():
        linter.lint_file(str(training), sink, role=TRAINING)
        sink.problems.clear()
    result = linter.lint_file(str(path), sink, role=VALIDATION if training.exists() else args.get("role", TRAINING),
                              display=args.get("display"))
    assert result.error is None, result.error
    return sink.problems
