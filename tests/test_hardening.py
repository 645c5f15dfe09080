"""The attack report's reproductions (../shared/reference/attack-report.md, F1-F18), each bounded in time and memory.

Output injection (F5-F7, F17) is in test_escape.py.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import math
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, lint_paths
from ftlint import fix as fix_module
from ftlint import tempfiles
from ftlint.cli import main
from ftlint.config import load_config
from ftlint.formats import _canonical_bytes, _digest
from ftlint.globs import GlobError, compile_glob, glob_match
from ftlint.rules import load_rules
from ftlint.settings import ConfigError

sys.path.insert(0, str(REPO / "bench"))
from peak_rss import run_watched  # noqa: E402  (the bench script's process-tree watcher)

RULES = load_rules(plugins=False)
CHAT = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "x"}]}
FTLINT = [sys.executable, "-m", "ftlint", "--isolated"]


def run(argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(["--isolated", *map(str, argv)], out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def one_line_exit_2(code: int, err: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


# -- F1: deep nesting ------------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [254, 300, 1000])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_deep_nesting_lints(tmp_path, depth, fmt):
    line = json.dumps(CHAT)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}\n"
    path = tmp_path / "d.jsonl"
    path.write_text(line * 2)
    code, out, err = run(["--format", fmt, "--extend-select", "FT008", path])
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    assert "FT403" in out  # the duplicate was found: the digest of a deep value works
    if fmt != "text":
        json.loads(out)


def test_deep_nesting_fix_and_diff(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes((json.dumps(CHAT)[:-1] + ', "extra": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}\r\n").encode())
    code, _, err = run(["--diff", path])
    assert code == 1 and "internal" not in err
    code, _, err = run(["--fix", path])
    assert "internal" not in err and b"\r\n" not in path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4),
                    max_leaves=30))
def test_canonical_bytes_equal_orjson(value):
    import orjson

    assert _canonical_bytes(value) == orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def test_digest_of_any_depth():
    import orjson

    deep, same, other = (orjson.loads(b"[" * 1000 + inner + b"]" * 1000) for inner in (b"1", b"1", b"2"))
    assert _digest(deep) == _digest(same) != _digest(other)


# -- F4: invalid gzip ------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"\x1f\x8b\x08\x00garbage not gzip at all" * 10,
                                  gzip.compress(b'{"a": 1}\n' * 100)[:-9],  # truncated
                                  b"plain text, not gzip"])
def test_bad_gzip_is_one_line_exit_2(tmp_path, body):
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(body)
    code, _, err = run([path])
    one_line_exit_2(code, err)
    assert "read failed" in err or "Not a gzipped file" in err


# -- any unexpected exception: one line, exit 2 -----------------------------------------------------------

def test_internal_error_is_one_line_exit_2(tmp_path, monkeypatch):
    from ftlint import engine

    def broken(*args, **kwargs):
        raise TypeError("something ftlint did not expect")

    monkeypatch.setattr(engine.Linter, "lint_file", broken)
    (tmp_path / "a.jsonl").write_text(json.dumps(CHAT) + "\n")
    code, _, err = run([tmp_path / "a.jsonl"])
    one_line_exit_2(code, err)
    assert err.startswith("ftlint: internal error: TypeError: something ftlint did not expect (please report")
    code, _, err = run(["--debug", tmp_path / "a.jsonl"])
    assert code == 2 and "Traceback" in err and err.rstrip().endswith(")")


# -- F8, F10, F9: --fix ------------------------------------------------------------------------------------

def test_fix_through_symlink_fixes_target_keeps_link_and_mode(tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_bytes(json.dumps(CHAT).encode() + b"\r\n")
    real.chmod(0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to("real.jsonl")
    code, _, err = run(["--fix", "--select", "FT005", link])
    assert link.is_symlink() and os.readlink(link) == "real.jsonl", err
    assert real.read_bytes() == json.dumps(CHAT).encode() + b"\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not list(tmp_path.glob(".*ftlint-tmp"))


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_keeps_owner(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps(CHAT).encode() + b"\r\n")
    os.chown(path, 1234, 1234)
    run(["--fix", "--select", "FT005", path])
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 1234)
    assert path.read_bytes().endswith(b"}\n")


def test_fix_refuses_hard_links(tmp_path):
    path = tmp_path / "a.jsonl"
    original = json.dumps(CHAT).encode() + b"\r\n"
    path.write_bytes(original)
    os.link(path, tmp_path / "b.jsonl")
    code, _, err = run(["--fix", "--select", "FT005", path])
    one_line_exit_2(code, err)
    assert "2 hard links" in err and path.read_bytes() == original


@pytest.mark.parametrize("where, error", [("mkstemp", errno.EACCES), ("replace", errno.ENOSPC), ("write", errno.ENOSPC)])
def test_fix_write_failure_is_one_line_original_intact_no_temp(tmp_path, monkeypatch, where, error):
    path = tmp_path / "a.jsonl"
    original = json.dumps(CHAT).encode() + b"\r\n"
    path.write_bytes(original)

    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    if where == "mkstemp":
        monkeypatch.setattr(tempfiles.tempfile, "mkstemp", fail)
    elif where == "replace":
        monkeypatch.setattr(fix_module.os, "replace", fail)
    else:
        monkeypatch.setattr(fix_module.AtomicOutput, "write", fail)
    code, _, err = run(["--fix", "--select", "FT005", path])
    one_line_exit_2(code, err)
    assert os.strerror(error) in err and "original is unchanged" in err
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_fix_in_read_only_directory_as_another_user(tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    path = directory / "a.jsonl"
    original = json.dumps(CHAT).encode() + b"\r\n"
    path.write_bytes(original)
    path.chmod(0o666)
    directory.chmod(0o555)
    tmp_path.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *FTLINT, "--fix",
                             "--select", "FT005", str(path)], capture_output=True, text=True, timeout=120, env=env)
    if "No module named" in result.stderr:
        pytest.skip("the nobody user cannot import this environment's packages")
    one_line_exit_2(result.returncode, result.stderr)
    assert "Permission denied" in result.stderr and path.read_bytes() == original
    assert sorted(p.name for p in directory.iterdir()) == ["a.jsonl"]


def test_fix_never_empties_a_file(tmp_path):
    """F9: RFT data fixed as supervised data: FT106's unsafe fix would drop every example."""
    path = tmp_path / "rft.jsonl"
    original = b"".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"}], "answer": "A"}).encode() + b"\n"
                        for i in range(12))
    path.write_bytes(original)
    code, _, err = run(["--fix", "--unsafe-fixes", path])
    one_line_exit_2(code, err)
    assert "more than half of the file, so nothing was changed" in err and path.read_bytes() == original


