"""Tool call `arguments` is not a JSON-encoded object.

## What it does
Checks that the `arguments` of every tool call (and legacy `function_call`) is
a string holding the JSON of an object, e.g. `"{\"city\": \"Paris\"}"`. Reports
an object written directly, text that is not JSON, JSON that is not an object,
and a double-encoded string (JSON of a string that holds the JSON object).

## Why it matters
The model is trained to produce exactly this string. A real OpenAI cookbook
file (drone_training.jsonl, line 3) carried
`"arguments": "\"{\\\"location\\\": \\\"current\\\"}\""`: a model trained on it
learns to emit quoted JSON that no tool can parse. An object in place of the
string fails validation.

## Example
    "arguments": {"city": "Paris"}
    "arguments": "\"{\\\"city\\\": \\\"Paris\\\"}\""

## Fix
Encode the arguments object once: `json.dumps({"city": "Paris"})` gives
`"{\"city\": \"Paris\"}"`. For a call without arguments use `"{}"`.
"""

import orjson

from ftlint.problem import Finding
from ftlint.rules._chat import a_type, all_messages
from ftlint.rules._tools import called_function, may_use_tools, tool_calls_of

CODE = "FT506"
NAME = "tool-arguments-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def arguments_problem(arguments) -> str | None:
    """Why ``arguments`` is not the JSON encoding of an object; None when it is."""
    if not isinstance(arguments, str):
        if isinstance(arguments, dict):
            return "arguments must be a JSON-encoded string, not an object; write it as json.dumps(arguments)"
        return f"arguments must be a JSON-encoded string of an object, not {a_type(arguments)}"
    try:
        decoded = orjson.loads(arguments)
    except orjson.JSONDecodeError as exc:
        return f'arguments is not valid JSON ({str(exc).split(":")[0]}); it must be the JSON of an object, e.g. "{{}}"'
    if isinstance(decoded, dict):
        return None
    if isinstance(decoded, str):
        try:
            twice = orjson.loads(decoded)
        except orjson.JSONDecodeError:
            twice = None
        if isinstance(twice, dict):
            return "arguments is double-encoded (the JSON of a string holding the JSON object); encode the object once"
    return f"arguments must be the JSON of an object, but it holds {a_type(decoded)}"


def check(example, conf, ctx):
    for where, m in all_messages(example):
        if m.get("role") != "assistant":
            continue
        for at, call in tool_calls_of(m, where):
            fn = called_function(call)
            if fn is not None and "arguments" in fn:
                problem = arguments_problem(fn["arguments"])
                if problem:
                    yield Finding(problem, at + ".function.arguments")
        legacy = m.get("function_call")
        if isinstance(legacy, dict) and "arguments" in legacy:
            problem = arguments_problem(legacy["arguments"])
            if problem:
                yield Finding(problem, where + ".function_call.arguments")
