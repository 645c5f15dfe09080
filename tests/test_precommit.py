"""The hook as users run it: the real `pre-commit try-repo` against this repository.

pre-commit builds its own virtualenv and pip-installs this repository into it,
so this needs the package registry (CI has it); it is marked `precommit`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


def test_every_hook_id_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for hook in HOOKS:
        assert f"id: {hook['id']}" in readme, hook["id"]


@pytest.mark.parametrize("name, lint, fix", [
    ("data/train.jsonl", True, True), ("train.jsonl.gz", True, False), ("fixtures/FT001/fail/stray_quote.jsonl", True, True),
    ("notes.json", False, False), ("train.jsonl.bak", False, False), ("data.csv", False, False),
])
def test_files_pattern(name, lint, fix):
    # The fixer does not rewrite .gz files (it would have to recompress them).
    expected = {"ftlint": lint, "ftlint-fix": fix}
    assert {hook["id"]: bool(re.search(hook["files"], name)) for hook in HOOKS} == expected


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


ROWS = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
        for i in range(60)]
BAD_A = "\n".join(ROWS[:30]) + '\n{"messages": [{"role": "human", "content": "hi"}]}\n\n'
BAD_B = "\r\n".join(ROWS[30:]) + '\r\n{"messages": []}\r\n'


def _need_git():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and this repository's git checkout")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This working tree (uncommitted changes included) as a git repo pre-commit can pin, and one
    PRE_COMMIT_HOME, so the hook environment is built once for the module (what try-repo does per call)."""
    _need_git()
    base = tmp_path_factory.mktemp("hooks")
    shadow = base / "shadow"
    _git(base, "clone", "-q", "--no-hardlinks", str(REPO), str(shadow))
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, check=True,
                             capture_output=True, text=True).stdout.splitlines()
    for line in changed:
        name = line[3:].split(" -> ")[-1]
        source, target = REPO / name, shadow / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists():
            target.unlink()
    _git(shadow, "add", "-A")
    _git(shadow, "commit", "-q", "--allow-empty", "-m", "working tree")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=shadow, check=True, capture_output=True,
                         text=True).stdout.strip()
    return shadow, rev, {**os.environ, "PRE_COMMIT_HOME": str(base / "pre-commit-home")}


def _data_repo(tmp_path, hook_repo, hooks: str, files: dict[str, str]):
    shadow, rev, env = hook_repo
    work = tmp_path / "data-repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {shadow}\n    rev: {rev}\n    hooks:\n{hooks}")
    for name, text in files.items():
        (work / name).write_bytes(text.encode())
    _git(work, "add", ".")
    return work, env


def _run(work, env, *args):
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], cwd=work,
                          capture_output=True, text=True, env=env, timeout=900)


def _hook_output(stdout: str, name: str) -> list[str]:
    """The lines pre-commit printed for one hook (after its status block)."""
    block = stdout.split(name + ".", 1)[1]
    block = block.split("\n\n", 1)[1] if "\n\n" in block else ""
    return block.split("\n\n")[0].splitlines()


BOTH_HOOKS = "      - id: ftlint-fix\n      - id: ftlint\n"


