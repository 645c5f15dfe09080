"""Baselines: accept today's problems, report only new ones (JSONL has no comments, so no ``noqa``).

``--write-baseline FILE`` records every problem of the run, keyed by file, rule, JSON path
and a fingerprint of the example (a hash of the line's bytes), never by line number, which
moves when lines are added above. ``--baseline FILE`` drops the problems the baseline
holds (as many of each key as it recorded) and, for the files linted, reports the recorded
problems that did not occur again as gone (fixed).

Problems without a line of their own (file-level, or a dataset rule naming an earlier line)
are fingerprinted by their message with the numbers blanked, so "training file has only 31
examples" stays the same problem when it becomes 32.

The baseline file is JSON written as it goes (one entry per line), so writing it holds no
problem in memory; reading it holds one small key per recorded problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import TextIO

from ftlint.arguments import UsageError
from ftlint.escape import terminal
from ftlint.problem import Problem, plural
from ftlint.reporters import Reporter, RunSummary

VERSION = 1
_NUMBER = re.compile(r"\d[\d,.]*")


class BaselineError(UsageError):
    """An unreadable or malformed baseline file (exit 2, one line, as any usage error)."""


def file_key(path: str) -> str:
    """The file as the baseline names it: relative to the current directory, with / separators."""
    if path == "<stdin>":
        return path
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(absolute).as_posix()


def fingerprint(problem: Problem) -> str:
    if problem.source is not None:
        data = b"L" + problem.source.rstrip(b"\r\n")
    else:
        data = b"M" + _NUMBER.sub("#", problem.message).encode("utf-8", "replace")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def key_of(file: str, problem: Problem) -> tuple[str, str, str, str]:
    return (file, problem.code, problem.json_path or "", fingerprint(problem))


class BaselineWriter(Reporter):
    """Records every problem of the run to ``path`` and says so in one line (what was written, how many
    problems, which files could not be read). The run's report goes to ``inner`` only when it was asked
    for by name (``-o``, ``--also-output``): recording today's problems is not reviewing them."""

    def __init__(self, inner: Reporter, path: str, show_report: bool = False):
        super().__init__(inner.out, inner.err)
        self.inner = inner
        self.show_report = show_report
        self.files = 0
        self.unreadable: list[str] = []
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        try:
            self.fh: TextIO = self.partial.open("w", encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"cannot write --write-baseline {path}: {exc.strerror or exc}") from None
        self.fh.write(json.dumps({"version": VERSION, "tool": "ftlint"})[:-1] + ', "problems": [\n')
        self.recorded = 0
        self.file = ""

    def begin_file(self, path: str, role: str) -> None:
        self.file = file_key(path)
        self.shown = path
        if self.show_report:
            self.inner.begin_file(path, role)

    def problem(self, problem: Problem) -> None:
        file, code, json_path, fp = key_of(self.file, problem)
        entry = {"file": file, "code": code, "json_path": json_path, "fingerprint": fp,
                 "line": problem.line, "message": problem.message}
        self.fh.write(("," if self.recorded else " ") + json.dumps(entry, ensure_ascii=False) + "\n")
        self.recorded += 1
        if self.show_report:
            self.inner.problem(problem)

    def end_file(self, result) -> None:
        self.files += 1
        if result.error:
            self.unreadable.append(self.shown)
        if self.show_report:
            self.inner.end_file(result)

    def finish(self, summary: RunSummary) -> None:
        self.fh.write("]}\n")
        self.fh.close()
        os.replace(self.partial, self.path)
        if self.show_report:
            self.inner.finish(summary)
        unread = ""
        if self.unreadable:
            names = ", ".join(terminal(name) for name in self.unreadable[:3])
            more = f" and {len(self.unreadable) - 3:,} more" if len(self.unreadable) > 3 else ""
            unread = f"; could not read {names}{more} (not in it)"
        self.err.write(f"ftlint: wrote the baseline {terminal(str(self.path))}: {plural(self.recorded, 'problem')} "
                       f"in {plural(self.files, 'file')}{unread}\n")


def load(path: str) -> Counter:
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"--baseline {path}: no such file (create it with --write-baseline {path})") from None
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"--baseline {path}: not a baseline file ({exc})") from None
    if not isinstance(document, dict) or document.get("version") != VERSION or not isinstance(
            document.get("problems"), list):
        raise BaselineError(f"--baseline {path}: not an ftlint baseline (version {VERSION})")
    keys: Counter = Counter()
    for entry in document["problems"]:
        try:
            keys[(entry["file"], entry["code"], entry["json_path"], entry["fingerprint"])] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"--baseline {path}: malformed entry {str(entry)[:80]}") from None
    return keys


class BaselineFilter(Reporter):
    """Wraps the run's reporter: problems the baseline holds are dropped (and taken off the file's
    counts, so they do not fail the run); recorded problems that did not recur are reported gone."""

    def __init__(self, inner: Reporter, path: str, gone_out: TextIO):
        super().__init__(inner.out, inner.err)
        self.inner = inner
        self.path = path
        self.remaining = load(path)
        self.gone_out = gone_out
        self.file = ""
        self.dropped: Counter = Counter()  # (level, code) -> count, this file
        self.files_seen: set[str] = set()
        self.suppressed = 0

    def begin_file(self, path: str, role: str) -> None:
        self.file = file_key(path)
        self.files_seen.add(self.file)
        self.dropped = Counter()
        self.inner.begin_file(path, role)

    def problem(self, problem: Problem) -> None:
        key = key_of(self.file, problem)
        if self.remaining[key] > 0:
            self.remaining[key] -= 1
            self.dropped[(problem.level, problem.code)] += 1
            return
        self.inner.problem(problem)

    def end_file(self, result) -> None:
        for (level, code), n in self.dropped.items():
            result.levels[level] -= n
            result.codes[code] -= n
            self.suppressed += n
        result.levels += Counter()
        result.codes += Counter()
        self.inner.end_file(result)

    def finish(self, summary: RunSummary) -> None:
        gone: Counter = Counter()
        for (file, code, _, _), n in self.remaining.items():
            if n > 0 and file in self.files_seen:
                gone[(file, code)] += n
        for (file, code), n in sorted(gone.items()):
            self.gone_out.write(f"{file}: {code} x{n:,} recorded in the baseline {self.path} is gone (fixed); "
                                f"update the baseline with --write-baseline {self.path}\n")
        if self.suppressed:
            self.gone_out.write(f"{self.suppressed:,} known problem{'' if self.suppressed == 1 else 's'} "
                                f"from the baseline {self.path} not shown.\n")
        self.inner.finish(summary)
