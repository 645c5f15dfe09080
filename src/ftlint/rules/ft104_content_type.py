"""Message content has the wrong type or shape.

## What it does
Checks that `content` is a string or an array of content parts, each an object
with a `type` the role allows (text everywhere; `image_url` in user messages;
`refusal` in assistant messages), and that a text part's `text` is a string.
`content` may be missing or null only on an assistant message that carries
`tool_calls` or `function_call`.

## Why it matters
Numbers, objects or nested lists as content fail validation. Unlike the
cookbook's checker, ftlint accepts list content and tool-call-only assistant
messages, which the API accepts.

## Example
    {"role": "assistant", "content": 42}
    {"role": "system", "content": [{"type": "image_url", "image_url": {"url": "https://..."}}]}

## Fix
Write the content as a string (`"42"`), or as parts the role allows.
"""

from ftlint.rules._chat import content_problems, not_plain, role_messages

CODE = "FT104"
NAME = "content-type"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    for where, m in role_messages(example):
        yield from content_problems(m, where)
