"""The vendored vocabularies: hash check, equality with tiktoken, offline use."""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
import tiktoken
import tiktoken_ext.openai_public as openai_public

from ftlint import tokenizer
from ftlint.counting import TokenCounter
from ftlint.tokenizer import ENCODINGS, TokenizerDataError, build_encoding, get_encoding

SAMPLES = [
    "hello world",
    "Hello, 世界! 👋 ÄÖÜ",
    "  leading spaces\n\n\ttabs",
    "<|endoftext|> is text",
    "I'm don't 12345678 x=1+2;",
]

# Recorded on 2026-11-21 from tiktoken 0.14.0 with these vocabularies. tiktoken's
# own get_encoding() would download the files, so it is compared only when its
# cache already holds them (test_ids_equal_tiktoken_get_encoding_when_cached).
KNOWN_IDS = {
    "cl100k_base": [
        [15339, 1917],
        [9906, 11, 220, 3574, 244, 98220, 0, 62904, 233, 49786, 64461, 53591],
        [220, 6522, 12908, 271, 3324, 3518],
        [27, 91, 8862, 728, 428, 91, 29, 374, 1495],
        [40, 2846, 1541, 956, 220, 4513, 10961, 2495, 865, 28, 16, 10, 17, 26],
    ],
    "o200k_base": [
        [24912, 2375],
        [13225, 11, 185558, 0, 61138, 233, 22424, 9146, 8858],
        [220, 8117, 18608, 279, 6264, 6071],
        [27, 91, 419, 1440, 919, 91, 29, 382, 2201],
        [15390, 4128, 220, 7633, 19354, 4388, 1215, 28, 16, 10, 17, 26],
    ],
}

BLOB_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_ids_equal_recorded_tiktoken_ids(name):
    encoding = get_encoding(name)
    assert [encoding.encode_ordinary(s) for s in SAMPLES] == KNOWN_IDS[name]
    assert encoding.n_vocab == max(ENCODINGS[name].special_tokens.values()) + 1


def _tiktoken_cache_path(name: str) -> Path:
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if not cache_dir:
        cache_dir = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    return Path(cache_dir) / hashlib.sha1(BLOB_URLS[name].encode()).hexdigest()


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_ids_equal_tiktoken_get_encoding_when_cached(name):
    if not _tiktoken_cache_path(name).exists():
        pytest.skip("tiktoken's cache does not hold this vocabulary (get_encoding would download)")
    theirs = tiktoken.get_encoding(name)
    ours = get_encoding(name)
    for sample in SAMPLES:
        assert ours.encode_ordinary(sample) == theirs.encode_ordinary(sample)
        assert ours.encode(sample, disallowed_special=()) == theirs.encode(sample, disallowed_special=())


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_definitions_equal_tiktoken_openai_public(name):
    # Call tiktoken's constructor with its downloader replaced, to read its
    # pat_str and special tokens without touching the network.
    with mock.patch.object(openai_public, "load_tiktoken_bpe", lambda *args, **kwargs: {}):
        theirs = openai_public.ENCODING_CONSTRUCTORS[name]()
    assert ENCODINGS[name].pat_str == theirs["pat_str"]
    assert ENCODINGS[name].special_tokens == theirs["special_tokens"]


def _rewrite_vocab(tmp_path: Path, name: str, edit) -> Path:
    spec = ENCODINGS[name]
    raw = gzip.decompress((tokenizer.VOCAB_DIR / spec.filename).read_bytes())
    target = tmp_path / spec.filename
    target.write_bytes(gzip.compress(edit(raw), mtime=0))  # the same bytes every run: one vocab-cache entry, not one per run
    return target


def test_corrupted_vocabulary_raises(tmp_path):
    # Swap the ranks of two tokens: still a well-formed file, but not the official one.
    def swap(raw: bytes) -> bytes:
        return raw.replace(b"IQ== 0\nIg== 1\n", b"IQ== 1\nIg== 0\n", 1)

    path = _rewrite_vocab(tmp_path, "cl100k_base", swap)
    with pytest.raises(TokenizerDataError, match="corrupted.*sha256"):
        build_encoding(ENCODINGS["cl100k_base"], path)


def test_unmodified_copy_loads(tmp_path):
    path = _rewrite_vocab(tmp_path, "cl100k_base", lambda raw: raw)  # recompressed, same bytes
    assert build_encoding(ENCODINGS["cl100k_base"], path).encode_ordinary("hello world") == [15339, 1917]


def test_not_gzip_and_missing_raise(tmp_path):
    broken = tmp_path / "broken.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(TokenizerDataError, match="not valid gzip"):
        build_encoding(ENCODINGS["o200k_base"], broken)
    with pytest.raises(TokenizerDataError, match="cannot read"):
        build_encoding(ENCODINGS["o200k_base"], tmp_path / "missing.gz")


def test_unknown_encoding_raises():
    with pytest.raises(TokenizerDataError, match="p50k_base"):
        get_encoding("p50k_base")


def test_counting_works_offline_with_empty_tiktoken_cache(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokenizer, "_cache", {})  # force a fresh build from the vendored files
    for name in sorted(ENCODINGS):
        counter = TokenCounter(name)
        assert counter.chat({"messages": [{"role": "user", "content": "hello world"}]}).total == 3 + 1 + 2 + 3
    assert list(tmp_path.iterdir()) == []  # tiktoken's cache was never used


def test_load_time(monkeypatch, capsys):
    monkeypatch.setattr(tokenizer, "_cache", {})
    timings = {}
    for name in sorted(ENCODINGS):
        start = time.perf_counter()
        get_encoding(name)
        timings[name] = time.perf_counter() - start
    with capsys.disabled():
        print("\nencoding load time: " + ", ".join(f"{n} {t * 1000:.0f} ms" for n, t in timings.items()))
    assert all(t < 5 for t in timings.values())  # generous: only catches pathologies


def test_cached_per_process():
    assert get_encoding("o200k_base") is get_encoding("o200k_base")


def test_a_built_encoding_is_never_freed(tmp_path):
    """Freeing tiktoken's CoreBPE took 0.1 s at every exit that followed a build: a built encoding is kept."""
    import gc
    import subprocess
    import sys
    import weakref

    built = build_encoding(ENCODINGS["cl100k_base"], _rewrite_vocab(tmp_path, "cl100k_base", lambda raw: raw)).built()
    alive = weakref.ref(built)
    assert len(built.encode_ordinary("kept until exit")) == 3
    del built
    gc.collect()
    assert alive() is not None
    # ...and a process that built one still ends cleanly, its output written.
    code = ("import sys; from ftlint.tokenizer import get_encoding\n"
            "print(len(get_encoding('o200k_base').built().encode_ordinary('kept until exit')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "4\n", "")
