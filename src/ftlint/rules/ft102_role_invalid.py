"""Message role is missing or unknown.

## What it does
Checks that every message has a string `role` among system, user, assistant,
tool and function (developer is known too: it belongs to reinforcement
fine-tuning data, and the format rules say where it is allowed).

## Why it matters
The server fails the job: "Example 100, message 2 Discriminator 'role' is
missing in value". Roles like "bot", "human" or "model" come from other
trainers' formats and are rejected.

## Example
    {"messages": [{"role": "human", "content": "Hi"}, {"role": "bot", "content": "Hello"}]}

## Fix
Use `user` for the human turn and `assistant` for the model's turn.
"""

from ftlint.problem import Finding
from ftlint.reader import json_type_name
from ftlint.rules._chat import KNOWN_ROLES, path, plain_messages

CODE = "FT102"
NAME = "role-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)

_SUGGEST = {"human": "user", "bot": "assistant", "model": "assistant", "ai": "assistant", "gpt": "assistant"}


def check(example, conf, ctx):
    if plain_messages(example):
        return
    messages = example.data.get("messages")
    if not isinstance(messages, list):
        return
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            continue
        if "role" not in m:
            yield Finding(f"message {i} has no role; add \"role\": \"user\" / \"assistant\" / \"system\"", path(i))
            continue
        role = m["role"]
        if not isinstance(role, str):
            yield Finding(f"role must be a string, not a {json_type_name(role)}", path(i, "role"))
        elif role not in KNOWN_ROLES:
            hint = _SUGGEST.get(role.lower()) or (role.lower() if role.lower() in KNOWN_ROLES else None)
            advice = f'; did you mean "{hint}"?' if hint else f"; use one of {', '.join(KNOWN_ROLES[:5])}"
            yield Finding(f'unknown role "{role}"{advice}', path(i, "role"))
