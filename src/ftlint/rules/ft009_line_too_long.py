"""Line longer than the size bound.

## What it does
Reports a line longer than `max-bytes` (default 150,000,000) and skips it without
reading it into memory.

## Why it matters
The default allows about the largest example OpenAI accepts: 10 images of at
most 10 MB each [VFT], base64-encoded (4 bytes for every 3: 13,981,016 bytes
for 10 MiB, 139,810,160 for ten), plus the text of a 65,536-token example (at
most 8,388,608 bytes: no o200k_base token is longer than 128 bytes), which is
148,198,768 bytes before JSON escaping. A longer line is usually a binary or a
whole file without newlines, and reading it would need unbounded memory.
Azure OpenAI allows 64 images per example [AZ-VFT] (about 895 MB of base64):
raise `max-bytes` for such files. Text far over the token cap costs no
unbounded time: FT303 stops counting once a string's length proves the
example over the cap.

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
