"""Line is not valid UTF-8.

## What it does
Reports a line containing bytes that are not valid UTF-8, with the column of the
first bad byte. Columns count characters, as for every rule (`café` is 4 columns,
not 5 bytes); the HTML report's excerpt shows each bad byte as `\\xNN`, one column.

## Why it matters
Fine-tuning files must be UTF-8 JSONL. Files saved as Latin-1 or Windows-1252
(common from spreadsheets) fail to parse on the server.

## Example
A line with the byte 0xE9 (Latin-1 "é") instead of the UTF-8 bytes 0xC3 0xA9.

## Fix
Re-encode the file as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.jsonl > out.jsonl`.
"""

from ftlint.problem import Finding
from ftlint.reader import INVALID_UTF8

CODE = "FT002"
NAME = "invalid-utf8"
SCOPE = "line"
LEVEL = "error"
EVENTS = (INVALID_UTF8,)


def check(line, conf, ctx):
    yield Finding(f"{line.error}; save the file as UTF-8", column=line.column)
