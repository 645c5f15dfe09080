"""The derived vocabulary cache: used when valid, rebuilt when not, never required."""

from __future__ import annotations

import os
import stat

import pytest

from ftlint import tokenizer, vocab_cache
from ftlint.tokenizer import ENCODINGS, VOCAB_DIR, TokenizerDataError

SPEC = ENCODINGS["cl100k_base"]
PATH = VOCAB_DIR / SPEC.filename


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("FTLINT_VOCAB_CACHE", raising=False)
    return tmp_path / "xdg" / "ftlint" / "vocab"


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

    monkeypatch.setattr(vocab_cache.tempfile, "mkstemp", no_space)
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
