"""Two tools (or legacy functions) of one example have the same name.

## What it does
Reports a function name that occurs more than once in an example's `tools`, or
more than once in its legacy `functions`.

## Why it matters
A call names the function it calls; with two definitions of one name the call
is ambiguous, and the API rejects duplicate function names in a request.

## Example
    "tools": [{"type": "function", "function": {"name": "search"}},
              {"type": "function", "function": {"name": "search", "description": "web"}}]

## Fix
Rename one of the functions (and its calls), or drop the duplicate definition.
"""

from ftlint.problem import Finding
from ftlint.rules._tools import function_definitions, may_use_tools, tools_to_check

CODE = "FT503"
NAME = "duplicate-tool-name"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    scope, where = tools_to_check(example)
    if scope is None:
        return
    first_at: dict[tuple[str, str], str] = {}
    for at, fn in function_definitions(scope, where):
        name = fn.get("name")
        if not isinstance(name, str):
            continue
        kind = "tools" if ".tools[" in at else "functions"
        seen = first_at.setdefault((kind, name), at)
        if seen != at:
            yield Finding(f'function "{name}" is defined twice in {kind} (first at {seen}); keep one definition',
                          at + ".name")
