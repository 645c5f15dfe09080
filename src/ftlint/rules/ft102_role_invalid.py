"""Message role is missing or unknown.

## What it does
Checks that every message has a string `role` among system, user, assistant,
tool and function (developer is known too: it belongs to reinforcement
fine-tuning data, and the format rules say where it is allowed), and that the
run's provider accepts it (`allowed` of `[roles]` in
`rules/providers/<id>.toml`: Together AI takes no developer or function role,
Fireworks AI only system, user and assistant).

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
from ftlint.rules._chat import not_plain, path, role_problems
from ftlint.rules._limits import limit

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
    allowed = limit(ctx, "roles.allowed", ctx.run.provider.roles.allowed)
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            continue
        problems = role_problems(m, path(i), f"message {i}")
        yield from problems
        if not problems and m["role"] not in allowed.value:
            yield Finding(f'role "{m["role"]}" is not one {allowed.provider} accepts; use '
                          f"{', '.join(allowed.value)}{allowed.cited()}", path(i) + ".role",
                          unconfirmed=not allowed.confirmed)
