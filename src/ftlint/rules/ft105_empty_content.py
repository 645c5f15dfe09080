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

from ftlint.problem import Finding
from ftlint.rules._chat import has_call, iter_messages, path, plain_messages

CODE = "FT105"
NAME = "empty-content"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)


def _is_empty(content) -> bool:
    if isinstance(content, str):
        return not content.strip()
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                return False
            if part.get("type") != "text":
                return False  # images, refusals: not empty
            text = part.get("text")
            if not isinstance(text, str) or text.strip():
                return False
        return True
    return False


def check(example, conf, ctx):
    if plain_messages(example):
        return
    for i, m in iter_messages(example.data):
        if "content" not in m or has_call(m):
            continue
        if _is_empty(m["content"]):
            shown = "empty" if m["content"] in ("", []) else "whitespace-only"
            yield Finding(f"{m['role']} message has {shown} content", path(i, "content"))
