"""Per-example work on other cores: token counts, digests and the plain-message scan.

On a large file most of the time goes to per-example work that needs no file
state: counting tokens, the canonical digests (FT403/FT404/FT405) and the
plain-message scan (FT101-FT111). Worker processes compute these for byte
ranges of the file, in parallel with the main process, which still reads,
parses and lints every line in order (so line rules, dataset rules and the
report are unchanged). For each line the main process receives a compact
tuple and seeds the Example's cache with it, so the rules find the values
already computed.

Only used for uncompressed regular files of at least ``MIN_BYTES`` on a
machine with 2+ CPUs where processes can be forked (workers inherit the loaded
tokenizer instead of rebuilding it). Every seed carries its line's byte size;
if it ever disagrees with the reader's line, seeding stops for the rest of the
file and the main process computes the values itself: same results, slower.

Measured on the 493 MB chitchat prefixes file (bench/RESULTS.md).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from typing import Iterator

import orjson

from ftlint.counting import TokenCounter
from ftlint.formats import Example, record_format
from ftlint.rules._chat import plain_shape

MIN_BYTES = 8 << 20  # below this the sequential path is about as fast
CHUNK_BYTES = 4 << 20
WORKERS = 2
#: Each worker's memo of string -> tokens. Repeated strings (shared
#: conversation prefixes) sit on nearby lines, within one chunk, so a small
#: memo keeps the hits; with 4 MB chunks it kept the peak memory of all three
#: processes (PSS) at ~210 MB on the 493 MB benchmark file, ~40 MB less than
#: 8 MB chunks with an 8M-character memo, and ran faster.
WORKER_MEMO_CHARS = 2_000_000

#: Example cache entries a seed fills, in the order of the seed tuple after the size.
SEEDED = ("_tokens", "_plain_messages", "digest", "input_digest", "target_digest")

_parent_counter = None  # set in the parent before forking; inherited by the workers
_worker_counter = None  # each worker's own counter (same encoding, smaller memo)


def usable(path: str) -> bool:
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2 or path == "-" or path.endswith(".gz"):
        return False
    try:
        return os.path.isfile(path) and os.path.getsize(path) >= MIN_BYTES
    except OSError:
        return False


def _chunk_bounds(path: str, chunk_bytes: int) -> list[tuple[int, int]]:
    """Byte ranges of about ``chunk_bytes`` that start and end at line starts."""
    size = os.path.getsize(path)
    bounds = []
    start = 0
    with open(path, "rb") as handle:
        while start < size:
            handle.seek(min(start + chunk_bytes, size))
            handle.readline()  # to the end of the line the cut falls in
            end = min(handle.tell(), size)
            bounds.append((start, end))
            start = end
    return bounds


def _seed_range(task: tuple[str, int, int]) -> list[tuple | None]:
    """Seeds for every physical line of one byte range (None: not an object)."""
    global _worker_counter
    path, start, end = task
    if _worker_counter is None:
        parent = _parent_counter  # its encoding was loaded before the fork, so this is cheap
        _worker_counter = type(parent)(  # the same framing as the parent's counter
            parent.encoding_name,
            image_base=parent.image_base,
            image_per_tile=parent.image_per_tile,
            memo_char_budget=WORKER_MEMO_CHARS,
        )
    counter = _worker_counter
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()  # the split's empty tail is not a line
    seeds: list[tuple | None] = []
    for piece in pieces:
        try:
            value = orjson.loads(piece)
        except orjson.JSONDecodeError:
            seeds.append(None)
            continue
        if type(value) is not dict:
            seeds.append(None)
            continue
        example = Example(0, value, record_format(value), piece)
        seeds.append((
            len(piece),
            example.tokens(counter),
            plain_shape(example),
            example.digest,
            example.input_digest,
            example.target_digest,
        ))
    return seeds


def seeds(ctx) -> Iterator[tuple[int, dict] | None] | None:
    """The engine's ``precomputed`` hook: per physical line, (line size, Example cache entries) or None.

    Returns None (compute in the main process) when parallel work is not worth it here.
    """
    path, counter = ctx.source_name, ctx.counter
    if counter is None or not usable(path):
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    return _stream(path, counter, context)


def _stream(path: str, counter, context) -> Iterator[tuple[int, dict] | None]:
    global _parent_counter
    _parent_counter = counter
    tasks = [(path, start, end) for start, end in _chunk_bounds(path, CHUNK_BYTES)]
    # Closing this generator early (an exception in the linter) leaves the
    # with-block, which terminates the workers.
    # Without this the workers' garbage collector writes to every inherited
    # object's header, copying the parent's pages (the tokenizer's tables
    # among them) into each worker.
    gc.freeze()
    with context.Pool(WORKERS) as pool:
        for chunk in pool.imap(_seed_range, tasks):
            for seed in chunk:
                yield None if seed is None else (seed[0], dict(zip(SEEDED, seed[1:])))
