"""The streaming reader: line splitting, events, bounded memory."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint import reader
from ftlint.reader import parse_line, split_lines


def lines_of(data: bytes, max_bytes=1 << 20, chunk=None, monkeypatch=None):
    return list(split_lines(io.BytesIO(data), max_bytes))


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 1 << 20])
def test_split_matches_bytes_split_for_any_chunk_size(monkeypatch, chunk_size):
    monkeypatch.setattr(reader, "CHUNK_SIZE", chunk_size)
    data = b'{"a": 1}\n\n{"b": 2}\r\nlast'
    got = [(n, raw, term) for n, raw, _, term, _ in lines_of(data)]
    assert got == [(1, b'{"a": 1}', True), (2, b"", True), (3, b'{"b": 2}\r', True), (4, b"last", False)]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), chunk=st.integers(1, 16), bound=st.integers(1, 40))
def test_split_is_exact_for_arbitrary_bytes(data, chunk, bound):
    with mock.patch.object(reader, "CHUNK_SIZE", chunk):
        rows = list(split_lines(io.BytesIO(data), bound))
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    assert [n for n, *_ in rows] == list(range(1, len(pieces) + 1))
    for (n, raw, size, term, over), piece in zip(rows, pieces):
        assert size == len(piece)
        assert over == (len(piece) > bound)
        assert raw == (b"" if over else piece)


def test_oversized_line_is_not_buffered(monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_SIZE", 64)
    data = b"x" * 10_000 + b"\n" + b'{"ok": 1}\n'
    rows = lines_of(data, max_bytes=100)
    assert rows[0][:3] == (1, b"", 10_000) and rows[0][4] is True
    assert rows[1][1] == b'{"ok": 1}'


@pytest.mark.parametrize(
    "raw, number, events",
    [
        (b'{"a": 1}', 2, ()),
        (b"\xef\xbb\xbf{}", 1, (reader.BOM,)),
        (b"{}\r", 2, (reader.CRLF,)),
        (b"   ", 2, (reader.BLANK,)),
        (b"[1, 2]", 2, (reader.NOT_OBJECT,)),
        (b'{"a": NaN}', 2, (reader.NON_FINITE,)),
        (b'{"a": "caf\xe9"}', 2, (reader.INVALID_UTF8,)),
        (b'{"a": }', 2, (reader.INVALID_JSON,)),
    ],
)
def test_events(raw, number, events):
    line = parse_line(number, raw, len(raw), True, False)
    assert line.events == events


def test_invalid_json_column_is_where_parsing_stopped():
    line = parse_line(1, b'{"a": ""b""}', 12, True, False)
    assert line.events == (reader.INVALID_JSON,)
    assert line.column == 9
    assert "line 1 column" not in line.error


def test_invalid_utf8_column():
    line = parse_line(1, b'{"a": "caf\xe9"}', 13, True, False)
    assert line.column == 11 and "0xe9" in line.error


def test_invalid_utf8_column_counts_characters_not_bytes():
    """Columns are characters, as orjson's (FT001) are: 'é' and '—' before the bad byte are one column each."""
    raw = '{"a": "café — '.encode() + b'caf\xe9"}'
    line = parse_line(1, raw, len(raw), True, False)
    assert line.column == len('{"a": "café — caf') + 1 == 18
    assert line.error == "byte 0xe9 at column 18 is not valid UTF-8"


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters='"\\\x00'), max_size=40),
       st.binary(min_size=0, max_size=3))
def test_invalid_utf8_column_is_the_bad_bytes_character_index(before, after):
    raw = b'{"a": "' + before.encode() + b"\xff" + after + b'"}'
    line = parse_line(1, raw, len(raw), True, False)
    assert line.events == (reader.INVALID_UTF8,)
    decoded = raw.decode("utf-8", "surrogateescape")  # one character per column, a bad byte included
    assert decoded[line.column - 1] == "\udcff" and "\udcff" not in decoded[:line.column - 1]
    assert line.error == f"byte 0xff at column {line.column} is not valid UTF-8"


def test_missing_final_newline_event_comes_last():
    line = parse_line(3, b"{", 1, False, False)
    assert line.events == (reader.INVALID_JSON, reader.NO_FINAL_NEWLINE)
