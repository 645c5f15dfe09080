"""Streaming JSONL reader.

Reads bytes in fixed-size chunks and yields one :class:`Line` per physical
line, already parsed. Memory is bounded by the chunk size plus the longest
line kept (``max_line_bytes``); a longer line is skipped without buffering it.

Every way a line can be wrong is recorded on the line as an *event* name;
line-scope rules subscribe to events, so a clean line costs no rule calls.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import os
import sys
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

import orjson

from ftlint.record import Record

CHUNK_SIZE = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"

# Event names. Line rules declare which one they handle.
INVALID_JSON = "invalid-json"
INVALID_UTF8 = "invalid-utf8"
BOM = "bom"
BLANK = "blank"
CRLF = "crlf"
NOT_OBJECT = "not-object"
NON_FINITE = "non-finite"
OVERSIZED = "oversized"
NO_FINAL_NEWLINE = "no-final-newline"

#: The default bound for one line (FT009 explains the figure).
DEFAULT_MAX_LINE_BYTES = 150_000_000


class ReaderSettings(Record, frozen=True):
    """How every file of a run is read. Rules set fields through READER_OPTIONS (FT009's max-bytes)."""

    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES


#: Events after which the line has no parsed object.
UNPARSED = frozenset({INVALID_JSON, INVALID_UTF8, BLANK, NOT_OBJECT, NON_FINITE, OVERSIZED})


class InputError(Exception):
    """The input cannot be opened or read at all (the CLI exits 2)."""


@dataclass(slots=True)
class Line:
    number: int  # 1-based physical line number
    raw: bytes  # without the line terminator (and without a leading BOM)
    size: int  # bytes on disk, terminator excluded
    events: tuple[str, ...] = ()
    value: object = None  # the parsed object when it is a dict
    error: str | None = None  # parser message for invalid lines
    column: int | None = None  # 1-based column of the error
    #: 0-based index of the element in a JSON array file (None in JSONL): a one-line
    #: array puts every element on line 1, so the line alone does not say which example it is.
    element: int | None = None


@dataclass(slots=True)
class Source:
    """An opened input: a file path, a ``.gz`` file or ``-`` for stdin."""

    name: str
    stream: BinaryIO
    closer: object = None
    size: int | None = None  # compressed/on-disk size when known

    def close(self) -> None:
        if self.closer is not None:
            self.closer.close()

    def position(self) -> int | None:
        """Bytes of the file consumed so far (compressed bytes for .gz), for progress display."""
        raw = self.closer.closables[-1] if isinstance(self.closer, _Both) else self.closer
        try:
            return raw.tell() if raw is not None else None
        except (OSError, ValueError):
            return None


def open_source(name: str) -> Source:
    if name == "-":
        return Source("<stdin>", sys.stdin.buffer)
    if os.path.isdir(name):
        raise InputError(f"{name}: is a directory; pass the .jsonl files in it (e.g. {name}/*.jsonl)")
    try:
        raw = open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot open: {exc.strerror or exc}") from None
    size = os.fstat(raw.fileno()).st_size
    if name.endswith(".gz"):
        gz = CheckedGzipFile(fileobj=raw, mode="rb")
        return Source(name, gz, _Both(gz, raw), size)
    return Source(name, raw, raw, size)


#: What a corrupt or truncated gzip body raises from a read (BadGzipFile is an OSError).
GZIP_ERRORS = (OSError, EOFError, zlib.error)


class CheckedGzipFile(gzip.GzipFile):
    """A gzip stream whose every read turns a corrupt body into InputError, whoever reads it."""

    def _checked(self, method, *args):
        try:
            return method(*args)
        except GZIP_ERRORS as exc:
            raise InputError(f"read failed: {exc}") from None

    def read(self, size=-1):
        return self._checked(super().read, size)

    def read1(self, size=-1):
        return self._checked(super().read1, size)

    def peek(self, n):
        return self._checked(super().peek, n)

    def readline(self, size=-1):
        return self._checked(super().readline, size)


class _Both:
    def __init__(self, *closables):
        self.closables = closables

    def close(self) -> None:
        for c in self.closables:
            c.close()


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    read = stream.read
    while True:
        try:
            chunk = read(CHUNK_SIZE)
        except GZIP_ERRORS as exc:
            raise InputError(f"read failed: {exc}") from None
        if not chunk:
            return
        yield chunk


def split_lines(stream: BinaryIO, max_line_bytes: int) -> Iterator[tuple[int, bytes, int, bool, bool]]:
    """Yield (number, raw, size, terminated, oversized) for each physical line.

    ``raw`` is empty for oversized lines: their bytes are counted, not kept.
    """
    number = 0
    pending: list[bytes] = []
    pending_size = 0
    oversized = False
    for chunk in _chunks(stream):
        pieces = chunk.split(b"\n")
        last = pieces.pop()
        for piece in pieces:
            number += 1
            if pending or oversized:
                size = pending_size + len(piece)
                if oversized or size > max_line_bytes:
                    yield number, b"", size, True, True
                else:
                    pending.append(piece)
                    yield number, b"".join(pending), size, True, False
                pending, pending_size, oversized = [], 0, False
            else:
                size = len(piece)
                if size > max_line_bytes:
                    yield number, b"", size, True, True
                else:
                    yield number, piece, size, True, False
        if last:
            pending_size += len(last)
            if oversized or pending_size > max_line_bytes:
                oversized = True
                pending = []
            else:
                pending.append(last)
    if pending or oversized:
        number += 1
        yield number, (b"" if oversized else b"".join(pending)), pending_size, False, oversized


def _non_finite_hint(raw: bytes) -> bool:
    """True when the stdlib parser (which accepts NaN/Infinity) can read the line."""
    found = []

    def constant(name):
        found.append(name)
        return math.nan

    try:
        json.loads(raw, parse_constant=constant)
    except (ValueError, RecursionError):
        return False
    return bool(found)


def _orjson_column(message: str) -> int | None:
    # orjson: "... line 1 column 79 (char 78)"
    marker = "(char "
    at = message.rfind(marker)
    if at < 0:
        return None
    try:
        return int(message[at + len(marker) : message.index(")", at)]) + 1
    except ValueError:
        return None


def parse_line(number: int, raw: bytes, size: int, terminated: bool, oversized: bool) -> Line:
    if terminated and not oversized and number != 1 and raw[-1:] != b"\r":
        # The common line: an object, nothing to report. Anything else (a parse error, a BOM, CR,
        # a blank or a non-object line) takes the full path below, which parses it again.
        try:
            value = orjson.loads(raw)
        except (orjson.JSONDecodeError, RecursionError):
            pass
        else:
            if type(value) is dict:
                return Line(number, raw, size, (), value)
    events: list[str] = []
    if number == 1 and raw.startswith(UTF8_BOM):
        events.append(BOM)
        raw = raw[3:]
    if raw.endswith(b"\r"):
        events.append(CRLF)
        raw = raw[:-1]
    line = Line(number, raw, size)
    if oversized:
        events.append(OVERSIZED)
    elif not raw.strip():
        events.append(BLANK)
    else:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as uexc:
                events.append(INVALID_UTF8)
                # Columns count characters, as orjson's do (the bytes before the first bad one decode).
                column = len(raw[:uexc.start].decode("utf-8")) + 1
                line.error = f"byte 0x{raw[uexc.start]:02x} at column {column} is not valid UTF-8"
                line.column = column
            else:
                message = str(exc).split(": line 1 column")[0]
                if _non_finite_hint(raw):
                    events.append(NON_FINITE)
                else:
                    events.append(INVALID_JSON)
                line.error = message
                line.column = _orjson_column(str(exc))
        except RecursionError:  # pragma: no cover - orjson limits depth itself
            events.append(INVALID_JSON)
            line.error = "nested too deeply"
        else:
            if isinstance(value, dict):
                line.value = value
            else:
                events.append(NOT_OBJECT)
                line.value = value
    if not terminated:
        events.append(NO_FINAL_NEWLINE)
    line.events = tuple(events)
    return line


def read_lines(source: Source, max_line_bytes: int) -> Iterator[Line]:
    """The source's lines; for a JSON array its elements (ftlint.sources), for a table its rows (ftlint.tables)."""
    from ftlint import sources, tables

    kind = tables.table_kind(source.name)
    if kind is not None:
        return tables.read_table(kind, source)
    if source.name == "<stdin>" and getattr(source.stream, "peek", lambda n: b"")(4)[:4] == b"PAR1":
        raise InputError("Parquet is not read from stdin (its index is at the file's end): name the .parquet file")
    if sources.container_of(source.stream) == sources.JSON_ARRAY:
        return sources.read_json_array(source.stream, max_line_bytes)
    return _jsonl_lines(source, max_line_bytes)


def _jsonl_lines(source: Source, max_line_bytes: int) -> Iterator[Line]:
    # starmap (C) rather than a generator of our own: one Python frame less per line.
    return itertools.starmap(parse_line, split_lines(source.stream, max_line_bytes))


def json_type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


#: Byte order marks of encodings that are not UTF-8 (UTF-32 first: its LE mark starts like UTF-16's).
OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 LE", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE", "UTF-32"),
    (b"\xff\xfe", "UTF-16 LE", "UTF-16"),
    (b"\xfe\xff", "UTF-16 BE", "UTF-16"),
)


