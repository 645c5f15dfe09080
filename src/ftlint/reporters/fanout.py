"""``--also-output FORMAT:PATH``: one lint run, several reports.

The run's reporter and each extra one get every event in the same order, so a
GitHub Action writes its annotations, job summary and SARIF file from one run
(pylint's ``--output-format=json:FILE,text`` does the same). The extra reports
write only their document: an unreadable input is reported once, on stderr, by
the run's own reporter.
"""

from __future__ import annotations

from typing import Sequence

from ftlint.results import FileResult
from ftlint.problem import Problem
from ftlint.reporters import REPORTER_NAMES, Reporter, RunSummary


def parse_also_output(text: str) -> tuple[str, str]:
    """``sarif:ftlint.sarif`` -> ("sarif", "ftlint.sarif"); ValueError says what is wrong."""
    fmt, sep, path = text.partition(":")
    if not sep or not path:
        raise ValueError(f"expected FORMAT:PATH (e.g. sarif:ftlint.sarif), got {text!r}")
    if fmt not in REPORTER_NAMES:
        raise ValueError(f"unknown output format {fmt!r} in {text!r} (choose from {', '.join(REPORTER_NAMES)})")
    return fmt, path


class Fanout(Reporter):
    """Every event to every reporter, the run's own first."""

    name = "fanout"

    def __init__(self, reporters: Sequence[Reporter]):
        self.reporters = list(reporters)

    def begin_file(self, path: str, role: str) -> None:
        for reporter in self.reporters:
            reporter.begin_file(path, role)

    def problem(self, problem: Problem) -> None:
        for reporter in self.reporters:
            reporter.problem(problem)

    def end_file(self, result: FileResult) -> None:
        for reporter in self.reporters:
            reporter.end_file(result)

    def finish(self, summary: RunSummary) -> None:
        for reporter in self.reporters:
            reporter.finish(summary)