@pytest.mark.precommit
def test_a_commit_of_two_bad_files_with_both_hooks(tmp_path, hook_repo):
    """What the issue counted (68 lines, the report twice): now one Fixing line per changed file from
    the fixer, the remaining problems and one total line from the lint, and nothing else."""
    work, env = _data_repo(tmp_path, hook_repo, BOTH_HOOKS, {"a.jsonl": BAD_A, "b.jsonl": BAD_B})
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env, check=True,
                   capture_output=True)
    commit = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "color.ui=never",
                             "commit", "-q", "-m", "data"], cwd=work, capture_output=True, text=True,
                            env={**env, "PRE_COMMIT_COLOR": "never"}, timeout=900)
    assert commit.returncode == 1, commit.stdout + commit.stderr
    out = commit.stdout + commit.stderr
    assert _hook_output(out, "ftlint (fix)") == ["Fixing a.jsonl", "Fixing b.jsonl"]
    assert "- files were modified by this hook" in out
    assert _hook_output(out.split("ftlint (fix)", 1)[1], "\nftlint") == [
        'a.jsonl:31:1: FT106 [error] $.messages: example has no assistant message, so nothing in it is trained; '
        "add the assistant reply or drop the example (ftlint --fix --unsafe-fixes drops it)",
        'a.jsonl:31:1: FT102 [error] $.messages[0].role: unknown role "human"; did you mean "user"?',
        "a.jsonl: FT402 [warning] training file has only 31 examples, fewer than the 50 OpenAI recommends; "
        "add examples before paying for a job",
        "b.jsonl:31:1: FT101 [error] $.messages: messages is empty; an example needs at least one message",
        "b.jsonl: FT402 [warning] training file has only 31 examples, fewer than the 50 OpenAI recommends; "
        "add examples before paying for a job",
        "Found 5 problems (3 errors, 2 warnings, 0 info) in 2 files (62 examples).",
    ]
    assert out.count("Found ") == 1 and "histogram" not in out and "$" not in out.replace("$.messages", "")
    (tmp_path / "commit-output.txt").write_text(out)

    # Nothing left to fix: the fixer passes silently; the lint still fails on the errors.
    _git(work, "add", ".")
    again = _run(work, env, "--files", "a.jsonl", "b.jsonl")
    assert again.returncode == 1
    assert re.search(r"ftlint \(fix\)\.+Passed", again.stdout), again.stdout
    assert re.search(r"\nftlint\.+Failed", again.stdout) and again.stdout.count("Found ") == 1


@pytest.mark.precommit
def test_lint_hook_passes_good_files_and_no_quiet_brings_the_statistics_back(tmp_path, hook_repo):
    good = "\n".join(ROWS) + "\n"
    work, env = _data_repo(tmp_path, hook_repo, "      - id: ftlint\n", {"good.jsonl": good, "notes.txt": "x\n"})
    passed = _run(work, env, "--files", "good.jsonl", "notes.txt", "--verbose")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _hook_output(passed.stdout, "ftlint") == [] or "All checks passed: 1 file, 60 examples." in passed.stdout
    (work / ".pre-commit-config.yaml").write_text((work / ".pre-commit-config.yaml").read_text()
                                                  + "        args: [--no-quiet]\n")
    loud = _run(work, env, "--files", "good.jsonl", "--verbose")
    assert loud.returncode == 0 and "good.jsonl: chat (messages), 60 examples; no problems" in loud.stdout


@pytest.mark.precommit
def test_validation_file_in_hook_args_is_linted_once_as_validation(tmp_path, hook_repo):
    hooks = "      - id: ftlint\n        args: [--validation, valid.jsonl]\n"
    valid = "\n".join(ROWS[:20]) + "\n"
    train = "\n".join(json.dumps({"messages": [{"role": "user", "content": f"t{i}"},
                                               {"role": "assistant", "content": f"r{i}"}]}) for i in range(60)) + "\n"
    work, env = _data_repo(tmp_path, hook_repo, hooks, {"train.jsonl": train, "valid.jsonl": valid})
    run = _run(work, env, "--files", "train.jsonl", "valid.jsonl", "--verbose")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FT405" not in run.stdout and "FT402" not in run.stdout  # no overlap with itself, not a training file
    assert "All checks passed: 2 files, 80 examples." in run.stdout


@pytest.mark.precommit
def test_pre_commit_try_repo_runs_the_lint_hook(tmp_path):
    _need_git()
    work = tmp_path / "data-repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "bad.jsonl").write_text(BAD_A)
    _git(work, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "ftlint", "--color", "never",
           "--files", "bad.jsonl"]
    failed = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert 'bad.jsonl:31:1: FT102 [error] $.messages[0].role: unknown role "human"; did you mean "user"?' in failed.stdout
    assert "bad.jsonl:32:1: FT004 [error] blank line" in failed.stdout
    assert failed.stdout.rstrip().endswith("Found 4 problems (3 errors, 1 warning, 0 info) in 1 file (31 examples).")


