"""Temporary files of --fix / --convert-to -o: a killed run's file is removed later, a live one never (F11)."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ftlint import tempfiles
from ftlint.cli import main

REPO = Path(__file__).resolve().parents[1]
CHAT = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "x"}]}


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # reaped: nothing runs under it (unless reused within this test, which keeps the file: safe)


def _temps(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*" + tempfiles.SUFFIX))


@pytest.mark.slow
def test_kill_9_during_fix_leaves_a_temp_file_that_the_next_fix_removes(tmp_path):
    """F11 reproduced with a real SIGKILL of a `--fix` subprocess, then the next --fix of the file cleans up."""
    path = tmp_path / "big.jsonl"
    line = json.dumps(CHAT).encode() + b"\r\n"
    path.write_bytes(line * (16_000_000 // len(line)))  # 16 MB of CRLF lines: a second or more of fixing
    original = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "ftlint", "--isolated", "--no-cache", "--fix", "--select", "FT005",
                             str(path)], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while not _temps(tmp_path) or _temps(tmp_path)[0].stat().st_size < 1 << 18:
            assert proc.poll() is None, "the fix finished before it could be killed"
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = _temps(tmp_path)
    assert len(left) == 1 and f".{proc.pid}." in left[0].name, left
    assert path.read_bytes() == original  # killed before the rename: the original is whole

    small = tmp_path / "other.jsonl"  # a fix of another file in the directory leaves it alone
    small.write_bytes(line)
    assert main(["--isolated", "--no-cache", "--fix", "--select", "FT005", str(small)]) == 1  # (1: a file was fixed)
    assert _temps(tmp_path) == left

    path.write_bytes(line * 3)  # (a small file, so the test is quick)
    assert main(["--isolated", "--no-cache", "--fix", "--select", "FT005", str(path)]) == 1
    assert _temps(tmp_path) == []
    assert path.read_bytes() == line.replace(b"\r\n", b"\n") * 3


def test_convert_output_cleans_its_stale_temp_files_too(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(CHAT) + "\n")
    stale = tmp_path / f".out.jsonl.{_dead_pid()}.abcd1234{tempfiles.SUFFIX}"
    stale.write_bytes(b"half a copy")
    code = main(["--isolated", "--no-cache", "--convert-to", "sharegpt", "-o", str(tmp_path / "out.jsonl"),
                 str(source)])
    assert code in (0, 1)
    assert (tmp_path / "out.jsonl").exists() and not stale.exists()


def test_a_live_writers_temp_file_is_never_removed(tmp_path):
    """Another run writing the same file holds its lock: not touched, whatever the pid or age."""
    fd, path = tempfiles.create_beside(str(tmp_path / "a.jsonl"))
    try:
        old = time.time() - 10 * tempfiles.STALE_SECONDS
        os.utime(path, (old, old))
        assert tempfiles.remove_stale(str(tmp_path), "a.jsonl") == []
        assert os.path.exists(path)
    finally:
        os.close(fd)
    # Its writer closed it without renaming it and this process (its pid) still runs: recent, so kept
    # (a writer between mkstemp and flock looks the same) ...
    os.utime(path)
    assert tempfiles.remove_stale(str(tmp_path), "a.jsonl") == []
    # ... until it is older than STALE_SECONDS.
    assert tempfiles.remove_stale(str(tmp_path), "a.jsonl", now=time.time() + tempfiles.STALE_SECONDS + 1) == [path]


def test_a_dead_writers_temp_file_goes_at_once(tmp_path):
    stale = tmp_path / f".a.jsonl.{_dead_pid()}.x_y9Z0ab{tempfiles.SUFFIX}"
    stale.write_bytes(b"x")
    assert tempfiles.remove_stale(str(tmp_path), "a.jsonl") == [str(stale)]


def test_only_our_files_are_removed(tmp_path):
    """Other names, other destinations, symlinks, directories and locked files stay."""
    dead = _dead_pid()
    keep = {
        f".b.jsonl.{dead}.abcd1234{tempfiles.SUFFIX}": "file",  # another destination's
        f".a.jsonl.{dead}.abcd1234.tmp": "file",  # not our suffix
        f".a.jsonl.{dead}.abc{tempfiles.SUFFIX}": "file",  # not mkstemp's random part
        f".a.jsonl.{dead}.abcd1234.x{tempfiles.SUFFIX}": "file",
        f"a.jsonl.{dead}.abcd1234{tempfiles.SUFFIX}": "file",  # not hidden
        f".a.jsonl.{dead}.abcd1235{tempfiles.SUFFIX}": "symlink",
        f".a.jsonl.{dead}.abcd1236{tempfiles.SUFFIX}": "directory",
        f".a.jsonl.{dead}.abcd1237{tempfiles.SUFFIX}": "locked",
    }
    target = tmp_path / "precious"
    target.write_bytes(b"keep me")
    held = []
    for name, kind in keep.items():
        p = tmp_path / name
        if kind == "symlink":
            p.symlink_to(target)
        elif kind == "directory":
            p.mkdir()
        else:
            p.write_bytes(b"x")
            if kind == "locked":
                fd = os.open(p, os.O_RDONLY)
                fcntl.flock(fd, fcntl.LOCK_EX)
                held.append(fd)
    try:
        old_format = tmp_path / f".a.jsonl.abcd1234{tempfiles.SUFFIX}"  # ftlint 0.1.0: no pid, so by age only
        old_format.write_bytes(b"x")
        assert tempfiles.remove_stale(str(tmp_path), "a.jsonl") == []
        later = time.time() + tempfiles.STALE_SECONDS + 1
        assert tempfiles.remove_stale(str(tmp_path), "a.jsonl", now=later) == [str(old_format)]
    finally:
        for fd in held:
            os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*keep, "precious"])
    assert target.read_bytes() == b"keep me"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to create a file owned by another user")
def test_another_users_temp_file_stays(tmp_path):
    stale = tmp_path / f".a.jsonl.{_dead_pid()}.abcd1234{tempfiles.SUFFIX}"
    stale.write_bytes(b"x")
    os.chown(stale, 65534, 65534)
    assert tempfiles.remove_stale(str(tmp_path), "a.jsonl") == []
    assert stale.exists()


def _hung_submit(tmp_path):
    """A --submit subprocess whose upload hangs (its snapshot exists); returns (process, server, temp dir, data)."""
    sys.path.insert(0, str(REPO / "tests"))
    from fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    server.reply_delay = 30
    temp = tmp_path / "tmp"
    temp.mkdir()
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"},
                                                     {"role": "assistant", "content": f"a{i}"}]}) + "\n"
                            for i in range(12)))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(temp), "OPENAI_API_KEY": "sk-test-0123456789"}
    proc = subprocess.Popen([sys.executable, "-m", "ftlint", "--isolated", "--no-cache", "--submit", "--base-url",
                             server.base_url, "--model", "gpt-4o-mini", str(data)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in proc.stdout:  # "training file: uploading ..." comes just before the upload, which hangs
        if line.startswith(b"training file: uploading"):
            break
    else:
        raise AssertionError(f"the submit ended before uploading: {proc.stderr.read()!r}")
    time.sleep(0.2)
    return proc, server, temp, data


@pytest.mark.slow
def test_sigterm_during_submit_removes_the_snapshot(tmp_path):
    """F18: SIGTERM (timeout, CI cancelling a job) ran no cleanup; now one line, exit 143, no snapshot left."""
    proc, server, temp, _ = _hung_submit(tmp_path)
    try:
        assert len(list(temp.glob("ftlint-submit-*"))) == 1
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        server._servers[0].block_on_close = False
        server.stop()
    assert proc.returncode == 143 and b"Traceback" not in err, err
    assert list(temp.glob("ftlint-submit-*")) == []


@pytest.mark.slow
def test_kill_9_during_submit_leaves_a_snapshot_that_the_next_submit_removes(tmp_path, monkeypatch):
    """F18: a killed --submit left a full copy of the dataset in /tmp; the next --submit removes it."""
    import io
    import tempfile

    proc, server, temp, data = _hung_submit(tmp_path)
    proc.kill()
    proc.wait()
    server._servers[0].block_on_close = False  # (its handler still sleeps in the delayed reply)
    server.stop()
    left = list(temp.glob("ftlint-submit-*"))
    assert len(left) == 1 and left[0].name.startswith(f"ftlint-submit-{proc.pid}-")
    assert (left[0] / "training" / "d.jsonl").read_bytes() == data.read_bytes()  # the whole dataset

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--isolated", "--no-cache", "--submit", "--dry-run", "--model", "gpt-4o-mini", str(data)], out, err) == 0, \
        err.getvalue()
    assert list(temp.glob("ftlint-submit-*")) == []


def test_a_live_runs_snapshot_directory_stays(tmp_path):
    with tempfiles.private_directory("ftlint-submit-") as mine:
        assert os.path.isdir(mine) and os.path.basename(mine).startswith(f"ftlint-submit-{os.getpid()}-")
        base = os.path.dirname(mine)
        later = time.time() + 10 * tempfiles.STALE_SECONDS
        assert tempfiles.remove_stale_directories(base, "ftlint-submit-", now=later) == []  # locked
    assert not os.path.exists(mine)
    stale = tmp_path / f"ftlint-submit-{_dead_pid()}-abcd1234"
    (stale / "training").mkdir(parents=True)
    (stale / "training" / "d.jsonl").write_text("data")
    other = tmp_path / "ftlint-submit-notours"
    other.mkdir()
    assert tempfiles.remove_stale_directories(str(tmp_path), "ftlint-submit-") == [str(stale)]
    assert other.exists()
