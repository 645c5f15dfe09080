"""Message name has characters the API rejects.

## What it does
Checks that a message's `name` is a string of 1 to 64 characters from
a-z, A-Z, 0-9, `_` and `-`.

## Why it matters
The same pattern is enforced on names by the API; spaces, dots or non-ASCII
letters fail validation.

## Example
    {"role": "user", "name": "Jane Doe", "content": "Hi"}

## Fix
Use a name like `jane_doe`.
"""

from ftlint.problem import Finding
from ftlint.reader import json_type_name
from ftlint.rules._chat import NAME_PATTERN, iter_messages, path, plain_messages

CODE = "FT107"
NAME = "invalid-name"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)


def check(example, conf, ctx):
    if plain_messages(example):
        return
    for i, m in iter_messages(example.data):
        if "name" not in m:
            continue
        name = m["name"]
        if not isinstance(name, str):
            yield Finding(f"name must be a string, not a {json_type_name(name)}", path(i, "name"))
        elif not NAME_PATTERN.match(name):
            yield Finding(
                f'name "{name[:80]}" must match ^[a-zA-Z0-9_-]{{1,64}}$ (letters, digits, _ and -, at most 64)',
                path(i, "name"),
            )
