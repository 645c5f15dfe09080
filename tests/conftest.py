"""Shared test helpers: lint files or lines through the real engine."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ftlint.catalog import shipped_catalog
from ftlint.counting import TokenCounter
from ftlint.engine import TRAINING, VALIDATION, Linter, RunContext
from ftlint.rules import load_rules
from ftlint.settings import Selection
from ftlint.token_stats import token_hooks

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"

RULES = load_rules(plugins=False)


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
    linter_kwargs = {**token_hooks(TokenCounter.for_model(resolved)), **linter_kwargs}
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
