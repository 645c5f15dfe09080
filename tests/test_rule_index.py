"""The derived rule index: a run imports only the rule modules it uses, and the index is never trusted blindly."""

from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import console_script, private_user_cache
from ftlint import cli, rules
from ftlint.rules import DECLARED, HOOKS, load_rules


@pytest.fixture
def index_home(tmp_path, monkeypatch):
    """A private user cache directory (and the index turned on, whatever the environment says)."""
    return private_user_cache(tmp_path, monkeypatch, "rules", "FTLINT_RULE_INDEX")


def _from_modules() -> dict:
    saved = os.environ.get("FTLINT_RULE_INDEX")
    os.environ["FTLINT_RULE_INDEX"] = "0"
    try:
        return load_rules(plugins=False)
    finally:
        if saved is None:
            del os.environ["FTLINT_RULE_INDEX"]
        else:
            os.environ["FTLINT_RULE_INDEX"] = saved


def _picture(rule) -> dict:
    """Every declaration and function of a rule, as the engine, config and listings see them."""
    return {**{attr: getattr(rule, attr) for attr in DECLARED}, **{h: getattr(rule, h) for h in HOOKS},
            "module": rule.module.__name__, "summary": rule.summary}


def test_the_indexed_rules_are_the_rules_of_the_modules(index_home):
    first = load_rules(plugins=False)  # no index yet: imports every module and writes it
    assert [p.name for p in index_home.iterdir()] and not any(r.indexed for r in first.values())
    indexed = load_rules(plugins=False)
    assert all(r.indexed for r in indexed.values())
    reference = _from_modules()
    assert list(indexed) == list(reference) == list(first)
    for code, rule in reference.items():
        assert _picture(indexed[code]) == _picture(rule), code
        assert indexed[code] == rule
        assert type(indexed[code].level) is type(rule.level)
        assert {k: type(v) for k, v in indexed[code].options.items()} == {k: type(v) for k, v in rule.options.items()}


def test_listings_are_the_same_with_and_without_the_index(index_home, monkeypatch):
    def listing(*argv):
        out = io.StringIO()
        assert cli.main(list(argv), stdout=out, stderr=io.StringIO()) == 0
        return out.getvalue()

    load_rules(plugins=False)  # writes the index
    with_index = [listing("--list-rules"), listing("--list-rules", "--format", "json"), listing("--explain", "FT901")]
    monkeypatch.setenv("FTLINT_RULE_INDEX", "0")
    assert with_index == [listing("--list-rules"), listing("--list-rules", "--format", "json"),
                          listing("--explain", "FT901")]
    assert len(json.loads(with_index[1])) == len(rules.BUILTIN_MODULES)


def _index_file(index_home):
    [path] = [p for p in index_home.iterdir() if p.name.startswith("rules-")]
    return path


def test_a_changed_rule_module_gets_a_new_index(index_home, monkeypatch):
    import ftlint.rules.ft004_blank_line as module
    from ftlint import rule_index, rules

    load_rules(plugins=False)
    old = _index_file(index_home)
    stat = os.stat(module.__file__)
    try:
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        # This process still runs the code it imported: it keeps reading and writing that code's index.
        assert all(r.indexed for r in load_rules(plugins=False).values())
        assert {p.name for p in index_home.iterdir()} == {old.name}
        # A process started now imports the changed code (its stamp is taken at import).
        monkeypatch.setattr(rules, "_CODE_STAMP", rule_index.fingerprint())
        changed = load_rules(plugins=False)
        assert not any(r.indexed for r in changed.values())  # the old index does not answer
        names = {p.name for p in index_home.iterdir()}
        assert old.name in names and len(names) == 2
        assert all(r.indexed for r in load_rules(plugins=False).values())
    finally:
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(rules, "_CODE_STAMP", rule_index.fingerprint())
    assert all(r.indexed for r in load_rules(plugins=False).values())  # the old code's index matches again


def test_a_process_older_than_the_files_never_indexes_its_rules_under_their_fingerprint(index_home, tmp_path):
    """A process that outlived an upgrade (its rule list is the old code's) writes its index under the stamp
    it imported, so a process of the new code does not take the old list for its own. Before, a test run
    during an edit stored 105 rules under the fingerprint of files that declared 106."""
    import subprocess
    import sys

    import ftlint.rules.ft004_blank_line as module
    from ftlint import rule_index, rules

    stat = os.stat(module.__file__)
    try:
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # "the upgrade"
        load_rules(plugins=False)  # this (older) process writes its index
        assert [p.name for p in index_home.iterdir()] == [os.path.basename(rule_index._path("", rules._CODE_STAMP))]
        new_process = subprocess.run(
            [sys.executable, "-c", "from ftlint.rules import load_rules; "
             "print(sum(r.indexed for r in load_rules(plugins=False).values()))"],
            capture_output=True, text=True, check=True)
        assert new_process.stdout.strip() == "0"  # it found no index for its code and built the rules itself
    finally:
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_index_is_ignored_and_written_again(index_home, data):
    reference = {code: _picture(rule) for code, rule in _from_modules().items()}
    load_rules(plugins=False)
    path = _index_file(index_home)
    good = path.read_bytes()
    damage = data.draw(st.sampled_from(["flip", "truncate", "append", "empty"]))
    if damage == "flip":
        at = data.draw(st.integers(0, len(good) - 1))
        bad = good[:at] + bytes([good[at] ^ data.draw(st.integers(1, 255))]) + good[at + 1:]
    elif damage == "truncate":
        bad = good[:data.draw(st.integers(0, len(good) - 1))]
    elif damage == "append":
        bad = good + data.draw(st.binary(min_size=1, max_size=64))
    else:
        bad = b""
    path.write_bytes(bad)
    loaded = load_rules(plugins=False)
    assert not any(r.indexed for r in loaded.values())
    assert {code: _picture(rule) for code, rule in loaded.items()} == reference
    assert path.read_bytes() == good  # written again, whole


