"""A derived index of the built-in rules' declarations, so a run imports only the rule modules it uses.

Importing the 100-odd rule modules (and what they import: chat templates,
converters, schemas) was about a sixth of a cold pre-commit run, yet a chat
file linted for OpenAI runs about 60 of them, and ``--select FT001`` one.
What decides whether a rule runs (code, name, scope, formats, methods,
providers, level, options...) is declared data; the index keeps it, so a
:class:`ftlint.rules.Rule` can be built without its module, which is imported
when the engine first calls one of its functions.

The index is derived, never trusted and never required, like the vocabulary
cache (:mod:`ftlint.vocab_cache`):

* it is kept in the user cache directory (``$XDG_CACHE_HOME/ftlint/rules``,
  else ``~/.cache/ftlint/rules``; ``FTLINT_RULE_INDEX=0`` turns it off) under
  a name made of the *fingerprint* of the code it was derived from: ftlint's
  version, the interpreter, and the size and mtime of every module of the
  package (a rule's declarations may come from any of them), so an edited,
  added or removed module never meets a stale index;
* the header repeats the fingerprint and carries the sha256 of the payload,
  so a truncated or damaged file is detected, ignored and written again;
* a missing, unreadable or read-only cache directory only means every rule
  module is imported, as before; entries are written to a temporary file and
  renamed into place, so concurrent runs only ever read a whole index.

Rule plugins are not indexed: they are imported as before (their code is not
ftlint's to fingerprint).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys

from ftlint import __version__, user_cache

#: Bump when the entry layout changes.
LAYOUT = 1
_MAGIC = b"ftlint-rule-index 1\n"
#: The option types an entry can name (OPTIONS maps an option to one of these).
OPTION_TYPES = {t.__name__: t for t in (int, float, str, bool, list, tuple, dict)}


def index_dir() -> str | None:
    """Where the index is kept; None when it is turned off or there is no home directory."""
    return user_cache.directory("rules", "FTLINT_RULE_INDEX")


def fingerprint() -> bytes:
    """sha256 of ftlint's version, the interpreter (marshal's format is its own) and every module's size and mtime.

    About a millisecond: one directory walk and a stat per module.
    """
    import ftlint

    root = os.path.dirname(ftlint.__file__)
    digest = hashlib.sha256(f"{LAYOUT}\0{__version__}\0{sys.version}\0{marshal.version}\0{root}\0".encode())
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        found.extend(os.path.join(directory, name) for name in names if name.endswith(".py"))
    for path in sorted(found):
        stat = os.stat(path)
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def _path(directory: str, stamp: bytes) -> str:
    return os.path.join(directory, f"rules-{stamp.hex()[:32]}.marshal")


def load(stamp: bytes) -> list[dict] | None:
    """The entries indexed for exactly this fingerprint; None when there is no whole, valid index."""
    directory = index_dir()
    payload = user_cache.read(_path(directory, stamp), _MAGIC, stamp) if directory is not None else None
    if payload is None:
        return None
    try:
        entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return None
    return entries


def store(stamp: bytes, entries: list[dict]) -> None:
    """Write the index for this fingerprint (atomically); any failure only means no index next time."""
    directory = index_dir()
    if directory is None:
        return
    try:
        payload = marshal.dumps(entries)
    except ValueError:  # a value marshal cannot write: no index, the modules are imported every run
        return
    user_cache.write(_path(directory, stamp), _MAGIC, stamp, payload)
