"""Lint a run's files into a reporter (the loop the command line and the Python API share), where the report goes,
and the exit code."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Iterator, Sequence, TextIO

from ftlint.arguments import UsageError
from ftlint.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from ftlint.problem import Level
from ftlint.reporters import Reporter, RunSummary
from ftlint.results import TRAINING, VALIDATION
from ftlint.terminal import ChunkedWriter, is_terminal

if TYPE_CHECKING:  # the result cache answers a re-run through here without importing the engine
    from ftlint.engine import Linter
    from ftlint.perfile import PerFileLinter


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


@contextlib.contextmanager
def report_stream(path: str | None, default: TextIO, flag: str = "--output-file") -> Iterator[TextIO]:
    """``--output-file``: the whole report goes to PATH (ruff's -o); errors still go to stderr."""
    if path is None:
        if is_terminal(default):
            yield default
            return
        chunked = ChunkedWriter(default)
        try:
            yield chunked
        finally:
            chunked.drain()
        return
    try:
        fh = open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {flag} {path}: {exc.strerror or exc}") from None
    with fh:
        yield fh


def exit_code(summary: RunSummary, strict: bool, exit_zero: bool) -> int:
    if summary.unreadable:
        return EXIT_USAGE
    failing = summary.levels[Level.ERROR] + (summary.levels[Level.WARNING] if strict else 0)
    if failing and not exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK
