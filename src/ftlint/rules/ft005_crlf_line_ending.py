r"""Line ends with CRLF.

## What it does
Reports, once per file (at the first such line), lines terminated by `\r\n`
(Windows line endings) instead of `\n`.

## Why it matters
Most JSON parsers skip the `\r` as whitespace, so this is usually harmless, but
tools that split on `\n` keep the `\r` in the last value and a mixed file is a
sign of hand-edited data.

## Example
`{"prompt": "a", "completion": " b"}\r\n`

## Fix
Convert to LF line endings (`dos2unix`, or `ftlint --fix`).
"""

from ftlint.problem import Finding
from ftlint.reader import CRLF

CODE = "FT005"
NAME = "crlf-line-ending"
SCOPE = "line"
LEVEL = "warning"
EVENTS = (CRLF,)
FIXABLE = "safe"


def check(line, conf, ctx):
    if ctx.once(CODE):
        yield Finding(
            f"file uses CRLF (\\r\\n) line endings, first on this line (reported once); use LF{ctx.fix_hint()}",
            column=len(line.raw.decode("utf-8", "surrogateescape")) + 1,
        )
