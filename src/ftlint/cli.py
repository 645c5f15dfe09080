"""Command line: ``ftlint [options] FILE...`` (and ``ftlint --submit [options] FILE...``).

Parses arguments into a Selection and a Linter, runs it, and maps the outcome
to an exit code: 0 clean (warnings allowed), 1 problems (errors; warnings too
with --strict), 2 usage, configuration or unreadable input. No lint logic here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from typing import Sequence, TextIO

# Command modules (submit, convert, fix, listing, docs, baseline, the statistics
# reporters, chat templates) are imported where a command uses them: a lint run
# pays only for linting, and --help never comes here (ftlint.entry, ftlint.arguments).
from ftlint.arguments import UsageError, build_parser
from ftlint.entry import interrupted_line
from ftlint.escape import bounded, terminal
from ftlint.config import discover, ignored_selections, merged_selection
from ftlint.catalog import Catalog, CatalogError, shipped_catalog
from ftlint.clock import ClockError
from ftlint.options import RunOptions, select_files, settings_document
from ftlint.terminal import ClearsProgress, PipeGuard, ProgressLine, StyledDiff, is_terminal, report_color
from ftlint.perfile import PerFileLinter, linter_pool
from ftlint.providers import Provider, UnknownProvider, all_providers, get_provider
from ftlint.reader import InputError
from ftlint.reporters import get_reporter
from ftlint.rules import RegistryError, Rule, load_rules
from ftlint import rerun
from ftlint.runner import exit_code, report_stream, run_lint
from ftlint.settings import ConfigError, Selection, resolve_rule
from ftlint.stats_file import ExampleStatsWriter, StatsFileError
from ftlint.tokenizer import TokenizerDataError
from ftlint.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

__all__ = ["UsageError", "build_parser", "main"]


FIX_MARKS = {"safe": "[*]", "unsafe": "[!]"}


def list_rules(rules: dict[str, Rule], out: TextIO, fmt: str = "text") -> None:
    from ftlint.listing import Column, Listing

    rows = [{"code": r.code, "name": r.name, "level": str(r.level), "fix": r.fixable, "enabled": r.enabled,
             "summary": r.summary} for r in rules.values()]
    columns = [
        Column("code", "code", width=7),
        Column("name", "name", width=30),
        Column("level", "level", width=8),
        Column("fix", "fix", render=lambda row: FIX_MARKS.get(row["fix"], ""), width=4),
        Column("summary", "summary", render=lambda row: row["summary"] + ("" if row["enabled"] else " (opt-in)"),
               last=True),
    ]
    notes = ["", "fix: [*] --fix fixes it; [!] needs --unsafe-fixes. (opt-in): not run unless selected."]
    Listing(columns, rows, notes).write(out, fmt)


def explain(rule: Rule) -> str:
    """``--explain``: the rule's documentation page, as docs/rules/<CODE>.md has it."""
    from ftlint.docs import rule_page

    return rule_page(rule, generated_note=False)


def explain_document(rule: Rule) -> dict:
    """``--explain CODE --format json``: the rule's facts and its page (ruff's ``rule --output-format json``)."""
    from ftlint.reporters import rule_url

    return {"code": rule.code, "name": rule.name, "level": str(rule.level), "fix": rule.fixable,
            "enabled": rule.enabled, "scope": rule.scope, "formats": list(rule.formats),
            "methods": list(rule.methods), "providers": list(rule.providers), "summary": rule.summary,
            "explanation": explain(rule), "url": rule_url(rule)}


def _marked(text: str, confirmed: bool) -> str:
    return text if confirmed else text + "?"


