r"""File does not end with a newline.

## What it does
Reports a last line that is not terminated by `\n`.

## Why it matters
The API accepts it, but `cat a.jsonl b.jsonl` then glues the last example of one
file to the first of the next, making one invalid line.

## Example
A file whose last bytes are `...}]}` with no `\n`.

## Fix
Add a final newline (`ftlint --fix`, or your editor's "ensure newline at EOF").
"""

from ftlint.problem import Finding
from ftlint.reader import NO_FINAL_NEWLINE

CODE = "FT011"
NAME = "missing-final-newline"
SCOPE = "line"
LEVEL = "info"
EVENTS = (NO_FINAL_NEWLINE,)
FIXABLE = "safe"


def check(line, conf, ctx):
    if line.raw or line.size:
        yield Finding(f"no newline at end of file; add a final newline{ctx.fix_hint()}", column=len(line.raw.decode("utf-8", "surrogateescape")) + 1)