# -- F16: configuration ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, needle", [
    ("pyproject.toml", b'[tool.ftlint]\nmodel = "\xff\xfe"\n', "not UTF-8"),
    ("ftlint.toml", b'model = "\xff\xfe"\n', "not UTF-8"),
    ("pyproject.toml", b"[tool]\nftlint = 3\n", '"tool.ftlint" must be a table'),
    ("ftlint.toml", b"select = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    ("ftlint.toml", b'[per-file-ignores]\n"[z-a].jsonl" = ["FT004"]\n', 'bad character range "z-a"'),
    ("ftlint.toml", b'[per-file-model]\n"" = "gpt-4o-mini-2024-07-18"\n', "empty glob"),
    ("ftlint.toml", b"rate = nan\n", '"rate" must be a finite number from 0 to 100,000'),
    ("ftlint.toml", b"rate = inf\n", '"rate" must be a finite number from 0 to 100,000'),
    ("ftlint.toml", b"rate = -1.0\n", '"rate" must be a finite number from 0 to 100,000'),
    ("ftlint.toml", b"epochs = 9223372036854775807\n", '"epochs" must be from 1 to 1,000'),
    ("ftlint.toml", b"[rules.FT009]\nmax-bytes = 0\n", 'option "max-bytes" of rule FT009'),
    ("ftlint.toml", b"[rules.FT009]\nmax-bytes = -1\n", "must be a finite number >= 1"),
    ("ftlint.toml", b"[rules.FT304]\nfraction = nan\n", 'option "fraction" of rule FT304'),
    ("ftlint.toml", b"[rules.FT307]\nratio = inf\n", 'option "ratio" of rule FT307'),
    ("ftlint.toml", b"[rules.FT401]\nmin = -5\n", 'option "min" of rule FT401'),
    ("ftlint.toml", b"[rules.FT804]\nmax-training = -1\n", 'option "max-training" of rule FT804'),
    # One rule's level set twice, by code and by name: which was meant?
    ("ftlint.toml", b'[rules.FT106]\nlevel = "off"\n[rules.missing-assistant-message]\nlevel = "error"\n',
     "[rules.FT106] and [rules.missing-assistant-message] both configure rule FT106 (missing-assistant-message)"),
    ("pyproject.toml", b'[tool.ftlint.rules.FT402]\nlevel = "info"\n[tool.ftlint.rules.few-examples]\nrecommended = 5\n',
     "[tool.ftlint.rules.FT402] and [tool.ftlint.rules.few-examples] both configure rule FT402"),  # as written
    ("ftlint.toml", b'[rules.ft009]\nmax-bytes = 10\n[rules.FT009]\nmax-bytes = 20\n',
     "[rules.ft009] and [rules.FT009] both configure rule FT009"),
    ("ftlint.toml", b'select = ["FT1"]\nignore = ["FT1"]\n', '"FT1" in both "select" and "ignore"'),
    ("ftlint.toml", b'extend-select = ["FT106"]\nignore = ["missing-assistant-message"]\n',
     '"FT106" and "missing-assistant-message" (the same rule) in both "extend-select" and "ignore"'),
])
@pytest.mark.parametrize("discovered", [True, False])
def test_bad_config_is_one_line_exit_2(tmp_path, name, content, needle, discovered):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "a.jsonl").write_text(json.dumps(CHAT) + "\n")
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        argv = ["a.jsonl"] if discovered else ["--config", name, "a.jsonl"]
        code = main(argv, out, err)
    finally:
        os.chdir(old)
    one_line_exit_2(code, err.getvalue())
    assert needle in err.getvalue()


