"""`tools` or `parallel_tool_calls` has the wrong shape.

## What it does
Checks that `tools` (top level in chat data, under `input` in preference data)
is an array of `{"type": "function", "function": {...}}` objects, that each
function has a `name` of 1 to 64 characters from a-z, A-Z, 0-9, `_` and `-`,
an optional string `description` and an optional boolean `strict`, and that
`parallel_tool_calls` is true or false. (The schema in `parameters` is FT502's
business.)

## Why it matters
The fine-tuning API validates tool definitions like the chat API does; a
malformed tool fails the job at validation, after the upload.

## Example
    {"messages": [...], "tools": [{"name": "get_weather", "parameters": {...}}]}
    {"messages": [...], "parallel_tool_calls": "false"}

## Fix
Wrap each function: `{"type": "function", "function": {"name": "get_weather", "parameters": {...}}}`,
and write `parallel_tool_calls` as a JSON boolean (`false`, not `"false"`).
"""

import json

from ftlint.problem import Finding
from ftlint.rules._chat import a_type
from ftlint.rules._tools import function_definition_problems, may_use_tools, tools_to_check

CODE = "FT501"
NAME = "tools-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    scope, where = tools_to_check(example)
    if scope is None:
        return
    if "parallel_tool_calls" in scope and not isinstance(scope["parallel_tool_calls"], bool):
        value = scope["parallel_tool_calls"]
        yield Finding(f"parallel_tool_calls must be true or false, not {a_type(value)}",
                      where + ".parallel_tool_calls")
    if "tools" not in scope:
        return
    tools = scope["tools"]
    if not isinstance(tools, list):
        yield Finding(f"tools must be an array of tool objects, not {a_type(tools)}", where + ".tools")
        return
    for i, tool in enumerate(tools):
        at = f"{where}.tools[{i}]"
        if not isinstance(tool, dict):
            yield Finding(f"tool is {a_type(tool)}, not an object", at)
            continue
        if tool.get("type") != "function":
            if "type" not in tool and "name" in tool:
                yield Finding('tool has no "type"; write {"type": "function", "function": {"name": ...}}', at)
            else:
                yield Finding(f'tool type must be "function", not {json.dumps(tool.get("type"))[:40]}', at + ".type")
            continue
        if "function" not in tool:
            yield Finding('function tool has no "function" object with its name and parameters', at)
            continue
        yield from function_definition_problems(tool["function"], at + ".function")

