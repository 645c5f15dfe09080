"""System message is not the first message.

## What it does
Warns when a `system` message appears after another message. A provider that
rejects such a conversation (`system = "first"` in `[roles]` of its profile:
Together AI, Fireworks AI) gets it reported as an error by FT114 instead.

## Why it matters
The system prompt sets up the conversation; placed later, the model is trained
on a layout it will not see at inference time.

## Example
    [user, system, assistant]

## Fix
Move the system message to the front.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import iter_messages, not_plain, path

CODE = "FT110"
NAME = "system-not-first"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    if ctx.run.provider.roles.system != "anywhere":
        return  # the provider rejects it: FT114 reports it as an error
    for i, m in iter_messages(example.data):
        if i > 0 and m["role"] == "system":
            yield Finding(f"system message at position {i}; put it first", path(i))