def list_providers(providers: Sequence[Provider], out: TextIO, fmt: str = "text") -> None:
    """Each provider: id, title, status (with its no-new-jobs date), profile date, and its sources."""
    from ftlint.listing import Column, Listing

    rows = []
    for provider in providers:
        facts = [*provider.provenance.values(), *(f for m in provider.models for f in m.sources.values())]
        dates = sorted({f.as_of for f in facts})
        checked = f"{dates[0]}..{dates[-1]}" if len(dates) > 1 else (str(dates[0]) if dates else "never")
        rows.append({"id": provider.id, "aliases": list(provider.aliases), "title": provider.title,
                     "status": provider.status,
                     "no_new_jobs_after": provider.no_new_jobs_after, "successor": provider.successor,
                     "models": len(provider.models), "default_model": provider.catalog.default_model,
                     "facts_checked": checked, "unconfirmed": sum(not f.confirmed for f in facts),
                     "sources": provider.sources_cited()})

    def describe(row: dict) -> str:
        status = row["status"]
        if row["no_new_jobs_after"] is not None:
            status += f", no new jobs after {row['no_new_jobs_after'].isoformat()}"
            if row["successor"]:
                status += f", then the default is {row['successor']}"
        also = f"; also --provider {', '.join(row['aliases'])}" if row["aliases"] else ""
        text = (f"{row['title']} ({status}{also}); {row['models']} models, default {row['default_model']}; "
                f"facts checked {row['facts_checked']}, {row['unconfirmed']} unconfirmed")
        return text + "".join(f"\n{'':<14} source: {url}" for url in row["sources"])

    notes = ["Profiles: rules/providers/<id>.toml (shipped in ftlint/_data/providers/); use one with --provider ID."]
    Listing([Column("id", "id", width=14), Column("title", "", render=describe, last=True)], rows, notes,
            header=False).write(out, fmt)


def _model_row(m, catalog: Catalog, provider: Provider | None) -> dict:
    # The dated verdict, not only the catalog's stored status: a model whose dates have passed says so
    # on the day they pass (FTLINT_TODAY pins the day).
    from ftlint import retirement

    today = retirement.verdict(m, provider, catalog=catalog)
    return {
        "model": m.id, "default": m.id == catalog.default.id, "encoding": m.encoding,
        "token_cap": m.token_cap, "token_cap_confirmed": m.token_cap_confirmed,
        "formats": list(m.formats), "methods": list(m.methods),
        "training_price_usd": m.training_price_usd, "training_price_per": m.training_price_per,
        "training_price_confirmed": m.training_price_confirmed,
        "status": m.status, "shutdown_date": m.shutdown_date, "shutdown_confirmed": m.shutdown_confirmed,
        "takes_new_jobs": today.trainable, "why_not": today.reason or None, "as_of": today.today,
        # The provider's last day for new jobs, which comes before a model's own shutdown (OpenAI: 2027-01-06).
        "new_jobs_until": catalog.job_creation_ends,
    }


def _price_text(row: dict) -> str:
    if row["training_price_usd"] is None:
        return "?"
    unit = "/1M" if row["training_price_per"] == "1M tokens" else "/hour"
    return _marked(f"${row['training_price_usd']:,.2f}{unit}", row["training_price_confirmed"])


def _status_text(row: dict) -> str:
    if not row["takes_new_jobs"]:
        return f"no new jobs: {row['why_not']}"
    status = row["status"]
    if row["new_jobs_until"] is not None:  # said first: it ends fine-tuning before the model's shutdown does
        status += f", new jobs until {row['new_jobs_until'].isoformat()}"
    if row["shutdown_date"] is not None:
        date = _marked(row["shutdown_date"].isoformat(), row["shutdown_confirmed"])
        status += f" {date}" if status == "shut down" else f", model shutdown {date}"
    return status


def list_models(catalog: Catalog, out: TextIO, provider: Provider | None = None, fmt: str = "text") -> None:
    """The catalog as a table; "?" marks values no official source confirms."""
    from ftlint.listing import Column, Listing

    rows = [_model_row(m, catalog, provider) for m in catalog.models]
    columns = [
        Column("model", "model", render=lambda r: r["model"] + (" (default)" if r["default"] else ""), width=34),
        Column("encoding", "encoding", width=12),
        Column("token_cap", "cap", render=lambda r: _marked(f"{r['token_cap']:,}", r["token_cap_confirmed"]),
               align=">", width=9),
        Column("formats", "formats / methods", render=lambda r: f"{','.join(r['formats'])} / {','.join(r['methods'])}",
               width=44),
        Column("training_price_usd", "price", render=_price_text, width=14),
        Column("status", "status", render=_status_text, last=True),
    ]
    aliases = ", ".join(f"{a} -> {t}" for a, t in catalog.aliases.items())
    notes = [""]
    if provider is None or provider.id == "openai":
        notes += [f"aliases: {aliases}", "ft:<base>:<org>:<suffix>:<id> names resolve to their base model."]
    else:
        notes.append(f"aliases: {aliases or '(none)'}")
        patterns = ", ".join(p.pattern for p in catalog.fine_tuned)
        if patterns:
            notes.append(f"fine-tuned names matching {patterns} resolve to their base model.")
    title = provider.title if provider is not None else "OpenAI"
    if catalog.job_creation_ends is not None:
        notes.append(f"{title} accepts no new fine-tuning jobs after {catalog.job_creation_ends} "
                     f"({catalog.job_creation_ends_source}).")
    profile = provider.id if provider is not None else "openai"
    from ftlint import clock

    notes.append(f"status as of {clock.today().isoformat()} (today; FTLINT_TODAY=YYYY-MM-DD pins the date).")
    notes.append(f'"?": unconfirmed (no official source, or sources conflict); see rules/providers/{profile}.toml.')
    Listing(columns, rows, notes).write(out, fmt)


