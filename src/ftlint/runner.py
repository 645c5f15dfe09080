"""Lint a run's files into a reporter: the loop the command line and the Python API share."""

from __future__ import annotations

from typing import Sequence

from ftlint.engine import TRAINING, VALIDATION, Linter
from ftlint.perfile import PerFileLinter
from ftlint.reporters import Reporter, RunSummary


def run_lint(linter: Linter | PerFileLinter, files: Sequence[str], validation: Sequence[str], reporter: Reporter,
             displays: dict[str, str] | None = None) -> RunSummary:
    """Lint the training files, then the validation files; ``displays`` maps a path to the name shown."""
    summary = RunSummary()
    for role, names in ((TRAINING, files), (VALIDATION, validation)):
        for name in names:
            display = (displays or {}).get(name)
            reporter.begin_file(display or ("<stdin>" if name == "-" else name), role)
            result = linter.lint_file(name, reporter, role=role, display=display)
            reporter.end_file(result)
            summary.add(result)
    reporter.finish(summary)
    return summary
