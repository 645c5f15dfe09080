"""ftlint's TOML data files (provider profiles and their catalogs), parsed once per content.

Every lint run reads at least one provider profile. Parsing it is 2-3 ms, and
importing ``tomllib`` (whose import compiles its regular expressions) costs
more than that again, on every run, for the same bytes. The parsed tables are
a pure function of the file's bytes, so they are kept in the user cache
(``$XDG_CACHE_HOME/ftlint/toml``, else ``~/.cache/ftlint/toml``;
``FTLINT_TOML_CACHE=0`` turns it off) in :mod:`marshal` form, under the sha256
of those bytes, and read back only when whole (:mod:`ftlint.user_cache`). A
changed file is another key; a missing or damaged entry is parsed again.
Dates and times (``as_of = 2026-11-20``) are kept as tagged tuples (TOML has
no tuples, so the tags are unambiguous) and come back as the same
``datetime`` objects.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from typing import Any

from ftlint import user_cache

_MAGIC = b"ftlint-toml 1\n"
_TAG = f"py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"


def toml_module():
    """``tomllib`` (``tomli`` on Python 3.10), imported when a file must really be parsed."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def load(path: str | os.PathLike) -> dict[str, Any]:
    """``tomllib.load`` of the file at ``path``; raises OSError, or ValueError (``TOMLDecodeError``, bad UTF-8)."""
    with open(path, "rb") as fh:
        data = fh.read()
    stamp = hashlib.sha256(_MAGIC + _TAG.encode() + b"\0" + data).digest()
    directory = user_cache.directory("toml", "FTLINT_TOML_CACHE")
    entry = os.path.join(directory, f"{stamp.hex()[:32]}-{_TAG}.marshal") if directory is not None else None
    payload = user_cache.read(entry, _MAGIC, stamp) if entry is not None else None
    if payload is not None:
        try:
            return _untagged(marshal.loads(payload))
        except (ValueError, EOFError, TypeError, KeyError):
            pass  # not what this module writes: parse again
    parsed = toml_module().loads(data.decode("utf-8"))
    if entry is not None:
        try:
            user_cache.write(entry, _MAGIC, stamp, marshal.dumps(_tagged(parsed)))
        except ValueError:
            pass
    return parsed


def _tagged(value):
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    # tomllib's other values: datetime.datetime, datetime.date, datetime.time
    return (type(value).__name__, value.isoformat())


def _untagged(value):
    if type(value) is dict:
        return {key: _untagged(item) for key, item in value.items()}
    if type(value) is list:
        return [_untagged(item) for item in value]
    if type(value) is tuple:
        import datetime as dt

        kind, text = value
        return {"datetime": dt.datetime, "date": dt.date, "time": dt.time}[kind].fromisoformat(text)
    return value
