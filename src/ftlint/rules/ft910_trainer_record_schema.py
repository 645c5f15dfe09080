"""An example does not match the schema of its open-trainer format.

## What it does
Validates each example in an open-trainer format (TRL language modeling,
prompt-completion with message lists, preference, unpaired preference;
ShareGPT; Alpaca; LLaMA-Factory v1) against that format's JSON Schema under
rules/schemas/ and reports the first violation with its JSON path. Files read
with a `--trainer-config` entry that renames columns are checked by
FT911-FT913 with those names instead.

## Why it matters
TRL and LLaMA-Factory read these columns by name and type; a missing `chosen`,
a `label` that is the string "true" or a turn without `value` fails the
dataset map step or silently drops the example.

## Example
    {"prompt": "2+2?", "chosen": "4", "rejected": 5}

## Fix
Give the field the type the schema names (see the format's schema file).
"""

import json

from ftlint import formats as fmts
from ftlint.problem import Finding
from ftlint.schemas import load_schema
from ftlint.trainer_formats import TRAINER_FORMATS, mapping_of

CODE = "FT910"
NAME = "trainer-record-schema"
SCOPE = "record"
LEVEL = "error"
FORMATS = TRAINER_FORMATS

_validators: dict = {}


def _validator(name: str):
    validator = _validators.get(name)
    if validator is None:
        from jsonschema import Draft202012Validator

        validator = _validators[name] = Draft202012Validator(load_schema(name))
    return validator


def _path(error) -> str:
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_KINDS = {"string": "a string", "array": "a list", "object": "an object", "boolean": "true or false",
          "number": "a number", "integer": "an integer"}


def _message(error) -> str:
    if error.validator in ("anyOf", "oneOf"):
        kinds = [_KINDS.get(sub.get("type"), "an object") for sub in error.validator_value if isinstance(sub, dict)]
        value = json.dumps(error.instance)
        return f"{value[:40]} is not {' or '.join(dict.fromkeys(kinds))}"
    return error.message


def check(example, conf, ctx):
    fmt = fmts.get(example.format)
    if fmt is None or fmt.schema is None:
        return
    mapping = mapping_of(ctx, example.format)
    if mapping is not None and mapping.source != "defaults":
        return  # the user's trainer config renames columns: FT911-FT913 read them
    from jsonschema.exceptions import best_match

    error = best_match(_validator(fmt.schema).iter_errors(example.data))
    if error is not None:
        yield Finding(f"this {fmt.title} example does not match its schema ({fmt.schema}): {_message(error)}; "
                      "give the field the type the format takes", _path(error))
