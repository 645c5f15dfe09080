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

from ftlint.rules._chat import not_plain, path, role_problems

CODE = "FT102"
NAME = "role-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list):
        return
    for i, m in enumerate(messages):
        if isinstance(m, dict):
            yield from role_problems(m, path(i), f"message {i}")
