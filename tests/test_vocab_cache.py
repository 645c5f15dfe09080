"""The derived vocabulary cache: used when valid, rebuilt when not, never required."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import private_user_cache
from ftlint import tokenizer, vocab_cache
from ftlint.tokenizer import ENCODINGS, VOCAB_DIR, TokenizerDataError

SPEC = ENCODINGS["cl100k_base"]
PATH = VOCAB_DIR / SPEC.filename


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    return private_user_cache(tmp_path, monkeypatch, "vocab", "FTLINT_VOCAB_CACHE")


def _entries(directory):
    return sorted(p for p in directory.glob("*.marshal")) if directory.is_dir() else []


def _no_decoding(monkeypatch):
    def refuse(*args):
        raise AssertionError("decoded the vocabulary again")

    monkeypatch.setattr(tokenizer, "_decode_ranks", refuse)


def test_first_load_writes_the_cache_and_the_next_one_reads_it(cache_home, monkeypatch):
    decoded = tokenizer.load_ranks(SPEC, PATH)
    [entry] = _entries(cache_home)
    assert entry.name.startswith("cl100k_base-")
    _no_decoding(monkeypatch)
    assert tokenizer.load_ranks(SPEC, PATH) == decoded
    assert len(decoded) == 100256 and decoded[b"hello"] == 15339


DAMAGES = ["flip", "truncate", "empty", "garbage", "other source"]


def _damage(entry, damage: str) -> bytes:
    """Damage a cache entry in place; returns what it now holds."""
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[len(data) // 3:]
    elif damage == "empty":
        data = bytearray()
    elif damage == "garbage":
        data = bytearray(b"ftlint-vocab-cache 1\n" + os.urandom(200))
    else:  # a whole, valid entry, but derived from other vocabulary bytes
        data[21:53] = bytes(32)
    entry.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_cache_is_rebuilt(cache_home, damage):
    decoded = tokenizer.load_ranks(SPEC, PATH)
    [entry] = _entries(cache_home)
    data = _damage(entry, damage)
    assert tokenizer.load_ranks(SPEC, PATH) == decoded
    assert entry.read_bytes() != data  # rewritten


def test_a_changed_vocabulary_never_meets_the_old_cache(cache_home, tmp_path):
    tokenizer.load_ranks(SPEC, PATH)
    changed = tmp_path / "cl100k_base.tiktoken.gz"
    changed.write_bytes(b"not gzip at all")  # different bytes: a different cache key, and the usual error
    with pytest.raises(TokenizerDataError, match="not valid gzip"):
        tokenizer.load_ranks(SPEC, changed)


def test_a_read_only_cache_directory_works(cache_home):
    cache_home.parent.mkdir(parents=True)
    cache_home.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(cache_home.parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert tokenizer.load_ranks(SPEC, PATH)[b"hello"] == 15339
        assert _entries(cache_home) == []
    finally:
        cache_home.parent.chmod(stat.S_IRWXU)


def test_an_unwritable_cache_path_works(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert tokenizer.load_ranks(SPEC, PATH)[b"hello"] == 15339


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("FTLINT_VOCAB_CACHE", "0")
    assert vocab_cache.cache_dir() is None
    assert tokenizer.load_ranks(SPEC, PATH)[b"hello"] == 15339
    assert _entries(cache_home) == []


def test_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    directory = vocab_cache.cache_dir()
    assert directory is None or directory.is_absolute()


# -- the rank table: what a small run reads instead of the dict ------------------

from ftlint.rank_table import RankTable  # noqa: E402
from ftlint.small_bpe import LazyEncoding  # noqa: E402

TEXT = "Hello there, world: how's it going?  12345 tokens\n\nend"
IDS = [9906, 1070, 11, 1917, 25, 1268, 596, 433, 2133, 30, 220, 220, 4513, 1774, 11460, 271, 408]


def _tables(directory):
    return sorted(directory.glob("*.ranks")) if directory.is_dir() else []


def _lookups(encoding: LazyEncoding):
    return encoding._ranks


def test_the_second_encoding_leaves_a_table_and_the_next_reads_only_that(cache_home, monkeypatch):
    first = tokenizer.build_encoding(SPEC, PATH)
    assert type(_lookups(first)) is dict
    assert first.encode_ordinary(TEXT) == IDS
    assert _tables(cache_home) == []  # a cache that lasts one run (a fresh CI machine) never pays for a table
    _no_decoding(monkeypatch)
    assert tokenizer.build_encoding(SPEC, PATH).encode_ordinary(TEXT) == IDS  # the dict from the cache
    [table] = _tables(cache_home)
    assert table.name.startswith("cl100k_base-") and table.name.endswith(".ranks")

    monkeypatch.setattr(vocab_cache, "cached", lambda *a: pytest.fail("loaded the dict for a small run"))
    second = tokenizer.build_encoding(SPEC, PATH)
    assert isinstance(_lookups(second), RankTable)
    assert second.encode_ordinary(TEXT) == IDS
    assert second._encoding is None  # no CoreBPE either


def _with_table(cache_home):
    for _ in range(2):
        tokenizer.build_encoding(SPEC, PATH)
    assert len(_tables(cache_home)) == 1


def test_a_table_encoding_builds_tiktoken_from_the_verified_dict(cache_home):
    _with_table(cache_home)
    lazy = tokenizer.build_encoding(SPEC, PATH)
    assert isinstance(_lookups(lazy), RankTable)
    assert lazy.built().encode_ordinary(TEXT) == IDS
    assert lazy.decode(IDS) == TEXT


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_table_is_not_used_and_is_rebuilt(cache_home, damage):
    _with_table(cache_home)
    [entry] = _tables(cache_home)
    data = _damage(entry, damage)
    lazy = tokenizer.build_encoding(SPEC, PATH)
    assert type(_lookups(lazy)) is dict  # not the damaged table
    assert lazy.encode_ordinary(TEXT) == IDS
    assert entry.read_bytes() != data  # rewritten
    assert isinstance(_lookups(tokenizer.build_encoding(SPEC, PATH)), RankTable)


def test_another_vocabulary_file_gets_its_own_table(cache_home, tmp_path):
    import gzip

    _with_table(cache_home)
    regzipped = tmp_path / SPEC.filename  # the same vocabulary, other gzip bytes
    regzipped.write_bytes(gzip.compress(gzip.decompress(PATH.read_bytes()), mtime=1))
    for _ in range(2):
        assert type(_lookups(tokenizer.build_encoding(SPEC, regzipped))) is dict
    assert len(_tables(cache_home)) == 2
    assert isinstance(_lookups(tokenizer.build_encoding(SPEC, regzipped)), RankTable)


def test_no_table_when_the_cache_is_off_or_unwritable(cache_home, tmp_path, monkeypatch):
    from ftlint import rank_table

    monkeypatch.setattr(rank_table, "encode", lambda ranks: pytest.fail("built a table it cannot keep"))
    monkeypatch.setenv("FTLINT_VOCAB_CACHE", "0")
    for _ in range(2):
        assert tokenizer.build_encoding(SPEC, PATH).encode_ordinary(TEXT) == IDS
    assert _tables(cache_home) == []
    monkeypatch.delenv("FTLINT_VOCAB_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    for _ in range(2):
        assert tokenizer.build_encoding(SPEC, PATH).encode_ordinary(TEXT) == IDS
    # The dict is cached but nothing more can be written there (a full disk, a read-only directory):
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home.parent.parent))
    tokenizer.load_ranks(SPEC, PATH)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    import tempfile  # vocab_cache imports it when it writes

    monkeypatch.setattr(tempfile, "mkstemp", no_space)
    for _ in range(2):
        assert tokenizer.build_encoding(SPEC, PATH).encode_ordinary(TEXT) == IDS
    assert _tables(cache_home) == []


def test_concurrent_runs_each_get_a_whole_table(cache_home):
    import subprocess
    import sys

    code = ("from ftlint import tokenizer as t; s = t.ENCODINGS['cl100k_base']\n"
            "e = t.build_encoding(s, t.VOCAB_DIR / s.filename); print(e.encode_ordinary(%r))" % TEXT)
    tokenizer.build_encoding(SPEC, PATH)  # the dict is cached: the next runs all write the table at once
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home.parent.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [proc.communicate()[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert outputs == [f"{IDS}\n"] * 4
    [table] = _tables(cache_home)
    assert [p for p in cache_home.iterdir() if p.name.startswith(".tmp-")] == []
    lazy = tokenizer.build_encoding(SPEC, PATH)
    assert isinstance(_lookups(lazy), RankTable) and lazy.encode_ordinary(TEXT) == IDS


# -- old entries are removed (ftlint.user_cache.remove_stale): by age, never what a run in use needs ---------

import time  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from ftlint import user_cache  # noqa: E402

DAY = 86_400
OTHER_MARSHAL = "cl100k_base-223921b76ee99bde-0123456789abcdef01234567-py310-m4.marshal"  # another Python
OTHER_TABLE = "o200k_base-446a9538cb6c348e-89abcdef0123456789abcdef-rt0l.ranks"  # an older table layout
NOT_OURS = ["notes.txt", "keep-me-0123456789abcdef01234567-x.marshal.bak", ".hidden.marshal"]


def _aged(path, days):
    path.write_bytes(b"x") if not path.exists() else None
    then = time.time() - days * DAY
    os.utime(path, (then, then))
    return path


def test_a_new_entry_removes_entries_unused_for_30_days_and_nothing_else(cache_home):
    cache_home.mkdir(parents=True)
    old = [_aged(cache_home / OTHER_MARSHAL, 31), _aged(cache_home / OTHER_TABLE, 400),
           _aged(cache_home / ".tmp-k2j4_x1.marshal", 2)]  # a writer killed two days ago
    kept = [_aged(cache_home / OTHER_MARSHAL.replace("0123", "4567"), 29),  # another version, used this month
            _aged(cache_home / ".tmp-abc123.ranks", 0.01),  # a writer at work now
            *(_aged(cache_home / name, 400) for name in NOT_OURS)]
    (cache_home / "subdir-0123456789abcdef01234567-x.marshal").mkdir()
    os.utime(cache_home / "subdir-0123456789abcdef01234567-x.marshal", (0, 0))
    tokenizer.load_ranks(SPEC, PATH)  # a miss: writes this run's entry, then sweeps once
    assert not any(p.exists() for p in old)
    assert all(p.exists() for p in kept) and (cache_home / "subdir-0123456789abcdef01234567-x.marshal").is_dir()
    [written] = [p for p in _entries(cache_home) if p.name.startswith("cl100k_base-") and "-py310-" not in p.name]
    assert written.stat().st_size > 1000


def test_reading_an_entry_keeps_it_fresh_so_a_version_in_use_is_never_swept(cache_home):
    decoded = tokenizer.load_ranks(SPEC, PATH)
    [entry] = _entries(cache_home)
    _aged(entry, 45)  # last written 45 days ago, and read by the run below
    assert tokenizer.load_ranks(SPEC, PATH) == decoded
    assert time.time() - entry.stat().st_mtime < 60
    assert user_cache.remove_stale(cache_home) == [] and entry.exists()
    _aged(entry, 45)  # no run read it since: now it goes
    assert user_cache.remove_stale(cache_home) == [entry.name]


def test_a_hit_writes_nothing_and_sweeps_nothing(cache_home, monkeypatch):
    tokenizer.load_ranks(SPEC, PATH)
    sweeps = []
    monkeypatch.setattr(user_cache, "remove_stale", lambda *a, **k: sweeps.append(a) or [])
    tokenizer.load_ranks(SPEC, PATH)  # a hit: no write, no sweep
    assert sweeps == []
    vocab_cache._write(cache_home / OTHER_MARSHAL, b"\0" * 32, lambda: b"payload")
    assert sweeps == [(str(cache_home),)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([OTHER_MARSHAL, OTHER_TABLE, ".tmp-q1w2e3.marshal", *NOT_OURS]),
                          st.integers(0, 40), st.integers(0, 9)), max_size=12, unique_by=lambda t: (t[0], t[2])),
       st.integers(1, 60))
def test_sweep_removes_exactly_our_files_older_than_the_limit(tmp_path_factory, files, days):
    directory = tmp_path_factory.mktemp("vocab")
    now = time.time()
    ages = {}
    for name, age_days, variant in files:
        name = name.replace("0123", f"{variant}123") if name in (OTHER_MARSHAL, OTHER_TABLE) else name
        if name in ages:
            continue
        path = directory / name
        path.write_bytes(b"x")
        os.utime(path, (now - age_days * DAY - 5, now - age_days * DAY - 5))
        ages[name] = age_days
    removed = set(user_cache.remove_stale(directory, now=now, days=days))
    for name, age_days in ages.items():
        ours = name not in NOT_OURS  # our entries and temporary files; never notes, backups, hidden files
        limit = 1 if name.startswith(".tmp-") else days
        assert (name in removed) == (ours and age_days >= limit), (name, age_days, days)
        assert (directory / name).exists() == (name not in removed)


def test_concurrent_sweeps_never_fail(cache_home):
    import threading

    cache_home.mkdir(parents=True)
    for i in range(40):
        _aged(cache_home / OTHER_MARSHAL.replace("0123", f"{i:04d}"), 90)
    results, errors = [], []

    def sweep():
        try:
            results.append(user_cache.remove_stale(cache_home))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(n for r in results for n in r) == sorted(
        OTHER_MARSHAL.replace("0123", f"{i:04d}") for i in range(40))
    assert _entries(cache_home) == []
