"""Converters between the training formats ftlint reads (``--convert-to``).

Every converter maps one format to and from a *pivot*: an OpenAI record, chat
(``{"messages": [...], "tools": [...]}``) or preference (``{"input": {...},
"preferred_output": [...], "non_preferred_output": [...]}``). Converting A to
B is A -> pivot -> B, so n formats need n converters, not n².

A converter never drops anything silently: whatever the other side cannot say
(a weight where the target has none, an https image where the target takes
only s3:// URIs) is a *loss*, a sentence naming the message and what was lost,
and the caller reports it on the record's line. A conversion with no losses is
exact: converting back gives the normalized input (:func:`normalize`), which
the round-trip tests check byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import orjson

from ftlint.formats import listed

#: The pivot's two shapes.
CHAT_PIVOT = "chat"
PREFERENCE_PIVOT = "preference"


class Losses(list):
    """What a conversion could not carry, in the order found (one sentence each)."""

    def add(self, where: str, what: str) -> None:
        self.append(f"{where}: {what}" if where else what)


@dataclass(frozen=True)
class Converter:
    """How one format maps to and from the pivot."""

    format: str  # the format id in ftlint.formats
    title: str
    #: (pivot record or None when nothing usable is left, losses)
    to_pivot: Callable[[dict], tuple[dict | None, Losses]]
    from_pivot: Callable[[dict], tuple[dict | None, Losses]]
    #: The provider whose rules the output is linted under (None: the default).
    provider: str | None = None
    #: A cheap test on a record's keys for the shapes the format registry does
    #: not tell apart (TRL's conversational prompt/completion has the legacy keys).
    claims: Callable[[dict], bool] | None = None


_CONVERTERS: dict[str, Converter] = {}
#: --convert-to names besides the format ids (TRL's names for the OpenAI shapes...).
_ALIASES: dict[str, str] = {}


def register(converter: Converter, aliases: tuple[str, ...] = ()) -> Converter:
    if converter.format in _CONVERTERS:
        raise ValueError(f'a converter for "{converter.format}" is registered twice')
    _CONVERTERS[converter.format] = converter
    for alias in aliases:
        _ALIASES[alias] = converter.format
    return converter


def _load() -> None:
    # Importing the modules registers their converters (order = --convert-to's listing).
    from ftlint.converters import alpaca, bedrock, gemini, llama_factory, openai, sharegpt, trl  # noqa: F401


def get(name: str) -> Converter | None:
    """The converter for a format id or alias."""
    _load()
    return _CONVERTERS.get(_ALIASES.get(name, name))


def claimants() -> list[Converter]:
    """The converters that recognise their records themselves, in registration order."""
    _load()
    return [c for c in _CONVERTERS.values() if c.claims is not None]


def names() -> list[str]:
    """Every name --convert-to accepts: format ids, then aliases."""
    _load()
    return [*_CONVERTERS, *_ALIASES]


def target_for(source_format: str | None, method: str | None, formats: tuple[str, ...]) -> str | None:
    """The --convert-to name that turns a file of ``source_format`` into one of ``formats``, or None.

    ``formats`` are what the provider takes for the file's ``method``, in the
    profile's order; the first with a converter whose format trains with that
    method wins (a chat file becomes Gemini contents, never Gemini preference).
    None when no converter reads the source format or writes any of them.
    """
    if source_format is None or get(source_format) is None:
        return None
    from ftlint import formats as fmts

    for target in formats:
        converter = get(target)
        declared = fmts.get(target)
        if converter is not None and target != source_format and (declared is None or method in declared.methods):
            return converter.format
    return None


def converts_exactly(record: dict, target: str) -> bool:
    """True when ``record`` converts to ``target`` (a --convert-to name) with nothing lost."""
    from ftlint.convert import source_converter

    source, wanted = source_converter(record), get(target)
    if source is None or wanted is None:
        return False
    if source is wanted:
        return True
    pivot, losses = source.to_pivot(record)
    if pivot is None or losses:
        return False
    out, more = wanted.from_pivot(pivot)
    return out is not None and not more


def command(target: str, path: str | None = None) -> str:
    """The command line that converts ``path`` (the file as shown; None: placeholders) for ``target``
    (a --convert-to name), as messages show it: ``ftlint train.jsonl --convert-to gemini -o train.gemini.jsonl``."""
    from ftlint.suggest import file_and_output

    source, output = file_and_output(path, target)
    return f"ftlint {source} --convert-to {target} -o {output}"


# -- the pivot, normalized ---------------------------------------------------------


def pivot_kind(record: dict) -> str:
    return PREFERENCE_PIVOT if "input" in record and "messages" not in record else CHAT_PIVOT


def normalize(record: dict) -> dict:
    """The pivot record in the one spelling converters produce.

    Spellings that say the same thing become one: a content list holding one
    text part is its text; ``weight: 1`` (the default) goes; ``content: null``
    beside tool calls goes; an empty tool list goes; tool-call arguments holding a JSON object are
    re-serialized with json.dumps's default separators.
    """
    if pivot_kind(record) == PREFERENCE_PIVOT:
        out = dict(record)
        inp = record.get("input")
        if isinstance(inp, dict):
            out["input"] = normalize_chat(inp)
        for key in ("preferred_output", "non_preferred_output"):
            if isinstance(record.get(key), list):
                out[key] = [_normalize_message(m) for m in record[key]]
        return out
    return normalize_chat(record)


def normalize_chat(record: dict) -> dict:
    out = dict(record)
    if out.get("tools") == []:  # no tools, said explicitly
        del out["tools"]
    if isinstance(record.get("messages"), list):
        out["messages"] = [_normalize_message(m) for m in record["messages"]]
    return out


def _normalize_message(message: object) -> object:
    if not isinstance(message, dict):
        return message
    m = dict(message)
    content = m.get("content")
    if isinstance(content, list) and len(content) == 1 and isinstance(content[0], dict) \
            and set(content[0]) == {"type", "text"} and content[0]["type"] == "text":
        m["content"] = content[0]["text"]
    if m.get("weight") == 1 and type(m.get("weight")) is int:
        del m["weight"]
    if "content" in m and m["content"] is None and m.get("tool_calls"):
        del m["content"]
    calls = m.get("tool_calls")
    if isinstance(calls, list):
        m["tool_calls"] = [_normalize_call(c) for c in calls]
    return m


def _normalize_call(call: object) -> object:
    if not isinstance(call, dict) or not isinstance(call.get("function"), dict):
        return call
    args = call["function"].get("arguments")
    parsed = json_object(args)
    if parsed is None:
        return call
    return {**call, "function": {**call["function"], "arguments": dump_arguments(parsed)}}


def canonical(record: dict) -> bytes:
    """Bytes to compare records by: the normalized pivot with sorted keys."""
    return orjson.dumps(normalize(record), option=orjson.OPT_SORT_KEYS)


# -- helpers the converters share ----------------------------------------------------


def json_object(text: object) -> dict | None:
    """``text`` parsed when it is a JSON object's text, else None."""
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def dump_arguments(value: object) -> str:
    """Tool-call arguments as OpenAI writes them (a JSON string, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False)


def text_parts(content: object) -> list[str] | None:
    """The texts of a message's content when it is only text (a string or text parts), else None."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, list) and content and all(
        isinstance(p, dict) and p.get("type") == "text" and set(p) == {"type", "text"} and isinstance(p["text"], str)
        for p in content
    ):
        return [p["text"] for p in content]
    return None


