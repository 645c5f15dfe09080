"""Role not allowed in reinforcement fine-tuning data.

## What it does
With `--method reinforcement`, reports `system` and `function` messages: the
RFT schema allows only `developer`, `user`, `assistant` and `tool`.

## Why it matters
The RFT input schema is a different union from the supervised one; `system` is
not in it. Instructions go in a `developer` message, and tool results in
`tool` messages.

## Example
    {"messages": [{"role": "system", "content": "Answer with A-D."}, {"role": "user", "content": "..."}], "answer": "C"}

## Fix
Rename the `system` role to `developer` (same content); replace legacy
`function` messages by `tool` messages answering a `tool_calls` id.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import iter_messages, path

CODE = "FT801"
NAME = "rft-role-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
METHODS = ("reinforcement",)

USE_INSTEAD = {"system": "developer", "function": "tool"}


def check(example, conf, ctx):
    for i, m in iter_messages(example.data):
        instead = USE_INSTEAD.get(m["role"])
        if instead is not None:
            yield Finding(f'reinforcement fine-tuning data has no {m["role"]} role; use "{instead}" instead',
                          path(i, "role"))
