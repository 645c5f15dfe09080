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

from ftlint.rules._chat import name_problems, not_plain, role_messages

CODE = "FT107"
NAME = "invalid-name"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = not_plain


def check(example, conf, ctx):
    for where, m in role_messages(example):
        yield from name_problems(m, where)
