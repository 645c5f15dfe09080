"""The GitHub Action's run step: ``python -m ftlint.action`` (see action.yml).

Reads the action's inputs from ``INPUT_*`` environment variables (action.yml
maps them in ``env:``; they are never pasted into a shell command), expands
the files input, and runs ftlint with ``--format github`` in this process, so
annotations go to the log and ftlint writes the Markdown job summary to
``$GITHUB_STEP_SUMMARY``.

Inputs:
    INPUT_FILES    whitespace-separated files, directories or globs (default ".").
                   A directory means every ``*.jsonl`` and ``*.jsonl.gz`` below it;
                   a glob is expanded with ``**`` spanning directories.
    INPUT_MODEL    passed as ``--model`` when set.
    INPUT_ARGS     extra ftlint arguments, split like a shell would (no expansion).
    INPUT_SUMMARY  "false" turns the job summary off.
    INPUT_SARIF    a path: the same run also writes a SARIF report there
                   (``--also-output sarif:PATH``), which the action's next step uploads
                   to code scanning.

The reporter sets the step outputs (``$GITHUB_OUTPUT``): errors, warnings, examples,
billed-tokens, cost.
"""

from __future__ import annotations

import glob
import os
import shlex

from ftlint.cli import main as ftlint_main
from ftlint.escape import github_message, terminal
from ftlint.options import data_files_below


def expand(entries: list[str]) -> list[str]:
    """Files for the files input: files as given, directories and globs expanded, sorted, no repeats."""
    found: list[str] = []
    for entry in entries:
        if os.path.isdir(entry):
            found += data_files_below(entry)
        elif glob.has_magic(entry):
            found += sorted(p for p in glob.glob(entry, recursive=True) if os.path.isfile(p))
        else:
            found.append(entry)  # a missing file is ftlint's to report (exit 2)
    unique = dict.fromkeys(os.path.normpath(p) for p in found)
    return list(unique)


def build_argv(env: dict[str, str]) -> list[str] | None:
    entries = env.get("INPUT_FILES", "").split() or ["."]
    files = expand(entries)
    if not files:
        return None
    argv = ["--format", "github"]
    if env.get("INPUT_MODEL", "").strip():
        argv += ["--model", env["INPUT_MODEL"].strip()]
    argv += shlex.split(env.get("INPUT_ARGS", ""))
    if env.get("INPUT_SARIF", "").strip():
        argv += ["--also-output", f"sarif:{env['INPUT_SARIF'].strip()}"]
    return [*argv, "--", *files]  # a file named like an option stays a file


def run() -> int:
    env = os.environ
    argv = build_argv(env)
    if argv is None:
        print(f"::warning title=ftlint::no .jsonl files found in: {github_message(env.get('INPUT_FILES', '').strip() or '.')}")
        return 0
    if env.get("INPUT_SUMMARY", "true").strip().lower() in ("false", "0", "no"):
        os.environ.pop("GITHUB_STEP_SUMMARY", None)
    print(terminal(f"ftlint {shlex.join(argv)}"), flush=True)  # a file name must not start a workflow command
    return ftlint_main(argv)


if __name__ == "__main__":
    raise SystemExit(run())
