"""``--statistics``: one row per rule, most frequent first (ruff's layout)::

    12  FT403  [*] duplicate-example

``[*]`` marks rules ``--fix`` can fix, ``[!]`` those that need ``--unsafe-fixes``, where a
problem of the run is one the fix rewrites: ``--fix`` rewrites lines, so a file-level problem of
a fixable rule (FT204's "prompts share no common separator") offers no fix and gets no mark.
Replaces the per-problem output, whatever the format.
"""

from __future__ import annotations

from ftlint.reporters import Reporter, RunSummary, rule_table
from ftlint.reporters.text import styled_total_line
from ftlint.terminal import PLAIN, Style

FIX_MARK = {"safe": "[*]", "unsafe": "[!]"}


def statistics_rows(codes: dict[str, int], rules: dict, style: Style = PLAIN,
                    on_lines: set[str] | None = None) -> list[str]:
    """The rows; ``on_lines``: the codes with a problem on a line (None: mark every fixable rule)."""
    ordered = sorted(((n, code) for code, n in codes.items() if n), key=lambda item: (-item[0], item[1]))
    if not ordered:
        return []
    width = len(str(ordered[0][0]))
    rows = []
    for n, code in ordered:
        rule = rules.get(code)
        fixed = rule is not None and (on_lines is None or code in on_lines)
        mark = FIX_MARK.get(rule.fixable, "   ") if fixed else "   "
        name = rule.name if rule else ""
        rows.append(f"{style(f'{n:>{width}}', 'bold')}  {style(code, 'red', 'bold')}{'':<{6 - len(code)}} "
                    f"{style(mark, 'cyan') if mark.strip() else mark} {name}".rstrip())
    return rows


class _LineCodes(Reporter):
    """Remembers the codes that had a problem on a line: only those can --fix rewrite."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_lines: set[str] = set()

    def problem(self, problem) -> None:
        if problem.line is not None:
            self.on_lines.add(problem.code)


class StatisticsReporter(_LineCodes):
    name = "statistics"

    def finish(self, summary: RunSummary) -> None:
        for row in statistics_rows(summary.codes, rule_table(), self.style, self.on_lines):
            self.out.write(row + "\n")
        self.out.write(styled_total_line(summary, self.style) + "\n")


class JsonStatisticsReporter(_LineCodes):
    """``--statistics --format json``: ruff's layout, a JSON array of {code, name, count, fixable}."""

    name = "statistics-json"

    def finish(self, summary: RunSummary) -> None:
        from ftlint.listing import Listing

        rules = rule_table()
        ordered = sorted(((n, code) for code, n in summary.codes.items() if n), key=lambda item: (-item[0], item[1]))
        rows = [{"code": code, "name": rules[code].name if code in rules else None, "count": n,
                 "fixable": rules[code].fixable if code in rules and code in self.on_lines else None}
                for n, code in ordered]
        Listing([], rows).write(self.out, "json")
