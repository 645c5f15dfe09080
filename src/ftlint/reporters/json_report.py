"""Machine-readable report: one JSON document with a versioned schema.

Schema (version 1); it never changes with -v/-q::

    {"version": 1, "tool": {"name": "ftlint", "version": str},
     "files": [{"path": str, "role": "training"|"validation", "format": str|null,
                "method": str|null, "examples": int, "lines": int, "error": str|null,
                "diagnostics": [{"code", "name", "severity", "line", "column",
                                 "json_path", "message"}],
                "counts": {"errors", "warnings", "info"}, ...stats}],
     "summary": {"errors", "warnings", "info", "files", "examples", "unreadable",
                 "cost_usd": float|null}}

File-level diagnostics have "line": null and "column": null; a diagnostic
about a whole line has "column": 1 (its start), as the text output shows.
``summary.cost_usd`` is the run's
estimated cost the text report shows: the training files that have an
estimate, plus the evaluations of validation files where the provider bills
them (Together AI); null when no file has an estimate (no price, a retired
model, a format the provider does not take). The document is written
incrementally, so diagnostics are never all held in memory.
"""

from __future__ import annotations

import orjson

from ftlint import __version__
from ftlint.results import FileResult
from ftlint.escape import utf8
from ftlint.problem import Level, Problem
from ftlint.reporters import Reporter, RunSummary

SCHEMA_VERSION = 1
#: Diagnostics serialized together: one orjson call per batch, not per problem (a file of
#: duplicates has one per example); bounded, so they are never all held in memory.
BATCH = 512


#: "error", "warning", "info" by level (str(Level) is a Python-level call per problem).
_SEVERITY = {level: str(level) for level in Level}


def diagnostic(p: Problem) -> dict:
    # Once per problem (a file of duplicates has one per example): shown_column and utf8's ASCII case inline.
    line, message = p.line, p.message
    return {
        "code": p.code,
        "name": p.name,
        "severity": _SEVERITY[p.level],
        "line": line,
        "column": None if line is None else p.column or 1,  # shown_column
        "json_path": p.json_path,
        "message": message if message.isascii() else utf8(message),
    }


def counts_of(levels) -> dict:
    return {
        "errors": levels.get(Level.ERROR, 0),
        "warnings": levels.get(Level.WARNING, 0),
        "info": levels.get(Level.INFO, 0),
    }


def file_fields(result: FileResult) -> dict:
    """A file entry's fields other than path and diagnostics (shared with ftlint.api)."""
    fields = {
        "role": result.role,
        "format": result.format,
        "method": result.method,
        "examples": result.examples,
        "lines": result.lines,
        "error": utf8(result.error) if result.error else result.error,
        "counts": counts_of(result.levels),
    }
    fields.update({k: v for k, v in result.stats.items() if k != "text_lines"})
    return fields


def summary_fields(summary: RunSummary) -> dict:
    totals = counts_of(summary.levels)
    totals.update(files=summary.files, examples=summary.examples, unreadable=summary.unreadable,
                  cost_usd=summary.total_cost_usd if summary.cost_sentence() else None)
    return totals


def report_head() -> dict:
    return {"version": SCHEMA_VERSION, "tool": {"name": "ftlint", "version": __version__}}


class JsonReporter(Reporter):
    name = "json"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_written = 0
        self.in_file_diagnostics = 0
        self.batch: list[dict] = []
        self.out.write(orjson.dumps(report_head()).decode()[:-1] + ', "files": [')

    def begin_file(self, path: str, role: str) -> None:
        sep = ", " if self.files_written else ""
        self.out.write(f'{sep}{{"path": {orjson.dumps(utf8(path)).decode()}, "diagnostics": [')
        self.in_file_diagnostics = 0

    def problem(self, problem: Problem) -> None:
        self.batch.append(diagnostic(problem))
        if len(self.batch) >= BATCH:
            self._write_batch()

    def _write_batch(self) -> None:
        if self.batch:
            text = orjson.dumps(self.batch).decode()[1:-1]  # the diagnostics without the list's brackets
            self.out.write(", " + text if self.in_file_diagnostics else text)
            self.in_file_diagnostics += len(self.batch)
            self.batch = []

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)  # an unreadable input: its one line on stderr too, as every format says it
        self._write_batch()
        rest = file_fields(result)
        self.out.write("], " + orjson.dumps(rest, option=orjson.OPT_NON_STR_KEYS).decode()[1:])
        self.files_written += 1

    def finish(self, summary: RunSummary) -> None:
        self.out.write('], "summary": ' + orjson.dumps(summary_fields(summary)).decode() + "}\n")
