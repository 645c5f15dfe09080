"""`messages` is missing, empty, or not a list of objects.

## What it does
Checks that a chat example has a `messages` key holding a non-empty array whose
items are all objects.

## Why it matters
Chat fine-tuning reads the conversation from `messages`; anything else fails the
job at validation.

## Example
    {"messages": "Hello"}
    {"messages": []}

## Fix
Write `messages` as an array of message objects:
`{"messages": [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}]}`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type, not_plain

CODE = "FT101"
NAME = "messages-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list):
        yield Finding(f"messages must be an array of message objects, not {a_type(messages)}", "$.messages")
        return
    if not messages:
        yield Finding("messages is empty; an example needs at least one message", "$.messages")
        return
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            yield Finding(f"message {i} is {a_type(m)}, not an object; write it as {{\"role\": ..., \"content\": ...}}", f"$.messages[{i}]")
