"""`developer` message in supervised or DPO data.

## What it does
Warns about messages with role `developer` in data for supervised or
preference (DPO) fine-tuning.

## Why it matters
`developer` belongs to the reinforcement fine-tuning schema; the supervised and
DPO schemas list `system` instead. Whether the server rejects `developer` there
is UNCONFIRMED, which is why this is a warning.

## Example
    {"messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "Hi"}, ...]}

## Fix
Use `"role": "system"` for instructions in supervised and DPO data.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import all_messages, has_developer

CODE = "FT802"
NAME = "developer-role-outside-rft"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat", "preference")
METHODS = ("supervised", "dpo")
GUARD = has_developer


def check(example, conf, ctx):
    for where, m in all_messages(example):
        if m.get("role") == "developer":
            yield Finding(f'"developer" is a reinforcement fine-tuning role and may be rejected in {ctx.method} '
                          'data; use "system"', where + ".role")
