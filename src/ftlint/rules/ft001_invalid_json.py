"""Line is not valid JSON.

## What it does
Reports a line that the JSON parser rejects, with the parser's message, the
column where parsing stopped (in the location) and the text just before it.

## Why it matters
The fine-tuning API parses every line as one example. One broken line fails the
whole job, e.g. "Invalid file format. Example 1273 cannot be parsed. Error: line
contains invalid json: Expecting ',' delimiter".

## Example
    {"messages": [{"role": "user", "content": ""Hi""}]}

A line that is an object followed by a comma (an array's items pasted one per
line) is named as such. A line that is a Python dict literal (`{'role': 'user', ...}`, `True`,
`None`: written with `print(example)` or `str(example)`) is named as such, and
so is a raw control character inside a string (a tab pasted from a
spreadsheet), which JSON requires to be escaped. A line that Python's lenient
`json` module reads but strict parsers reject is named by its cause: an
unpaired UTF-16 surrogate escape (`"nice \\ud83d"`, half of an emoji, usually
text cut between the two halves of a pair) or a number out of the range of a
64-bit float (`1e999`, which Python reads as infinity).

## Fix
Repair the line, usually an unescaped `"` inside a string (write `\\"`), a
missing comma or a truncated object, or delete it if it is not an example.
Write examples with `json.dumps`, never `str()`.
"""

import ast
import json
import re

from ftlint.problem import Finding
from ftlint.reader import INVALID_JSON

#: Longer lines are not tried as Python literals (the parse would cost more than it tells).
MAX_REPR_BYTES = 1 << 20

CODE = "FT001"
NAME = "invalid-json"
SCOPE = "line"
LEVEL = "error"
EVENTS = (INVALID_JSON,)


