"""Markdown job summary for GitHub Actions (``$GITHUB_STEP_SUMMARY``).

GitHub shows at most 10 annotations per level per step (50 per job), so a
large dataset's annotations are cut short; this summary and the job log are
the full record. It holds the total, counts per rule, the first problems of
each file, and whatever statistics the collectors left in ``FileResult.stats``
(token counts, the cost estimate), rendered generically: a dict becomes a
table, a list of strings a list, anything else one line.
"""

from __future__ import annotations

from ftlint.engine import FileResult
from ftlint.escape import markdown, markdown_code
from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Problem
from ftlint.reporters import RunSummary
from ftlint.reporters.text import level_counts, message_with_path, plural, total_line

EXAMPLES_PER_FILE = 5
#: Stats keys that are only for the text reporter.
TEXT_ONLY_STATS = {"text_lines"}
ANNOTATION_NOTE = (
    "> [!NOTE]\n"
    "> GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job). "
    "The job log and this summary are the full record."
)


def cell(text: object) -> str:
    """Text shown literally in the summary, also inside a table cell: no link, image, tag or cell break."""
    return markdown(text)


def render_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return cell(value)


def render_stat(key: str, value: object) -> list[str]:
    title = key.replace("_", " ")
    if isinstance(value, dict):
        rows = [f"**{cell(title)}**", "", "| | |", "| --- | ---: |"]
        rows += [f"| {cell(str(k).replace('_', ' '))} | {render_value(v)} |" for k, v in value.items()]
        return rows + [""]
    if isinstance(value, list):
        return [f"**{cell(title)}**", ""] + [f"- {cell(v)}" for v in value] + [""]
    return [f"**{cell(title)}**: {render_value(value)}", ""]


class StepSummary:
    """Collects what the summary needs while problems stream by (bounded per file)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.rule_levels: dict[str, set] = {}
        self.files: list[str] = []
        self.examples: list[Problem] = []

    def begin_file(self) -> None:
        self.examples = []

    def problem(self, p: Problem) -> None:
        self.names[p.code] = p.name
        self.rule_levels.setdefault(p.code, set()).add(p.level)
        if len(self.examples) < EXAMPLES_PER_FILE:
            self.examples.append(p)

    def end_file(self, result: FileResult) -> None:
        role = " (validation)" if result.role == "validation" else ""
        lines = [f"### {markdown_code(result.path)}{role}", ""]
        if result.error:
            lines += [f"Could not be read: {cell(result.error)}", ""]
            self.files.append("\n".join(lines))
            return
        fmt = FORMAT_TITLES.get(result.format, "format unknown")
        lines += [f"{fmt}, {plural(result.examples, 'example')}; {level_counts(result.levels)}", ""]
        for p in self.examples:
            where = f"line {p.line}" if p.line is not None else "file"
            lines.append(f"- {where}: **{p.code}** ({p.level}) {cell(message_with_path(p))}")
        if result.problems > len(self.examples):
            lines.append(f"- ... and {result.problems - len(self.examples):,} more (see the job log)")
        if self.examples:
            lines.append("")
        for key, value in result.stats.items():
            if key not in TEXT_ONLY_STATS:
                lines += render_stat(key, value)
        self.files.append("\n".join(lines))

    def markdown(self, summary: RunSummary) -> str:
        parts = ["## ftlint", "", total_line(summary), ""]
        counted = sorted(((n, c) for c, n in summary.codes.items() if n), key=lambda x: (-x[0], x[1]))
        if counted:
            parts += ["| Rule | Name | Level | Count |", "| --- | --- | --- | ---: |"]
            for n, code in counted:
                levels = "/".join(str(lv) for lv in sorted(self.rule_levels.get(code, ()), reverse=True))
                parts.append(f"| {code} | {cell(self.names.get(code, ''))} | {levels} | {n:,} |")
            parts.append("")
        parts += self.files
        parts += [ANNOTATION_NOTE, ""]
        return "\n".join(parts) + "\n"


def write_step_summary(path: str, text: str) -> None:
    # Appended: other steps of the job write to the same file.
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)



