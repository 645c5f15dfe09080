"""The temporary files ``--fix`` and ``--convert-to -o`` write beside their destination.

A run killed with SIGKILL (or by a power cut) cannot remove its temporary file,
and such files hold a whole copy of the data (F11 of the attack report: 8 of 40
kills left files of up to 141 MB). So each temporary file says whose it is and
whether its writer still runs:

- its name is ``.<destination name>.<pid>.<random>.ftlint-tmp``;
- its writer holds an exclusive ``flock`` on it from creation until it has been
  renamed over the destination or removed; the kernel drops the lock when the
  writer dies, however it dies.

Before writing a destination, :func:`create_beside` removes that destination's
stale temporary files: regular files with our name pattern, owned by this user,
whose lock can be taken, and whose writer is gone (its pid is not running here,
or the file has not changed for ``STALE_SECONDS``, for a writer in another pid
namespace). A file another run is writing is never touched: it holds the lock.

:func:`private_directory` does the same for ``--submit``'s snapshot directory
(``ftlint-submit-<pid>-<random>`` in the temporary directory, mode 0700): it
holds a copy of the whole dataset, and a killed run left it behind (F18).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
from typing import Iterator

SUFFIX = ".ftlint-tmp"
#: A temporary file unchanged this long has no writer, whatever its pid says
#: (a writer writes continuously; a pid may belong to another pid namespace).
STALE_SECONDS = 600
_REST = re.compile(r"(?:(\d+)\.)?[A-Za-z0-9_]{8}")  # "<pid>.<random>" (0.1.0 wrote "<random>" only)


def new_file_mode() -> int:
    """The mode a new file gets under this process's umask (a temporary file is created 0600, and is
    renamed into a place where the user expects an ordinary file)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def create_beside(target: str) -> tuple[int, str]:
    """A new, locked temporary file in ``target``'s directory: (fd, path). Stale ones of ``target`` go first.

    The lock lasts while ``fd`` is open: keep it open until the file is renamed or removed.
    """
    directory, name = os.path.split(target)
    remove_stale(directory or ".", name)
    fd, path = tempfile.mkstemp(dir=directory or ".", prefix=f".{name}.{os.getpid()}.", suffix=SUFFIX)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a fresh file: nobody else can hold it
    except OSError:
        os.close(fd)
        os.unlink(path)
        raise
    return fd, path


def remove_stale(directory: str, name: str, now: float | None = None) -> list[str]:
    """Remove the temporary files of destination ``name`` in ``directory`` left by writers that are gone.

    Returns the paths removed. Errors (a directory we cannot list, a file we
    cannot remove) leave things as they are: cleaning up is never worth a failure.
    """
    prefix = f".{name}."
    removed = []
    try:
        entries = [e.name for e in os.scandir(directory)
                   if e.name.startswith(prefix) and e.name.endswith(SUFFIX)]
    except OSError:
        return removed
    now = time.time() if now is None else now
    for entry in entries:
        match = _REST.fullmatch(entry[len(prefix):-len(SUFFIX)])
        if match is None:
            continue
        path = os.path.join(directory, entry)
        pid = int(match.group(1)) if match.group(1) else None
        if _remove_if_abandoned(path, pid, now):
            removed.append(path)
    return removed


def _remove_if_abandoned(path: str, pid: int | None, now: float, directory: bool = False) -> bool:
    """Remove ``path`` (our temporary file, or directory) if its writer is gone; True if removed.

    Gone: owned by us, the lock free, and the pid in its name not running here (or none in the
    name, or the path unchanged for STALE_SECONDS). It is opened without following a symlink,
    locked, and removed only if the name still holds what was locked.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_DIRECTORY if directory else os.O_NONBLOCK)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False  # gone already, a symlink, or not readable: not ours to judge
    try:
        st = os.fstat(fd)
        kind_ok = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
        if not kind_ok or st.st_uid != os.geteuid():
            return False
        recent = now - st.st_mtime < STALE_SECONDS
        if recent and (pid is None or _running(pid)):
            return False  # its writer may be between creating the path and locking it
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live writer holds it
        try:
            current = os.lstat(path)
        except OSError:
            return False
        if (current.st_dev, current.st_ino) != (st.st_dev, st.st_ino):
            return False  # replaced under the same name meanwhile
        if directory:
            shutil.rmtree(path, ignore_errors=True)
            return not os.path.lexists(path)
        with contextlib.suppress(OSError):
            os.unlink(path)
            return True
        return False
    finally:
        os.close(fd)


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:
        return exc.errno == errno.EPERM  # someone else's process
    return True


@contextlib.contextmanager
def private_directory(prefix: str) -> Iterator[str]:
    """A new directory in the system's temporary directory, locked while in use and removed after.

    Its name is ``<prefix><pid>-<random>``; stale ones of ``prefix`` (their writer gone, as for
    temporary files above) are removed first.
    """
    base = tempfile.gettempdir()
    remove_stale_directories(base, prefix)
    path = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def remove_stale_directories(base: str, prefix: str, now: float | None = None) -> list[str]:
    """Remove ``<prefix><pid>-<random>`` directories in ``base`` whose run is gone; returns those removed."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[A-Za-z0-9_]{8}")
    removed = []
    try:
        names = [e.name for e in os.scandir(base) if e.name.startswith(prefix)]
    except OSError:
        return removed
    now = time.time() if now is None else now
    for name in names:
        match = pattern.fullmatch(name)
        path = os.path.join(base, name)
        if match is not None and _remove_if_abandoned(path, int(match.group(1)), now, directory=True):
            removed.append(path)
    return removed
