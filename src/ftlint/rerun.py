"""A re-run that the result cache answers before anything that lints is imported.

The result cache (:mod:`ftlint.cache`) keys an entry by the file's bytes and
the fingerprint of the Linter that made it, and building that Linter means
importing the engine and every rule, reading provider profiles and the config:
about 0.2 s of a 0.25 s pre-commit re-run whose answer is on disk. So a plain
lint run (files named on the command line; no fixing, baseline, validation
file, ``--stats``, ``--verbose``...) also writes a *run record* under a key
made only of what decides those settings before any of it is built:

- the command line as given, the working directory, the ``FTLINT_*``
  environment (``FTLINT_TODAY`` among it) and today's date;
- every config file ftlint could discover from the working directory
  (``ftlint.toml``, ``.ftlint.toml``, ``pyproject.toml`` in it and each parent:
  path and sha256), or the ``--config`` file;
- the real path of each file named (a symlink changed is another run);
- ftlint's version and code fingerprint (every module's size and mtime), its
  data files by content, and the interpreter.

The record holds each linted file's settings fingerprint (so its entry is
found exactly as the ordinary run finds it), the report options in force
(the config's included), and the sha256 of the files the options name (a chat
template, a trainer config), which are checked again. Only when the record,
every one of those digests and every file's entry match is the run answered
from them, with the same reporter calls; anything missing, changed or
damaged, and the run goes the ordinary way and writes the record again. No
record is used when a rule plugin may be installed (its code is not
fingerprinted here).

A ``--fix-only`` run (the ftlint-fix pre-commit hook, which runs before the
lint hook on every commit) that changed nothing records the digests of the
files it left alone: the same command on the same bytes has nothing to fix
again, prints nothing and exits 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from ftlint import __version__

#: Bump when the record layout changes.
LAYOUT = 1
#: The config file names ftlint.config.find_config looks for, in each directory upward.
CONFIG_CANDIDATES = ("ftlint.toml", ".ftlint.toml", "pyproject.toml")
#: The report options a record keeps (RunOptions fields, the config's values included).
REPORT_OPTIONS = ("format", "quiet", "strict", "exit_zero", "show_all", "color", "output_file")


def eligible(args) -> bool:
    """A plain lint of named regular files, with the result cache on (argparse namespace of ftlint.arguments)."""
    from ftlint.cache import cache_disabled_by_env

    if not args.files or args.no_cache or cache_disabled_by_env():
        return False
    commands = ("validation", "stats", "list_models", "list_providers", "list_rules", "explain", "show_settings",
                "fix", "fix_only", "diff", "unsafe_fixes", "baseline", "write_baseline", "also_output", "statistics",
                "verbose", "submit", "follow", "convert_to")
    if any(getattr(args, name, None) for name in commands):
        return False
    if (args.select or args.extend_select) and args.ignore:
        return False  # the CLI may warn that --ignore undoes a select (ftlint.config.ignored_selections)
    return all(name != "-" and os.path.isfile(name) for name in args.files)


def _sha256_of(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _config_files(args, cwd: str) -> list:
    """(path, sha256) of every file config discovery would read or choose between."""
    if args.config_path is not None:
        return [[os.path.abspath(args.config_path), _sha256_of(args.config_path)]]
    if args.isolated:
        return []
    found = []
    directory = cwd
    while True:
        for name in CONFIG_CANDIDATES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                found.append([candidate, _sha256_of(candidate)])
        parent = os.path.dirname(directory)
        if parent == directory:
            return found
        directory = parent


#: The key ``lookup`` computed for a command line it could not answer, for ``remember`` to take once (the
#: console script makes one run per process; a caller of ftlint.cli.main never looks up, so computes afresh).
_missed: dict[tuple, str | None] = {}


def run_key(args, argv: list[str]) -> str | None:
    """The key of this command's run record; None when no record may answer it."""
    from ftlint import cache, clock
    from ftlint.plugins import may_be_installed

    if may_be_installed():
        return None
    code = cache.code_fingerprint(())
    if code is None:
        return None
    cwd = os.getcwd()
    facts = {
        "layout": LAYOUT,
        "version": __version__,
        "python": sys.version,
        "executable": sys.executable,
        "path": list(sys.path),
        "argv": list(argv),
        "cwd": cwd,
        "env": sorted((k, v) for k, v in os.environ.items() if k.startswith("FTLINT_")),
        "today": clock.today().isoformat(),
        "configs": _config_files(args, cwd),
        "real": [os.path.realpath(name) for name in args.files],
        "code": code,
        "data": cache.data_fingerprint(),
    }
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def _record(args, argv: list[str]):
    """(the result cache, this command's run record) when there is a record and the files its options name
    are unchanged; None otherwise. May raise what reading them raises."""
    from ftlint import cache

    key = _missed[tuple(argv)] = run_key(args, argv)
    if key is None:
        return None
    store = cache.ResultCache(args.cache_dir or cache.default_directory())
    record = store.get_record(key)
    if record is None or any(_sha256_of(path) != digest for path, digest in record["named"].items()):
        return None
    return store, record


