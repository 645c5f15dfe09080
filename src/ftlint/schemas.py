"""The JSON Schemas of the training formats (rules/schemas/), and the facts rules read from them.

Which roles exist, which keys each message may carry and which content parts
each role may use are provider facts, so they live in the shipped schema files,
not in code. The rules give precise messages; the schemas are the single
source of what is allowed, and users can validate with them directly.
"""

from __future__ import annotations

import functools
import json

from ftlint import formats as fmts
from ftlint.data import data_path
from ftlint.record import Record

# Each format's schema file is declared with the format (ftlint.formats).
CHAT = fmts.get(fmts.CHAT).schema
COMPLETION = fmts.get(fmts.COMPLETION).schema
PREFERENCE = fmts.get(fmts.PREFERENCE).schema


@functools.cache
def load_schema(name: str) -> dict:
    with open(data_path("schemas", name), encoding="utf-8") as fh:
        return json.load(fh)


class ChatFacts(Record, frozen=True):
    roles: tuple[str, ...]
    message_keys: dict[str, frozenset[str]]
    part_types: dict[str, tuple[str, ...]]
    name_pattern: str
    top_level_keys: frozenset[str]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


@functools.cache
def chat_facts() -> ChatFacts:
    schema = load_schema(CHAT)
    defs = schema["$defs"]
    roles = tuple(_ref_name(alt["$ref"]).removesuffix("_message") for alt in schema["properties"]["messages"]["items"]["oneOf"])
    message_keys, part_types = {}, {}
    for role in roles:
        props = defs[f"{role}_message"]["properties"]
        message_keys[role] = frozenset(props)
        arrays = [alt for alt in props["content"]["anyOf"] if alt.get("type") == "array"]
        part_types[role] = tuple(_ref_name(p["$ref"]).removesuffix("_part") for a in arrays for p in a["items"]["anyOf"])
    return ChatFacts(
        roles=roles,
        message_keys=message_keys,
        part_types=part_types,
        name_pattern=defs["system_message"]["properties"]["name"]["pattern"],
        top_level_keys=frozenset(schema["properties"]),
    )


def completion_keys() -> frozenset[str]:
    return frozenset(load_schema(COMPLETION)["properties"])


def preference_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(top-level keys, keys of ``input``) of a preference example."""
    props = load_schema(PREFERENCE)["properties"]
    return frozenset(props), frozenset(props["input"]["properties"])
