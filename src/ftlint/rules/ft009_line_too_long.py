"""Line longer than the size bound.

## What it does
Reports a line longer than `max-bytes` (default 150,000,000) and skips it without
reading it into memory.

## Why it matters
The default allows the largest legal example: 10 images of at most 10 MB each,
base64-encoded (x4/3), plus text. Anything longer cannot be a valid example; it is
usually a binary or a whole file without newlines, and reading it would need
unbounded memory.

## Example
A 2 GB file with no newline characters.

## Fix
Check that the file is JSONL; shrink or link the images (https URLs instead of
data URLs).
"""

from ftlint.problem import Finding
from ftlint.reader import OVERSIZED

CODE = "FT009"
NAME = "line-too-long"
SCOPE = "line"
LEVEL = "error"
EVENTS = (OVERSIZED,)
OPTIONS = {"max-bytes": int}
DEFAULTS = {"max-bytes": 150_000_000}


def check(line, conf, ctx):
    yield Finding(f"line is {line.size:,} bytes, over the {conf['max-bytes']:,}-byte bound; it was skipped", column=1)