def show_settings(options: RunOptions, selection: Selection, out: TextIO) -> None:
    document = settings_document(options, selection.enabled(), selection.level_of())
    if options.format == "json":
        json.dump(document, out, indent=2)
        out.write("\n")
        return

    for key, value in document.items():
        if key == "rules":
            value = ", ".join(code if str(level) == str(selection.rules[code].level) else f"{code}={level}"
                              for code, level in value.items())
        shown = value if isinstance(value, str) and value.isprintable() else json.dumps(value)  # one line each
        out.write(f"{key.replace('_', '-')} = {shown}\n")


def make_selection(options: RunOptions, rules: dict[str, Rule]) -> Selection:
    """The command line's selection layered over the config's."""
    return merged_selection(
        options.config, rules, list(options.select) if options.select else None, list(options.extend_select),
        list(options.ignore),
    )


#: Formats whose stdout must stay parseable: "Fixing <file>" goes to stderr with them.
MACHINE_FORMATS = ("json", "sarif", "junit", "html")


def apply_fixes(options: RunOptions, linter: PerFileLinter, names: Sequence[str], out: TextIO, err: TextIO) -> int:
    """--fix / --diff on every file: EXIT_PROBLEMS when something changed (or would), EXIT_USAGE on failure."""
    from ftlint.fix import FixError, diff_file, fix_file, refuse_reason

    for name in names:
        reason = refuse_reason(name)
        if reason:
            raise UsageError(reason)
    notes = err if options.format in MACHINE_FORMATS and not options.output_file else out
    changed = failed = False
    for name in names:
        try:
            if options.diff:
                report = diff_file(name, linter.linter_for(name), out, unsafe=options.unsafe_fixes)
            else:
                report = fix_file(name, linter.linter_for(name), unsafe=options.unsafe_fixes)
                if report.changed:
                    notes.write(f"Fixing {terminal(name)}\n")  # the pre-commit fixer convention
        except (FixError, InputError) as exc:
            err.write(f"ftlint: error: {terminal(str(exc))}\n")
            failed = True
            continue
        changed |= report.changed
    if failed:
        return EXIT_USAGE
    return EXIT_PROBLEMS if changed else EXIT_OK


def load_settings(args: argparse.Namespace, rules: dict[str, Rule]) -> RunOptions:
    """Find the config file; the run's options are the command line over it."""
    return RunOptions.from_cli(args, discover(rules, args.config_path, args.isolated))


def _chat_template_options(options: RunOptions) -> dict:
    given = {name: getattr(options, name, None) for name in ("chat_template", "trainer_config", "max_seq_length",
                                                           "response_marker")}
    if not (given["chat_template"] or given["trainer_config"]) and given["max_seq_length"] is None \
            and given["response_marker"] is None:
        return {}  # nothing to check: the template machinery is not imported
    from ftlint import chat_template

    try:
        return chat_template.run_options(options)
    except chat_template.TemplateError as exc:
        raise UsageError(str(exc)) from None


