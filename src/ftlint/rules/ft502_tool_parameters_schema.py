"""Function `parameters` is not a valid JSON Schema object.

## What it does
Checks the `parameters` of every function (in `tools` and legacy `functions`)
against the JSON Schema meta-schema (Draft 2020-12, or the draft its `$schema`
names). Each distinct schema is checked once per run, since the same tool list
usually repeats on every line.

## Why it matters
The API reads `parameters` as a JSON Schema; a schema that breaks the
meta-schema (e.g. `"required": "city"`, `"type": "text"`) fails validation, or
teaches the model arguments no request will ever match.

## Example
    "parameters": {"type": "object", "properties": {"city": {"type": "text"}}, "required": "city"}

## Fix
Use JSON Schema types (`string`, `number`, `integer`, `boolean`, `array`,
`object`, `null`) and a `required` array: `"required": ["city"]`.
"""

from ftlint.problem import Finding
from ftlint.rules._tools import function_definitions, may_use_tools, parameters_schema_problem, tools_to_check

CODE = "FT502"
NAME = "tool-parameters-schema"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    scope, where = tools_to_check(example)
    if scope is None:
        return
    for at, fn in function_definitions(scope, where):
        if "parameters" in fn:
            problem = parameters_schema_problem(fn["parameters"])
            if problem is not None:
                yield Finding(problem, at + ".parameters")
