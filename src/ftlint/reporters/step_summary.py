"""Markdown job summary for GitHub Actions (``$GITHUB_STEP_SUMMARY``).

It holds the total, a table of the files with their counts, billed tokens and cost (and the
totals across files), the counts per rule, a Mermaid chart of token lengths over all files,
and per file the model, token and cost lines worded as in the text report and the first
problems, each linked to its line at the commit (``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/
$GITHUB_SHA/<file>#L<line>``). When it lists only some problems it says so and points to the
job log, which has them all.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from ftlint.results import FileResult
from ftlint.escape import markdown, markdown_code
from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Level, Problem
from ftlint.reporters import RunSummary
from ftlint.reporters.text import level_counts, message_with_path, plural, total_line

EXAMPLES_PER_FILE = 5
#: The text report's statistics lines the summary repeats (the histogram is drawn as a chart).
STAT_LINE_PREFIXES = ("model:", "tokens:", "images:", "classes", "cost:")
ANNOTATION_LIMIT = "GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job)"


def cell(text: object) -> str:
    """Text shown literally in the summary, also inside a table cell: no link, image, tag or cell break."""
    return markdown(text)


def line_links() -> tuple[str, str] | None:
    """(blob URL prefix, workspace) when the job's repository and commit are known."""
    server, repo, sha = (os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if not (repo and sha):
        return None
    return f"{server or 'https://github.com'}/{repo}/blob/{sha}/", os.environ.get("GITHUB_WORKSPACE") or os.getcwd()


class StepSummary:
    """Collects what the summary needs while problems stream by (bounded per file)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.rule_levels: dict[str, set] = {}
        self.files: list[str] = []
        self.rows: list[str] = []
        self.examples: list[Problem] = []
        self.folded = False
        self.billed: int | None = None  # None: no training file's tokens counted
        self.buckets: dict[tuple[int, int], int] = {}
        self.caps: set[int] = set()
        self.links = line_links()

    def begin_file(self) -> None:
        self.examples = []

    def problem(self, p: Problem) -> None:
        self.names[p.code] = p.name
        self.rule_levels.setdefault(p.code, set()).add(p.level)
        if len(self.examples) < EXAMPLES_PER_FILE:
            self.examples.append(p)

    def _where(self, p: Problem) -> str:
        label = f"line {p.line}" if p.line is not None else "file"
        if self.links is None:
            return label
        prefix, workspace = self.links
        relative = os.path.relpath(os.path.abspath(p.path), workspace)
        if relative.startswith(".."):
            return label
        anchor = f"#L{p.line}" if p.line is not None else ""
        return f"[{label}]({prefix}{quote(relative.replace(os.sep, '/'))}{anchor})"

    def end_file(self, result: FileResult) -> None:
        role = " (validation)" if result.role == "validation" else ""
        lines = [f"### {markdown_code(result.path)}{role}", ""]
        if result.error:
            lines += [f"Could not be read: {cell(result.error)}", ""]
            self.rows.append(f"| {cell(result.path)} | unreadable | | | | | |")
            self.files.append("\n".join(lines))
            return
        fmt = FORMAT_TITLES.get(result.format, "format unknown")
        lines += [f"{fmt}, {plural(result.examples, 'example')}; {level_counts(result.levels)}", ""]
        stat_lines = [line for line in result.stats.get("text_lines", ()) if line.startswith(STAT_LINE_PREFIXES)]
        if stat_lines:
            # Class labels come from the data: nothing in them may close the fence.
            lines += ["```text", *(line.replace("`", "'") for line in stat_lines), "```", ""]
        for p in self.examples:
            lines.append(f"- {self._where(p)}: **{p.code}** ({p.level}) {cell(message_with_path(p))}")
        if result.problems > len(self.examples):
            self.folded = True
            lines.append(f"- ... and {result.problems - len(self.examples):,} more in the job log")
        if self.examples:
            lines.append("")
        self.files.append("\n".join(lines))
        tokens = result.stats.get("tokens") or {}
        cost = result.stats.get("cost") or {}
        billed = tokens.get("billed") if result.role == "training" else None
        if billed is not None:
            self.billed = (self.billed or 0) + billed
        usd = cost.get("usd") if result.role == "training" or cost.get("evals") else None
        self.rows.append(
            f"| {cell(result.path)} | {result.role} | {result.examples:,} | {result.levels.get(Level.ERROR, 0):,} | "
            f"{result.levels.get(Level.WARNING, 0):,} | {'' if billed is None else f'{billed:,}'} | "
            f"{'' if usd is None else f'${usd:,.2f}'} |")
        histogram = result.stats.get("token_histogram")
        if histogram:
            self.caps.add(histogram["cap"])
            for low, high, count in histogram["buckets"]:
                self.buckets[(low, high)] = self.buckets.get((low, high), 0) + count

    def _chart(self) -> list[str]:
        if not self.buckets:
            return []
        ordered = sorted(self.buckets.items())
        labels = ", ".join(f'"{low:,}-{high:,}"' for (low, high), _ in ordered)
        counts = ", ".join(str(n) for _, n in ordered)
        caps = ", ".join(f"{cap:,}" for cap in sorted(self.caps))
        return ["```mermaid", "xychart-beta", '    title "Examples per token length (all files)"',
                f"    x-axis [{labels}]", '    y-axis "examples"', f"    bar [{counts}]", "```", "",
                f"Token cap of the model{'s' if len(self.caps) > 1 else ''}: {caps}.", ""]

    def markdown(self, summary: RunSummary) -> str:
        parts = ["## ftlint", "", total_line(summary), ""]
        if self.rows:
            cost = f"${summary.total_cost_usd:,.2f}" if summary.cost_sentence() else ""
            parts += ["| File | Role | Examples | Errors | Warnings | Billed tokens | Cost |",
                      "| --- | --- | ---: | ---: | ---: | ---: | ---: |", *self.rows,
                      f"| **total** ({plural(summary.files, 'file')}) | | **{summary.examples:,}** | "
                      f"**{summary.levels[Level.ERROR]:,}** | **{summary.levels[Level.WARNING]:,}** | "
                      f"{'' if self.billed is None else f'**{self.billed:,}**'} | {f'**{cost}**' if cost else ''} |", ""]
        if summary.cost_sentence():
            parts += [f"{summary.cost_sentence()} (as in the text report: billed tokens x epochs x rate"
                      f"{', plus validation tokens x evaluations' if summary.eval_costed_files else ''}).", ""]
        counted = sorted(((n, c) for c, n in summary.codes.items() if n), key=lambda x: (-x[0], x[1]))
        if counted:
            parts += ["| Rule | Name | Level | Count |", "| --- | --- | --- | ---: |"]
            for n, code in counted:
                levels = "/".join(str(lv) for lv in sorted(self.rule_levels.get(code, ()), reverse=True))
                parts.append(f"| {code} | {cell(self.names.get(code, ''))} | {levels} | {n:,} |")
            parts.append("")
        parts += self._chart()
        parts += self.files
        listed = ("This summary lists every problem." if not self.folded else
                  f"This summary lists the first {EXAMPLES_PER_FILE} problems of each file; "
                  f"the job log lists all {summary.problems:,}.")
        parts += ["> [!NOTE]", f"> {listed} {ANNOTATION_LIMIT}; the job log has every one.", ""]
        return "\n".join(parts) + "\n"


def write_step_summary(path: str, text: str) -> None:
    # Appended: other steps of the job write to the same file.
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def write_outputs(path: str, summary: RunSummary, billed: int | None) -> None:
    """Step outputs (``$GITHUB_OUTPUT``) for later steps: errors, warnings, examples, billed-tokens (empty
    when no training file's tokens were counted: a missing tokenizer package is not 0 tokens), cost."""
    values = {
        "errors": summary.levels[Level.ERROR], "warnings": summary.levels[Level.WARNING],
        "examples": summary.examples, "billed-tokens": "" if billed is None else billed,
        "cost": f"{summary.total_cost_usd:.2f}" if summary.cost_sentence() else "",
    }
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("".join(f"{key}={value}\n" for key, value in values.items()))
