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

A line that is a Python dict literal (`{'role': 'user', ...}`, `True`,
`None`: written with `print(example)` or `str(example)`) is named as such.

## Fix
Repair the line, usually an unescaped `"` inside a string (write `\\"`), a
missing comma or a truncated object, or delete it if it is not an example.
Write examples with `json.dumps`, never `str()`.
"""

import ast

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


def check(line, conf, ctx):
    if python_repr(line.raw):
        yield Finding("line is a Python dict literal (single quotes, True/False/None), not JSON: it was written with "
                      "print() or str(); write each example with json.dumps(example) instead", column=line.column)
        return
    at = (line.column or 1) - 1
    start = max(0, at - 30)
    near = line.raw[start : at + 10].decode("utf-8", "replace").rstrip("\r\n")
    near = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in near)
    dots = "..." if start else ""
    # The location already gives the column; the snippet is shown as it is in the file.
    yield Finding(f"invalid JSON: {line.error}, near `{dots}{near}`; repair or delete this line", column=line.column)
