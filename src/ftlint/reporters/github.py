"""GitHub Actions workflow commands (annotations on the changed files).

GitHub shows at most 10 annotations per level per step, so the job log and the
step summary remain the full record; the summary line is printed as usual.
"""

from __future__ import annotations

from ftlint.problem import Level, Problem
from ftlint.reporters import RunSummary
from ftlint.reporters.text import TextReporter, level_counts, plural

COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(p: Problem) -> str:
    props = [f"file={escape_property(p.path)}"]
    if p.line is not None:
        props.append(f"line={p.line}")
        if p.column:
            props.append(f"col={p.column}")
    props.append(f"title={escape_property(f'ftlint {p.code} ({p.name})')}")
    where = f"{p.json_path}: " if p.json_path and p.json_path != "$" else ""
    return f"::{COMMAND[p.level]} {','.join(props)}::{escape_data(where + p.message)}"


class GithubReporter(TextReporter):
    name = "github"

    def problem(self, problem: Problem) -> None:
        self.out.write(annotation(problem) + "\n")

    def finish(self, summary: RunSummary) -> None:
        super().finish(summary)
