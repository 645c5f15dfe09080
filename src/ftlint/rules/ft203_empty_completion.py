"""Completion is empty.

## What it does
Reports an empty or whitespace-only completion, and a completion that is only
the file's stop sequence (` END`).

## Why it matters
The completion is the only trained text of a legacy example; an empty one
teaches the model to stop immediately.

## Example
    {"prompt": "Translate: cat ->", "completion": ""}

## Fix
Fill in the completion or drop the example.
"""

from ftlint.problem import Finding
from ftlint.rules._completion import unusual

CODE = "FT203"
NAME = "empty-completion"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("completion",)
GUARD = unusual  # the ordinary record has nothing for FT201-FT203


def check(example, conf, ctx):
    completion = example.data.get("completion")
    if not isinstance(completion, str):
        return
    if not completion.strip():
        yield Finding("completion is empty, so nothing in this example is trained; fill it in or drop the example", "$.completion")
        return
    stop = ctx.conventions.get("stop")
    if stop and completion.strip() == stop.strip():
        yield Finding(f"completion is only the stop sequence {stop!r}, so the model learns to stop at once; "
                      "write the completion before it or drop the example", "$.completion")
