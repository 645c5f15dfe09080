"""NaN or Infinity in a line.

## What it does
Reports lines using the non-standard literals `NaN`, `Infinity` or `-Infinity`,
which Python's `json.dumps` writes by default for float nan/inf.

## Why it matters
They are not JSON. Strict parsers, like the API's, reject the whole line.

## Example
    {"prompt": "score", "completion": " NaN", "score": NaN}

## Fix
Replace the value with `null` or a string, or drop the field; when writing with
Python use `json.dumps(obj, allow_nan=False)` to catch it early.
"""

from ftlint.problem import Finding
from ftlint.reader import NON_FINITE

CODE = "FT007"
NAME = "non-finite-number"
SCOPE = "line"
LEVEL = "error"
EVENTS = (NON_FINITE,)


def check(line, conf, ctx):
    yield Finding("number NaN/Infinity is not valid JSON; use null or a string", column=line.column)
