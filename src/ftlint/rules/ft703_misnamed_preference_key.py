"""Preference example uses `preferred_completion` / `non_preferred_completion`.

## What it does
Reports the keys `preferred_completion` and `non_preferred_completion`, naming
the keys the API reads instead.

## Why it matters
OpenAI's published API spec named the fields `*_completion` from December 2024
to June 2025; the docs and the API use `preferred_output` and
`non_preferred_output`. Files generated from the old spec lack the outputs the
job needs.

## Example
    {"input": {...}, "preferred_completion": [...], "non_preferred_completion": [...]}

## Fix
Rename `preferred_completion` to `preferred_output` and
`non_preferred_completion` to `non_preferred_output`.
"""

from ftlint.problem import Finding

CODE = "FT703"
NAME = "misnamed-preference-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)

#: Right key -> the name the 2024-12..2025-06 spec used for it.
OLD_NAMES = {"preferred_output": "preferred_completion", "non_preferred_output": "non_preferred_completion"}


def check(example, conf, ctx):
    for right, old in OLD_NAMES.items():
        if old in example.data:
            yield Finding(f'"{old}" is the old, misnamed key from the API spec; rename it to "{right}"', f"$.{old}")
