"""Command line: ``ftlint [options] FILE...`` (and ``ftlint --submit [options] FILE...``).

Parses arguments into a Selection and a Linter, runs it, and maps the outcome
to an exit code: 0 clean (warnings allowed), 1 problems (errors; warnings too
with --strict), 2 usage, configuration or unreadable input. No lint logic here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence, TextIO

from ftlint import __version__, grader_keys
from ftlint.engine import TRAINING, VALIDATION, Linter, RunContext
from ftlint.formats import METHODS
from ftlint.problem import Level
from ftlint.reporters import REPORTER_NAMES, Reporter, RunSummary, get_reporter
from ftlint.rules import RegistryError, Rule, load_rules
from ftlint.settings import ConfigError, Selection, resolve_rule

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def _split_list(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ftlint",
        description="Lint fine-tuning JSONL datasets (OpenAI chat, prompt/completion and preference formats).",
        epilog="Exit codes: 0 no errors, 1 problems found, 2 usage/config/unreadable input.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="JSONL files (.jsonl, .jsonl.gz) or - for stdin")
    p.add_argument("--version", action="version", version=f"ftlint {__version__}")
    g = p.add_argument_group("dataset")
    g.add_argument("--model", help="model snapshot, alias or ft: name the data is for")
    g.add_argument("--method", choices=METHODS, help="training method (default: from the file's format)")
    g.add_argument("--validation", action="append", metavar="FILE", help="validation file (linted too; overlap reported)")
    r = p.add_argument_group("rules")
    r.add_argument("--select", action="append", metavar="CODES", help="only these rules (code, prefix or name; comma-separated)")
    r.add_argument("--extend-select", action="append", metavar="CODES", help="add these rules to the selection")
    r.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    r.add_argument("--list-rules", action="store_true", help="list all rules and exit")
    r.add_argument("--explain", metavar="CODE", help="print a rule's documentation and exit")
    o = p.add_argument_group("output")
    o.add_argument("--format", "--output-format", dest="format", choices=REPORTER_NAMES, default="text")
    o.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    o.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found (never hides exit 2)")
    o.add_argument("-q", "--quiet", action="store_true", help="problems and the total line only")
    return p


def list_rules(rules: dict[str, Rule], out: TextIO) -> None:
    out.write(f"{'code':<7} {'name':<30} {'level':<8} {'fix':<4} summary\n")
    for rule in rules.values():
        fix = {"safe": "[*]", "unsafe": "[!]"}.get(rule.fixable, "")
        off = "" if rule.enabled else " (opt-in)"
        out.write(f"{rule.code:<7} {rule.name:<30} {str(rule.level):<8} {fix:<4} {rule.summary}{off}\n")


def explain(rule: Rule) -> str:
    scope = {"line": "each line", "record": "each example", "dataset": "the whole file"}[rule.scope]
    header = [
        f"# {rule.code} {rule.name}",
        "",
        f"Level: {rule.level} · Checks: {scope} · Formats: {', '.join(rule.formats) or 'all'}"
        + (f" · Methods: {', '.join(rule.methods)}" if rule.methods else "")
        + f" · Fix: {rule.fixable or 'none'}"
        + ("" if rule.enabled else " · Opt-in (enable with --select)"),
    ]
    if rule.options:
        opts = ", ".join(f"{k} = {rule.defaults[k]!r}" for k in rule.options)
        header.append(f"Options: {opts}")
    return "\n".join(header) + "\n\n" + rule.doc.strip() + "\n"


def make_selection(args, rules: dict[str, Rule]) -> Selection:
    select = _split_list(args.select) or None
    return Selection(
        rules=rules,
        select=select,
        extend_select=_split_list(args.extend_select),
        ignore=_split_list(args.ignore),
    )


def run_lint(linter: Linter, files: Sequence[str], validation: Sequence[str], reporter: Reporter,
             displays: dict[str, str] | None = None) -> RunSummary:
    summary = RunSummary()
    for role, names in ((TRAINING, files), (VALIDATION, validation)):
        for name in names:
            display = (displays or {}).get(name)
            reporter.begin_file(display or ("<stdin>" if name == "-" else name), role)
            result = linter.lint_file(name, reporter, role=role, display=display)
            reporter.end_file(result)
            summary.add(result)
    reporter.finish(summary)
    return summary


def exit_code(summary: RunSummary, strict: bool, exit_zero: bool) -> int:
    if summary.unreadable:
        return EXIT_USAGE
    failing = summary.levels[Level.ERROR] + (summary.levels[Level.WARNING] if strict else 0)
    if failing and not exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        rules = load_rules()
        if args.list_rules:
            list_rules(rules, out)
            return EXIT_OK
        if args.explain:
            out.write(explain(resolve_rule(args.explain, rules)))
            return EXIT_OK
        if not args.files:
            raise UsageError("no files given (try: ftlint data/*.jsonl, or ftlint --help)")
        selection = make_selection(args, rules)
        validation = args.validation or []
        run = RunContext(options={"has_validation": bool(validation)})
        linter = Linter(selection, method=args.method, run=run, collectors=(grader_keys.collector,))
        reporter = get_reporter(args.format)(out, err, quiet=args.quiet, strict=args.strict)
        summary = run_lint(linter, args.files, validation, reporter)
        return exit_code(summary, args.strict, args.exit_zero)
    except (UsageError, ConfigError, RegistryError) as exc:
        err.write(f"ftlint: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("ftlint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def main_entry() -> None:
    raise SystemExit(main())
