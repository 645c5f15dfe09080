"""GitHub Actions workflow commands (annotations on the changed files).

GitHub shows at most 10 annotations per level per step, so the job log remains
the full record; the summary line is printed as usual. When
``$GITHUB_STEP_SUMMARY`` is set, a Markdown summary is appended to it (see
:mod:`ftlint.reporters.step_summary`); when ``$GITHUB_OUTPUT`` is set, the step
outputs errors, warnings, examples, billed-tokens and cost.
"""

from __future__ import annotations

import os

from ftlint.escape import github_message, github_property
from ftlint.problem import Level, Problem
from ftlint.reporters import RunSummary, shown_column
from ftlint.results import FileResult
from ftlint.reporters.step_summary import StepSummary, write_outputs, write_step_summary
from ftlint.reporters.text import TextReporter, message_with_path

COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


escape_data = github_message  # the names this module used before ftlint.escape
escape_property = github_property


def annotation(p: Problem) -> str:
    props = [f"file={escape_property(p.path)}"]
    if p.line is not None:
        props.append(f"line={p.line}")
        props.append(f"col={shown_column(p)}")
    props.append(f"title={escape_property(f'ftlint {p.code} ({p.name})')}")
    return f"::{COMMAND[p.level]} {','.join(props)}::{escape_data(message_with_path(p))}"


class GithubReporter(TextReporter):
    name = "github"
    shown_per_rule = None  # the job log is the full record (annotations are capped by GitHub)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Annotations go to the stream itself; the text report's lines go through text.NoCommands.
        self.commands = self.out.raw
        self.summary_path = os.environ.get("GITHUB_STEP_SUMMARY") or None
        self.output_path = os.environ.get("GITHUB_OUTPUT") or None
        self.step_summary = StepSummary() if self.summary_path else None
        self.billed: int | None = None

    def leave_job_files(self) -> None:
        """Write no job summary and no step outputs: another github report of the same run writes them
        (--format github --also-output github:F wrote "## ftlint" and every output twice)."""
        self.summary_path = self.output_path = self.step_summary = None

    def begin_file(self, path: str, role: str) -> None:
        if self.step_summary:
            self.step_summary.begin_file()

    def problem(self, problem: Problem) -> None:
        self.commands.write(annotation(problem) + "\n")
        if self.step_summary:
            self.step_summary.problem(problem)

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)
        if result.error:  # an unreadable input is annotated too, not only logged
            title = escape_property("ftlint: input could not be read")
            self.commands.write(f"::error file={escape_property(result.path)},title={title}::"
                                f"{escape_data(result.error)}\n")
        billed = (result.stats.get("tokens") or {}).get("billed") if result.role == "training" else None
        if billed is not None:  # (None: the tokens were not counted; billed-tokens stays empty if none were)
            self.billed = (self.billed or 0) + billed
        if self.step_summary:
            self.step_summary.end_file(result)

    def finish(self, summary: RunSummary) -> None:
        super().finish(summary)
        if self.step_summary:
            write_step_summary(self.summary_path, self.step_summary.markdown(summary))
        if self.output_path:
            write_outputs(self.output_path, summary, self.billed)
