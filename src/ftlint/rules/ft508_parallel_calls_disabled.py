"""Several tool calls in one message although `parallel_tool_calls` is false.

## What it does
Reports an assistant message with more than one tool call in an example that
sets `parallel_tool_calls: false`.

## Why it matters
`parallel_tool_calls: false` trains the model to make one call per turn; an
example that makes several contradicts the setting it is trained under.

## Example
    {"parallel_tool_calls": false, "messages": [..., {"role": "assistant", "tool_calls": [call_1, call_2]}]}

## Fix
Split the calls over several assistant turns (each followed by its tool
answer), or drop `parallel_tool_calls: false`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import all_messages
from ftlint.rules._tools import may_use_tools, tools_to_check

CODE = "FT508"
NAME = "parallel-calls-disabled"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    scope, _ = tools_to_check(example)
    if scope is None or scope.get("parallel_tool_calls") is not False:
        return
    for where, m in all_messages(example):
        calls = m.get("tool_calls")
        if m.get("role") == "assistant" and isinstance(calls, list) and len(calls) > 1:
            yield Finding(f"assistant message makes {len(calls)} tool calls but parallel_tool_calls is false; "
                          "make one call per turn or allow parallel calls", where + ".tool_calls")
