"""Two consecutive messages have the same role.

## What it does
Warns when a user, assistant or system message follows a message of the same
role. Consecutive `tool` messages (answers to parallel calls) are fine, and so
is an assistant tool call followed by the assistant's next step. Reported once
per example, at the first repeat, with the number of further repeats.

## Why it matters
Two user turns in a row usually mean a lost assistant reply; two assistant
turns, a split reply. The model learns a turn structure it will not see.

## Example
    [user, user, assistant]

## Fix
Merge the two messages, or restore the missing turn.

With a provider that requires alternating turns (`alternation` in `[roles]` of
its profile: Together AI), FT114 reports this as an error instead.
"""

from ftlint.problem import Finding, plural
from ftlint.rules._chat import has_call, iter_messages, not_plain, path

CODE = "FT111"
NAME = "consecutive-same-role"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    if ctx.run.provider.roles.alternation != "none":
        return  # the provider rejects it: FT114 reports it as an error
    previous = first = None
    repeats = 0
    for i, m in iter_messages(example.data):
        role = m["role"]
        if previous is not None and role == previous["role"] and role in ("user", "assistant", "system"):
            if not (role == "assistant" and has_call(previous)):
                repeats += 1
                if first is None:
                    first = (i, role)
        previous = m
    if first is None:
        return
    i, role = first
    more = f" (and {plural(repeats - 1, 'more same-role repeat')} in this example)" if repeats > 1 else ""
    yield Finding(f"{role} message follows another {role} message at position {i}{more}; "
                  "merge them or restore the missing turn", path(i))
