"""Message content is empty.

## What it does
Reports a message whose content is an empty or whitespace-only string, or an
empty array, when nothing else (tool calls, images) carries the message.

## Why it matters
An empty user turn gives the model nothing to respond to; an empty assistant
turn teaches it to answer with nothing. Empty system and tool messages are
usually a templating bug.

## Example
    {"role": "assistant", "content": ""}

## Fix
Fill in the content, or remove the message (or the whole example).
"""

from ftlint.rules._chat import empty_content_problems, not_plain, role_messages

CODE = "FT105"
NAME = "empty-content"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    for where, m in role_messages(example):
        yield from empty_content_problems(m, where)