def lint_command(options: RunOptions, selection: Selection, files, validation, out: TextIO, err: TextIO,
                 displays: dict[str, str] | None = None, command_line: tuple | None = None,
                 summaries: list | None = None) -> int:
    """Lint and report; ``command_line`` (args, argv) of a run ftlint.rerun allows: write its run record too;
    the run's RunSummary is appended to ``summaries`` when given (--submit reads its method)."""
    stats_writer = ExampleStatsWriter(options.stats) if options.stats else None
    progress = ProgressLine(err) if is_terminal(err) else None
    if progress is not None:  # an error line (an unreadable file) must not start on the progress line either
        err = ClearsProgress(err, progress)
    try:
        linter = linter_pool(options.config, selection, validation=bool(validation), method=options.method,
                             model=options.model, epochs=options.epochs, rate=options.rate, stats_writer=stats_writer,
                             progress=progress, provider=options.provider, tokenizer=options.tokenizer,
                             max_tokens=options.max_tokens,
                             run_options={**_chat_template_options(options),
                                          "base_url": options.extra.get("base_url"), "n_evals": options.n_evals},
                             jobs=options.jobs)
        fixes = EXIT_OK
        if options.diff:
            with report_stream(options.output_file, out) as diff_out:
                diff_out = StyledDiff.for_stream(diff_out, options.color, to_file=options.output_file is not None)
                try:
                    return apply_fixes(options, linter, [*files, *validation], diff_out, err)
                finally:
                    diff_out.finish()
        fixes = EXIT_OK
        if options.fix:
            fixes = apply_fixes(options, linter, [*files, *validation], out, err)
            if options.fix_only and fixes == EXIT_OK and command_line is not None and not validation:
                rerun.remember_unchanged(*command_line, linter, files)
            if options.fix_only or fixes == EXIT_USAGE:
                return fixes
            if options.exit_zero:
                fixes = EXIT_OK
        with report_stream(options.output_file, out) as report_out, contextlib.ExitStack() as extra_streams:
            color = report_color(options.color, options.format, report_out, to_file=options.output_file is not None)
            if progress is not None and is_terminal(report_out):
                report_out = ClearsProgress(report_out, progress)
            if options.statistics:
                from ftlint.reporters.statistics import JsonStatisticsReporter, StatisticsReporter

                reporter_class = JsonStatisticsReporter if options.format == "json" else StatisticsReporter
            else:
                reporter_class = get_reporter(options.format)
            reporter = reporter_class(report_out, err, quiet=options.quiet, strict=options.strict,
                                      show_all=options.show_all, color=color)
            if options.also_output:
                reporter = _with_also_outputs(reporter, options, extra_streams)
            if options.write_baseline or options.baseline:
                from ftlint import baseline

                if options.write_baseline:
                    reporter = baseline.BaselineWriter(reporter, options.write_baseline,
                                                       show_report=bool(options.output_file or options.also_output))
                else:
                    notes = report_out if options.format in ("text", "concise") else err
                    reporter = baseline.BaselineFilter(reporter, options.baseline, notes)
            cached = _cached(linter, options, validation, stats_writer)
            summary = run_lint(cached, files, validation, reporter, displays)
            if command_line is not None and not validation and not summary.unreadable:
                rerun.remember(*command_line, cached, files, options)
            if summaries is not None:
                summaries.append(summary)
    finally:
        if progress is not None:
            progress.clear()
        if stats_writer is not None:
            stats_writer.close()
    if options.write_baseline:  # recording today's problems is not a failure
        return EXIT_USAGE if summary.unreadable else EXIT_OK
    return max(exit_code(summary, options.strict, options.exit_zero), fixes)


def _with_also_outputs(reporter, options: RunOptions, streams: contextlib.ExitStack):
    """The run's reporter and one per ``--also-output FORMAT:PATH``, all fed by the same run."""
    from ftlint.reporters.fanout import Fanout

    paths = [options.output_file] if options.output_file else []
    extras = []
    for fmt, path in options.also_output:
        if any(os.path.abspath(path) == os.path.abspath(p) for p in paths):
            raise UsageError(f"--also-output {fmt}:{path}: another report already goes to {path}")
        paths.append(path)
        stream = streams.enter_context(report_stream(path, sys.stdout, "--also-output"))
        extras.append(get_reporter(fmt)(stream, io.StringIO(), quiet=options.quiet, strict=options.strict,
                                        show_all=options.show_all))  # a file: no colour
    from ftlint.reporters.github import GithubReporter

    for later in [r for r in (reporter, *extras) if isinstance(r, GithubReporter)][1:]:
        later.leave_job_files()  # the first github report of the run writes the job's summary and outputs
    return Fanout([reporter, *extras])


