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

from ftlint.rules._chat import key_problems, not_plain, role_messages

CODE = "FT103"
NAME = "unknown-message-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    for where, m in role_messages(example):
        yield from key_problems(m, where)