def content_from_texts(texts: list[str]) -> str | list:
    """OpenAI content for a list of texts: the text itself when there is one."""
    if len(texts) == 1:
        return texts[0]
    return [{"type": "text", "text": t} for t in texts]


def where(index: int, message: object) -> str:
    role = message.get("role") if isinstance(message, dict) else None
    return f"message {index + 1}" + (f" ({role})" if isinstance(role, str) else "")


def extra_keys(obj: dict, known: set | frozenset, where_: str, target: str, losses: Losses) -> None:
    for key in obj:
        if key not in known:
            losses.add(where_, f'"{key}" cannot be carried ({target} has no such field)')


#: A preference pivot's two outputs, with whether each is the preferred one.
PREFERENCE_OUTPUTS = (("preferred_output", True), ("non_preferred_output", False))


def preference_input(pivot: dict, target: str, losses: Losses) -> dict:
    """The ``input`` of a preference pivot (empty when missing), after reporting keys the target cannot carry."""
    extra_keys(pivot, {"input", *(key for key, _ in PREFERENCE_OUTPUTS)}, "", target, losses)
    inp = pivot.get("input")
    return inp if isinstance(inp, dict) else {}


def preference_outputs(pivot: dict):
    """Each output of a preference pivot as (key, preferred?, its message); the message is None unless the
    output is exactly one message, the only shape another format's chosen/rejected pair can hold."""
    for key, preferred in PREFERENCE_OUTPUTS:
        output = pivot.get(key)
        yield key, preferred, output[0] if isinstance(output, list) and len(output) == 1 else None


def weight_loss(message: dict, where_: str, target: str, losses: Losses) -> None:
    weight = message.get("weight")
    if "weight" in message and not (weight == 1 and type(weight) is int):
        losses.add(where_, f"weight {json.dumps(weight)} cannot be carried ({target} has no per-message weight, "
                           "so this turn would be trained)")


