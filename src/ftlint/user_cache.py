"""Derived files in the user cache directory: written atomically, read only when whole and for the same source.

Each entry is ``MAGIC + stamp + sha256(payload) + payload``: the 32-byte
``stamp`` names what the payload was derived from (a source file's sha256, a
code fingerprint), so an entry never answers for other sources, and the
payload's hash catches a truncated or damaged file. Nothing here is required:
a missing, unreadable or read-only directory only means the entry is derived
again. Stdlib only, and light to import (start-up reads these).

Old entries do not pile up (a new ftlint, Python or vocabulary derives new
ones): a run that writes an entry (new code, a changed file: when others may
have become stale) then removes, with :func:`remove_stale`, the entries of that
directory no run has read or written for :data:`STALE_AFTER_DAYS` days and
temporary files a killed writer left a day ago -- never the entry just written.
Every read refreshes its entry's modification time (at most once a day), so
entries another installed version still uses never look stale. Only regular
files named as ftlint names entries (``*.marshal``, ``*.ranks``, ``.tmp-*``) in
ftlint's own cache directories are removed; two runs sweeping at once, or a
reader that loses an entry to a sweep, only cost a derivation.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Callable

_DIGEST = 32
#: An entry no run has read or written for this many days is removed when a run writes into its directory.
STALE_AFTER_DAYS = 30
_DAY = 86_400


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
    keep_fresh(path, modified)
    return payload


def keep_fresh(path, modified: float) -> None:
    """A read entry is in use: refresh its modification time (once a day at most) so remove_stale() keeps it."""
    if time.time() - modified > _DAY:
        try:
            os.utime(path)
        except OSError:
            pass


def write(path: str, magic: bytes, stamp: bytes, payload: "bytes | Callable[[], bytes]") -> None:
    """Write the entry atomically (a temporary file renamed into place: concurrent runs each see a whole
    entry, the last rename wins); any failure only means there is no entry.

    ``payload`` may be a function that makes it: it is called only once the temporary file exists, so
    an unwritable cache directory costs no work on every run.
    """
    import tempfile  # only when an entry is written: it imports shutil, random... (2-4 ms of a run)

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=os.path.splitext(path)[1])
        try:
            with os.fdopen(fd, "wb") as fh:
                if callable(payload):
                    payload = payload()
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


def remove_stale(directory, keep: str = "", now: float | None = None,
                 days: float = STALE_AFTER_DAYS) -> list[str]:
    """Delete the entries of ``directory`` unused for ``days`` days and temporary files older than a day,
    never ``keep``; returns the names removed. Failures (another run removed it first, a read-only
    directory) are ignored: the cache is never required."""
    import stat

    now = time.time() if now is None else now
    removed = []
    try:
        listing = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in listing:
        name = entry.name
        if name == keep:
            continue
        if name.startswith(".tmp-"):
            limit = _DAY  # a writer takes seconds; one that old was killed
        elif name.endswith((".marshal", ".ranks")) and not name.startswith("."):
            limit = days * _DAY
        else:
            continue  # not ours
        try:
            info = entry.stat(follow_symlinks=False)
            # Checked again just before unlinking: a run that read it meanwhile has refreshed it.
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > limit \
                    and now - os.stat(entry.path, follow_symlinks=False).st_mtime > limit:
                os.unlink(entry.path)
                removed.append(name)
        except OSError:
            continue
    return removed
