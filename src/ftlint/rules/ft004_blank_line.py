"""Blank line.

## What it does
Reports an empty or whitespace-only line, including trailing blank lines at the
end of the file.

## Why it matters
The API parses every line as an example; a blank line is not a JSON object and
makes the file invalid.

## Example
    {"messages": [...]}

    {"messages": [...]}

## Fix
Delete the blank lines, or run `ftlint --fix`.
"""

from ftlint.problem import Finding
from ftlint.reader import BLANK

CODE = "FT004"
NAME = "blank-line"
SCOPE = "line"
LEVEL = "error"
EVENTS = (BLANK,)
FIXABLE = "safe"


def check(line, conf, ctx):
    yield Finding(f"blank line; every line must be one JSON example, so delete it{ctx.fix_hint()}", column=1)
