"""Shared facts about tools, functions and calls (openai-ft-facts.md, section 2.1)."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import orjson

from ftlint.problem import Finding
from ftlint.rules._chat import NAME_PATTERN, a_type, message_facts, tool_scope

FUNCTION_KEYS = ("name", "description", "parameters", "strict")


TOOL_KEYS = frozenset({"tools", "functions", "parallel_tool_calls"})
CALL_KEYS = frozenset({"tool_calls", "function_call", "tool_call_id"})
ANSWER_ROLES = frozenset({"tool", "function"})


def may_use_tools(example, ctx=None) -> bool:
    """Whether the example has tool definitions, calls or tool answers at all (most have none)."""
    scope, _ = tool_scope(example.data)
    if scope is not None and not TOOL_KEYS.isdisjoint(scope):
        return True
    found = message_facts(example)
    return not (CALL_KEYS.isdisjoint(found.keys) and ANSWER_ROLES.isdisjoint(found.roles))


def tools_to_check(example) -> tuple[dict | None, str | None]:
    """(scope, JSON path) holding the example's tool definitions, or (None, None) when
    the example uses no tools at all (the common case: one cheap test for every tool rule)."""
    if not may_use_tools(example):
        return None, None
    return tool_scope(example.data)


def function_definition_problems(fn, where: str) -> list[Finding]:
    """Shape of a function definition: a tool's `function` or an item of legacy `functions`.

    The schema inside `parameters` is judged separately (parameters_schema_problem).
    """
    if not isinstance(fn, dict):
        return [Finding(f"a function definition must be an object, not {a_type(fn)}", where)]
    found = []
    name = fn.get("name")
    if "name" not in fn:
        found.append(Finding('function definition has no "name"', where))
    elif not isinstance(name, str):
        found.append(Finding(f"function name must be a string, not {a_type(name)}", where + ".name"))
    elif not NAME_PATTERN.match(name):
        found.append(Finding(
            f'function name "{name[:80]}" must match ^[a-zA-Z0-9_-]{{1,64}}$ (letters, digits, _ and -, at most 64)',
            where + ".name",
        ))
    if "description" in fn and not isinstance(fn["description"], str):
        found.append(Finding(f"description must be a string, not {a_type(fn['description'])}",
                             where + ".description"))
    if "strict" in fn and not isinstance(fn["strict"], bool) and fn["strict"] is not None:
        found.append(Finding(f"strict must be true or false, not {a_type(fn['strict'])}", where + ".strict"))
    return found


def function_definitions(scope: dict, where: str) -> Iterator[tuple[str, dict]]:
    """(json_path, definition) of every function object in `tools` and legacy `functions`."""
    tools = scope.get("tools")
    if isinstance(tools, list):
        for i, tool in enumerate(tools):
            if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
                yield f"{where}.tools[{i}].function", tool["function"]
    functions = scope.get("functions")
    if isinstance(functions, list):
        for i, fn in enumerate(functions):
            if isinstance(fn, dict):
                yield f"{where}.functions[{i}]", fn


def declared_names(scope: dict, key: str) -> frozenset[str] | None:
    """Names declared in `tools` or `functions`; None when that key is absent, empty or not a list."""
    items = scope.get(key)
    if not isinstance(items, list) or not items:
        return None  # nothing declared: calls cannot be checked against it
    if key == "tools":
        items = [t.get("function") for t in items if isinstance(t, dict)]
    return frozenset(fn["name"] for fn in items if isinstance(fn, dict) and isinstance(fn.get("name"), str))


def parameters_schema_problem(parameters) -> str | None:
    """Why `parameters` is not a usable JSON Schema object; None when it is.

    The same tool list usually repeats on every line, so the verdict is cached
    by the schema's canonical JSON and each distinct schema is checked once.
    """
    if not isinstance(parameters, dict):
        return f"parameters must be a JSON Schema object, not {a_type(parameters)}"
    try:
        key = orjson.dumps(parameters, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None  # not representable as JSON: the reader reports the line
    return _schema_verdict(key)


_TYPE_NAMES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))


def _number(value) -> bool:
    return type(value) in (int, float)


def _count(value) -> bool:
    return type(value) is int and value >= 0


def _unique_strings(value, allowed=None) -> bool:
    return (type(value) is list and all(type(v) is str for v in value) and len(set(value)) == len(value)
            and (allowed is None or set(value) <= allowed))


#: keyword -> what its value must be for the 2020-12 meta-schema to accept it (subschemas aside).
_PLAIN_KEYWORDS = {
    "type": lambda v: (type(v) is str and v in _TYPE_NAMES) or (bool(v) and _unique_strings(v, _TYPE_NAMES)),
    "required": _unique_strings,
    "description": lambda v: type(v) is str,
    "title": lambda v: type(v) is str,
    "format": lambda v: type(v) is str,
    "enum": lambda v: type(v) is list,
    "default": lambda v: True,
    "const": lambda v: True,
    "examples": lambda v: type(v) is list,
    "minimum": _number, "maximum": _number, "exclusiveMinimum": _number, "exclusiveMaximum": _number,
    "multipleOf": lambda v: _number(v) and v > 0,
    "minLength": _count, "maxLength": _count, "minItems": _count, "maxItems": _count,
    "minProperties": _count, "maxProperties": _count,
    "uniqueItems": lambda v: type(v) is bool,
}
_SUBSCHEMA_KEYWORDS = ("items", "additionalProperties")


def plainly_valid_schema(schema, depth: int = 0) -> bool:
    """True only when ``schema`` is certainly a valid JSON Schema (2020-12) of the plain kind tools use.

    Object schemas of properties with types, enums, descriptions and bounds
    are nearly every tool's parameters; proving them valid here spares the
    60 ms import of jsonschema on a pre-commit run. Anything else ($schema,
    $ref, pattern, combinators, an unusual value) returns False and is left
    to jsonschema, which also words the error. Tests check this against
    jsonschema on generated schemas.
    """
    if type(schema) is bool:
        return True
    if type(schema) is not dict or depth > 32:
        return False
    for key, value in schema.items():
        if key == "properties":
            if type(value) is not dict or not all(plainly_valid_schema(v, depth + 1) for v in value.values()):
                return False
        elif key in _SUBSCHEMA_KEYWORDS:
            if not plainly_valid_schema(value, depth + 1):
                return False
        else:
            check = _PLAIN_KEYWORDS.get(key)
            if check is None or not check(value):
                return False
    return True


@lru_cache(maxsize=4096)
def _schema_verdict(canonical: bytes) -> str | None:
    schema = orjson.loads(canonical)
    if plainly_valid_schema(schema):
        return None
    from jsonschema import SchemaError  # 60 ms to import: only when a schema is not plainly valid
    from jsonschema.validators import validator_for

    try:
        # A schema without $schema is judged by the newest draft (2020-12);
        # one naming an older draft, by that draft's meta-schema.
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in exc.path)
        return f"parameters is not a valid JSON Schema: {exc.message[:200]}" + (f" (at parameters{at})" if at else "")
    except (TypeError, RecursionError):
        return "parameters is not a valid JSON Schema: its $schema or nesting cannot be read"
    return None


def tool_calls_of(message: dict, where: str) -> Iterator[tuple[str, dict]]:
    """(json_path, call) for each object in an assistant message's `tool_calls`."""
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        for j, call in enumerate(calls):
            if isinstance(call, dict):
                yield f"{where}.tool_calls[{j}]", call


def called_function(call: dict) -> dict | None:
    """The `function` object of a function tool call, when it is one."""
    fn = call.get("function")
    return fn if call.get("type", "function") == "function" and isinstance(fn, dict) else None