def lookup(args, argv: list[str]):
    """(report options, [(name, FileResult, problems)]) when a run record and every entry it names answer
    this command; None otherwise (then lint as usual). Reads only: nothing is written or reported here."""
    from ftlint import cache

    try:
        found = _record(args, argv)
        if found is None:
            return None
        store, record = found
        answers = []
        for name, settings in record["files"]:
            content = cache.file_digest(name)
            hit = store.get(settings, name, cache.TRAINING, None, content) if content is not None else None
            if hit is None:
                return None
            answers.append((name, *hit))
        options = {name: record["report"][name] for name in REPORT_OPTIONS}
        once_per_run = frozenset(record["once_per_run"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged record, an unreadable file, a bad FTLINT_TODAY: lint as usual
    return options, answers, once_per_run


def remember(args, argv: list[str], linter, files, options) -> None:
    """After an ordinary run that ``eligible`` allowed: write its run record, if every file has an entry."""
    from ftlint import cache

    if not isinstance(linter, cache.CachedLinter):
        return
    settings = [linter.stored.get(name) for name in files]
    if not files or None in settings:
        return  # a file without an entry (unreadable, too many problems): the record could not answer
    key = _missed.pop(tuple(argv)) if tuple(argv) in _missed else run_key(args, argv)
    if key is None:
        return
    from ftlint.runner import once_per_run_codes

    record = {"files": [[name, s] for name, s in zip(files, settings)], "named": linter.named_files(),
              "report": {name: getattr(options, name) for name in REPORT_OPTIONS},
              # The codes said once per run (FT302), so a replayed run drops the same repeats.
              "once_per_run": sorted(once_per_run_codes(linter))}
    linter.cache.put_record(key, record)


def fix_only_eligible(args) -> bool:
    """A ``--fix-only`` run (the ftlint-fix hook) that ``eligible`` would allow as a plain lint."""
    import argparse

    if not args.fix_only or args.fix or args.diff:
        return False
    return eligible(argparse.Namespace(**{**vars(args), "fix_only": False, "unsafe_fixes": False}))


def unchanged(args, argv: list[str]) -> bool:
    """True when this ``--fix-only`` command ran before, changed nothing, and the files are those bytes still."""
    try:
        found = _record(args, argv)
        return found is not None and all(_sha256_of(name) == digest for name, digest in found[1]["unchanged"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # a damaged record, an unreadable file, a bad FTLINT_TODAY: fix as usual


def remember_unchanged(args, argv: list[str], linter, files) -> None:
    """After a ``--fix-only`` run that ``fix_only_eligible`` allowed and that changed no file: record the files'
    digests."""
    from ftlint import cache

    digests = [_sha256_of(name) for name in files]
    key = _missed.pop(tuple(argv)) if tuple(argv) in _missed else run_key(args, argv)
    if not files or None in digests or key is None:
        return
    named: dict[str, str] = {}
    for name in files:
        named.update(cache._named_files(linter.linter_for(name).run.options))
    store = cache.ResultCache(args.cache_dir or cache.default_directory())
    store.put_record(key, {"unchanged": [[n, d] for n, d in zip(files, digests)], "named": named})


class Replay:
    """lint_file answered from the entries ``lookup`` found (the same reporter calls as ftlint.cache)."""

    def __init__(self, answers, once_per_run: frozenset[str] = frozenset()):
        self.answers = {name: (result, problems) for name, result, problems in answers}
        self.once_per_run = once_per_run  # ftlint.runner asks

    def lint_file(self, name: str, sink, role: str, display: str | None = None):
        result, problems = self.answers[name]
        for problem in problems:
            sink.problem(problem)
        return result


#: The parser and arguments ``answer`` made of a command line it did not answer, for the CLI to take once
#: instead of building the parser and parsing again (``parsed``).
_parsed: dict[tuple, tuple] = {}


def parsed(argv: list[str]) -> tuple | None:
    """(parser, argparse namespace) of this command line when ``answer`` parsed it in this process; once."""
    return _parsed.pop(tuple(argv), None)


def answer(argv: list[str]) -> int | None:
    """The console script's run answered from a run record: its exit code, or None to run the CLI.

    Nothing is written before every answer is in hand, so a miss leaves no trace.
    """
    from ftlint.arguments import UsageError, build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError:
        return None  # the CLI reports it
    code = _answer(args, argv)
    if code is None:
        _parsed[tuple(argv)] = (parser, args)
    return code


def _answer(args, argv: list[str]) -> int | None:
    from ftlint.arguments import UsageError

    if fix_only_eligible(args):
        return _fix_only_answer(args, argv)
    if not eligible(args):
        return None
    found = lookup(args, argv)
    if found is None:
        return None
    options, answers, once_per_run = found
    from ftlint.exit_codes import EXIT_OK
    from ftlint.reporters import get_reporter
    from ftlint.runner import exit_code, report_stream, run_lint
    from ftlint.terminal import PipeGuard, report_color
    from ftlint.entry import startup_done

    startup_done()
    out, err = PipeGuard(sys.stdout), sys.stderr
    try:
        with report_stream(options["output_file"], out) as report_out:
            color = report_color(options["color"], options["format"], report_out,
                                 to_file=options["output_file"] is not None)
            reporter = get_reporter(options["format"])(report_out, err, quiet=options["quiet"],
                                                       strict=options["strict"], show_all=options["show_all"],
                                                       color=color)
            summary = run_lint(Replay(answers, once_per_run), [name for name, _, _ in answers], (), reporter)
    except UsageError:
        return None  # --output-file cannot be opened (nothing written yet): the CLI says so
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - as the CLI's last resort: one line, exit 2
        from ftlint.cli import internal_error

        return internal_error(exc, err, "--debug" in argv or bool(os.environ.get("FTLINT_DEBUG")))
    return exit_code(summary, options["strict"], options["exit_zero"])


def _fix_only_answer(args, argv: list[str]) -> int | None:
    """0 (and nothing printed) when ``unchanged`` says the files are the bytes this command left alone before."""
    if not unchanged(args, argv):
        return None
    from ftlint.entry import startup_done
    from ftlint.exit_codes import EXIT_OK

    startup_done()
    return EXIT_OK
