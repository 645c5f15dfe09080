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

## Fix
Repair the line, usually an unescaped `"` inside a string (write `\\"`), a
missing comma or a truncated object, or delete it if it is not an example.
"""

from ftlint.problem import Finding
from ftlint.reader import INVALID_JSON

CODE = "FT001"
NAME = "invalid-json"
SCOPE = "line"
LEVEL = "error"
EVENTS = (INVALID_JSON,)


def check(line, conf, ctx):
    at = (line.column or 1) - 1
    start = max(0, at - 30)
    near = line.raw[start : at + 10].decode("utf-8", "replace").rstrip("\r\n")
    near = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in near)
    dots = "..." if start else ""
    # The location already gives the column; the snippet is shown as it is in the file.
    yield Finding(f"invalid JSON: {line.error}, near `{dots}{near}`; repair or delete this line", column=line.column)
