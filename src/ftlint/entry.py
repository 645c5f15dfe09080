"""The ``ftlint`` console script: signals and last-resort error handling around :func:`ftlint.cli.main`.

Everything here runs before the heavy imports, so an interrupt at any moment
ends the same way: one line on stderr, exit 130 (SIGINT) or 143 (SIGTERM), no
traceback from this or any worker process, and every ``finally`` (temporary
files, submit snapshots) has run.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

#: True while the console script has the cyclic garbage collector paused for start-up.
_gc_paused = False


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised in the main process (``finally`` blocks and context managers clean up)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def install_signal_handlers() -> None:
    main_pid = os.getpid()

    def on_signal(signum, frame):
        if os.getpid() != main_pid:
            # A worker process (forked, so it inherited this handler): the terminal sent
            # the signal to the whole process group; the main process reports it, once.
            os._exit(128 + signum)
        raise Interrupted(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)


def interrupted_line(exc: KeyboardInterrupt) -> tuple[str, int]:
    signum = getattr(exc, "signum", signal.SIGINT)
    word = "terminated" if signum == signal.SIGTERM else "interrupted"
    return f"ftlint: {word}\n", 128 + signum


def may_ask_for_help(args: list[str]) -> bool:
    """True when an argument may be -h/--help (abbreviated, or in a cluster of short options).

    A false alarm costs one parse with the light parser, nothing else.
    """
    for arg in args:
        if arg == "--":
            return False
        if arg.startswith("--h") or (arg.startswith("-") and not arg.startswith("--") and "h" in arg):
            return True
    return False


def help_without_the_cli() -> None:
    """Parse with ftlint.arguments alone: --help prints and exits 0 without importing the CLI.

    Anything else (a usage error before --help is reached, a false alarm) falls
    through to the CLI, which parses again and reports it as always.
    """
    from ftlint.arguments import UsageError, build_parser

    try:
        build_parser().parse_args()
    except UsageError:
        return
    except BrokenPipeError:  # ftlint --help | head
        raise SystemExit(0) from None


def pause_gc_for_startup() -> None:
    """No cyclic garbage collection while ftlint imports and sets up.

    Imports and set-up allocate tens of thousands of objects and almost no
    garbage cycles, yet every 700 allocations start a collection that walks the
    growing heap: about 15% of a cold pre-commit run's CPU. :func:`startup_done`
    turns collection back on before any data is read.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def startup_done() -> None:
    """Collect garbage again; what start-up built (modules, rules, settings) lives as long as the process and goes
    to the permanent generation, so no later collection walks it (nor copies it into forked workers' pages).

    Does nothing unless :func:`pause_gc_for_startup` paused collection (a program calling ftlint.cli.main keeps its
    own collector settings)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def main_entry() -> None:
    pause_gc_for_startup()
    install_signal_handlers()
    # Undecodable file names are kept as lone surrogates by Python; whatever path
    # forgets to escape one, writing it never raises.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    if sys.argv[1:] == ["--version"]:  # answered without importing the CLI (a hook manager asks this often)
        from ftlint import __version__

        sys.stdout.write(f"ftlint {__version__}\n")
        raise SystemExit(0)
    try:
        if may_ask_for_help(sys.argv[1:]):
            help_without_the_cli()
        from ftlint.rerun import answer  # a re-run the result cache answers, before the CLI is imported

        code = answer(sys.argv[1:])
        if code is None:
            from ftlint.cli import main

            code = main()
    except KeyboardInterrupt as exc:  # during the imports, before main() catches it
        line, code = interrupted_line(exc)
        sys.stderr.write(line)
    raise SystemExit(code)
