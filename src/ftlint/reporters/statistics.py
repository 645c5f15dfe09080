"""``--statistics``: one row per rule, most frequent first (ruff's layout)::

    12  FT403  [*] duplicate-example

``[*]`` marks rules ``--fix`` can fix, ``[!]`` those that need ``--unsafe-fixes``.
Replaces the per-problem output, whatever the format.
"""

from __future__ import annotations

from ftlint.reporters import Reporter, RunSummary, rule_table
from ftlint.reporters.text import styled_total_line
from ftlint.terminal import PLAIN, Style

FIX_MARK = {"safe": "[*]", "unsafe": "[!]"}


def statistics_rows(codes: dict[str, int], rules: dict, style: Style = PLAIN) -> list[str]:
    ordered = sorted(((n, code) for code, n in codes.items() if n), key=lambda item: (-item[0], item[1]))
    if not ordered:
        return []
    width = len(str(ordered[0][0]))
    rows = []
    for n, code in ordered:
        rule = rules.get(code)
        mark = FIX_MARK.get(rule.fixable, "   ") if rule else "   "
        name = rule.name if rule else ""
        rows.append(f"{style(f'{n:>{width}}', 'bold')}  {style(code, 'red', 'bold')}{'':<{6 - len(code)}} "
                    f"{style(mark, 'cyan') if mark.strip() else mark} {name}".rstrip())
    return rows


class StatisticsReporter(Reporter):
    name = "statistics"

    def finish(self, summary: RunSummary) -> None:
        for row in statistics_rows(summary.codes, rule_table(), self.style):
            self.out.write(row + "\n")
        self.out.write(styled_total_line(summary, self.style) + "\n")


class JsonStatisticsReporter(Reporter):
    """``--statistics --format json``: ruff's layout, a JSON array of {code, name, count, fixable}."""

    name = "statistics-json"

    def finish(self, summary: RunSummary) -> None:
        from ftlint.listing import Listing

        rules = rule_table()
        ordered = sorted(((n, code) for code, n in summary.codes.items() if n), key=lambda item: (-item[0], item[1]))
        rows = [{"code": code, "name": rules[code].name if code in rules else None, "count": n,
                 "fixable": rules[code].fixable if code in rules else None} for n, code in ordered]
        Listing([], rows).write(self.out, "json")
