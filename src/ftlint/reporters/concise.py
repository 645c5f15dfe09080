"""Concise report (ruff's ``concise``): ``path:line:col: CODE message``, one line each.

Grep- and editor-friendly: no per-file summary lines, just the total line.
A file-level problem (no line) is ``path: CODE message``.
"""

from __future__ import annotations

from ftlint.problem import Problem
from ftlint.reporters import Reporter, RunSummary
from ftlint.reporters.text import NoCommands, location, message_with_path, styled_total_line
from ftlint.terminal import LEVEL_STYLES, PLAIN, Style


def format_concise(p: Problem, style: Style = PLAIN) -> str:
    return f"{style(location(p), 'bold')}: {style(p.code, *LEVEL_STYLES[str(p.level)])} {message_with_path(p)}"


class ConciseReporter(Reporter):
    name = "concise"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.out = NoCommands(self.out)  # a line starts with its file's name (text.NoCommands)

    def problem(self, problem: Problem) -> None:
        self.out.write(format_concise(problem, self.style) + "\n")

    def finish(self, summary: RunSummary) -> None:
        self.out.write(styled_total_line(summary, self.style) + "\n")