def split_chat(record: dict, target: str, losses: Losses) -> tuple[list[str] | None, list]:
    """(system texts or None, the other messages) of a pivot chat record; a system message later on is a loss."""
    messages = record.get("messages")
    if not isinstance(messages, list):
        losses.add("", '"messages" is not a list')
        return None, []
    system = None
    rest = []
    for i, m in enumerate(messages):
        if isinstance(m, dict) and m.get("role") == "system":
            texts = text_parts(m.get("content"))
            if i == 0 and texts is not None:
                extra_keys(m, {"role", "content"}, where(i, m), target, losses)
                system = texts
                continue
            losses.add(where(i, m), f"{target} takes one system text before the conversation, not this system message")
            continue
        rest.append((i, m))
    return system, rest


def target_parts(message: dict, where_: str, target: str, losses: Losses,
                 image: Callable[[str, str, Losses], dict | None]) -> list:
    """A message's content as the target's parts: ``{"text": ...}`` for text, ``image(url, where, losses)`` for images.

    ``image`` returns the target's part for an image URL, or None after adding the loss.
    """
    from ftlint.converters._media import image_url_part

    content = message.get("content")
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}]
    if not isinstance(content, list):
        losses.add(where_, "content is neither text nor a list of parts")
        return []
    parts = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str):
            extra_keys(part, {"type", "text"}, where_, target, losses)
            parts.append({"text": part["text"]})
        elif kind == "image_url":
            url, problem = image_url_part(part)
            if problem:
                losses.add(where_, problem)
            converted = image(url, where_, losses) if url is not None else None
            if converted is not None:
                parts.append(converted)
        else:
            losses.add(where_, f"a {kind or 'malformed'} content part cannot be carried")
    return parts


def tool_call(call: object, where_: str, target: str, losses: Losses, need_id: bool = True) -> tuple | None:
    """(id, name, arguments as an object) of an OpenAI tool call, or None after adding the loss."""
    fn = call.get("function") if isinstance(call, dict) else None
    args = json_object(fn.get("arguments")) if isinstance(fn, dict) else None
    if args is None or not isinstance(fn.get("name"), str) or (need_id and not isinstance(call.get("id"), str)):
        losses.add(where_, "a tool call without " + ("an id, " if need_id else "") + "a name and JSON-object "
                   "arguments cannot be carried")
        return None
    extra_keys(call, {"id", "type", "function"}, where_, target, losses)
    return call.get("id"), fn["name"], args


def function_tools(tools: object, target: str, losses: Losses) -> list[dict]:
    """The function definitions of OpenAI ``tools``; other tool kinds and extra fields are losses."""
    functions = []
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(fn, dict):
            losses.add(f"tool {i + 1}", "only function tools can be carried")
            continue
        extra_keys(tool, {"type", "function"}, f"tool {i + 1}", target, losses)
        extra_keys(fn, {"name", "description", "parameters"}, f"tool {i + 1}", target, losses)
        functions.append({k: fn[k] for k in ("name", "description", "parameters") if k in fn})
    return functions


def turns_from_pivot(indexed: list, target: str, losses: Losses, *, assistant_role: str, content_key: str,
                     parts: Callable, call_part: Callable, result_part: Callable) -> list:
    """Pivot messages (after the system message) as turns of a format with user turns and typed parts.

    ``parts(message, where, losses)`` converts content; ``call_part(id, name, args)`` and
    ``result_part(id, name, texts)`` (None: not carried) convert tool calls and results.
    Consecutive tool results share one user turn, as Gemini and Bedrock write them.
    """
    out: list[dict] = []
    call_names: dict[str, str] = {}
    for i, m in indexed:
        w = where(i, m)
        if not isinstance(m, dict):
            losses.add(w, "is not an object")
            continue
        role = m.get("role")
        if role == "user":
            extra_keys(m, {"role", "content"}, w, target, losses)
            out.append({"role": "user", content_key: parts(m, w, losses)})
        elif role == "assistant":
            extra_keys(m, {"role", "content", "tool_calls", "weight"}, w, target, losses)
            weight_loss(m, w, target, losses)
            items = parts(m, w, losses)
            for call in listed(m.get("tool_calls")):
                parsed = tool_call(call, w, target, losses)
                if parsed is not None:
                    call_names[parsed[0]] = parsed[1]
                    items.append(call_part(*parsed))
            out.append({"role": assistant_role, content_key: items})
        elif role == "tool":
            extra_keys(m, {"role", "content", "tool_call_id"}, w, target, losses)
            call_id, texts = m.get("tool_call_id"), text_parts(m.get("content"))
            item = result_part(call_id, call_names[call_id], texts) \
                if call_id in call_names and texts is not None else None
            if item is None:
                losses.add(w, "a tool result must answer an earlier call by id with text to be carried")
                continue
            if out and out[-1].get("_tool"):
                out[-1][content_key].append(item)
            else:
                out.append({"role": "user", content_key: [item], "_tool": True})
        else:
            losses.add(w, f"role {role!r} cannot be carried ({target} has user and {assistant_role} turns)")
    for turn in out:
        turn.pop("_tool", None)
    return out
