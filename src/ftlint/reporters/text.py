"""Human-readable report: one line per problem, a summary per file, a total line."""

from __future__ import annotations

from ftlint.results import FileResult
from ftlint.escape import terminal
from ftlint.problem import Level, Problem, plural
from ftlint.reporters import Reporter, RunSummary, shown_column
from ftlint.terminal import LEVEL_STYLES, PLAIN, Style


def location(p: Problem) -> str:
    if p.line is None:
        return terminal(p.path)
    return f"{terminal(p.path)}:{p.line}:{shown_column(p)}"


def message_with_path(p: Problem) -> str:
    """The message, prefixed by the JSON path inside the record when there is one; one printable line."""
    where = f"{p.json_path}: " if p.json_path and p.json_path != "$" else ""
    return terminal(where + p.message)


def format_problem(p: Problem, style: Style = PLAIN) -> str:
    level = str(p.level)
    return (f"{style(location(p), 'bold')}: {style(p.code, *LEVEL_STYLES[level])} [{style(level, *LEVEL_STYLES[level])}] "
            f"{message_with_path(p)}")


def level_counts(levels) -> str:
    return (
        f"{plural(levels.get(Level.ERROR, 0), 'error')}, {plural(levels.get(Level.WARNING, 0), 'warning')}, "
        f"{levels.get(Level.INFO, 0):,} info"
    )


def total_line(summary: RunSummary) -> str:
    files = plural(summary.files, "file")
    examples = plural(summary.examples, "example")
    unreadable = f"; {plural(summary.unreadable, 'file')} could not be read" if summary.unreadable else ""
    if summary.problems:
        return f"Found {plural(summary.problems, 'problem')} ({level_counts(summary.levels)}) in {files} ({examples}){unreadable}."
    if summary.unreadable:
        return f"No problems in the files that were read ({examples}){unreadable}."
    return f"All checks passed: {files}, {examples}."


def styled_total_line(summary: RunSummary, style: Style = PLAIN) -> str:
    """The total line, red when there are errors and green otherwise (on a coloured terminal)."""
    return style(total_line(summary), "bold", "red" if summary.levels[Level.ERROR] else "green")


#: Problems of one rule listed per file before the rest are folded into one
#: line: a rule that fires on every line (a legacy-format file, RFT data linted
#: as supervised) would otherwise bury everything else. --show-all lists all;
#: the machine formats always do.
SHOWN_PER_RULE = 20


class NoCommands:
    """The text report's lines, kept from being read as CI workflow commands: GitHub Actions takes a line
    that starts with "::" as one, and a problem's line starts with its file's name, so a file named
    "::stop-commands::x.jsonl" silenced every annotation after it (in the github format, and in any
    job log the text format reaches). Such a line's leading "::" is written "%3A%3A" (a command
    property's escape); nothing else changes."""

    def __init__(self, out):
        self._out = out
        self.raw = out  # for the github format's own workflow commands

    def write(self, text: str) -> int:
        if "::" in text:
            text = "".join(_defused(line) for line in text.splitlines(keepends=True))
        return self._out.write(text)

    def __getattr__(self, name):  # flush, isatty, encoding...: the stream's own
        return getattr(self._out, name)


def _defused(line: str) -> str:
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    at = len(line) - len(stripped)
    return line[:at] + "%3A%3A" + stripped[2:]


class TextReporter(Reporter):
    name = "text"
    #: None: list every problem (formats whose readers need all of them).
    shown_per_rule: int | None = SHOWN_PER_RULE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.out = NoCommands(self.out)

    def begin_file(self, path: str, role: str) -> None:
        self.shown: dict[str, int] = {}

    def problem(self, problem: Problem) -> None:
        limit = None if self.show_all else self.shown_per_rule
        if limit is not None:
            shown = self.shown[problem.code] = self.shown.get(problem.code, 0) + 1
            if shown > limit:
                return
        self.out.write(format_problem(problem, self.style) + "\n")

    def _folded(self, result: FileResult) -> None:
        limit = None if self.show_all else self.shown_per_rule
        if limit is None:
            return
        for code, n in sorted(result.codes.items()):
            if n > limit:
                self.out.write(f"{terminal(result.path)}: ... and {n - limit:,} more {code} problems (--show-all lists them)\n")

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)
        self._folded(result)
        if result.error or self.quiet:
            return
        from ftlint.formats import FORMAT_TITLES  # not before: a quiet re-run the result cache answers needs none
        from ftlint.method import METHOD_TITLES

        fmt = FORMAT_TITLES.get(result.format, "format unknown")
        role = " (validation)" if result.role == "validation" else ""
        head = f"{terminal(result.path)}{role}: {fmt}, {plural(result.examples, 'example')}"
        if result.method_note:
            method = METHOD_TITLES.get(result.method, result.method)
            head += f", linted as {method} ({terminal(result.method_note)})"
        if result.problems:
            top = ", ".join(f"{code} x{n:,}" for code, n in result.codes.most_common(8))
            more = ", ..." if len(result.codes) > 8 else ""
            head += f"; {level_counts(result.levels)} ({top}{more})"
        else:
            head += "; no problems"
        self.out.write(head + "\n")
        for line in result.stats.get("text_lines", ()):
            self.out.write(f"  {terminal(line)}\n")
        grader_keys = result.stats.get("grader_keys")
        if grader_keys:
            keys = ", ".join(f"{terminal(key)} ({n:,})" for key, n in grader_keys.items())
            self.out.write(f"  grader keys (examples that have each): {keys}\n")

    def finish(self, summary: RunSummary) -> None:
        # One training file's cost is already its cost line; more files, or an evaluations term, get a total.
        if (summary.costed_files > 1 or summary.eval_costed_files) and not self.quiet:
            self.out.write(summary.cost_sentence() + "\n")
        self.out.write(styled_total_line(summary, self.style) + "\n")
