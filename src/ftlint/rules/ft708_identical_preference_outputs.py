"""Preferred and non-preferred outputs are the same.

## What it does
Warns when `preferred_output` equals `non_preferred_output`.

## Why it matters
DPO learns from the difference between the two answers. Identical answers
teach nothing and usually mean the pair was built from the wrong columns.

## Example
    "preferred_output": [{"role": "assistant", "content": "Paris"}],
    "non_preferred_output": [{"role": "assistant", "content": "Paris"}]

## Fix
Put the worse answer in `non_preferred_output`, or drop the example.
"""

from ftlint.problem import Finding

CODE = "FT708"
NAME = "identical-preference-outputs"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("preference",)


def check(example, conf, ctx):
    preferred = example.data.get("preferred_output")
    if isinstance(preferred, list) and preferred and preferred == example.data.get("non_preferred_output"):
        yield Finding("preferred and non-preferred outputs are identical, so the pair teaches nothing; "
                      "make the non-preferred output the worse answer or drop the pair",
                      "$.non_preferred_output")
