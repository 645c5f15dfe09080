"""Record matches no training format.

## What it does
Reports an object whose keys fit none of the formats: chat (`messages`),
prompt/completion (`prompt`, `completion`) or preference (`input` with
`preferred_output` / `non_preferred_output`).

## Why it matters
The server fails the job: "Unexpected file format, expected either
prompt/completion pairs or chat messages."

## Example
    {"question": "2+2?", "answer": "4"}

## Fix
Convert the record to the file's format, e.g.
`{"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}`.
"""

from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Finding

CODE = "FT020"
NAME = "unknown-record-format"
SCOPE = "record"
LEVEL = "error"


def check(example, conf, ctx):
    if example.format is not None:
        return
    keys = ", ".join(sorted(example.data)[:6]) or "no keys"
    expected = FORMAT_TITLES.get(ctx.format) or "chat ({\"messages\": [...]})"
    yield Finding(f"record has keys ({keys}) that fit no training format; expected {expected}")
