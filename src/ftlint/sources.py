"""Files that are not JSONL but hold examples: JSON arrays (and tables, see ftlint.tables).

LLaMA-Factory's datasets and many hand-made files are one JSON array of
example objects, usually pretty-printed. They are read here as a stream of
records, one :class:`~ftlint.reader.Line` per element, numbered by the
physical line the element starts on, so every rule and report works on them
as on JSONL. Memory is bounded by one chunk plus the element being read.

Whether a provider *takes* such a file is a separate question (FT010 says
when it does not); reading it lets ftlint lint the examples and convert them
with ``--convert-to``.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from ftlint.reader import BOM, INVALID_JSON, OVERSIZED, UTF8_BOM, Line, _chunks, parse_line

JSONL = "jsonl"
JSON_ARRAY = "json-array"

#: How far into a file to look for its first non-blank byte.
PEEK_BYTES = 4096

_BLANK = b" \t\r\n"
# At nesting depth > 0 only strings (skipped whole) and brackets matter. A
# string token with no closing quote means the chunk ended inside it.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
# Between elements: blanks and at most one comma.
_GAP = re.compile(rb"[ \t\r\n]*(,?)[ \t\r\n]*")
# A scalar element (number, true, null...) runs to the next comma or bracket.
_SCALAR = re.compile(rb"[^,\]\[{}]*")


def container_of(stream: BinaryIO) -> str:
    """JSON_ARRAY when the stream's first non-blank byte opens an array, else JSONL.

    Only peeks: the stream must be buffered (files, gzip and stdin are).
    """
    peek = getattr(stream, "peek", None)
    if peek is None:
        return JSONL
    try:
        head = peek(PEEK_BYTES)[:PEEK_BYTES]
    except (OSError, EOFError, ValueError):
        return JSONL
    head = head.removeprefix(UTF8_BOM).lstrip(_BLANK)
    return JSON_ARRAY if head[:1] == b"[" else JSONL


def container_of_path(name: str) -> str:
    """container_of() for a file by name (JSONL when it cannot be opened: the reader will say why)."""
    if name == "-":
        return JSONL
    from ftlint import tables
    from ftlint.reader import InputError, open_source

    kind = tables.table_kind(name)
    if kind is not None:
        return kind

    try:
        source = open_source(name)
    except InputError:
        return JSONL
    try:
        return container_of(source.stream)
    finally:
        source.close()


class _Buffer:
    """The bytes read so far that are still needed, and the line number where they start."""

    def __init__(self, stream: BinaryIO):
        self.chunks = _chunks(stream)
        self.data = b""
        self.counted = 0  # newlines in data[:counted] are counted into line_at_counted
        self.line_at_counted = 1

    def more(self, keep_from: int) -> int | None:
        """Read one more chunk, dropping the data before ``keep_from``.

        Returns how far offsets into the data moved, or None at the end of the stream.
        """
        chunk = next(self.chunks, b"")
        if not chunk:
            return None
        self.line_of(keep_from)
        self.data = self.data[keep_from:] + chunk
        self.counted = 0
        return keep_from

    def line_of(self, offset: int) -> int:
        """Physical line number of data[offset]."""
        if offset >= self.counted:
            self.line_at_counted += self.data.count(b"\n", self.counted, offset)
        else:
            self.line_at_counted -= self.data.count(b"\n", offset, self.counted)
        self.counted = offset
        return self.line_at_counted


def read_json_array(stream: BinaryIO, max_element_bytes: int) -> Iterator[Line]:
    """One Line per element of the JSON array in ``stream``; a syntax error ends the stream with an invalid line."""
    buf = _Buffer(stream)
    while len(buf.data) < PEEK_BYTES and buf.more(0) is not None:
        pass
    bom = buf.data.startswith(UTF8_BOM)
    i = _GAP.match(buf.data, len(UTF8_BOM) if bom else 0).end()
    if buf.data[i : i + 1] != b"[":  # pragma: no cover - callers check container_of first
        return
    i += 1
    first = True
    element = 0
    while True:
        # Between elements (or right after "[").
        while True:
            gap = _GAP.match(buf.data, i)
            if gap.end() < len(buf.data):
                break
            shift = buf.more(i)
            if shift is None:
                yield _broken(buf.line_of(len(buf.data)), "the JSON array is not closed with ]")
                return
            i -= shift
        comma = bool(gap.group(1))
        i = gap.end()
        head = buf.data[i : i + 1]
        if head == b"]":
            if comma:
                yield _broken(buf.line_of(i), "trailing comma before ] (JSON allows none)")
                return
            rest = buf.data[i + 1 :]
            while not rest.strip(_BLANK):
                rest = next(buf.chunks, b"")
                if not rest:
                    return
            yield _broken(buf.line_of(i), "text after the closing ] of the JSON array")
            return
        if first and comma:
            yield _broken(buf.line_of(i), "comma before the first element of the JSON array")
            return
        if not first and not comma:
            yield _broken(buf.line_of(i), "expected , or ] between elements of the JSON array")
            return
        start = j = i
        if head in (b"{", b"["):
            depth = 0
            while True:
                m = _TOKEN.search(buf.data, j)
                # A string reaching the end of the data may go on in the next chunk.
                if m is None or (m.group()[:1] == b'"' and m.end() >= len(buf.data) - 1):
                    if len(buf.data) - start > max_element_bytes:
                        yield Line(buf.line_of(start), b"", len(buf.data) - start, (OVERSIZED,))
                        return
                    resume = len(buf.data) if m is None else m.start()
                    shift = buf.more(start)
                    if shift is None:
                        yield _broken(buf.line_of(start), "the JSON array ends inside an element")
                        return
                    start, j = start - shift, resume - shift
                    continue
                j = m.end()
                token = m.group()
                if token in (b"{", b"["):
                    depth += 1
                elif token in (b"}", b"]"):
                    depth -= 1
                    if depth == 0:
                        break
        else:  # a string, number, true, false or null
            pattern = _TOKEN if head == b'"' else _SCALAR
            while True:
                m = pattern.match(buf.data, start)
                if m.end() < len(buf.data) - 1:
                    break
                shift = buf.more(start)
                if shift is None:
                    break
                start -= shift
            j = m.end()
        raw = buf.data[start:j]
        line = parse_line(0, raw.rstrip(_BLANK), len(raw), True, False)
        line.number = buf.line_of(start)
        line.element = element
        element += 1
        if first and bom:
            line.events = (BOM,) + line.events
        yield line
        first = False
        i = j


def _broken(number: int, message: str) -> Line:
    return Line(number, b"", 0, (INVALID_JSON,), error=message)