def test_a_prefix_narrowed_by_ignore_is_no_contradiction(tmp_path):
    path = tmp_path / "ftlint.toml"
    path.write_text('select = ["FT1", "FT4"]\nignore = ["FT105", "few-examples"]\n'
                    '[rules.FT106]\nlevel = "warning"\n[rules.few-examples]\nrecommended = 3\n')
    config = load_config(path, RULES)
    assert config.levels == {"FT106": "warning"} and config.options == {"FT402": {"recommended": 3}}


@pytest.mark.parametrize("argv", [
    ["--model", "x\n::error::forged\x1b[2J"],
    ["--provider", "x\r\n::warning::forged"],
    ["--select", "FT1\n::error::forged"],
    ["--config", "no\n::error::such.toml"],
])
def test_usage_errors_quote_arguments_escaped(tmp_path, argv):
    """An error quoting a model, provider, rule or path the user typed stays one escaped line (F7's class)."""
    (tmp_path / "a.jsonl").write_text(json.dumps(CHAT) + "\n")
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, str(tmp_path / "a.jsonl")], out, err)
    one_line_exit_2(code, err.getvalue())
    assert "\x1b" not in err.getvalue() and "\r" not in err.getvalue() and "\\n::" in err.getvalue()


def test_glob_with_many_stars_is_fast(tmp_path):
    """F16 ReDoS: 80 "*" then "x" took over 30 s; 5000 over 60 s."""
    (tmp_path / "ftlint.toml").write_text(f'[per-file-ignores]\n"{"*" * 5000}x" = ["FT004"]\n'
                                          f'"{"*a" * 200}b" = ["FT004"]\n')
    name = "a" * 200 + ".jsonl"
    (tmp_path / name).write_text(json.dumps(CHAT) + "\n")
    start = time.monotonic()
    code, _, err = run(["--config", tmp_path / "ftlint.toml", tmp_path / name])
    assert code in (0, 1), err
    assert time.monotonic() - start < 20
    start = time.monotonic()
    assert not glob_match("*" * 5000 + "x", "a" * 5000)
    assert not glob_match("*a" * 100 + "b", "a" * 2000)
    assert time.monotonic() - start < 5


def _reference_regex(pattern: str) -> str:
    """The old translation (correct, but backtracking), as the oracle for the automaton."""
    import re

    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out) + r"\Z"


@settings(max_examples=400, deadline=None)
@given(st.text("ab/*?.", min_size=1, max_size=8), st.text("ab/.", max_size=10))
def test_glob_matches_like_the_regex_it_replaced(pattern, path):
    import re

    assert glob_match(pattern, path) == bool(re.match(_reference_regex(pattern), path))


