"""Python API for notebooks and pipelines: ``ftlint.lint(paths, ...) -> Report``.

Example::

    import ftlint

    report = ftlint.lint("data/train.jsonl", validation="data/valid.jsonl", ignore=["FT209"])
    if not report.ok:
        for d in report.diagnostics():
            print(d["path"], d["line"], d["code"], d["message"])
    report.summary["errors"], report.files[0].stats.get("tokens")
    report.to_dict()      # the same document as `ftlint --format json`

The API reads no configuration file unless ``config=`` names one, so a
notebook's results do not depend on the directory it runs in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterator

from ftlint.config import Config, discover, merged_selection
from ftlint.results import FileResult
from ftlint.perfile import linter_pool
from ftlint.problem import Problem
from ftlint.reporters import Reporter, RunSummary
from ftlint.reporters.json_report import diagnostic, file_fields, report_head, summary_fields
from ftlint.runner import run_lint
from ftlint.rules import load_rules

@dataclass
class FileReport:
    """One linted file: the fields of a ``files[]`` entry of the JSON report."""

    path: str
    role: str
    diagnostics: list[dict]
    format: str | None = None
    method: str | None = None
    examples: int = 0
    lines: int = 0
    error: str | None = None  # the file could not be read
    counts: dict = field(default_factory=dict)  # {"errors", "warnings", "info"}
    stats: dict = field(default_factory=dict)  # collectors' statistics (tokens, cost...) when present

    def to_dict(self) -> dict:
        return {"path": self.path, "diagnostics": self.diagnostics, **self._fields()}

    def _fields(self) -> dict:
        fields = {"role": self.role, "format": self.format, "method": self.method, "examples": self.examples,
                  "lines": self.lines, "error": self.error, "counts": self.counts}
        fields.update(self.stats)
        return fields


@dataclass
class Report:
    """The result of :func:`lint`: the same data as ``ftlint --format json``."""

    files: list[FileReport]
    summary: dict  # {"errors", "warnings", "info", "files", "examples", "unreadable", "cost_usd"}
    version: int = 1
    tool: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no file has errors and every file could be read (the CLI's exit 0)."""
        return not self.summary["errors"] and not self.summary["unreadable"]

    def diagnostics(self) -> Iterator[dict]:
        """Every diagnostic of every file, each with its file's ``path``."""
        for f in self.files:
            for d in f.diagnostics:
                yield {"path": f.path, **d}

    def to_dict(self) -> dict:
        return {"version": self.version, "tool": self.tool, "files": [f.to_dict() for f in self.files],
                "summary": self.summary}


class CollectingReporter(Reporter):
    """Keeps the run in memory as a :class:`Report` (the API's reporter)."""

    name = "collect"

    def __init__(self):
        super().__init__(None, None)
        self.files: list[FileReport] = []
        self.current: list[dict] = []
        self.report: Report | None = None

    def begin_file(self, path: str, role: str) -> None:
        self.current = []

    def problem(self, problem: Problem) -> None:
        self.current.append(diagnostic(problem))

    def end_file(self, result: FileResult) -> None:
        fields = file_fields(result)
        known = {k: fields.pop(k) for k in ("role", "format", "method", "examples", "lines", "error", "counts")}
        self.files.append(FileReport(path=result.path, diagnostics=self.current, stats=fields, **known))

    def finish(self, summary: RunSummary) -> None:
        head = report_head()
        self.report = Report(files=self.files, summary=summary_fields(summary), version=head["version"],
                             tool=head["tool"])


def _paths(value) -> list[str]:
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    return [os.fspath(v) for v in value]


def _selectors(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def lint(paths, model: str | None = None, validation=(), select=None, ignore=None, method: str | None = None,
         *, extend_select=None, config: str | os.PathLike | None = None, provider: str | None = None) -> Report:
    """Lint fine-tuning JSONL files and return the report.

    Args:
        paths: a path or an iterable of paths (``.jsonl`` or ``.jsonl.gz``).
        model: the model the data is for (snapshot, alias or ``ft:`` name).
        validation: a validation file path or paths (linted too; overlap reported).
        select: rule codes, prefixes or names to run instead of the default set.
        ignore: rule codes, prefixes or names to skip.
        method: ``"supervised"``, ``"dpo"`` or ``"reinforcement"`` (default: from the format).
        extend_select: rules to add to the selection.
        config: a ``ftlint.toml`` or ``pyproject.toml`` to read (default: none is read);
            arguments given here win over it, as on the command line.
        provider: the provider the data goes to (``"openai"``, ``"azure-openai"``...;
            default: the one that knows ``model``, else OpenAI). See ``ftlint --list-providers``.

    Returns:
        A :class:`Report`: ``files`` (one :class:`FileReport` each, with ``diagnostics``
        as in the JSON report: code, name, severity, line, column, json_path, message),
        ``summary`` (errors, warnings, info, files, examples, unreadable, cost_usd), ``ok``,
        and ``to_dict()`` (the JSON report document).

    Raises:
        ftlint.settings.ConfigError: an unknown rule selector or a bad config file.
    """
    rules = load_rules()
    settings: Config = discover(rules, os.fspath(config) if config is not None else None, isolated=True)
    if model is not None:
        settings.per_file_model = {}
    selection = merged_selection(settings, rules, _selectors(select) or None, _selectors(extend_select),
                                 _selectors(ignore))
    validation_paths = _paths(validation)
    pool = linter_pool(settings, selection, validation=bool(validation_paths), method=method or settings.method,
                       model=model or settings.model, epochs=settings.epochs, rate=settings.rate,
                       provider=provider or settings.provider, run_options={"n_evals": settings.n_evals})
    reporter = CollectingReporter()
    run_lint(pool, _paths(paths), validation_paths, reporter)
    return reporter.report


__all__ = ["lint", "Report", "FileReport", "CollectingReporter"]
