"""Example has no user message.

## What it does
Warns when a supervised chat example has an assistant message but no `user`
message at all.

## Why it matters
At inference the model answers a user; an example without one teaches it to
produce the reply from the system prompt alone. The cookbook's data check
counts these too. It is right for some tasks (generation from instructions
only), hence a warning.

## Example
    [system, assistant]

A message whose role may be a misspelled user (`"human"`, `"usr"`, or a
missing role) is reported by FT102 alone: the fix is that role, not another
turn.

## Fix
Add the user turn the assistant reply answers, or ignore this rule for such data.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import iter_messages, may_be_misspelled

CODE = "FT113"
NAME = "missing-user-message"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("supervised",)


def check(example, conf, ctx):
    has_assistant = False
    for _, m in iter_messages(example.data):
        role = m["role"]
        if role == "user":
            return  # the common case, found within the first messages: stop reading
        has_assistant = has_assistant or role == "assistant"
    if has_assistant and not may_be_misspelled(example.data, "user"):  # a misspelled user role: FT102 says which
        yield Finding("example has no user message, so the assistant reply answers nothing; add the user turn it answers", "$.messages")