def test_readme_snippet_pins_the_release_tag_of_this_version():
    """The README's `rev:` is the tag of this version (v<version>; the version comes from
    src/ftlint/__init__.py through hatch's dynamic version). Where the checkout has tags (a clone of
    the published repository), that tag must exist and hold the hooks the snippet names."""
    from importlib.metadata import version

    from ftlint import __version__

    assert version("ftlint") == __version__  # what pip installed is what the source says
    readme = (REPO / "README.md").read_text()
    revs = re.findall(r"^\s+rev: (\S+)$", readme, flags=re.M)
    assert revs == [f"v{__version__}"]
    # The workflow pins the Action to the same tag (which installs its own ftlint); the JSON example
    # names the same release.
    assert re.findall(r"uses: ftlint/ftlint@(\S+)", readme) == [f"v{__version__}"]
    assert f'"tool": {{"name": "ftlint", "version": "{__version__}"}}' in readme
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return
    tags = subprocess.run(["git", "tag", "-l"], cwd=REPO, capture_output=True, text=True).stdout.split()
    if tags:
        assert revs[0] in tags, f"README pins {revs[0]}, tags are {tags}"
        at_tag = yaml.safe_load(subprocess.run(["git", "show", f"{revs[0]}:.pre-commit-hooks.yaml"], cwd=REPO,
                                               capture_output=True, text=True, check=True).stdout)
        snippet = readme.split(f"rev: {revs[0]}", 1)[1].split("```", 1)[0]
        assert set(re.findall(r"id: (\S+)", snippet)) <= {hook["id"] for hook in at_tag}


TIC_TAC_TOE = "JacopKane-tic-tac-toe-openai-api__training_data.jsonl"  # 62 examples, 7 FT403/FT404 warnings
README_HOOK = "      - id: ftlint\n        args: [--model, gpt-4o-mini-2024-07-18]\n"


@pytest.mark.precommit
def test_warnings_pass_silently_unless_verbose_or_strict_as_the_readme_says(tmp_path, hook_repo, real_corpus):
    """The README's hook section: warnings pass and pre-commit hides them; `verbose: true` shows
    them, `--strict` fails the commit on them."""
    data = (real_corpus / TIC_TAC_TOE).read_text()
    work, env = _data_repo(tmp_path, hook_repo, README_HOOK, {"ttt.jsonl": data})
    quiet = _run(work, env, "--files", "ttt.jsonl")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert re.search(r"ftlint\.+Passed\n?$", quiet.stdout) and "FT40" not in quiet.stdout

    config = work / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "        verbose: true\n")
    shown = _run(work, env, "--files", "ttt.jsonl")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert re.search(r"ftlint\.+Passed", shown.stdout)
    assert ("ttt.jsonl:19:1: FT403 [warning] duplicate of the example on line 2; delete the later copy "
            "(ftlint --fix --unsafe-fixes drops it)") in shown.stdout
    assert ("ttt.jsonl: FT407 [warning] a system message is in 1 of 62 conversations and not in the other 61 "
            "(first with one: line 1; first without: line 2)") in shown.stdout
    assert "Found 8 problems (0 errors, 8 warnings, 0 info) in 1 file (62 examples)." in shown.stdout

    config.write_text(README_HOOK.join(config.read_text().split(README_HOOK)[:1]) +
                      "      - id: ftlint\n        args: [--model, gpt-4o-mini-2024-07-18, --strict]\n")
    strict = _run(work, env, "--files", "ttt.jsonl")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert re.search(r"ftlint\.+Failed", strict.stdout)
    assert "Found 8 problems (0 errors, 8 warnings, 0 info) in 1 file (62 examples)." in strict.stdout
