"""Assistant tool call (or legacy function call) has the wrong shape.

## What it does
Checks each item of an assistant message's `tool_calls`:
`{"id": "...", "type": "function", "function": {"name": "...", "arguments": "..."}}`
with a non-empty string id and a string name; and the legacy `function_call`:
`{"name": "...", "arguments": "..."}`. (What `arguments` holds is FT506's
business; custom tool calls are FT510's.)

## Why it matters
The server validates calls like the chat API's messages; a call without an id
cannot be answered by a `tool` message, and one without a name or type fails
validation.

## Example
    {"role": "assistant", "tool_calls": [{"name": "get_weather", "arguments": "{}"}]}

## Fix
Write each call in full: `{"id": "call_1", "type": "function",
"function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type, all_messages
from ftlint.rules._tools import may_use_tools

CODE = "FT505"
NAME = "tool-call-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def _function_problems(fn, at: str, what: str) -> list[Finding]:
    if not isinstance(fn, dict):
        return [Finding(f"{what} must be an object with name and arguments, not {a_type(fn)}", at)]
    found = []
    if not isinstance(fn.get("name"), str) or not fn["name"]:
        found.append(Finding(f'{what} needs a string "name": the function it calls', at))
    if "arguments" not in fn:
        found.append(Finding(f'{what} has no "arguments"; use "{{}}" for a call without arguments', at))
    return found


def _call_problems(call, at: str) -> list[Finding]:
    if not isinstance(call, dict):
        return [Finding(f"tool call is {a_type(call)}, not an object", at)]
    kind = call.get("type")
    if kind == "custom":
        return []  # FT510
    found = []
    if not isinstance(call.get("id"), str) or not call["id"]:
        found.append(Finding('tool call needs a non-empty string "id", which its tool message answers with '
                             '"tool_call_id"', at))
    if kind != "function":
        shown = f'"{kind}"' if isinstance(kind, str) else ("missing" if "type" not in call else a_type(kind))
        found.append(Finding(f'tool call type must be "function" (it is {shown})', at + ".type"))
    if "function" not in call:
        found.append(Finding('tool call has no "function" object with name and arguments', at))
    else:
        found += _function_problems(call["function"], at + ".function", "the call's function")
    return found


def check(example, conf, ctx):
    for where, m in all_messages(example):
        if m.get("role") != "assistant":
            continue
        calls = m.get("tool_calls")
        if calls is not None:
            if not isinstance(calls, list):
                yield Finding(f"tool_calls must be an array of calls, not {a_type(calls)}",
                              where + ".tool_calls")
            else:
                for j, call in enumerate(calls):
                    yield from _call_problems(call, f"{where}.tool_calls[{j}]")
        if m.get("function_call") is not None:
            yield from _function_problems(m["function_call"], where + ".function_call", "function_call")
