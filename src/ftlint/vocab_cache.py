"""A derived, verified on-disk cache of decoded tokenizer vocabularies.

Building an encoding starts with 100k-200k ``base64-token rank`` lines decoded in
Python (about 0.13 s for o200k_base, the largest part of a pre-commit run that
counts tokens). The decoded ``{token bytes: rank}`` dict is a pure function of
the vocabulary file, so it is kept in the user cache directory
(``$XDG_CACHE_HOME/ftlint/vocab``, else ``~/.cache/ftlint/vocab``) in
:mod:`marshal` form, which loads several times faster.

The cache is never trusted and never required:

* its name and header carry the sha256 of the vocabulary file it was derived
  from (the file ftlint ships, or the vendor package's), recomputed on every
  load, so a changed vocabulary never meets a stale cache;
* the header carries the sha256 of the payload, so a truncated or corrupted
  cache file is detected and rebuilt from the verified vocabulary;
* a missing, unreadable or read-only cache directory only means the vocabulary
  is decoded as before (``FTLINT_VOCAB_CACHE=0`` turns the cache off).

Small runs do not even load the dict: :func:`rank_table` gives a
:class:`ftlint.rank_table.RankTable`, a hash table over the token bytes that
answers lookups from one flat buffer (reading and checking it takes a few
milliseconds against ~70 ms for ``marshal.loads`` of o200k_base's dict). It is
a second entry of the same kind, derived from the same verified ranks, with
the same guarantees.

Old entries are removed as :mod:`ftlint.user_cache` removes them from every
ftlint cache directory: a run that writes a new entry (a new ftlint, Python or
vendor vocabulary: the moment old ones may have become stale) deletes the
entries no run has read or written for 30 days, never the one it just wrote,
and temporary files a killed writer left a day ago; every read refreshes its
entry's modification time (at most once a day), so entries another installed
version still uses never look stale. A concurrent reader that loses an entry
decodes the vocabulary again, nothing worse.

Nothing here touches the network; the result is the same ranks either way.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any, Callable

from ftlint import rank_table as _rank_table
from ftlint import user_cache

_MAGIC = b"ftlint-vocab-cache 1\n"


def cache_dir() -> Path | None:
    """Where derived vocabularies are kept; None when the cache is turned off."""
    directory = user_cache.directory("vocab", "FTLINT_VOCAB_CACHE")
    return Path(directory) if directory is not None else None


def _cache_path(directory: Path, name: str, source_digest: bytes, kind: str = "marshal") -> Path:
    if kind == "marshal":  # marshal's format belongs to the Python version that wrote it
        tag = f"py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"
    else:  # the table's layout and byte order
        tag = _rank_table.TAG
    return directory / f"{name}-{source_digest.hex()[:24]}-{tag}.{kind}"


def _entry_path(name: str, source: bytes, kind: str) -> tuple[Path | None, bytes]:
    source_digest = hashlib.sha256(source).digest()
    directory = cache_dir()
    return (_cache_path(directory, name, source_digest, kind) if directory is not None else None), source_digest


def cached(name: str, source: bytes, derive: Callable[[bytes], Any], check: Callable[[Any], bool]) -> Any:
    """``derive(source)``, from the cache when a valid entry for exactly these source bytes exists.

    ``source`` is the vocabulary file's bytes as read (compressed or not);
    ``derive`` verifies and decodes them (raising on a bad vocabulary);
    ``check`` says whether a loaded value has the expected shape.
    """
    path, source_digest = _entry_path(name, source, "marshal")
    if path is not None:
        payload = _read(path, source_digest)
        if payload is not None:
            try:
                value = marshal.loads(payload)
            except (ValueError, EOFError, TypeError):
                value = None
            if value is not None and check(value):
                return value
    value = derive(source)
    if path is not None:
        _write(path, source_digest, lambda: marshal.dumps(value))
    return value


def rank_table(name: str, source: bytes) -> _rank_table.RankTable | None:
    """The rank table derived from exactly these source bytes, if a valid entry exists (else None).

    Only :func:`store_rank_table` writes one, from ranks that were derived from
    (and so verified with) the same source bytes.
    """
    path, source_digest = _entry_path(name, source, "ranks")
    payload = _read(path, source_digest) if path is not None else None
    if payload is None:
        return None
    try:
        return _rank_table.RankTable(payload)
    except ValueError:
        return None


def store_rank_table(name: str, source: bytes, ranks: dict[bytes, int]) -> None:
    """Keep the rank table of ``ranks`` (derived from ``source``) for the next run; a failure only means no table."""
    path, source_digest = _entry_path(name, source, "ranks")
    if path is None:
        return
    _write(path, source_digest, lambda: _rank_table.encode(ranks))


def _read(path: Path, source_digest: bytes) -> memoryview | None:
    """The entry's payload when its header names these source bytes and its payload hash matches."""
    return user_cache.read(path, _MAGIC, source_digest)


def _write(path: Path, source_digest: bytes, payload_of: Callable[[], bytes]) -> None:
    """Write the entry atomically (user_cache.write: readers never see half a file, the payload is made
    only once the temporary file exists); any failure is only a missed cache."""
    user_cache.write(str(path), _MAGIC, source_digest, payload_of)

