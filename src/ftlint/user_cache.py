"""Derived files in the user cache directory: written atomically, read only when whole and for the same source.

Each entry is ``MAGIC + stamp + sha256(payload) + payload``: the 32-byte
``stamp`` names what the payload was derived from (a source file's sha256, a
code fingerprint), so an entry never answers for other sources, and the
payload's hash catches a truncated or damaged file. Nothing here is required:
a missing, unreadable or read-only directory only means the entry is derived
again. Stdlib only, and light to import (start-up reads these).

Old entries are removed as the vocabulary cache removes them: a read refreshes
its entry's modification time (at most once a day), and a run that writes an
entry (new code, a changed file: when others may have become stale) deletes the
entries of that directory nobody read for :data:`STALE_AFTER_DAYS` days, and
temporary files a killed writer left a day ago. Another installed ftlint that
still reads its entry keeps it fresh; a reader that loses one derives it again.
"""

from __future__ import annotations

import hashlib
import os
import time

_DIGEST = 32
STALE_AFTER_DAYS = 30
_DAY = 86400


def directory(kind: str, switch: str) -> str | None:
    """``$XDG_CACHE_HOME/ftlint/<kind>`` (else ``~/.cache/ftlint/<kind>``); None when the environment variable
    ``switch`` turns this cache off (0, false, no, off) or there is no home directory."""
    if os.environ.get(switch, "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "ftlint", kind)


def read(path: str, magic: bytes, stamp: bytes) -> memoryview | None:
    """The payload of the entry at ``path`` when it is whole and was derived from ``stamp``; None otherwise."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
            modified = os.fstat(fh.fileno()).st_mtime
    except OSError:
        return None
    head = len(magic) + 2 * _DIGEST
    if len(data) <= head or not data.startswith(magic) or data[len(magic):len(magic) + _DIGEST] != stamp:
        return None
    payload = memoryview(data)[head:]
    if hashlib.sha256(payload).digest() != data[len(magic) + _DIGEST:head]:
        return None
    if time.time() - modified > _DAY:
        try:
            os.utime(path)  # in use: not stale
        except OSError:
            pass
    return payload


def write(path: str, magic: bytes, stamp: bytes, payload: bytes) -> None:
    """Write the entry atomically (a temporary file renamed into place: concurrent runs each see a whole
    entry, the last rename wins); any failure only means there is no entry."""
    import tempfile

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=os.path.splitext(path)[1])
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(magic + stamp + hashlib.sha256(payload).digest())
                fh.write(payload)
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        return
    remove_stale(os.path.dirname(path), keep=os.path.basename(path))


def remove_stale(directory: str, keep: str) -> None:
    """Delete the entries (``*.marshal``) of ``directory`` nobody read for STALE_AFTER_DAYS days, but ``keep``,
    and temporary files (``.tmp-*``) older than a day."""
    now = time.time()
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name == keep:
            continue
        if name.startswith(".tmp-"):
            limit = _DAY
        elif name.endswith(".marshal"):
            limit = STALE_AFTER_DAYS * _DAY
        else:
            continue  # not ours
        where = os.path.join(directory, name)
        try:
            if now - os.stat(where).st_mtime > limit:
                os.unlink(where)
        except OSError:
            pass
