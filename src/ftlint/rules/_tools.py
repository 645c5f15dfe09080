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


def may_use_tools(example) -> bool:
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


@lru_cache(maxsize=4096)
def _schema_verdict(canonical: bytes) -> str | None:
    from jsonschema import SchemaError  # 60 ms to import: only when a schema is checked
    from jsonschema.validators import validator_for

    schema = orjson.loads(canonical)
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

