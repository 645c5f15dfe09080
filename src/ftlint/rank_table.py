"""A BPE rank table that loads in no time: an open-addressing hash table over the token bytes.

A small run needs the ranks of a few thousand byte strings, but loading the
decoded ``{token bytes: rank}`` dict of o200k_base — even from
:mod:`marshal` — builds 200k byte objects and a 200k-entry dict (about 70 ms,
more than everything else a pre-commit run on a 12-line file does with
tokens). This table answers the same lookups straight from one flat buffer,
derived once from the verified vocabulary and kept by :mod:`ftlint.vocab_cache`:

* ``slots``: a power-of-two array of ``rank + 1`` (0: empty), indexed by
  ``zlib.crc32(token) & mask`` with linear probing; at most half full, so a
  lookup reads one or two slots;
* ``offsets``: ``rank -> start`` of the token's bytes in ``blob``
  (``offsets[rank + 1]`` is its end; a rank the vocabulary skips is empty);
* ``blob``: every token's bytes, in rank order.

The hash must be the same in every process, so it is crc32, never Python's
randomized ``hash()``. Integers are native-endian 32-bit (the cache entry's name
carries the byte order); :func:`encode` and :class:`RankTable` are each other's
inverse and ``tests/test_rank_table.py`` checks every rank of both OpenAI
vocabularies against the dict.
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import accumulate
from zlib import crc32

#: Bumped whenever the layout changes (it is part of the cache entry's name too).
FORMAT = 1
_HEAD = struct.Struct("=4sIII")  # magic, format, slot count, rank count (max rank + 1)
_MAGIC = b"FTRT"
#: Part of a cache entry's name: another layout or byte order is another entry.
TAG = f"rt{FORMAT}{sys.byteorder[0]}"


def encode(ranks: dict[bytes, int]) -> bytes:
    """The table of ``ranks`` (distinct non-negative ranks below 2**32 - 1), as stored."""
    if len(set(ranks.values())) != len(ranks) or min(ranks.values(), default=0) < 0:
        raise ValueError("ranks must be distinct and non-negative")
    count = max(ranks.values()) + 1 if ranks else 0
    size = 1 << max(3, (2 * len(ranks)).bit_length())  # load factor <= 1/2
    mask = size - 1
    slots = [0] * size
    by_rank = [b""] * count
    for token, rank in ranks.items():
        by_rank[rank] = token
        index = crc32(token) & mask
        while slots[index]:
            index = (index + 1) & mask
        slots[index] = rank + 1
    offsets = array("I", accumulate(map(len, by_rank), initial=0))
    head = _HEAD.pack(_MAGIC, FORMAT, size, count)
    return b"".join((head, array("I", slots).tobytes(), offsets.tobytes(), *by_rank))

class RankTable:
    """``get(token bytes, default)`` -> rank, read from an :func:`encode`d buffer."""

    __slots__ = ("_slots", "_offsets", "_blob", "_mask", "_count")

    def __init__(self, data: bytes | memoryview):
        """Raises ValueError when ``data`` is not a table of this format (sizes included)."""
        view = memoryview(data)
        if len(view) < _HEAD.size:
            raise ValueError("too short for a rank table")
        magic, version, size, count = _HEAD.unpack_from(view)
        if magic != _MAGIC or version != FORMAT or size < 8 or size & (size - 1):
            raise ValueError("not a rank table of this format")
        slots_end = _HEAD.size + 4 * size
        offsets_end = slots_end + 4 * (count + 1)
        if len(view) < offsets_end:
            raise ValueError("rank table truncated")
        offsets = view[slots_end:offsets_end].cast("I")
        if len(view) != offsets_end + offsets[count]:
            raise ValueError("rank table size does not match its offsets")
        self._slots = view[_HEAD.size:slots_end].cast("I")
        self._offsets = offsets
        # bytes, not a view: bytes.startswith compares in place, without a slice object.
        self._blob = bytes(view[offsets_end:])
        self._mask = size - 1
        self._count = count

    def get(self, token: bytes, default=None):
        slots, offsets, mask = self._slots, self._offsets, self._mask
        index = crc32(token) & mask
        entry = slots[index]
        size = len(token)
        while entry:
            start = offsets[entry - 1]
            if offsets[entry] - start == size and self._blob.startswith(token, start):
                return entry - 1
            index = (index + 1) & mask
            entry = slots[index]
        return default

    def __len__(self) -> int:
        """The number of tokens (ranks the vocabulary skips are not counted)."""
        return sum(1 for entry in self._slots if entry)

    def tokens(self):
        """``(token bytes, rank)`` for every token, in rank order."""
        offsets, blob = self._offsets, self._blob
        ranked = sorted(entry - 1 for entry in self._slots if entry)
        return ((blob[offsets[rank]:offsets[rank + 1]], rank) for rank in ranked)