@pytest.mark.parametrize("pattern, path, expected", [
    ("data/[a-c]*.jsonl", "data/b1.jsonl", True), ("data/[a-c]*.jsonl", "data/d1.jsonl", False),
    ("[!a]x", "ax", False), ("[!a]x", "bx", True), ("[]]x", "]x", True), ("[a-]x", "-x", True),
    ("**/x.jsonl", "x.jsonl", True), ("**/x.jsonl", "a/b/x.jsonl", True), ("a/**", "a/b/c", True),
    ("*.jsonl", "a/b.jsonl", False), ("[a-z]", "/", False),
])
def test_glob_classes(pattern, path, expected):
    assert glob_match(pattern, path) is expected


def test_glob_errors():
    with pytest.raises(GlobError, match="z-a"):
        compile_glob("[z-a].jsonl")
    with pytest.raises(GlobError, match="empty"):
        compile_glob("")


# A hypothesis suite over config TOML: whatever the text, loading is a Config or one ConfigError.
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                       lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3),
                       max_leaves=8)
_KEYS = st.sampled_from(["select", "ignore", "extend-select", "model", "method", "epochs", "rate", "format", "strict",
                         "per-file-ignores", "per-file-model", "rules", "colour", "FT009", "max-bytes"])


def _toml_value(value) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value == math.inf else "-inf" if value == -math.inf else repr(value))
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_KEYS, _VALUES | st.dictionaries(st.sampled_from(["FT009", "FT304", "FT401", "*.jsonl", "[z-a]", ""]),
                                                         st.dictionaries(st.sampled_from(["level", "max-bytes", "fraction", "min"]), _VALUES, max_size=2)
                                                         | _VALUES, max_size=2), max_size=4),
       st.binary(max_size=20))
def test_any_config_loads_or_is_one_config_error(tmp_path, table, junk):
    path = tmp_path / "ftlint.toml"
    text = "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in table.items()).encode() + b"\n" + junk
    path.write_bytes(text)
    try:
        config = load_config(path, RULES)
    except ConfigError as exc:
        assert "\n" not in str(exc).strip() or "TOML" in str(exc)
        return
    for pattern in config.per_file_ignores:
        config.ignores_for("x.jsonl")
        compile_glob(pattern)


# -- F3: memory does not grow with the number of lines or problems ---------------------------------------

def test_blank_lines_are_not_buffered(tmp_path, monkeypatch):
    """10M blank lines took 2 GB: the format sniffer buffered every one (0 bytes of content each)."""
    from ftlint import engine

    buffered_sizes = []
    sniff = engine.Linter.sniff

    def spy(lines):
        buffered, sample = sniff(lines)
        buffered_sizes.append(len(buffered))
        return buffered, sample

    monkeypatch.setattr(engine.Linter, "sniff", staticmethod(spy))
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n" * (engine.SNIFF_LINES + 50_000) + json.dumps(CHAT).encode() + b"\n")
    problems, results = lint_paths([path], select=["FT004"])
    assert results[0].codes["FT004"] == engine.SNIFF_LINES + 50_000 and results[0].examples == 1
    assert buffered_sizes == [engine.SNIFF_LINES]


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _newline_bomb(path: Path, mib: int) -> None:
    chunk = b"\n" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(mib):
            fh.write(chunk)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json"])  # bench/peak_rss.py runs every format
def test_newline_bomb_memory_is_bounded_and_sigint_is_clean(tmp_path, fmt):
    """F3: a 2 MB gzip of newlines grew past 6 GB. Run 5 s under a watcher (it grew ~100 MB/s), then SIGINT."""
    bomb = tmp_path / "bomb.jsonl.gz"
    _newline_bomb(bomb, 512)  # 512 MiB of newlines, ~0.5 MB compressed: more than 8 s of work
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code, peak_kb, elapsed, out, err = run_watched([*FTLINT, "--format", fmt, str(bomb)], seconds=5, cwd=tmp_path,
                                                   env=env, start_new_session=True)
    assert peak_kb < 250 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"
    assert code == 130 and err == b"ftlint: interrupted\n", err


# -- Ctrl-C: the whole process group, workers included --------------------------------------------------

