"""Record is in another format than the rest of the file.

## What it does
Detects the file's format from its first records (the majority) and reports each
record written in a different one, e.g. a prompt/completion line in a chat file.

## Why it matters
A training file must use one format throughout; the job is created for one
method (supervised chat, legacy completion, DPO) and rejects the others.

## Example
    {"messages": [...]}
    {"prompt": "...", "completion": "..."}

## Fix
Convert the odd records to the file's format, or move them to a file of their own.
"""

from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Finding

CODE = "FT021"
NAME = "mixed-formats"
SCOPE = "record"
LEVEL = "error"


def check(example, conf, ctx):
    # A plain function, not a generator: it is called for every example and finds nothing in nearly all.
    if example.format is None or ctx.format is None or example.format == ctx.format:
        return None
    return (Finding(
        f"record is {FORMAT_TITLES[example.format]} but this file is {FORMAT_TITLES[ctx.format]}; "
        "use one format per file"
    ),)
