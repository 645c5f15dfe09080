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

Nothing here touches the network; the result is the same dict either way.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

_MAGIC = b"ftlint-vocab-cache 1\n"
_DIGEST = 32


def cache_dir() -> Path | None:
    """Where derived vocabularies are kept; None when the cache is turned off."""
    if os.environ.get("FTLINT_VOCAB_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "ftlint" / "vocab"


def _cache_path(directory: Path, name: str, source_digest: bytes) -> Path:
    # marshal's format belongs to the Python version that wrote it.
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"
    return directory / f"{name}-{source_digest.hex()[:24]}-{tag}.marshal"


def cached(name: str, source: bytes, derive: Callable[[bytes], Any], check: Callable[[Any], bool]) -> Any:
    """``derive(source)``, from the cache when a valid entry for exactly these source bytes exists.

    ``source`` is the vocabulary file's bytes as read (compressed or not);
    ``derive`` verifies and decodes them (raising on a bad vocabulary);
    ``check`` says whether a loaded value has the expected shape.
    """
    source_digest = hashlib.sha256(source).digest()
    directory = cache_dir()
    path = _cache_path(directory, name, source_digest) if directory is not None else None
    if path is not None:
        value = _read(path, source_digest, check)
        if value is not None:
            return value
    value = derive(source)
    if path is not None:
        _write(path, source_digest, value)
    return value


def _read(path: Path, source_digest: bytes, check: Callable[[Any], bool]) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 2 * _DIGEST
    if len(data) <= head or not data.startswith(_MAGIC):
        return None
    stored_source = data[len(_MAGIC):len(_MAGIC) + _DIGEST]
    stored_payload = data[len(_MAGIC) + _DIGEST:head]
    payload = memoryview(data)[head:]
    if stored_source != source_digest or hashlib.sha256(payload).digest() != stored_payload:
        return None
    try:
        value = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return value if check(value) else None


def _write(path: Path, source_digest: bytes, value: Any) -> None:
    """Write the entry atomically (readers never see half a file); any failure is only a missed cache."""
    try:
        payload = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + source_digest + hashlib.sha256(payload).digest())
                fh.write(payload)
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        pass