def _cached(linter, options: RunOptions, validation, stats_writer):
    """The linter, answered from the result cache where that gives the same report (ftlint.cache)."""
    from ftlint import cache

    if options.no_cache or cache.cache_disabled_by_env() or validation or stats_writer is not None:
        return linter  # validation: the overlap check spans files; --stats: rows per example
    return cache.CachedLinter(linter, cache.ResultCache(options.cache_dir or cache.default_directory()))


def _submit(options: RunOptions, selection: Selection, out: TextIO, err: TextIO) -> int:
    """--submit: the submit module snapshots the inputs and calls back here to lint the snapshots."""
    from ftlint import submit

    if len(options.validation) > 1:
        raise UsageError("--submit takes one --validation FILE")
    if options.fix or options.diff:
        raise UsageError("--submit uploads the bytes it validated; run --fix first, then --submit")
    validation_name = options.validation[0] if options.validation else None
    # Submitting never tolerates errors, whatever --exit-zero says.
    from ftlint.record import replace

    lint_options = replace(options, exit_zero=False, no_cache=True)  # snapshots are temporary files

    def lint_snapshots(paths, names) -> submit.Linted:
        training = [str(p) for p, n in zip(paths, names) if n != validation_name]
        validation = [str(p) for p, n in zip(paths, names) if n == validation_name]
        displays = {str(p): n for p, n in zip(paths, names)}
        summaries: list = []
        code = lint_command(lint_options, selection, training, validation, out, err, displays, summaries=summaries)
        linted = summaries[0] if summaries else None
        return submit.Linted(code, linted.training_method if linted else None,
                             linted.training_method_note if linted else None)

    from ftlint.terminal import HUMAN_FORMATS

    # A machine-readable report on stdout stays the only thing there (ruff and check-jsonschema keep
    # stdout for the report): what --submit says -- the dry run's files and request, the job id -- goes to stderr.
    said = out if options.format in HUMAN_FORMATS or options.output_file else err
    return submit.run(options, lint_snapshots, said, err)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = PipeGuard(stdout or sys.stdout)
    err = stderr or sys.stderr
    try:
        done = rerun.parsed(sys.argv[1:] if argv is None else list(argv))  # the console script parsed it already
        parser, args = done if done is not None else (build_parser(), None)
        if args is None:
            args = parser.parse_args(argv)
        rules = load_rules()
        if args.list_rules:
            list_rules(rules, out, args.format or "text")
            return EXIT_OK
        if args.list_providers:
            list_providers(all_providers(), out, args.format or "text")
            return EXIT_OK
        if args.list_models:
            provider = get_provider(args.provider) if args.provider else None
            list_models(provider.catalog if provider else shipped_catalog(), out, provider, args.format or "text")
            return EXIT_OK
        if args.explain:
            rule = resolve_rule(args.explain, rules)
            if args.format == "json":  # ruff rule CODE --output-format json
                json.dump(explain_document(rule), out, indent=2, ensure_ascii=False)
                out.write("\n")
            else:
                out.write(explain(rule))
            return EXIT_OK
        if args.unsafe_fixes and not (args.fix or args.fix_only or args.diff):
            raise UsageError("--unsafe-fixes needs --fix, --fix-only or --diff")
        if args.baseline and args.write_baseline:
            raise UsageError("--baseline and --write-baseline do not go together (--write-baseline rewrites it)")
        _refuse_submit_options_without_submit(parser, args)
        options = load_settings(args, rules)
        _refuse_ignored_lint_options(args, options)
        selection = make_selection(options, rules)
        selected = [*(("--select", s) for s in options.select or ()), *(("--extend-select", s) for s in options.extend_select)]
        for note in ignored_selections(rules, selected, list(options.ignore)):
            err.write(f"ftlint: warning: {terminal(note)}\n")
        if options.verbose:
            where = options.config.path if options.config.path is not None else "none (defaults)"
            err.write(f"ftlint: config file: {terminal(where)}\n")
        from ftlint.entry import startup_done

        startup_done()  # the console script's garbage collector, paused while importing and setting up
        if args.show_settings:
            show_settings(options, selection, out)
            return EXIT_OK
        if options.follow:
            from ftlint import submit

            return submit.follow_job(options, out, err)
        if options.submit:
            return _submit(options, selection, out, err)
        if options.convert_to:
            from ftlint import convert

            return convert.run(options, lambda o, target: lint_command(o, selection, o.files, (), out, err), out, err)
        if not options.files and not options.validation:
            raise UsageError("no files given (try: ftlint data/*.jsonl, or ftlint --help)")
        chosen = select_files(options)
        if options.verbose:
            for name, why in chosen.skipped:
                err.write(f"ftlint: skipping {terminal(name)}: {why}\n")
        for name in chosen.empty_directories:
            err.write(f"ftlint: warning: no .jsonl or .jsonl.gz files in the directory {terminal(name)}\n")
        for name in chosen.training_and_validation:
            err.write(f"ftlint: warning: {terminal(name)} is both the training file and the --validation file: "
                      "linted as training; a validation file must hold other examples than the training file "
                      "(here every one would be in both): pass another file with --validation\n")
        allowed = ((args, list(sys.argv[1:] if argv is None else argv))
                   if rerun.eligible(args) or rerun.fix_only_eligible(args) else None)
        return lint_command(options, selection, chosen.training, chosen.validation, out, err, command_line=allowed)
    except (UsageError, ConfigError, RegistryError, CatalogError, ClockError, TokenizerDataError,
            StatsFileError, UnknownProvider) as exc:
        err.write(f"ftlint: error: {terminal(str(exc))}\n")  # it may quote a file name or an argument
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM under the console script (ftlint.entry)
        line, code = interrupted_line(exc)
        err.write(line)
        return code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, exit 2, never a traceback
        debug = "--debug" in (sys.argv[1:] if argv is None else argv) or bool(os.environ.get("FTLINT_DEBUG"))
        return internal_error(exc, err, debug)