def test_no_index_where_the_cache_directory_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("FTLINT_RULE_INDEX", raising=False)
    loaded = load_rules(plugins=False)
    assert len(loaded) == len(rules.BUILTIN_MODULES) and not any(r.indexed for r in loaded.values())
    assert blocker.read_text() == "not a directory"


def test_the_index_can_be_turned_off(index_home, monkeypatch):
    monkeypatch.setenv("FTLINT_RULE_INDEX", "0")
    load_rules(plugins=False)
    assert not index_home.exists()


def test_a_plugin_clashing_with_an_indexed_rule_is_named(index_home, monkeypatch, tmp_path):
    import types

    load_rules(plugins=False)
    module = types.ModuleType("acme_rules")
    module.__doc__ = "x\n"
    module.CODE, module.NAME, module.SCOPE, module.LEVEL = "ACM001", "invalid-json", "record", "warning"
    module.check = lambda example, conf, ctx: ()
    monkeypatch.setattr(rules, "_plugin_modules", lambda: [(module, "acme-ftlint")])
    err = io.StringIO()
    assert cli.main([str(tmp_path / "x.jsonl")], stdout=io.StringIO(), stderr=err) == 2
    assert ('rule name "invalid-json" is defined twice: by ftlint (ftlint.rules.ft001_invalid_json) and by '
            "acme-ftlint (acme_rules)") in err.getvalue()


#: Rule modules (and what only they import) a chat file linted for OpenAI has no use for.
NOT_FOR_A_CHAT_FILE = ("ftlint.rules.ft150_gemini_example_invalid", "ftlint.rules.ft160_bedrock_example_invalid",
                       "ftlint.rules.ft201_prompt_completion_types", "ftlint.rules.ft702_preference_shape",
                       "ftlint.rules.ft801_rft_role_invalid", "ftlint.rules.ft910_trainer_record_schema",
                       "ftlint.chat_template", "ftlint.converters",
                       # and what only help text, --stats FILE.csv, a gzip hint or a TOML parse need
                       "shutil", "csv", "shlex", "tomllib")


def test_a_chat_run_imports_only_the_rules_it_runs(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                             {"role": "assistant", "content": "hello"}]}) + "\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("FTLINT_RULE_INDEX", None)
    argv = [str(data), "--isolated", "--no-cache", "--model", "gpt-4o-mini", "--format", "json"]
    first, imported_first = console_script(argv, env=env)  # writes the index
    console_script(argv, env=env)  # the vocabulary cache writes its second entry (the rank table) on the second run
    again, imported = console_script(argv, env=env)
    assert first.returncode == again.returncode == 1, again.stderr  # FT401: too few examples
    assert first.stdout == again.stdout and json.loads(again.stdout)["files"][0]["diagnostics"]
    assert {m for m in imported_first if m.startswith("ftlint.rules.ft")} == {f"ftlint.rules.{n}"
                                                                              for n in rules.BUILTIN_MODULES}
    ran = {m for m in imported if m.startswith("ftlint.rules.ft")}
    assert "ftlint.rules.ft101_messages_invalid" in ran and "ftlint.rules.ft401_too_few_examples" in ran
    assert not imported & set(NOT_FOR_A_CHAT_FILE), sorted(imported & set(NOT_FOR_A_CHAT_FILE))
    selected, imported_selected = console_script([*argv, "--select", "FT001"], env=env)
    assert selected.returncode == 0, selected.stderr
    # A line rule's module is imported when a line first needs it (here: none does).
    assert {m for m in imported_selected if m.startswith("ftlint.rules.ft")} <= {"ftlint.rules.ft001_invalid_json"}



def test_stale_entries_go_when_a_new_one_is_written_and_a_read_keeps_its_entry(index_home):
    from ftlint import user_cache

    load_rules(plugins=False)
    current = _index_file(index_home)
    month = (user_cache.STALE_AFTER_DAYS + 1) * 86400
    old = os.stat(current).st_mtime - month
    os.utime(current, (old, old))
    assert all(r.indexed for r in load_rules(plugins=False).values())
    assert os.stat(current).st_mtime > old + month - 3600  # read: refreshed, so never stale while in use
    stale, recent, temporary, other = (index_home / "rules-0.marshal", index_home / "rules-1.marshal",
                                       index_home / ".tmp-x.marshal", index_home / "notes.txt")
    for path in (stale, recent, temporary, other):
        path.write_bytes(b"x")
    for path in (stale, temporary, other):
        os.utime(path, (old, old))
    current.unlink()
    load_rules(plugins=False)  # writes the index again: sweeps
    assert sorted(p.name for p in index_home.iterdir()) == sorted([current.name, recent.name, other.name])
