"""The result cache: a re-run answers unchanged files from disk, with the same output, never stale."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from ftlint import cache, cli, engine
from ftlint.reporters import REPORTER_NAMES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache on, in tmp_path/cache; counts how many files were really linted."""
    monkeypatch.delenv("FTLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("FTLINT_CACHE_DIR", str(tmp_path / "cache"))
    linted = []
    real = engine.Linter.lint_file

    def counting(self, name, *args, **kwargs):
        linted.append(name)
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(engine.Linter, "lint_file", counting)
    return linted


def _data(tmp_path, name="d.jsonl") -> str:
    rows = [{"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]}
            for i in range(12)]
    rows.append(rows[0])  # FT403 duplicate
    rows.append({"messages": [{"role": "user", "content": "x"}, {"role": "user", "content": ""}]})
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")  # FT004 blank line at the end
    return str(path)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([*argv, "--isolated"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", [*REPORTER_NAMES, "statistics"])
def test_a_cached_result_gives_the_same_output_in_every_format(tmp_path, cached, fmt):
    data = _data(tmp_path)
    args = [data, "--statistics"] if fmt == "statistics" else [data, "--format", fmt]
    fresh = _run(*args, "--no-cache")
    first = _run(*args)
    assert cached == [data, data]  # --no-cache and the first cached run both lint
    second = _run(*args)
    assert cached == [data, data]  # the second is answered from the cache
    assert fresh == first == second
    assert fresh[0] == 1


def test_a_changed_file_or_setting_is_linted_again(tmp_path, cached, monkeypatch):
    data = _data(tmp_path)
    _run(data)
    _run(data)
    assert len(cached) == 1
    with open(data, "a") as fh:
        fh.write('{"prompt": "x"}\n')
    _run(data)
    assert len(cached) == 2  # content
    _run(data, "--ignore", "FT004")
    assert len(cached) == 3  # selection
    _run(data, "--model", "gpt-4.1-mini")
    assert len(cached) == 4  # model
    monkeypatch.setenv("FTLINT_TODAY", "2030-01-01")
    _run(data)
    assert len(cached) == 5  # retirement verdicts depend on the date
    config = tmp_path / "ftlint.toml"
    config.write_text('[rules.FT401]\nmin = 30\n')
    out = io.StringIO()
    cli.main([data, "--config", str(config)], stdout=out, stderr=io.StringIO())
    assert len(cached) == 6  # a rule option from a config file


def test_a_changed_rule_module_is_linted_again(tmp_path, cached):
    import ftlint.rules.ft004_blank_line as rule

    data = _data(tmp_path)
    _run(data)
    _run(data)
    assert len(cached) == 1
    stat = os.stat(rule.__file__)
    try:
        os.utime(rule.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        _run(data)
    finally:
        os.utime(rule.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert len(cached) == 2


def test_no_cache_reads_and_writes_nothing(tmp_path, cached):
    data = _data(tmp_path)
    _run(data, "--no-cache")
    assert not (tmp_path / "cache").exists()
    _run(data, "--cache-dir", str(tmp_path / "other"))
    assert (tmp_path / "other" / "CACHEDIR.TAG").exists() and (tmp_path / "other" / ".gitignore").exists()


def test_validation_runs_are_not_cached(tmp_path, cached):
    data, validation = _data(tmp_path), _data(tmp_path, "v.jsonl")
    _run(data, "--validation", validation)
    _run(data, "--validation", validation)
    assert cached == [data, validation] * 2  # the overlap check spans files: always linted


def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path, cached):
    data = _data(tmp_path)
    expected = _run(data)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.parent.name not in ("cache", "runs")]
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:-40])
    assert _run(data) == expected
    assert len(cached) == 2
    assert _run(data) == expected
    assert len(cached) == 2  # rewritten whole


def test_concurrent_runs_share_the_cache_safely(tmp_path):
    files = [_data(tmp_path, f"d{i}.jsonl") for i in range(3)]
    env = {k: v for k, v in os.environ.items() if k != "FTLINT_NO_CACHE"}
    env["FTLINT_CACHE_DIR"] = str(tmp_path / "cache")
    argv = [sys.executable, "-m", "ftlint", *files, "--isolated", "--format", "json"]
    expected = subprocess.run([*argv, "--no-cache"], capture_output=True, text=True, env=env).stdout
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    outputs = [p.communicate()[0] for p in procs]
    assert outputs == [expected] * 4
    assert subprocess.run(argv, capture_output=True, text=True, env=env).stdout == expected


def test_cache_fingerprint_refuses_rules_without_source(monkeypatch, tmp_path):
    """A rule module with no file (built in memory) cannot be fingerprinted: nothing is cached."""
    import types

    module = types.ModuleType("inline")
    assert cache.code_fingerprint([module]) is None


def test_a_file_a_run_option_names_is_part_of_the_key(tmp_path):
    template = tmp_path / "template.jinja"
    template.write_text("a")
    first = cache._named_files({"chat_template": str(template), "other": ["x", None]})
    template.write_text("b")
    assert cache._named_files({"chat_template": str(template)}) != first
    assert cache._named_files({"chat_template": "llama3"}) == {}  # a name, not a file


def test_entries_keep_bytes_and_levels_exactly():
    from ftlint.problem import Level

    for value in (b"\xff{raw line", Level.WARNING, "text", None, 3):
        assert cache._unfield(orjson.loads(orjson.dumps(cache._field(value)))) == (
            str(value) if isinstance(value, Level) else value)


def test_a_retired_model_is_said_once_per_run_cached_or_not(tmp_path, cached):
    # FT302 is about the model, not the file: three files draw it once, whether each file is linted fresh
    # or answered from the cache, and a cached file run alone still says it (its entry keeps it).
    source = (FIXTURES / "FT302" / "fail" / "shut_down_model.jsonl").read_bytes()
    paths = []
    for name in ("a.jsonl", "b.jsonl", "c.jsonl"):
        (tmp_path / name).write_bytes(source)
        paths.append(str(tmp_path / name))
    expected = (FIXTURES / "FT302" / "fail" / "shut_down_model.expected").read_text().strip().removeprefix("- FT302 ")
    retired = ["--model", "gpt-3.5-turbo-0613", "--select", "FT302"]

    def ft302(argv):
        code, out, _ = _run(*argv, *retired, "--format", "json")
        doc = json.loads(out)
        said = [d["message"] for f in doc["files"] for d in f["diagnostics"] if d["code"] == "FT302"]
        return code, said, [f["counts"]["errors"] for f in doc["files"]], doc["summary"]["errors"]

    fresh = ft302([*paths, "--no-cache"])
    assert fresh == (1, [expected], [1, 0, 0], 1)
    assert ft302(paths) == fresh and len(cached) == 6  # the first cached run lints and writes
    assert ft302(paths) == fresh and len(cached) == 6  # all three from the cache: still once
    assert ft302([paths[2]]) == (1, [expected], [1], 1)  # a file whose run did not show it keeps it
    assert ft302([paths[2], paths[0]]) == (1, [expected], [1, 0], 1) and len(cached) == 6
    code, out, _ = _run(*paths, *retired)
    assert code == 1 and out.count("FT302") == 2  # the finding and the first file's count, nothing more
    assert "Found 1 problem (1 error" in out
