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
Re-encode the file as UTF-8. When the line holds no UTF-8 character at all (a file
saved as Windows-1252 or Latin-1), the first such line's message gives the `iconv`
command, e.g. `iconv -f WINDOWS-1252 -t UTF-8 data.jsonl > data.utf8.jsonl`. When the
line's other characters are UTF-8, only that byte is damaged: fix it by hand, since
converting the whole file would encode every other character twice.
"""

from ftlint.problem import Finding
from ftlint.reader import INVALID_UTF8
from ftlint.suggest import file_and_output

CODE = "FT002"
NAME = "invalid-utf8"
SCOPE = "line"
LEVEL = "error"
EVENTS = (INVALID_UTF8,)
# (A line rule runs in the main process, so ctx.shared holds the line that gave the iconv command.)


def legacy_encoding(raw: bytes) -> str | None:
    """WINDOWS-1252 (ISO-8859-1 where it does not decode) for a line with no UTF-8 character beyond
    ASCII; None when some of its other bytes are UTF-8 (converting would encode those twice)."""
    if any(ord(c) > 127 and c != "\ufffd" for c in raw.decode("utf-8", "replace")):
        return None
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "ISO-8859-1"
    return "WINDOWS-1252"


def check(line, conf, ctx):
    encoding = legacy_encoding(line.raw)
    if encoding is None:
        advice = ("the rest of the line is UTF-8, so only this byte is damaged: fix it (converting the file would "
                  "encode its other characters twice)")
    else:
        first = ctx.shared.setdefault(CODE, line.number)
        if first != line.number:
            advice = f"save the file as UTF-8 (line {first} says how)"
        else:
            name, converted = file_and_output(ctx.path, "utf8")  # as FT010 words its iconv command
            advice = (f"the line reads as {encoding} (no UTF-8 character on it): if the whole file is {encoding}, "
                      f"convert it: iconv -f {encoding} -t UTF-8 {name} > {converted}")
    yield Finding(f"{line.error}; {advice}", column=line.column)
