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

from ftlint.problem import Finding
from ftlint.reader import json_type_name
from ftlint.rules._chat import PART_TYPES, has_call, iter_messages, path, plain_messages

CODE = "FT104"
NAME = "content-type"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)


def check(example, conf, ctx):
    if plain_messages(example):
        return
    for i, m in iter_messages(example.data):
        role = m["role"]
        if role not in PART_TYPES:
            continue
        content = m.get("content")
        if content is None:
            if role == "assistant" and has_call(m):
                continue
            what = "has no content" if "content" not in m else "has null content"
            needs = " (allowed only with tool_calls or function_call)" if role == "assistant" else ""
            yield Finding(f"{role} message {what}{needs}", path(i, "content") if "content" in m else path(i))
            continue
        if isinstance(content, str):
            continue
        if not isinstance(content, list):
            yield Finding(
                f"content must be a string or an array of parts, not a {json_type_name(content)}",
                path(i, "content"),
            )
            continue
        allowed = PART_TYPES[role]
        for j, part in enumerate(content):
            where = path(i, "content", j)
            if not isinstance(part, dict):
                yield Finding(f"content part is a {json_type_name(part)}, not an object with a type", where)
                continue
            kind = part.get("type")
            if not isinstance(kind, str):
                yield Finding('content part has no string "type"', where)
            elif kind not in allowed:
                yield Finding(
                    f'a {role} message may not contain "{kind}" parts; allowed: {", ".join(allowed)}', where + ".type"
                )
            elif kind == "text" and not isinstance(part.get("text"), str):
                yield Finding('text part needs a string "text"', where + ".text")
            elif kind == "refusal" and not isinstance(part.get("refusal"), str):
                yield Finding('refusal part needs a string "refusal"', where + ".refusal")
