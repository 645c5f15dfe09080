"""Message of a preference example is malformed.

## What it does
Runs the chat message checks on the messages of a preference example (the
input and both outputs): role present and known (FT102), keys the role allows
(FT103), content type and parts (FT104), non-empty content (FT105) and a valid
`name` (FT107).

## Why it matters
DPO examples use the same message schema as chat fine-tuning, and the server
validates them the same way.

## Example
    {"input": {"messages": [{"role": "human", "content": "Hi"}]}, ...}
    "preferred_output": [{"role": "assistant", "content": ""}]

## Fix
See the chat rule the message names (`ftlint --explain FT104`, ...).
"""

from ftlint.rules._chat import (
    all_messages,
    content_problems,
    empty_content_problems,
    key_problems,
    name_problems,
    role_problems,
)

CODE = "FT705"
NAME = "preference-message-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)


def check(example, conf, ctx):
    for where, m in all_messages(example):
        found = role_problems(m, where, f"message {where[2:]}")
        if found or not isinstance(m.get("role"), str):
            yield from found
            continue
        yield from key_problems(m, where)
        yield from content_problems(m, where)
        yield from empty_content_problems(m, where)
        yield from name_problems(m, where)
