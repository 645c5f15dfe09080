"""Assistant message `weight` is not 0 or 1.

## What it does
Checks that `weight` on an assistant message is the integer 0 or 1. Booleans,
fractions (0.5), strings ("1") and other numbers are reported. (`weight` on
other roles is FT103's business.) 1.0 and 0.0 are accepted, as JSON Schema
counts them as integers.

## Why it matters
`weight` is a switch, not a scale: 1 trains on the message, 0 skips it. The API
validates it strictly; a job failed with "Example 1 contains an extra
\"weight\"" when weights were not where and what the schema allows.

## Example
    {"role": "assistant", "content": "...", "weight": 0.5}
    {"role": "assistant", "content": "...", "weight": true}

## Fix
Use `"weight": 1` to train on the message and `"weight": 0` to skip it, or
leave it out (the default is 1).
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type, all_messages, has_weights

CODE = "FT601"
NAME = "weight-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = has_weights


def is_weight(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value in (0, 1)


def check(example, conf, ctx):
    for where, m in all_messages(example):
        if m.get("role") == "assistant" and "weight" in m and not is_weight(m["weight"]):
            value = m["weight"]
            shown = str(value).lower() if isinstance(value, (bool, int, float)) else f"{a_type(value)}"
            yield Finding(f"weight must be 0 or 1, not {shown}; 1 trains on the message, 0 skips it",
                          where + ".weight")