#: The submit options --follow uses too (it talks to the same service).
FOLLOW_OPTIONS = ("base_url", "connect_timeout", "read_timeout", "poll_interval")
#: The submit options a lint run reads too: --n-evals prices Together's evaluations in the cost estimate.
LINT_OPTIONS = ("n_evals",)


def _refuse_submit_options_without_submit(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--dry-run``, ``--wait``, ``--suffix``... without ``--submit``: a usage error, never silently ignored
    (a lint run with ``--dry-run`` would otherwise look like a dry run of a submit that never happens)."""
    if getattr(args, "submit", False):
        return
    group = next((g for g in parser._action_groups if g.title == "submit"), None)  # noqa: SLF001
    for action in group._group_actions if group is not None else ():  # noqa: SLF001
        if action.dest in ("submit", "follow", *LINT_OPTIONS) or getattr(args, action.dest, None) == action.default:
            continue
        if args.follow and action.dest in FOLLOW_OPTIONS:
            continue
        raise UsageError(f"{action.option_strings[0]} needs --submit")


#: The formats --statistics has a form in (ruff's: its text table, or JSON; other formats are refused).
STATISTICS_FORMATS = ("text", "concise", "json")


def _refuse_ignored_lint_options(args: argparse.Namespace, options: RunOptions) -> None:
    """Options this run would ignore or misuse: a usage error, never a silently different run."""
    if options.statistics and options.format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics prints counts per rule as a table or JSON; --format {options.format} has no "
                         "such form: drop --statistics, or use --format text, concise or json")
    if args.n_evals is not None and not options.validation and not options.submit and not options.follow:
        raise UsageError("--n-evals N prices N evaluations of the validation file: it needs --validation FILE")


ISSUES_URL = "https://github.com/ftlint/ftlint/issues"


def internal_error(exc: BaseException, err: TextIO, debug: bool) -> int:
    """A bug in ftlint: one line (exit 2, not 1, which means problems found); the traceback with --debug."""
    if debug:
        import traceback

        err.write(terminal_lines("".join(traceback.format_exception(exc))))
    hint = "" if debug else "; --debug shows the traceback"
    err.write(f"ftlint: internal error: {type(exc).__name__}: {bounded(exc)} (please report: {ISSUES_URL}{hint})\n")
    return EXIT_USAGE


def terminal_lines(text: str) -> str:
    return "".join(terminal(line) + "\n" for line in text.splitlines())


def main_entry() -> None:
    from ftlint.entry import main_entry as entry

    entry()
