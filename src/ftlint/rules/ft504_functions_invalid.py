"""Legacy `functions` has the wrong shape.

## What it does
Checks the deprecated top-level `functions` (used with assistant
`function_call` and `function` messages): an array of 1 to `max_functions`
(`[tools]` of the provider profile; OpenAI: 128) function definitions, each
with a valid `name`, optional string `description` and optional `parameters`,
and not next to `tools` in the same example.

## Why it matters
The API accepts 1 to 128 functions; an empty or oversized list, or a malformed
definition, fails validation. New data should use `tools` instead.

## Example
    {"messages": [...], "functions": []}

## Fix
List the functions the example may call, or better, convert to `tools`
(`{"type": "function", "function": <definition>}`) with `tool_calls` and
`tool` messages.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type
from ftlint.rules._limits import limit
from ftlint.rules._tools import function_definition_problems, may_use_tools, tools_to_check

CODE = "FT504"
NAME = "functions-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = may_use_tools


def check(example, conf, ctx):
    scope, where = tools_to_check(example)
    if scope is None or "functions" not in scope:
        return
    functions = scope["functions"]
    at = where + ".functions"
    if "tools" in scope:
        yield Finding("example has both functions (deprecated) and tools; an example uses one or the other, so move "
                      'each function into tools as {"type": "function", "function": ...} and drop functions', at)
    if not isinstance(functions, list):
        yield Finding(f"functions must be an array of function definitions, not {a_type(functions)}", at)
        return
    most = limit(ctx, "tools.max_functions", ctx.run.provider.max_functions)
    if not functions or (most is not None and len(functions) > most.value):
        bounds = f"1 to {most.value}{most.cited()}" if most is not None else "at least 1"
        yield Finding(f"functions has {len(functions)} items; the API accepts {bounds} "
                      "(drop the key when there are none)", at, unconfirmed=most is not None and not most.confirmed)
    for i, fn in enumerate(functions):
        yield from function_definition_problems(fn, f"{at}[{i}]")