def file_head(name: str, limit: int) -> bytes | None:
    """The first ``limit`` bytes of a file (decompressed for a .gz name), or None for stdin or an unreadable file.

    For diagnosing a file none of whose lines parsed: what it is instead of JSONL.
    """
    if name == "-":
        return None
    try:
        with (gzip.open(name, "rb") if name.endswith(".gz") else open(name, "rb")) as fh:
            return fh.read(limit)
    except GZIP_ERRORS:
        return None


def other_encoding(name: str) -> tuple[str, str] | None:
    """(title, encoding family) when the file starts with a UTF-16 or UTF-32 byte order mark, else None."""
    head = file_head(name, 4)
    if head is None:
        return None
    for bom, title, iconv in OTHER_BOMS:
        if head.startswith(bom):
            return title, iconv
    return None


def whole_document(name: str, limit: int = 64 << 20) -> tuple[object, int] | None:
    """Parse a whole small file as one JSON document (to diagnose non-JSONL files).

    Returns (value, number of lines), or None when the file is too large,
    unreadable or not one JSON document.
    """
    if name == "-":
        return None
    try:
        if os.path.getsize(name) > limit:
            return None
        with (gzip.open(name, "rb") if name.endswith(".gz") else open(name, "rb")) as fh:
            data = fh.read(limit + 1)
    except GZIP_ERRORS:
        return None
    if len(data) > limit:
        return None
    if data.startswith(UTF8_BOM):
        data = data[3:]
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return value, data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
