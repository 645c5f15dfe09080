"""Reporters: one module per output format, chosen by name.

The engine streams problems to the reporter as they are found, so no format
needs the whole run in memory (the JSON reporter writes its document
incrementally too).
"""

from __future__ import annotations

from typing import TextIO

from ftlint.record import Record, field
from ftlint.results import FileResult
from ftlint.escape import terminal
from ftlint.problem import Level, Problem, plural


class RunSummary(Record):
    files: int = 0
    examples: int = 0
    unreadable: int = 0
    levels: dict = field(factory=lambda: {Level.ERROR: 0, Level.WARNING: 0, Level.INFO: 0})
    codes: dict = field(factory=dict)
    # Estimated training cost summed over the training files that have one.
    cost_usd: float = 0.0
    costed_files: int = 0
    # The evaluations term of providers that bill the validation file per evaluation (Together AI).
    eval_cost_usd: float = 0.0
    eval_costed_files: int = 0
    #: The training method the first training file was linted for, and why when not the format's
    #: default (ftlint.method): --submit creates the job with this method.
    training_method: str | None = None
    training_method_note: str | None = None

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.role == "training" and self.training_method is None:
            self.training_method, self.training_method_note = result.method, result.method_note
        cost = result.stats.get("cost")
        if result.role == "training" and cost and cost.get("usd") is not None:
            self.cost_usd += cost["usd"]
            self.costed_files += 1
        elif cost and cost.get("evals") and cost.get("usd") is not None:
            self.eval_cost_usd += cost["usd"]
            self.eval_costed_files += 1
        self.examples += result.examples
        if result.error:
            self.unreadable += 1
        for level, n in result.levels.items():
            self.levels[level] += n
        for code, n in result.codes.items():
            self.codes[code] = self.codes.get(code, 0) + n

    @property
    def problems(self) -> int:
        return sum(self.levels.values())

    @property
    def total_cost_usd(self) -> float:
        """Training plus evaluations (the latter only where the provider bills them)."""
        return self.cost_usd + self.eval_cost_usd

    def cost_sentence(self) -> str | None:
        """The run's estimated cost in words, with both terms where the provider bills evaluations; None: no figure."""
        if self.eval_costed_files:
            return (f"Estimated job cost: ${self.cost_usd:,.2f} training ({plural(self.costed_files, 'training file')})"
                    f" + ${self.eval_cost_usd:,.2f} evaluations ({plural(self.eval_costed_files, 'validation file')})"
                    f" = ${self.total_cost_usd:,.2f}")
        if self.costed_files:
            return f"Estimated training cost of the {plural(self.costed_files, 'training file')}: ${self.cost_usd:,.2f}"
        return None


class Reporter:
    """Base reporter. Subclasses override what their format needs."""

    name = "base"

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False, strict: bool = False,
                 show_all: bool = False, color: bool = False):
        from ftlint.terminal import Style

        self.out = out
        self.err = err
        self.quiet = quiet
        self.strict = strict
        self.show_all = show_all  # human formats: list every problem, none folded
        self.style = Style(color)  # human formats on a terminal (--color)

    def begin_file(self, path: str, role: str) -> None:
        pass

    def problem(self, problem: Problem) -> None:
        pass

    def end_file(self, result: FileResult) -> None:
        if result.error:
            self.err.write(f"ftlint: error: {terminal(result.error)}\n")

    def finish(self, summary: RunSummary) -> None:
        pass


#: Where the generated per-rule pages (docs/rules/<CODE>.md) are published.
RULE_DOCS_URL = "https://github.com/ftlint/ftlint/blob/main/docs/rules/{code}.md"


def shown_column(p: Problem) -> int | None:
    """The column every output gives a problem: its own, else 1 (the start) for a problem about a whole line.

    Text output always showed ``path:line:1`` for a record or dataset problem on a line while JSON said
    ``"column": null`` and SARIF gave no startColumn; a file-level problem (no line) has no column anywhere.
    """
    if p.line is None:
        return None
    return p.column or 1


def rule_url(rule) -> str | None:
    """The documentation page of a built-in rule (plugins document themselves)."""
    return RULE_DOCS_URL.format(code=rule.code) if rule.owner == "ftlint" else None


def rule_table() -> dict:
    """All registered rules by code, for formats that describe rules (SARIF, statistics)."""
    from ftlint.rules import load_rules

    return load_rules()


#: Output format -> (module, class); a run imports only the reporter it uses.
_REPORTERS = {
    "text": ("text", "TextReporter"),
    "concise": ("concise", "ConciseReporter"),
    "json": ("json_report", "JsonReporter"),
    "github": ("github", "GithubReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "junit": ("junit", "JunitReporter"),
    "html": ("html", "HtmlReporter"),
}


def get_reporter(name: str) -> type[Reporter]:
    from importlib import import_module

    try:
        module, attribute = _REPORTERS[name]
    except KeyError:
        raise ValueError(f'unknown output format "{name}" (choose from {", ".join(_REPORTERS)})') from None
    return getattr(import_module(f"ftlint.reporters.{module}"), attribute)


REPORTER_NAMES = tuple(_REPORTERS)
