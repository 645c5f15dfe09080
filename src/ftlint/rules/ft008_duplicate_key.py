"""Object has the same key twice.

## What it does
Reports an object in which one key appears more than once, e.g. two `content`
keys in one message. Opt-in (`--select FT008`): it parses every line a second
time with a slower parser, which roughly doubles parse time.

## Why it matters
Parsers silently keep one of the values (usually the last), so the example
trains on something other than what the author sees first.

## Example
    {"messages": [{"role": "user", "content": "a", "content": "b"}]}

## Fix
Remove one of the keys.
"""

import json

from ftlint.problem import Finding

CODE = "FT008"
NAME = "duplicate-key"
SCOPE = "record"
LEVEL = "error"
ENABLED = False


class _Found(Exception):
    pass


def check(example, conf, ctx):
    raw = getattr(example, "raw", None)
    if raw is None:
        return
    duplicates = []

    def pairs_hook(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            seen = set()
            duplicates.extend(k for k in keys if k in seen or seen.add(k))
        return dict(pairs)

    try:
        json.loads(raw, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):  # the stdlib parser recurses; orjson read deeper lines fine
        return
    for key in dict.fromkeys(duplicates):
        yield Finding(f'key "{key}" appears more than once in one object; parsers keep only one value, so keep one of them')
