"""JUnit XML report: one ``<testsuite>`` per file, one failed ``<testcase>`` per rule code.

A file without problems gets one passing test case, so CI dashboards list it;
an unreadable file is a test case with an ``<error>``. A failure's text lists
each problem on its own line (``line 12: message``). Problems are grouped per
file only (the file's suite is written when the file ends).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ftlint.results import FileResult
from ftlint.escape import terminal
from ftlint.problem import Problem
from ftlint.reporters import Reporter, RunSummary
from ftlint.reporters.text import message_with_path, plural


def xml_text(text: str) -> str:
    """One printable line (ftlint.escape.terminal), which XML 1.0 can always hold."""
    return terminal(text)


def _case(classname: str, name: str, inner: str = "") -> str:
    attrs = f"classname={quoteattr(xml_text(classname))} name={quoteattr(name)}"
    return f"    <testcase {attrs}>{inner}</testcase>\n" if inner else f"    <testcase {attrs}/>\n"


#: Problems of one rule listed in a file's failure text; the rest are counted (memory must not grow with them).
LISTED_PER_RULE = 1000


class JunitReporter(Reporter):
    name = "junit"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_code: dict[str, list[Problem]] = {}  # the first LISTED_PER_RULE problems of each rule
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ftlint">\n')

    def begin_file(self, path: str, role: str) -> None:
        self.by_code = {}

    def problem(self, problem: Problem) -> None:
        listed = self.by_code.setdefault(problem.code, [])
        if len(listed) < LISTED_PER_RULE:
            listed.append(problem)

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)
        cases = []
        if result.error:
            cases.append(_case(result.path, "readable", f'<error message={quoteattr(xml_text(result.error))}/>'))
        for code, problems in sorted(self.by_code.items()):
            # One line per problem; message_with_path has escaped each message to one printable line.
            text = "\n".join(
                f"{'line ' + str(p.line) if p.line is not None else 'file'}: {message_with_path(p)}" for p in problems
            )
            total = max(result.codes.get(code, 0), len(problems))
            if total > len(problems):
                text += f"\n... and {total - len(problems):,} more (the text or JSON report lists them all)"
            head = f"{plural(total, 'problem')} ({problems[0].level})"
            failure = f"<failure type={quoteattr(code)} message={quoteattr(head)}>{escape(text)}</failure>"
            cases.append(_case(result.path, f"{code} {problems[0].name}", failure))
        if not cases:
            cases.append(_case(result.path, "ftlint"))
        failures = len(self.by_code)
        errors = 1 if result.error else 0
        self.out.write(
            f"  <testsuite name={quoteattr(xml_text(result.path))} tests=\"{len(cases)}\" failures=\"{failures}\" "
            f"errors=\"{errors}\">\n{''.join(cases)}  </testsuite>\n"
        )
        self.by_code = {}

    def finish(self, summary: RunSummary) -> None:
        self.out.write("</testsuites>\n")
