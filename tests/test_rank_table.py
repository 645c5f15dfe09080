"""The on-disk rank table answers every lookup as the {token bytes: rank} dict does."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from ftlint import rank_table, tokenizer
from ftlint.rank_table import RankTable
from ftlint.tokenizer import ENCODINGS, VOCAB_DIR


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_every_token_of_the_vocabulary_has_its_rank(name):
    spec = ENCODINGS[name]
    ranks = tokenizer.load_ranks(spec, VOCAB_DIR / spec.filename)
    table = RankTable(rank_table.encode(ranks))
    get = table.get
    assert all(get(token) == rank for token, rank in ranks.items())
    assert len(table) == len(ranks)
    # Near misses: every token with one more byte, or one byte fewer, unless that is a token too.
    for token in list(ranks)[::7]:
        for other in (token + b"\x00", token + b"\xff", token[:-1], b"\xfe" + token):
            assert get(other, -1) == ranks.get(other, -1)


token_ranks = st.dictionaries(st.binary(min_size=1, max_size=12), st.integers(0, 5000), max_size=200).filter(
    lambda ranks: len(set(ranks.values())) == len(ranks))


@settings(max_examples=200, deadline=None)
@given(token_ranks, st.lists(st.binary(max_size=12), max_size=30))
def test_any_ranks_round_trip(ranks, others):
    """Skipped ranks, empty tables, colliding hashes: lookups and the listing equal the dict's."""
    table = RankTable(rank_table.encode(ranks))
    for token, rank in ranks.items():
        assert table.get(token) == rank
    for other in others:
        assert table.get(other, "absent") == ranks.get(other, "absent")
    assert list(table.tokens()) == sorted(ranks.items(), key=lambda item: item[1])


def test_ranks_that_are_not_distinct_are_refused():
    with pytest.raises(ValueError):
        rank_table.encode({b"a": 1, b"b": 1})
    with pytest.raises(ValueError):
        rank_table.encode({b"a": -1})


def test_a_buffer_that_is_not_a_table_is_refused():
    good = rank_table.encode({b"a": 0, b"bc": 1, b"def": 3})
    assert RankTable(good).get(b"def") == 3
    broken = [b"", good[:10], b"XXXX" + good[4:], good[:-1], good + b"\x00", good[:20]]
    wrong_format = bytearray(good)
    wrong_format[4] ^= 1
    broken.append(bytes(wrong_format))
    for data in broken:
        with pytest.raises(ValueError):
            RankTable(data)


def test_the_table_is_the_same_in_every_process():
    """The slot of a token comes from crc32, never from Python's per-process hash() of bytes."""
    code = ("import hashlib, sys; from ftlint import rank_table\n"
            "ranks = {bytes([a, b]): 256 * a + b for a in range(0, 256, 3) for b in range(256)}\n"
            "sys.stdout.write(hashlib.sha256(rank_table.encode(ranks)).hexdigest())")
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        digests.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout)
    ranks = {bytes([a, b]): 256 * a + b for a in range(0, 256, 3) for b in range(256)}
    assert digests == {hashlib.sha256(rank_table.encode(ranks)).hexdigest()}
