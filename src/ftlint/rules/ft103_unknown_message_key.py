"""Message has a key its role does not allow.

## What it does
Reports message keys outside the fine-tuning schema for the message's role,
e.g. `weight` on a user message, `tool_call_id` on an assistant message, or
`timestamp` anywhere.

## Why it matters
The API validates examples strictly: a job failed with "Example 1 contains an
extra \"weight\"" (Oct 2025). Extra metadata must not travel inside messages.

## Example
    {"role": "user", "content": "Hi", "weight": 1}

## Fix
Remove the key, or move it to the message type that allows it (`weight` belongs
on assistant messages only).
"""

from ftlint.problem import Finding
from ftlint.rules._chat import MESSAGE_KEYS, iter_messages, path, plain_messages

CODE = "FT103"
NAME = "unknown-message-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)


def check(example, conf, ctx):
    if plain_messages(example):
        return
    for i, m in iter_messages(example.data):
        allowed = MESSAGE_KEYS.get(m["role"])
        if allowed is None:
            continue  # FT102 reports the role
        for key in sorted(m.keys() - allowed):
            if key == "weight":
                msg = f'"weight" is only allowed on assistant messages, not on a {m["role"]} message'
            else:
                msg = f'unknown key "{key}" in a {m["role"]} message; allowed: {", ".join(sorted(allowed))}'
            yield Finding(msg, path(i, key))
