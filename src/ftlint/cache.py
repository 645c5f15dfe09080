"""The result cache: a file linted before with the same settings is answered from disk.

Like ruff's ``.ruff_cache``, one entry per (file, role, settings) in
``.ftlint_cache/`` of the working directory (``--cache-dir``,
``FTLINT_CACHE_DIR``; ``--no-cache`` or ``FTLINT_NO_CACHE=1`` turn it off).
An entry holds the file's problems and its FileResult, and is used only when
its key matches exactly: the sha256 of the file's bytes, ftlint's version and
the fingerprint of its code (every module's size and mtime, rule plugins
included), the data files (catalog, schemas, provider profiles: by content),
today's date (retirement verdicts), the selected rules with their levels and
options, the model, the method and every run option. Anything else changed,
and the entry is not used, so it is never stale.

Replaying an entry makes the reporter the same calls the linter would have
(begin_file, each problem in order, end_file), so every output format is the
same. Entries are written whole to a temporary file and renamed into place,
so concurrent runs never see a half-written entry; a damaged entry is a miss.

A plain lint run also leaves a run record under ``runs/`` (:mod:`ftlint.rerun`):
which entry each file got, keyed by the command line, the config files and the
rest of what decides the settings, so the console script answers the same
command again before importing the CLI, the engine or any rule.

Not cached: stdin, unreadable files, files over ``MAX_FILE_BYTES`` (hashing
them would cost more than the cache saves), runs with validation files (the
overlap check spans files) or ``--stats`` (rows per example), and files with
more than ``MAX_PROBLEMS`` problems (the entry would not stay small).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ftlint import __version__, record
from ftlint.problem import Level, Problem
from ftlint.results import TRAINING, FileResult

if TYPE_CHECKING:  # ftlint.rerun answers a re-run from here without importing the engine
    from ftlint.engine import Linter

DEFAULT_DIR = ".ftlint_cache"
#: Bump when the entry layout changes.
LAYOUT = 1
MAX_FILE_BYTES = 64 << 20
MAX_PROBLEMS = 20_000
_LEVELS = {str(level): level for level in Level}


def cache_disabled_by_env() -> bool:
    return os.environ.get("FTLINT_NO_CACHE", "") not in ("", "0")


def default_directory() -> str:
    return os.environ.get("FTLINT_CACHE_DIR") or DEFAULT_DIR


# -- fingerprints ------------------------------------------------------------------


def _files_below(root: str, suffix: str = "") -> list[tuple[str, str]]:
    """(path relative to root with / separators, absolute path) of every file below root, sorted
    (os.walk: a third of the time Path.rglob takes, and this runs before every cached answer)."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        relative = os.path.relpath(directory, root)
        for name in names:
            if name.endswith(suffix):
                found.append((name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"),
                              os.path.join(directory, name)))
    return sorted(found)