@pytest.mark.slow
def test_sigint_to_process_group_with_workers(tmp_path):
    """SIGINT as a terminal sends it: to every process of the group; one line, exit 130, no traceback."""
    path = tmp_path / "big.jsonl"
    line = json.dumps({"messages": [{"role": "user", "content": "word " * 50},
                                    {"role": "assistant", "content": "answer " * 50}]}).encode() + b"\n"
    # 160 MB: the signal comes once the workers are running, well before the end (a fixed 4 s sleep
    # outlasted the whole run on a fast idle machine; a signal during interpreter exit is -2).
    path.write_bytes(line * (160_000_000 // len(line)))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([*FTLINT, "--jobs", "2", str(path)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # the workers are at work, with tasks queued
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == b"ftlint: interrupted\n", err  # one line from the main process, nothing from the workers


@pytest.mark.slow
def test_sigint_during_fix_leaves_no_temp_file(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps(CHAT).encode() + b"\r\n"
    original = line * (60_000_000 // len(line))
    path.write_bytes(original)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([*FTLINT, "--fix", "--select", "FT005", str(path)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".*ftlint-tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 130:
        assert err == b"ftlint: interrupted\n" and path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"], err


def test_sigterm_is_one_line_exit_143(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    _newline_bomb(bomb, 64)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([*FTLINT, str(bomb)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    time.sleep(2.5)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and err == b"ftlint: terminated\n", err


# -- hypothesis over bytes: any file is a report, never a traceback ---------------------------------------

_LINE_PIECES = st.sampled_from([b"", b"{", b"}", b"[", b"]", b'"', b"\\", b":", b",", b"\r", b"\n", b"\x00", b"\xff",
                                b"\xef\xbb\xbf", b"\x1b[2J", b"NaN", b"1e400", b'"\\ud800"', b'{"messages": [',
                                b'{"role": "user", "content": "hi"}', b'{"prompt": "a", "completion": " b"}',
                                b'"tools": [{"type": "function", "function": {"name": "f"}}]', b"null", b"-0", b"[" * 300])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_LINE_PIECES, max_size=40).map(b"".join) | st.binary(max_size=300),
       st.sampled_from(["text", "json", "sarif", "junit", "github", "concise"]))
def test_any_bytes_give_a_report(tmp_path, data, fmt):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    code, out, err = run(["--format", fmt, "--extend-select", "FT008", path])
    assert code in (0, 1), err
    assert "internal error" not in err
    if fmt in ("json", "sarif"):
        json.loads(out)
    assert "\x1b" not in out and "\x00" not in out


# -- F2: FT009's byte bound holds in worker processes (parallel.py) ------------------------

@pytest.mark.slow
def test_long_line_in_a_large_file_is_skipped_without_buffering(tmp_path):
    """A 300 MB line reached 15.5 GB; small scale: a 24 MB line over a 4 MB bound, read by two worker processes."""
    (tmp_path / "ftlint.toml").write_text("[rules.FT009]\nmax-bytes = 4000000\n")
    path = tmp_path / "aline.jsonl"
    path.write_bytes(b'{"messages": [{"role": "user", "content": "' + b"a" * 24_000_000
                     + b'"}, {"role": "assistant", "content": "x"}]}\n')
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code, peak_kb, elapsed, out, err = run_watched([sys.executable, "-m", "ftlint", "--config", "ftlint.toml",
                                                    "--jobs", "2", str(path)], seconds=30, cwd=tmp_path, env=env,
                                                   max_kb=800 * 1024)
    assert b"FT009" in out and code == 1, err
    # Three processes (RSS summed, so the forked pages count thrice) at ~100 MB each; a line
    # read whole costs ~50x its size (1.2 GB here), which the bound would show.
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"


def test_junit_counts_instead_of_listing_every_problem(tmp_path, monkeypatch):
    """Every format streams: JUnit lists the first problems of a rule per file and counts the rest."""
    import xml.etree.ElementTree as ET

    from ftlint.reporters import junit

    monkeypatch.setattr(junit, "LISTED_PER_RULE", 100)
    path = tmp_path / "blank.jsonl"
    path.write_bytes(json.dumps(CHAT).encode() + b"\n" + b"\n" * 1500)
    code, out, err = run(["--format", "junit", "--select", "FT004", path])
    failure = ET.fromstring(out).find(".//failure")
    assert failure.get("message") == "1,500 problems (error)"
    lines = failure.text.splitlines()
    assert len(lines) == 101 and lines[-1] == "... and 1,400 more (the text or JSON report lists them all)"