def python_repr(raw: bytes) -> bool:
    """True when the line is a Python dict literal (single quotes, True/None): print(dict) instead of json.dumps."""
    if len(raw) > MAX_REPR_BYTES or not raw.lstrip().startswith(b"{"):
        return False
    try:
        value = ast.literal_eval(raw.decode("utf-8"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, UnicodeDecodeError):
        return False
    return isinstance(value, dict)


def trailing_comma(raw: bytes) -> int | None:
    """The 1-based column of the comma when the line is a JSON object followed by a comma, else None."""
    text = raw.rstrip()
    if not text.endswith(b",") or len(text) > MAX_REPR_BYTES:
        return None
    try:
        value = json.loads(text[:-1])
    except (ValueError, RecursionError):
        return None
    return len(text[:-1].decode("utf-8", "replace")) + 1 if isinstance(value, dict) else None


#: How JSON writes the control characters it has short escapes for.
SHORT_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
CONTROL_NAMES = {0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return"}


def raw_control_in_string(raw: bytes) -> tuple[int, int] | None:
    """(0-based byte offset, byte) of the first control character inside a JSON string of ``raw``, or None.

    Only the parser's first complaint is known, so the line is scanned with a string/escape state: a tab
    between tokens is JSON whitespace, one inside a string is an error.
    """
    in_string = escaped = False
    for at, byte in enumerate(raw.rstrip(b"\r\n")):
        if escaped:
            escaped = False
        elif in_string and byte == 0x5C:  # backslash
            escaped = True
        elif byte == 0x22:  # quote
            in_string = not in_string
        elif in_string and byte < 0x20:
            return at, byte
    return None


#: Characters of the excerpt before and after the column where parsing stopped.
BEFORE, AFTER = 30, 10


def excerpt_span(raw: bytes, column: int) -> tuple[int, int]:
    """(start, end) byte offsets of the excerpt around ``column``, which counts characters (code points)
    from 1: BEFORE characters before it to AFTER characters after it, never cutting a character.

    An undecodable byte counts as one character, as it does in the column.
    """
    text = raw.decode("utf-8", "surrogateescape")  # one character per undecodable byte, bytes kept exactly
    at = max(0, column - 1)
    first = max(0, at - BEFORE)
    start = len(text[:first].encode("utf-8", "surrogateescape"))
    return start, start + len(text[first:at + AFTER].encode("utf-8", "surrogateescape"))


#: A JSON string escape: \\uXXXX (group 1: the hex digits) or a one-character escape such as \\\\ or \\".
ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)")
#: A JSON number token at the start of the text.
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
#: The largest finite IEEE 754 double, which a JSON number must not exceed for strict parsers.
LARGEST_DOUBLE = "1.7976931348623157e308"


def _is_high(hex4: bytes) -> bool:
    return 0xD800 <= int(hex4, 16) <= 0xDBFF


def _is_low(hex4: bytes) -> bool:
    return 0xDC00 <= int(hex4, 16) <= 0xDFFF


def unpaired_surrogate(raw: bytes) -> tuple[int, str] | None:
    """(0-based byte offset, escape text) of the first \\uD800-\\uDFFF escape that is not half of a pair, or None.

    Escapes are matched left to right in pairs of characters, so the ``\\\\`` of ``"\\\\ud83d"`` (a backslash,
    then the letters ud83d) is not read as an escape.
    """
    waiting = None  # a high surrogate escape not yet followed by its low half
    for match in ESCAPE.finditer(raw):
        hex4 = match.group(1)
        if waiting is not None:
            if hex4 is not None and _is_low(hex4) and match.start() == waiting.end():
                waiting = None
                continue
            return waiting.start(), waiting.group().decode("ascii")
        if hex4 is None:
            continue
        if _is_high(hex4):
            waiting = match
        elif _is_low(hex4):
            return match.start(), match.group().decode("ascii")
    if waiting is not None:
        return waiting.start(), waiting.group().decode("ascii")
    return None


def _python_reads(raw: bytes) -> bool:
    """True when Python's json module (lenient: lone surrogates, numbers that overflow to inf) parses the line."""
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return True


def strict_only(raw: bytes, column: int | None) -> Finding | None:
    """The finding for a line only strict JSON parsers reject (Python's json reads it), or None."""
    if len(raw) > MAX_REPR_BYTES or not _python_reads(raw):
        return None
    surrogate = unpaired_surrogate(raw)
    if surrogate is not None:
        at, escape = surrogate
        where = len(raw[:at].decode("utf-8", "replace")) + 1
        return Finding(
            f"string escape {escape} at column {where} is an unpaired UTF-16 surrogate (half of a character such "
            "as an emoji, usually text cut between the two halves of a pair), which is not Unicode text; strict "
            "JSON parsers reject the line; write the whole character (its escape pair, e.g. \\ud83d\\ude00) or "
            "delete the half", column=where)
    if column is not None:
        token = NUMBER.match(raw.decode("utf-8", "replace"), column - 1)
        if token is not None:
            return Finding(
                f"number {token.group()} at column {column} is out of range: it is larger in magnitude than the "
                f"largest 64-bit float ({LARGEST_DOUBLE}), so Python reads it as infinity and strict JSON parsers "
                "reject the line; write a number within range, or the value as a string", column=column)
    return None


def check(line, conf, ctx):
    if not line.raw and line.error:  # a table's reader stopped (ftlint.tables): there is no line to show
        yield Finding(f"{line.error}; the rows after this one are not linted: repair the file, or write it again")
        return
    control = raw_control_in_string(line.raw)
    if control is not None:
        at, byte = control
        name = CONTROL_NAMES.get(byte, "control character")
        escape = SHORT_ESCAPES.get(byte, f"\\u{byte:04x}")
        column = len(line.raw[:at].decode("utf-8", "replace")) + 1
        yield Finding(f"raw {name} (U+{byte:04X}) inside a JSON string; JSON strings must escape it as {escape}: "
                      "write each example with json.dumps(example), or replace it in the text", column=column)
        return
    strict = strict_only(line.raw, line.column)
    if strict is not None:
        yield strict
        return
    comma = trailing_comma(line.raw)
    if comma is not None:
        yield Finding("line is a JSON object followed by a comma, as an item of a JSON array is; JSONL "
                      "separates examples by line breaks alone: delete the comma",
                      column=comma)
        return
    if python_repr(line.raw):
        yield Finding("line is a Python dict literal (single quotes, True/False/None), not JSON: it was written with "
                      "print() or str(); write each example with json.dumps(example) instead", column=line.column)
        return
    start, end = excerpt_span(line.raw, line.column or 1)
    # Undecodable bytes as \xNN; invisible characters are escaped by the reporter (ftlint.escape).
    near = line.raw[start:end].decode("utf-8", "backslashreplace").rstrip("\r\n")
    dots = "..." if start else ""
    # The location already gives the column; the snippet is shown as it is in the file.
    yield Finding(f"invalid JSON: {line.error}, near `{dots}{near}`; repair or delete this line", column=line.column)