def code_fingerprint(modules) -> str | None:
    """Size and mtime of every ftlint module and of every rule module (plugins too).

    None when a rule has no source file to fingerprint (then nothing is cached).
    """
    import ftlint

    digest = hashlib.sha256()
    for relative, path in _files_below(os.path.dirname(ftlint.__file__), ".py"):
        stat = os.stat(path)
        digest.update(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for module in modules:
        source = getattr(module, "__file__", None)
        if not source:
            return None
        try:
            stat = os.stat(source)
        except OSError:
            return None
        digest.update(f"{source}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def data_fingerprint() -> str:
    """The content of every shipped data file (catalog, schemas, provider profiles)."""
    from ftlint.data import data_root

    digest = hashlib.sha256()
    for relative, path in _files_below(str(data_root())):
        digest.update(relative.encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


def _plain(value):
    """A JSON-able, order-stable picture of a settings value (repr for anything else)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _named_files(value) -> dict[str, str]:
    """sha256 of every existing file a run option names (a chat template, a trainer config):
    its content decides results as much as the option does."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for item in value.values():
            found.update(_named_files(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            found.update(_named_files(item))
    elif isinstance(value, (str, os.PathLike)) and len(str(value)) < 4096:
        try:
            if os.path.isfile(value):
                with open(value, "rb") as fh:
                    found[os.path.abspath(value)] = hashlib.sha256(fh.read()).hexdigest()
        except (OSError, ValueError):
            pass
    return found


def linter_fingerprint(linter: Linter) -> str | None:
    """Everything about a Linter that its results depend on, as one hash (None: not cacheable)."""
    from ftlint import clock

    rules = linter.selection.rules
    # An indexed rule is a built-in module, fingerprinted with the package: asking for its module would import it.
    code = code_fingerprint([rule.module for rule in rules.values() if not rule.indexed])
    if code is None:
        return None
    run = linter.run
    settings = {
        "layout": LAYOUT,
        "version": __version__,
        "python": sys.version,
        "code": code,
        "data": data_fingerprint(),
        "today": clock.today().isoformat(),
        "rules": {c: [str(linter.levels[c]), _plain(linter.confs[c])] for c in linter.rules},
        "all_options": _plain(linter.confs),
        "method": linter.method,
        "model": repr(linter.model if linter.model is not None else run.model),
        "run_model": repr(run.model),
        "run_options": _plain(run.options),
        "files_named": _named_files(run.options),
        "provider": repr(getattr(run, "provider", None)),
        "reader": repr(linter.reader),
    }
    import orjson

    return hashlib.sha256(orjson.dumps(_plain(settings))).hexdigest()


def file_digest(name: str) -> str | None:
    """sha256 of a file's bytes; None when it is not a cacheable file."""
    if name == "-":
        return None
    try:
        with open(name, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return None
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


# -- entries -------------------------------------------------------------------------


_RESULT_FIELDS = record.fields(FileResult)
_PROBLEM_FIELDS = tuple(f.name for f in dataclasses.fields(Problem))


def _field(value):
    """A Problem field as JSON: levels by name, bytes (a line's excerpt) as base64."""
    if isinstance(value, Level):
        return str(value)
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _unfield(value):
    if isinstance(value, dict) and "base64" in value:
        return base64.b64decode(value["base64"])
    return value


def _encode(result: FileResult, problems: list[Problem]) -> bytes:
    fields = {name: getattr(result, name) for name in _RESULT_FIELDS}
    fields["levels"] = {str(level): n for level, n in result.levels.items()}
    import orjson

    return orjson.dumps({
        "result": fields,
        "problems": [[_field(getattr(p, n)) for n in _PROBLEM_FIELDS] for p in problems],
    })


def _loads(data: bytes):
    """JSON written by orjson, read back: by orjson when it is imported already (a run that lints) or the
    entry is large; else by the json module, which a re-run ftlint.rerun answers imports anyway and which
    costs a tenth of orjson's import (uuid, platform, ...). Both give the same values for orjson's output."""
    if "orjson" in sys.modules or len(data) > 1 << 20:
        import orjson

        return orjson.loads(data)
    import json

    return json.loads(data)


def _decode(data: bytes, loads=None) -> tuple[FileResult, list[Problem]]:
    entry = (loads or _loads)(data)
    fields = entry["result"]
    fields["levels"] = Counter({_LEVELS[k]: n for k, n in fields["levels"].items()})
    fields["codes"] = Counter(fields["codes"])
    result = FileResult(**fields)
    level_at = _PROBLEM_FIELDS.index("level")
    problems = []
    for values in entry["problems"]:
        values = [_unfield(v) for v in values]
        values[level_at] = _LEVELS[values[level_at]]
        problems.append(Problem(*values))
    return result, problems


class ResultCache:
    """Entries under one directory, one per (settings, file, role), replaced when the file changes."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self._ready = False

    def _path(self, settings: str, name: str, role: str, display: str | None) -> Path:
        where = hashlib.sha256(f"{settings}\0{os.path.abspath(name)}\0{role}\0{display}".encode()).hexdigest()
        return self.directory / where[:2] / where[2:34]

    def get(self, settings: str, name: str, role: str, display: str | None, content: str):
        path = self._path(settings, name, role, display)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        stored, _, body = data.partition(b"\n")
        if stored != content.encode():
            return None
        try:
            return _decode(body)
        except (ValueError, KeyError, IndexError, TypeError):
            return None  # damaged: lint again (and overwrite it)

    def put(self, settings: str, name: str, role: str, display: str | None, content: str,
            result: FileResult, problems: list[Problem]) -> bool:
        """Store the entry; False when it was not (it would not come back the same, or the disk refused)."""
        import json

        import orjson

        try:
            body = _encode(result, problems)
            if any(_decode(body, loads) != (result, problems) for loads in (orjson.loads, json.loads)):
                return False  # something would not come back the same (a statistic JSON cannot hold): skip
        except (ValueError, KeyError, IndexError, TypeError):
            return False
        return self._write(self._path(settings, name, role, display), content.encode() + b"\n" + body)

    def _record_path(self, key: str) -> Path:
        return self.directory / "runs" / key[:32]

    def get_record(self, key: str) -> dict | None:
        """The run record ftlint.rerun wrote under ``key`` (None: none, or damaged)."""
        try:
            record = _loads(self._record_path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("key") == key else None

    def put_record(self, key: str, record: dict) -> bool:
        import orjson

        return self._write(self._record_path(key), orjson.dumps({**record, "key": key}))

    def _write(self, path: Path, data: bytes) -> bool:
        """Write ``data`` to ``path`` atomically; False when the disk refused (that costs speed, never the run)."""
        import tempfile

        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(temp, path)  # atomic: readers see the old entry or the new one
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return False
        return True

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by ftlint automatically.\n*\n")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                           "# This file is a cache directory tag created by ftlint.\n")
        self._ready = True


class _Recorder:
    """Passes problems on to the reporter and keeps them (up to MAX_PROBLEMS) for the cache."""

    def __init__(self, sink):
        self.sink = sink
        self.problems: list[Problem] | None = []

    def problem(self, problem: Problem) -> None:
        self.sink.problem(problem)
        if self.problems is not None:
            self.problems.append(problem)
            if len(self.problems) > MAX_PROBLEMS:
                self.problems = None


class CachedLinter:
    """lint_file answered from a ResultCache when the same file was linted with the same settings."""

    def __init__(self, linter, cache: ResultCache):
        self.linter = linter  # a Linter or PerFileLinter
        self.cache = cache
        self._fingerprints: dict[int, str | None] = {}
        self._linters: dict[int, object] = {}
        #: file name -> the settings fingerprint of the entry it has now (read or written; ftlint.rerun)
        self.stored: dict[str, str] = {}

    def _settings(self, name: str) -> str | None:
        linter = self.linter.linter_for(name) if hasattr(self.linter, "linter_for") else self.linter
        key = id(linter)
        if key not in self._fingerprints:
            self._fingerprints[key] = linter_fingerprint(linter)
            self._linters[key] = linter
        return self._fingerprints[key]

    def named_files(self) -> dict[str, str]:
        """sha256 of the files the options of every linter used name (part of their fingerprints)."""
        found: dict[str, str] = {}
        for linter in self._linters.values():
            found.update(_named_files(linter.run.options))
        return found

    def lint_file(self, name: str, sink, role: str = TRAINING, display: str | None = None) -> FileResult:
        settings = self._settings(name)
        content = file_digest(name) if settings is not None else None
        if content is None:
            return self.linter.lint_file(name, sink, role=role, display=display)
        hit = self.cache.get(settings, name, role, display, content)
        if hit is not None:
            result, problems = hit
            for problem in problems:
                sink.problem(problem)
            self.stored[name] = settings
            return result
        recorder = _Recorder(sink)
        result = self.linter.lint_file(name, recorder, role=role, display=display)
        if result.error is None and recorder.problems is not None:
            if self.cache.put(settings, name, role, display, content, result, recorder.problems):
                self.stored[name] = settings
        return result
