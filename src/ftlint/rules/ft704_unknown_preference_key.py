"""Preference example has an unknown key.

## What it does
Reports top-level keys other than `input`, `preferred_output` and
`non_preferred_output` (the old `*_completion` names are FT703's), and keys of
`input` other than `messages`, `tools` and `parallel_tool_calls`.

## Why it matters
The API validates examples strictly; in supervised data an unknown key was
observed to fail the whole job, and the DPO schema is as closed.

## Example
    {"id": 7, "input": {"messages": [...], "source": "web"}, "preferred_output": [...], "non_preferred_output": [...]}

## Fix
Remove the keys; keep metadata in a side file keyed by line number.
"""

from ftlint.problem import Finding
from ftlint.schemas import preference_keys
from ftlint.rules.ft703_misnamed_preference_key import OLD_NAMES

CODE = "FT704"
NAME = "unknown-preference-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)

TOP_KEYS, INPUT_KEYS = preference_keys()  # from rules/schemas/preference-example.schema.json


def check(example, conf, ctx):
    data = example.data
    for key in sorted(data.keys() - TOP_KEYS - set(OLD_NAMES.values())):
        yield Finding(f'unknown key "{key}"; a preference example may only have {", ".join(sorted(TOP_KEYS))}',
                      f"$.{key}")
    inp = data.get("input")
    if isinstance(inp, dict):
        for key in sorted(inp.keys() - INPUT_KEYS):
            yield Finding(f'unknown key "{key}" in input; it may only have {", ".join(sorted(INPUT_KEYS))}',
                          f"$.input.{key}")
