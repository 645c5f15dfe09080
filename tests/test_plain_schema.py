"""The cheap proof that a tool's parameters are a valid JSON Schema never disagrees with jsonschema."""

from __future__ import annotations

import subprocess
import sys

import orjson
from hypothesis import given, settings, strategies as st
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for

from ftlint.rules._tools import parameters_schema_problem, plainly_valid_schema

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-2, 2, allow_nan=False) | st.sampled_from(["", "x", "string", "object"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "type", "b"]), inner, max_size=3),
    max_leaves=6,
)
KEYS = st.sampled_from([
    "type", "required", "description", "title", "format", "enum", "default", "const", "examples", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems",
    "maxItems", "minProperties", "maxProperties", "uniqueItems", "items", "additionalProperties", "properties",
    "pattern", "$ref", "$schema", "anyOf", "prefixItems", "dependentRequired",
])
TYPE_VALUES = st.sampled_from(["string", "integer", "number", "object", "array", "boolean", "null", "str", "int"])


TYPE_OK = st.sampled_from(sorted(["string", "integer", "number", "object", "array", "boolean", "null"]))
NUMBER = st.integers(-3, 3) | st.floats(-2, 2, allow_nan=False)


def _plain(inner):
    return st.fixed_dictionaries({}, optional={
        "type": TYPE_OK | st.lists(TYPE_OK, min_size=1, max_size=3, unique=True),
        "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
        "items": inner, "additionalProperties": inner,
        "required": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True),
        "enum": st.lists(ANY_JSON, max_size=3), "const": ANY_JSON, "default": ANY_JSON,
        "description": st.text(max_size=5), "format": st.sampled_from(["date", "uri", "whatever"]),
        "minimum": NUMBER, "exclusiveMaximum": NUMBER, "multipleOf": NUMBER,
        "minLength": st.integers(-1, 3), "maxItems": st.integers(0, 3), "uniqueItems": st.booleans() | ANY_JSON,
    })


def schemas():
    """Mostly plain schemas (valid or nearly so), with one keyword given an arbitrary value."""
    plain = st.recursive(st.booleans() | st.just({}), _plain, max_leaves=10)

    def damage(schema):
        if not isinstance(schema, dict):
            return st.just(schema)
        return st.tuples(KEYS, ANY_JSON | TYPE_VALUES | st.lists(TYPE_VALUES, max_size=3)).map(
            lambda kv: {**schema, kv[0]: kv[1]})

    return plain | plain.flatmap(damage)


def _jsonschema_accepts(schema) -> bool:
    try:
        validator_for(schema).check_schema(schema)
    except SchemaError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(schemas())
def test_plainly_valid_implies_jsonschema_accepts(schema):
    if plainly_valid_schema(schema):
        assert _jsonschema_accepts(schema), schema


def test_typical_tool_parameters_are_plainly_valid(real_corpus):
    seen = {}
    for path in sorted(real_corpus.glob("*.jsonl")):
        with open(path, "rb") as fh:
            for _, line in zip(range(200), fh):
                try:
                    row = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                for tool in (row.get("tools") or []) if isinstance(row, dict) else []:
                    params = (tool.get("function") or {}).get("parameters") if isinstance(tool, dict) else None
                    if isinstance(params, dict):
                        seen[orjson.dumps(params, option=orjson.OPT_SORT_KEYS)] = params
    assert seen
    for params in seen.values():
        assert _jsonschema_accepts(params)
        assert plainly_valid_schema(params), params


def test_not_plain_schemas_still_get_jsonschemas_message():
    assert "not a valid JSON Schema" in parameters_schema_problem({"type": "object", "properties": {"a": {"type": "str"}}})
    assert "not a valid JSON Schema" in parameters_schema_problem({"type": "object", "pattern": 3})
    assert parameters_schema_problem({"type": "object", "properties": {"a": {"$ref": "#"}}}) is None


def test_plain_tool_schemas_do_not_import_jsonschema():
    code = ("import sys\nfrom ftlint.rules._tools import parameters_schema_problem\n"
            "assert parameters_schema_problem({'type': 'object', 'properties': {'speed': {'type': 'integer', "
            "'minimum': 0, 'description': 'm/s'}, 'mode': {'type': 'string', 'enum': ['a', 'b']}}, "
            "'required': ['speed']}) is None\nprint('jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
