"""Lint a run's files into a reporter (the loop the command line and the Python API share), where the report goes,
and the exit code."""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import TYPE_CHECKING, Iterator, Sequence, TextIO

from ftlint.arguments import UsageError
from ftlint.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from ftlint.problem import Level, Problem
from ftlint.record import replace
from ftlint.reporters import Reporter, RunSummary
from ftlint.results import TRAINING, VALIDATION, FileResult
from ftlint.terminal import ChunkedWriter, is_terminal

if TYPE_CHECKING:  # the result cache answers a re-run through here without importing the engine
    from ftlint.engine import Linter
    from ftlint.perfile import PerFileLinter


def run_lint(linter: Linter | PerFileLinter, files: Sequence[str], validation: Sequence[str], reporter: Reporter,
             displays: dict[str, str] | None = None) -> RunSummary:
    """Lint the training files, then the validation files; ``displays`` maps a path to the name shown."""
    summary = RunSummary()
    once = OncePerRun(reporter, once_per_run_codes(linter))
    for role, names in ((TRAINING, files), (VALIDATION, validation)):
        for name in names:
            display = (displays or {}).get(name)
            reporter.begin_file(display or ("<stdin>" if name == "-" else name), role)
            result = once.counted(linter.lint_file(name, once, role=role, display=display))
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
    import os
    import stat

    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)  # (follows links: /dev/stdout is a pipe or a tty)
    except OSError:
        special = False  # a new file
    target = os.path.realpath(path)
    if special:  # /dev/stdout, a FIFO: written in place, as given
        try:
            fh = open(path, "w", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {flag} {path}: {exc.strerror or exc}") from None
        with fh:
            yield fh
        return
    # A regular file is written beside and renamed over the old report at the end: a run stopped by an error
    # (another --also-output's bad path, an interrupt) left the old report truncated and invalid.
    from ftlint import tempfiles

    try:
        fd, tmp = tempfiles.create_beside(target)
    except OSError as exc:
        raise UsageError(f"cannot write {flag} {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            try:
                mode = stat.S_IMODE(os.stat(target).st_mode)  # the old report's mode
            except OSError:
                mode = tempfiles.new_file_mode()
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            tmp = None
    except OSError as exc:
        raise UsageError(f"cannot write {flag} {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def exit_code(summary: RunSummary, strict: bool, exit_zero: bool) -> int:
    if summary.unreadable:
        return EXIT_USAGE
    failing = summary.levels[Level.ERROR] + (summary.levels[Level.WARNING] if strict else 0)
    if failing and not exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK


class OncePerRun:
    """Passes a file's problems to the reporter, but a finding of a ONCE_PER_RUN rule (FT302: the model
    is retired) only the first time the run draws it word for word. It sits above the result cache
    (ftlint.cache), whose entries keep each file's own findings, so cached files neither lose it nor
    repeat it."""

    def __init__(self, sink, codes: frozenset[str]):
        self.sink = sink
        self.codes = codes
        self.said: set[tuple[str, str]] = set()
        self.dropped: list[Problem] = []  # the current file's repeats

    def problem(self, problem: Problem) -> None:
        if problem.code in self.codes:
            key = (problem.code, problem.message)
            if key in self.said:
                self.dropped.append(problem)
                return
            self.said.add(key)
        self.sink.problem(problem)

    def counted(self, result: FileResult) -> FileResult:
        """The file's result without the repeats dropped from it (its counts are what the reporter saw)."""
        if not self.dropped:
            return result
        levels, codes = Counter(result.levels), Counter(result.codes)
        for problem in self.dropped:
            levels[problem.level] -= 1
            codes[problem.code] -= 1
        self.dropped = []
        return replace(result, levels=+levels, codes=+codes)


def once_per_run_codes(linter) -> frozenset[str]:
    """The codes of the run's ONCE_PER_RUN rules: those of its default linter, under the result cache
    (CachedLinter.linter) and per-file settings (PerFileLinter.default), which only ignore more; a run
    replayed from its record (ftlint.rerun.Replay) knows them from the record."""
    known = getattr(linter, "once_per_run", None)
    if known is not None:
        return frozenset(known)
    inner = getattr(linter, "linter", linter)
    inner = getattr(inner, "default", inner)
    rules = getattr(inner, "rules", None) or {}
    return frozenset(code for code, rule in rules.items() if rule.once_per_run)
