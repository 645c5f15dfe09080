"""Shared test helpers: lint files or lines through the real engine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ftlint.providers import select as select_provider
from ftlint.engine import TRAINING, VALIDATION, Linter, RunContext
from ftlint.rules import load_rules
from ftlint.settings import Selection
from ftlint.token_stats import token_hooks

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"


def _main_checkout(repo: Path) -> Path | None:
    """For a git worktree (``.git`` is a file naming ``<main>/.git/worktrees/X``): the main checkout."""
    try:
        text = (repo / ".git").read_text()
    except OSError:  # no .git, or a directory: repo is the main checkout
        return None
    gitdir = Path(text.partition("gitdir:")[2].strip())
    return gitdir.parents[2] if len(gitdir.parents) > 2 and gitdir.parent.name == "worktrees" else None


def find_shared(repo: Path = REPO) -> Path:
    """The shared directory (reference texts, real corpus): ``$FTLINT_SHARED``, else ``<repo>/../shared``.

    A git worktree (``/work/wt/X``) also finds the shared directory beside its main checkout.
    The path is returned whether or not it exists; :func:`require_shared` decides what a missing one means.
    """
    env = os.environ.get("FTLINT_SHARED")
    if env:
        return Path(env)
    beside = repo.parent / "shared"
    main = _main_checkout(repo)
    if not beside.is_dir() and main is not None and (main.parent / "shared").is_dir():
        return main.parent / "shared"
    return beside


SHARED = find_shared()
REAL_CORPUS = SHARED / "corpus" / "real"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_shared(*parts: str) -> Path:
    """``SHARED/<parts>``, which a test needs: a missing one FAILS under CI=true (never a silent skip), else skips.

    Use it inside the test (or a fixture), e.g. ``path = require_shared("corpus", "real", NAME)``.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (f"{path} is missing: this test needs the shared data beside the repository "
                   "(../shared, or set FTLINT_SHARED)")
        if in_ci():
            pytest.fail(message + " and CI=true, so it fails instead of skipping", pytrace=False)
        pytest.skip(message)
    return path

#: Retirement verdicts depend on the date: every test (and every ftlint it
#: starts) sees the same "today" unless it pins its own.
PINNED_TODAY = "2026-11-30"
os.environ.setdefault("FTLINT_TODAY", PINNED_TODAY)

RULES = load_rules(plugins=False)
#: Dataset-size and duplicate rules: a fixture is a list of small independent cases.
DATASET_RULES = ["FT401", "FT402", "FT403", "FT404"]


class ListSink:
    def __init__(self):
        self.problems = []

    def problem(self, p):
        self.problems.append(p)


def lint_paths(training, validation=(), select=None, ignore=(), options=None, method=None, model=None,
               run_options=None, provider=None, **linter_kwargs):
    """Lint files with the real engine and the CLI's token hooks; returns (problems, results).

    ``model``: a name as --model takes it (default: the provider's default model);
    ``provider``: as --provider takes it (default: the one that knows ``model``, else OpenAI).
    """
    chosen, resolved = select_provider(provider, model)
    resolved = resolved or chosen.default_model
    selection = Selection(rules=RULES, select=select, ignore=list(ignore), options=options or {})
    run_options = {"has_validation": bool(validation), "model_is_default": model is None, **(run_options or {})}
    run = RunContext(model=resolved, options=run_options, provider=chosen)
    linter_kwargs = {**token_hooks(), **linter_kwargs}
    linter = Linter(selection, method=method, run=run, **linter_kwargs)
    sink = ListSink()
    results = [linter.lint_file(str(p), sink, role=TRAINING) for p in training]
    results += [linter.lint_file(str(p), sink, role=VALIDATION) for p in validation]
    return sink.problems, results


def lint_lines(tmp_path, lines, name="data.jsonl", **kwargs):
    """Write ``lines`` (dicts, str or bytes) as a JSONL file and lint it."""
    path = tmp_path / name
    with open(path, "wb") as fh:
        for line in lines:
            if isinstance(line, (dict, list)):
                line = json.dumps(line)
            if isinstance(line, str):
                line = line.encode()
            fh.write(line + b"\n")
    return lint_paths([path], **kwargs)


def codes(problems):
    return [(p.line, p.code) for p in problems]


