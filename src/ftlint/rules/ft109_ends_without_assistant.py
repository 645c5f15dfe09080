"""Conversation ends after the last assistant message.

## What it does
Warns when the last message of an example is not an assistant message (and the
example has one).

## Why it matters
Messages after the last assistant turn are never trained on: the user turn at
the end only costs tokens. It is often a sign the conversation was cut at the
wrong place.

## Example
    [user, assistant, user]

## Fix
End each example with the assistant reply to learn, or drop the trailing turns.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import article, path

CODE = "FT109"
NAME = "ends-without-assistant"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("supervised",)


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list) or not messages:
        return
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") == "assistant":
        return
    roles = [m.get("role") for m in messages if isinstance(m, dict)]
    if "assistant" not in roles:
        return  # FT106
    trailing = len(messages) - 1 - max(i for i, r in enumerate(roles) if r == "assistant")
    role = str(last.get("role"))
    after, them = ("the message", "it") if trailing == 1 else (f"the {trailing} messages", "them")
    yield Finding(
        f"example ends with {article(role)} {role} message; {after} after the last assistant reply "
        f"{'is' if trailing == 1 else 'are'} never trained, so end it with the reply or remove {them}",
        path(len(messages) - 1),
    )
