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
from ftlint.reader import DEFAULT_MAX_LINE_BYTES, OVERSIZED

CODE = "FT009"
NAME = "line-too-long"
SCOPE = "line"
LEVEL = "error"
EVENTS = (OVERSIZED,)
OPTIONS = {"max-bytes": int}
DEFAULTS = {"max-bytes": DEFAULT_MAX_LINE_BYTES}
#: The bound holds for every file of the run, even with FT009 not selected.
READER_OPTIONS = {"max-bytes": "max_line_bytes"}


def check(line, conf, ctx):
    bound = ctx.reader.max_line_bytes  # max-bytes, unless a plugin's READER_OPTIONS set it too
    yield Finding(f"line is {line.size:,} bytes, over the {bound:,}-byte bound; it was skipped", column=1)
