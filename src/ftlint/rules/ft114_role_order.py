"""Conversation roles are not in the order the provider requires.

## What it does
Checks a conversation's roles against the run's provider profile (`[roles]`
in `rules/providers/<id>.toml`): the roles it may start with (`first`), where a
system message may stand (`system = "first"`: only first; `"none"`: not at
all), and strict alternation (`alternation = "user-assistant"`: after an
optional system message, user and assistant turns alternate, starting with
user). Tool and function messages answer the assistant turn before them, and
an assistant turn that calls tools continues after the answers, so neither
breaks the alternation. Reported once per example, at the first message out of
order. Preference (DPO) examples are checked the same way in their
`input.messages`, the conversation the preferred and non-preferred outputs
answer. The OpenAI profile sets none of these, so with OpenAI the rule finds
nothing.

## Why it matters
Together AI rejects a conversation that does not start with system or user
and then alternate user and assistant; Fireworks AI accepts a system message
only first. Both check after the upload (Together's SDK stopped checking
files locally in 2.x), so the job fails after you have uploaded the data.

## Example
    ftlint --provider together data.jsonl
    {"messages": [{"role": "user", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}
    {"input": {"messages": [{"role": "assistant", ...}, {"role": "user", ...}]}, "preferred_output": [...], ...}

## Fix
Merge consecutive turns of the same role, restore the missing turn, or move
the system message first.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import article, has_call, iter_messages, plain_messages
from ftlint.rules._chat import path as message_path
from ftlint.rules._limits import limit

CODE = "FT114"
NAME = "role-order"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")

#: Roles that answer an assistant's call and are no turn of their own.
ANSWERS = ("tool", "function")
TURNS = ("user", "assistant")


def _either(roles) -> str:
    return " or ".join(roles)


def check(example, conf, ctx):
    policy = ctx.run.provider.roles
    if not policy.first and policy.alternation == "none" and policy.system == "anywhere":
        return
    inp = example.data.get("input")
    if isinstance(inp, dict) and "messages" not in example.data:
        # A preference example: the conversation is the input the outputs answer.
        found = _out_of_order(policy, ctx, list(iter_messages(inp)), "$.input", "input ")
    elif plain_messages(example):
        # System only first and no role twice in a row: only the start can be out of order.
        messages = example.data["messages"]
        found = _out_of_order(policy, ctx, list(enumerate(messages[:3])))
    else:
        found = _out_of_order(policy, ctx, list(iter_messages(example.data)))
    if found is not None:
        yield found


def _out_of_order(policy, ctx, messages, prefix="", label=""):
    def path(i):
        return prefix + message_path(i)

    if not messages:
        return None
    first_index, first = messages[0]
    if policy.first and first["role"] not in policy.first:
        rule = limit(ctx, "roles.first", policy.first)
        whole = label or "conversation "
        return Finding(f'{whole}starts with {_a(first["role"])} message; {rule.provider} requires it to start '
                       f"with {_either(policy.first)}{rule.cited()}", path(first_index), unconfirmed=not rule.confirmed)
    for i, m in messages:
        if m["role"] != "system":
            continue
        if policy.system == "none" or (policy.system == "first" and i != messages[0][0]):
            rule = limit(ctx, "roles.system", policy.system)
            where = "no system message" if policy.system == "none" else "a system message only as the first message"
            return Finding(f"system message at {label}position {i}; {rule.provider} accepts {where}{rule.cited()}",
                           path(i), unconfirmed=not rule.confirmed)
    if policy.alternation != "user-assistant":
        return None
    expected, previous = "user", None
    for i, m in messages:
        role = m["role"]
        if role == "system" or role in ANSWERS or role not in TURNS:
            continue  # FT102 reports unknown roles
        if role == "assistant" and previous is not None and previous["role"] == "assistant" and has_call(previous):
            previous = m
            continue  # the assistant's turn goes on after its tool calls were answered
        if role != expected:
            rule = limit(ctx, "roles.alternation", policy.alternation)
            return Finding(f"{label}message {i} is {_a(role)} message where {_a(expected)} message belongs; "
                           f"{rule.provider} requires user and assistant turns to alternate, starting with user"
                           f"{rule.cited()}", path(i), unconfirmed=not rule.confirmed)
        expected = "assistant" if role == "user" else "user"
        previous = m
    return None


def _a(role: str) -> str:
    return f"{article(role)} {role}"
