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


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_cache_is_rebuilt(cache_home, damage):
    decoded = tokenizer.load_ranks(SPEC, PATH)
    [entry] = _entries(cache_home)
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        del data[len(data) // 3:]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"ftlint-vocab-cache 1\n" + os.urandom(200))
    entry.write_bytes(bytes(data))
    assert tokenizer.load_ranks(SPEC, PATH) == decoded
    assert entry.read_bytes() != bytes(data)  # rewritten


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
