"""A call names a function the example does not define.

## What it does
When an example lists `tools`, checks that every assistant tool call names one
of them; when it lists legacy `functions`, that every `function_call` does.
Examples without definitions are not checked.

## Why it matters
The model learns to call a function it is never offered, or the call was
renamed in one place and not the other. At inference time such calls fail.

## Example
    "tools": [{"type": "function", "function": {"name": "get_weather"}}]
    ... "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "getWeather", "arguments": "{}"}}]

## Fix
Use the defined name in the call, or add the missing function to `tools`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import all_messages
from ftlint.rules._tools import called_function, declared_names, may_use_tools, tool_calls_of, tools_to_check

CODE = "FT507"
NAME = "unknown-tool-called"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def _unknown(name: str, defined: frozenset, kind: str) -> str:
    listed = ", ".join(sorted(defined)[:8]) + (", ..." if len(defined) > 8 else "")
    return f'call to "{name}", which is not among the example\'s {kind} ({listed or "none"})'


def check(example, conf, ctx):
    scope, _ = tools_to_check(example)
    if scope is None:
        return
    tools = declared_names(scope, "tools")
    functions = declared_names(scope, "functions")
    if tools is None and functions is None:
        return
    for where, m in all_messages(example):
        if m.get("role") != "assistant":
            continue
        if tools is not None:
            for at, call in tool_calls_of(m, where):
                fn = called_function(call)
                name = fn.get("name") if fn else None
                if isinstance(name, str) and name not in tools:
                    yield Finding(_unknown(name, tools, "tools"), at + ".function.name")
        legacy = m.get("function_call")
        if functions is not None and isinstance(legacy, dict):
            name = legacy.get("name")
            if isinstance(name, str) and name not in functions:
                yield Finding(_unknown(name, functions, "functions"), where + ".function_call.name")
