"""A re-run the result cache answers before the CLI, the engine or any rule is imported (ftlint.rerun)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Never imported by a re-run a run record answers.
LINTING = ("ftlint.cli", "ftlint.engine", "ftlint.rules", "ftlint.providers", "ftlint.catalog", "ftlint.config",
           "ftlint.tokenizer", "jsonschema", "tiktoken", "regex")



def chat(n: int) -> str:
    return json.dumps({"messages": [{"role": "user", "content": f"What is {n}+{n}?"},
                                    {"role": "assistant", "content": str(n + n)}]}) + "\n"


def ftlint(cwd, *argv, env=None):
    """The console script's entry in a fresh interpreter: (exit code, stdout, stderr, modules imported)."""
    code = (f"import sys\nsys.argv = ['ftlint', *{list(argv)!r}]\nfrom ftlint.entry import main_entry\n"
            "try:\n    main_entry()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules))\nsys.exit(code)")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FTLINT_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                          env={**environ, **(env or {})})
    err, _, modules = done.stderr.rpartition("\nMODULES ")
    return done.returncode, done.stdout, err, set(modules.split())


def linted(modules: set[str]) -> bool:
    return "ftlint.engine" in modules


@pytest.fixture
def project(tmp_path):
    (tmp_path / "train.jsonl").write_text("".join(chat(n) for n in range(12)))  # FT402: fewer than 50
    (tmp_path / "bad.jsonl").write_text(chat(1) + "{not json\n")
    return tmp_path


def test_a_re_run_is_answered_without_linting_and_says_the_same(project):
    first = ftlint(project, "train.jsonl", "bad.jsonl", "--model", "gpt-4o-mini")
    again = ftlint(project, "train.jsonl", "bad.jsonl", "--model", "gpt-4o-mini")
    assert first[0] == again[0] == 1  # bad.jsonl: FT001
    assert "FT001" in first[1] and "FT402" in first[1]
    assert again[1:3] == first[1:3]
    assert linted(first[3])
    assert not {m for m in again[3] if m.startswith(LINTING)}, sorted(m for m in again[3] if m.startswith(LINTING))
    ftlint(project, "train.jsonl", "bad.jsonl", "-q")
    quiet = ftlint(project, "train.jsonl", "bad.jsonl", "-q")  # the ftlint pre-commit hook's line
    assert quiet[0] == 1 and not linted(quiet[3]) and "bad.jsonl:2:" in quiet[1]
    assert "orjson" not in quiet[3]  # entries are read with the json module (orjson's import costs more)


def test_a_fix_only_run_that_changed_nothing_is_answered_until_the_file_changes(project):
    argv = ("train.jsonl", "--fix-only")
    assert ftlint(project, *argv)[:3] == (0, "", "")
    code, out, err, modules = ftlint(project, *argv)
    assert (code, out, err) == (0, "", "") and not {m for m in modules if m.startswith(LINTING)}
    data = (project / "train.jsonl").read_bytes()
    (project / "train.jsonl").write_bytes(data.replace(b"\n", b"\r\n"))  # FT005: --fix-only rewrites it
    code, out, _, modules = ftlint(project, *argv)
    assert (code, out) == (1, "Fixing train.jsonl\n") and linted(modules)
    assert (project / "train.jsonl").read_bytes() == data
    again = ftlint(project, *argv)  # the bytes are the first run's again: its record answers
    assert again[:3] == (0, "", "") and not linted(again[3])


def test_the_config_file_in_force_is_part_of_the_key(project):
    argv = ("train.jsonl", "--model", "gpt-4o-mini")
    ftlint(project, *argv)
    (project / "ftlint.toml").write_text('ignore = ["FT402"]\n')
    code, out, _, modules = ftlint(project, *argv)
    assert linted(modules) and "FT402" not in out and code == 0
    (project / "ftlint.toml").write_text('format = "json"\n')  # a report option from the config
    first = ftlint(project, *argv)
    again = ftlint(project, *argv)
    assert not linted(again[3]) and again[1] == first[1]
    assert json.loads(again[1])["files"][0]["path"] == "train.jsonl"


def test_a_config_file_appearing_in_a_parent_directory_is_another_run(project):
    work = project / "sub"
    work.mkdir()
    (work / "train.jsonl").write_text("".join(chat(n) for n in range(12)))
    ftlint(work, "train.jsonl")
    assert not linted(ftlint(work, "train.jsonl")[3])
    (project / "pyproject.toml").write_text('[tool.ftlint]\nignore = ["FT402"]\n')
    code, out, _, modules = ftlint(work, "train.jsonl")
    assert linted(modules) and "FT402" not in out


def test_changed_data_a_pinned_date_or_no_cache_lint_again(project):
    argv = ("train.jsonl", "--model", "gpt-4o-mini")
    ftlint(project, *argv)
    with open(project / "train.jsonl", "a") as fh:
        fh.write("[1]\n")
    code, out, _, modules = ftlint(project, *argv)
    assert linted(modules) and "FT006" in out and code == 1
    assert linted(ftlint(project, *argv, env={"FTLINT_TODAY": "2027-02-01"})[3])  # the date is in the key
    assert linted(ftlint(project, *argv, "--no-cache")[3])
    assert linted(ftlint(project, *argv, env={"FTLINT_NO_CACHE": "1"})[3])


def test_a_damaged_record_is_a_miss(project):
    argv = ("train.jsonl", "--cache-dir", "c")
    first = ftlint(project, *argv)
    records = list((project / "c" / "runs").iterdir())
    assert len(records) == 1
    records[0].write_bytes(b"{damaged")
    again = ftlint(project, *argv)
    assert linted(again[3]) and again[:3] == first[:3]
    assert not linted(ftlint(project, *argv)[3])  # written again


def test_commands_other_than_a_plain_lint_write_no_record(project):
    for argv in (["train.jsonl", "--validation", "bad.jsonl"], ["train.jsonl", "--statistics"],
                 ["train.jsonl", "--fix"], ["train.jsonl", "-v"], [str(project)]):
        ftlint(project, *argv, "--cache-dir", "c")
    assert not (project / "c" / "runs").exists()


def test_a_replayed_run_says_a_retired_model_once(project):
    (project / "again.jsonl").write_text((project / "train.jsonl").read_text())
    argv = ("train.jsonl", "again.jsonl", "--model", "gpt-3.5-turbo-0613", "--select", "FT302")
    first, again = ftlint(project, *argv), ftlint(project, *argv)
    assert not linted(again[3])  # answered from the record
    assert again[:3] == first[:3] and first[0] == 1
    assert first[1].count("FT302 [error]") == 1  # once per run, replayed or not


def test_a_run_whose_ignore_may_undo_a_select_is_not_replayed_so_it_warns_each_time(project):
    argv = ("train.jsonl", "--select", "FT402", "--ignore", "few-examples")
    first, again = ftlint(project, *argv), ftlint(project, *argv)
    warning = 'ftlint: warning: --select "FT402" and --ignore "few-examples" name the same rules'
    assert first[2].startswith(warning) and again[2].startswith(warning) and linted(again[3])
