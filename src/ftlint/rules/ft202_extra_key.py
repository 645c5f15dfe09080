"""Prompt/completion example has extra keys.

## What it does
Reports keys other than `prompt` and `completion` in legacy-format examples.

## Why it matters
The format has exactly two keys; extra columns (ids, labels, scores) are
rejected by strict validation, and the legacy CLI dropped them silently.

## Example
    {"prompt": "...", "completion": "...", "label": 1}

## Fix
Remove the extra keys from the training file.
"""

from ftlint.problem import Finding
from ftlint.rules._completion import unusual
from ftlint.schemas import completion_keys

CODE = "FT202"
NAME = "extra-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("completion",)
GUARD = unusual  # the ordinary record has nothing for FT201-FT203

ALLOWED = completion_keys()


def check(example, conf, ctx):
    for key in sorted(example.data.keys() - ALLOWED):
        yield Finding(f'unexpected key "{key}"; prompt/completion examples have only "prompt" and "completion", so remove it', f"$.{key}")
