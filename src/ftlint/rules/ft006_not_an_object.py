"""Line is valid JSON but not an object.

## What it does
Reports a line holding a JSON array, string, number, boolean or null instead of
an object.

## Why it matters
Each line must be one example object such as `{"messages": [...]}`. A whole JSON
array on one line (`[{...}, {...}]`) is the most common cause.

## Example
    [{"messages": [...]}, {"messages": [...]}]

## Fix
Write one object per line: `jq -c '.[]' data.json > data.jsonl`.
"""

from ftlint.problem import Finding, plural
from ftlint.reader import NOT_OBJECT, json_type_name

CODE = "FT006"
NAME = "not-an-object"
SCOPE = "line"
LEVEL = "error"
EVENTS = (NOT_OBJECT,)


def check(line, conf, ctx):
    value = line.value
    if isinstance(value, list):
        objects = sum(isinstance(v, dict) for v in value)
        yield Finding(
            f"line is a JSON array of {plural(len(value), 'item')} ({plural(objects, 'object')}), not an example "
            "object; "
            "write one object per line (jq -c '.[]')",
            column=1,
        )
    else:
        yield Finding(f"line is a JSON {json_type_name(value)}, not an example object; write one example object per line", column=1)
