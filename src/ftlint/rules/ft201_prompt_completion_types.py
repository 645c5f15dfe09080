"""Prompt or completion is missing or not a string.

## What it does
Checks that a prompt/completion example has both `prompt` and `completion`, and
that both are strings.

## Why it matters
The legacy format is exactly `{"prompt": str, "completion": str}`. A number
label (`"completion": 3`) or a missing key fails validation.

## Example
    {"prompt": "I love it ->", "completion": 1}

## Fix
Write both as strings: `{"prompt": "I love it ->", "completion": " 1"}`.
"""

from ftlint.problem import Finding
from ftlint.rules._completion import unusual
from ftlint.reader import json_type_name

CODE = "FT201"
NAME = "prompt-completion-types"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("completion",)
GUARD = unusual  # the ordinary record has nothing for FT201-FT203


def check(example, conf, ctx):
    for key in ("prompt", "completion"):
        if key not in example.data:
            yield Finding(f'"{key}" is missing; each example needs "prompt" and "completion"', "$")
            continue
        value = example.data[key]
        if not isinstance(value, str):
            shown = str(value)[:40] if isinstance(value, (int, float, bool)) else json_type_name(value)
            yield Finding(f'"{key}" must be a string, not a {json_type_name(value)} ({shown})', f"$.{key}")