@pytest.fixture
def edited_profile(tmp_path):
    """A copy of a shipped provider profile with one regular-expression edit, for loader tests:
    ``edited_profile(pattern, replacement, provider="openai")`` -> the edited file's path
    (named ``<provider>.toml``, as load_profile requires). The pattern must match exactly once."""
    from ftlint.data import data_path

    def edit(pattern, replacement, provider="openai"):
        text = data_path("providers", f"{provider}.toml").read_text(encoding="utf-8")
        edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
        path = tmp_path / f"{provider}.toml"
        path.write_text(edited, encoding="utf-8")
        return path

    return edit


@pytest.fixture
def real_corpus():
    """The real corpus directory (see :func:`require_shared`: fails under CI when it is missing)."""
    return require_shared("corpus", "real")


def read_args(path):
    sidecar = path.with_suffix(".args")
    if not sidecar.exists():
        return {}
    pairs = (line.split("=", 1) for line in sidecar.read_text().splitlines() if line.strip())
    return {k.strip(): v.strip() for k, v in pairs}


def read_expected(path):
    """``LINE CODE`` rows of a fail fixture (the optional message after them: read_expected_messages)."""
    return [(line, code) for line, code, _ in read_expected_messages(path)]


def read_expected_messages(path):
    """``LINE CODE [MESSAGE]`` rows: MESSAGE, when given, is text the problem's message contains."""
    rows = [row.split(None, 2) for row in path.with_suffix(".expected").read_text().splitlines() if row.strip()]
    return [(None if row[0] == "-" else int(row[0]), row[1], row[2] if len(row) > 2 else None) for row in rows]


def lint_fixture(path, select=None, ignore=None, args=None):
    """Lint one fixture as its ``.args`` sidecar (or ``args``) says; returns the problems.

    Without ``select``, every default rule runs except DATASET_RULES (unless ``ignore`` says otherwise).
    """
    if ignore is None:
        ignore = DATASET_RULES if select is None else ()
    path = Path(path)
    args = dict(read_args(path) if args is None else args)
    today = args.pop("today", None)
    if today is not None:  # the fixture is about a date (retirements)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FTLINT_TODAY", today)
            return lint_fixture(path, select, ignore, args)
    options: dict[str, dict] = {}
    for key in [k for k in args if "." in k]:
        code, option = key.split(".", 1)
        value = args.pop(key)
        options.setdefault(code, {})[option] = int(value) if value.isdigit() else value
    provider, model = select_provider(args.get("provider"), args.get("model"))
    model = model or provider.default_model
    training = path.with_suffix(".training")
    selection = Selection(rules=RULES, select=select, ignore=list(ignore), options=options)
    run_options = {"has_validation": training.exists(), "model_is_default": "model" not in args}
    if "chat-template" in args:  # the chat-template check (FT9xx), as --chat-template etc. set it
        marker = args.get("response-marker")
        run_options.update(chat_template=args["chat-template"], response_marker=marker and marker.replace("\\n", "\n"),
                           max_seq_length=int(args["max-seq-length"]) if "max-seq-length" in args else None)
    if "trainer-config" in args:  # --trainer-config, relative to the fixture
        run_options["trainer_config"] = str(path.parent / args["trainer-config"])
    run = RunContext(model=model, options=run_options, provider=provider)
    linter = Linter(selection, method=args.get("method"), run=run, **token_hooks())
    sink = ListSink()
    if training.exists():
        linter.lint_file(str(training), sink, role=TRAINING)
        sink.problems.clear()
    result = linter.lint_file(str(path), sink, role=VALIDATION if training.exists() else args.get("role", TRAINING),
                              display=args.get("display"))
    assert result.error is None, result.error
    return sink.problems


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    """Tests lint fresh (and write no .ftlint_cache); tests/test_cache.py turns the cache on."""
    monkeypatch.setenv("FTLINT_NO_CACHE", "1")


def console_script(argv: list[str], cwd=None, env=None) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the ``ftlint`` console script's entry in a fresh interpreter: its result and the modules it imported."""
    code = (f"import sys\nsys.argv = ['ftlint', *{argv!r}]\nfrom ftlint.entry import main_entry\n"
            "try:\n    main_entry()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules))\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env)
    before, _, modules = done.stderr.rpartition("\nMODULES ")
    done.stderr = before
    return done, set(modules.split())


def private_user_cache(tmp_path, monkeypatch, folder: str, switch: str):
    """A private user cache directory with the cache named by ``switch`` turned on (whatever the environment
    says): the folder ftlint keeps that cache in."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(switch, raising=False)
    return home / "ftlint" / folder
