"""Command line: ``ftlint [options] FILE...`` (and ``ftlint --submit [options] FILE...``).

Parses arguments into a Selection and a Linter, runs it, and maps the outcome
to an exit code: 0 clean (warnings allowed), 1 problems (errors; warnings too
with --strict), 2 usage, configuration or unreadable input. No lint logic here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence, TextIO

from ftlint import __version__, submit
from ftlint.catalog import Catalog, CatalogError, UnknownModel, shipped_catalog
from ftlint.counting import TokenCounter
from ftlint.engine import TRAINING, VALIDATION, Linter, RunContext
from ftlint.formats import METHODS
from ftlint.problem import Level
from ftlint.reporters import REPORTER_NAMES, Reporter, RunSummary, get_reporter
from ftlint.rules import RegistryError, Rule, load_rules
from ftlint.settings import ConfigError, Selection, resolve_rule
from ftlint.stats_file import ExampleStatsWriter, StatsFileError
from ftlint.token_stats import token_hooks
from ftlint.tokenizer import TokenizerDataError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def _split_list(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value


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
    g.add_argument("--epochs", type=_positive_int, metavar="N", help="training epochs (default: OpenAI's auto rule)")
    g.add_argument("--rate", type=_non_negative_float, metavar="USD", help="training price per 1M tokens (default: catalog)")
    g.add_argument("--list-models", action="store_true", help="list the models ftlint knows (caps, prices, status) and exit")
    g.add_argument("--stats", metavar="FILE", help="write per-example token counts to FILE (.parquet, .csv or .jsonl)")
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
    submit.add_arguments(p)
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


def _marked(text: str, confirmed: bool) -> str:
    return text if confirmed else text + "?"


def list_models(catalog: Catalog, out: TextIO) -> None:
    """The catalog as a table; "?" marks values no official source confirms."""
    out.write(f"{'model':<34} {'encoding':<12} {'cap':>8}  {'formats / methods':<44} {'price':<14} status\n")
    for m in catalog.models:
        cap = _marked(f"{m.token_cap:,}", m.token_cap_confirmed)
        kinds = f"{','.join(m.formats)} / {','.join(m.methods)}"
        if m.training_price_usd is None:
            price = "?"
        else:
            unit = "/1M" if m.training_price_per == "1M tokens" else "/hour"
            price = _marked(f"${m.training_price_usd:,.2f}{unit}", m.training_price_confirmed)
        status = m.status
        if m.shutdown_date is not None:
            date = _marked(m.shutdown_date.isoformat(), m.shutdown_confirmed)
            status += f" {date}" if m.status == "shut down" else f", shutdown {date}"
        default = " (default)" if m.id == catalog.default.id else ""
        out.write(f"{m.id + default:<34} {m.encoding:<12} {cap:>8}  {kinds:<44} {price:<14} {status}\n")
    aliases = ", ".join(f"{a} -> {t}" for a, t in catalog.aliases.items())
    out.write(f"\naliases: {aliases}\nft:<base>:<org>:<suffix>:<id> names resolve to their base model.\n")
    if catalog.job_creation_ends is not None:
        out.write(f"OpenAI accepts no new fine-tuning jobs after {catalog.job_creation_ends} ({catalog.job_creation_ends_source}).\n")
    out.write('"?": unconfirmed (no official source, or sources conflict); see rules/models.toml.\n')


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


def lint_command(args, selection: Selection, files, validation, out: TextIO, err: TextIO,
                 displays: dict[str, str] | None = None) -> int:
    catalog = shipped_catalog()
    try:
        model = catalog.resolve(args.model) if args.model else catalog.default
    except UnknownModel as exc:
        raise UsageError(str(exc)) from None
    counter = TokenCounter.for_model(model)  # loads the vocabulary now: a broken one is exit 2
    options = {
        "has_validation": bool(validation),
        "model_is_default": not args.model,
        "epochs": args.epochs,
        "rate": args.rate,
    }
    run = RunContext(model=model, options=options)
    stats_writer = ExampleStatsWriter(args.stats) if args.stats else None
    try:
        linter = Linter(selection, method=args.method, run=run, **token_hooks(counter, stats_writer))
        reporter = get_reporter(args.format)(out, err, quiet=args.quiet, strict=args.strict)
        summary = run_lint(linter, files, validation, reporter, displays)
    finally:
        if stats_writer is not None:
            stats_writer.close()
    return exit_code(summary, args.strict, args.exit_zero)


def _submit(args, selection: Selection, out: TextIO, err: TextIO) -> int:
    """--submit: the submit module snapshots the inputs and calls back here to lint the snapshots."""
    if args.validation and len(args.validation) > 1:
        raise UsageError("--submit takes one --validation FILE")
    validation_name = args.validation[0] if args.validation else None
    args.validation = validation_name

    def lint_snapshots(paths, names) -> int:
        training = [str(p) for p, n in zip(paths, names) if n != validation_name]
        validation = [str(p) for p, n in zip(paths, names) if n == validation_name]
        displays = {str(p): n for p, n in zip(paths, names)}
        # Submitting never tolerates errors, whatever --exit-zero says.
        args.exit_zero = False
        return lint_command(args, selection, training, validation, out, err, displays)

    return submit.run(args, lint_snapshots, out, err)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        rules = load_rules()
        if args.list_rules:
            list_rules(rules, out)
            return EXIT_OK
        if args.list_models:
            list_models(shipped_catalog(), out)
            return EXIT_OK
        if args.explain:
            out.write(explain(resolve_rule(args.explain, rules)))
            return EXIT_OK
        selection = make_selection(args, rules)
        if args.submit:
            return _submit(args, selection, out, err)
        if not args.files:
            raise UsageError("no files given (try: ftlint data/*.jsonl, or ftlint --help)")
        return lint_command(args, selection, args.files, args.validation or [], out, err)
    except (UsageError, ConfigError, RegistryError, CatalogError, TokenizerDataError, StatsFileError) as exc:
        err.write(f"ftlint: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("ftlint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def main_entry() -> None:
    raise SystemExit(main())
