"""A pre-commit run pays only for what it uses: imports and the tokenizer."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from conftest import console_script
from ftlint import cli, tokenizer

HEAVY = ("jsonschema", "tiktoken", "pyarrow", "openai", "ftlint.rules.ft001_invalid_json")


def _imported_after(argv: list[str]) -> set[str]:
    code = ("import sys, io\nfrom ftlint.cli import main\n"
            f"try:\n    main({argv!r}, stdout=io.StringIO(), stderr=io.StringIO())\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('\\n'.join(sys.modules))")  # stdout has --help's text
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stderr
    loaded = set(err.split())
    assert "ftlint.cli" in loaded
    return loaded


def test_version_imports_no_rule_tokenizer_or_schema_validator():
    loaded = _imported_after(["--version"])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_version_through_the_console_script_imports_almost_nothing():
    code = ("import sys\nsys.argv = ['ftlint', '--version']\nfrom ftlint.entry import main_entry\n"
            "try:\n    main_entry()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "sys.stderr.write('\\n'.join(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    from ftlint import __version__

    assert done.stdout == f"ftlint {__version__}\n"
    ours = {name for name in done.stderr.split() if name.startswith("ftlint")}
    assert ours == {"ftlint", "ftlint.entry"}, sorted(ours)
    assert "argparse" not in done.stderr.split()


#: What the console script must not import to answer --help (and a run the result cache answers).
NOT_FOR_HELP = ("ftlint.cli", "ftlint.engine", "ftlint.submit", "ftlint.providers", "ftlint.catalog", "jsonschema",
                "tiktoken", "regex", "orjson")


def test_help_through_the_console_script_imports_no_engine_rule_or_cli():
    done, loaded = console_script(["--help"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ftlint") and "--convert-to FORMAT" in done.stdout
    assert not loaded & set(NOT_FOR_HELP), sorted(loaded & set(NOT_FOR_HELP))
    assert not [m for m in loaded if m.startswith("ftlint.rules")]
    assert "dataclasses" not in loaded


@pytest.mark.parametrize("argv", [["x.jsonl", "--help"], ["-qh"], ["--he"]])
def test_help_anywhere_on_the_line_is_answered_by_the_light_parser(argv):
    done, loaded = console_script(argv)
    assert done.returncode == 0 and done.stdout.startswith("usage: ftlint"), done.stderr
    assert "ftlint.cli" not in loaded


def test_a_usage_error_before_help_is_reported_by_the_cli():
    done, loaded = console_script(["--jobs", "0", "--help"])
    assert done.returncode == 2
    assert done.stderr.startswith("ftlint: error: argument -j/--jobs:"), done.stderr
    assert done.stdout == ""


def test_help_imports_no_rule_tokenizer_or_schema_validator():
    loaded = _imported_after(["--help"])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.fixture
def no_tokenizer(monkeypatch):
    """Building any encoding fails loudly."""
    monkeypatch.setattr(tokenizer, "_cache", {})

    def refuse(spec, path):
        raise AssertionError(f"built the {spec.name} tokenizer")

    monkeypatch.setattr(tokenizer, "build_encoding", refuse)


def _chat_file(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                             {"role": "assistant", "content": "hello"}]}) + "\n")
    return str(path)


def test_rules_that_need_no_tokens_build_no_tokenizer(tmp_path, no_tokenizer):
    out = io.StringIO()
    assert cli.main([_chat_file(tmp_path), "--isolated", "--select", "FT0,FT1,FT4"], stdout=out,
                    stderr=io.StringIO()) == 1  # FT401: too few examples
    assert "tokens:" not in out.getvalue()  # no token report without token rules


def test_token_rules_build_the_tokenizer(tmp_path, no_tokenizer):
    err = io.StringIO()
    assert cli.main([_chat_file(tmp_path), "--isolated", "--select", "FT303"], stdout=io.StringIO(), stderr=err) == 2
    assert "built the o200k_base tokenizer" in err.getvalue()  # the internal-error line


def test_token_rules_declare_it():
    from ftlint.rules import load_rules

    counting = {code for code, rule in load_rules(plugins=False).items() if rule.tokens}
    assert counting == {"FT303", "FT304", "FT305", "FT306"}


def test_the_console_script_collects_garbage_again_once_set_up(tmp_path):
    """The collector is paused while ftlint imports and sets up, and on (start-up's objects frozen) before data."""
    code = ("import gc, sys\nimport ftlint.cli as cli\nseen = []\nrun_lint = cli.run_lint\n"
            "def spy(*a, **k):\n    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
            "    return run_lint(*a, **k)\ncli.run_lint = spy\n"
            f"sys.argv = ['ftlint', {_chat_file(tmp_path)!r}, '--isolated', '--no-cache']\n"
            "from ftlint.entry import main_entry\ntry:\n    main_entry()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(repr(seen))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.endswith("[(True, True)]"), done.stderr


def test_a_program_calling_the_cli_keeps_its_own_collector(tmp_path):
    import gc

    frozen = gc.get_freeze_count()
    assert cli.main([_chat_file(tmp_path), "--isolated", "--no-cache", "--select", "FT001"], stdout=io.StringIO(),
                    stderr=io.StringIO()) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
