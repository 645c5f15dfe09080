"""ShareGPT records as LLaMA-Factory and Axolotl read them.

``{"conversations": [{"from": "human"|"gpt"|"function_call"|"observation", "value": str}],
"system"?: str, "tools"?: str}``; preference: ``"chosen"``/``"rejected"`` turns
beside the conversation. A ``function_call`` turn's value is the JSON of
``{"name", "arguments"}`` (a list for parallel calls); ``tools`` is the JSON of
the function list. Calls and results are linked by position, so OpenAI's
tool-call ids cannot be carried. Source: hiyouga/LLaMA-Factory data/README.md
(sharegpt format), read 2026-11-30.
"""

from __future__ import annotations

import json

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, dump_arguments, extra_keys, function_tools, pivot_kind, preference_input,
    preference_outputs, register, split_chat, text_parts, tool_call, weight_loss, where,
)
from ftlint.formats import listed

TARGET = "ShareGPT"
#: ShareGPT speaker tags -> OpenAI roles (the tags LLaMA-Factory and the original dumps use).
ROLE_OF = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "system": "system",
           "observation": "tool", "tool": "tool", "function_call": "assistant"}


def _turn(tag: str, value: str) -> dict:
    return {"from": tag, "value": value}


def _conversation(indexed: list, losses: Losses) -> list:
    turns = []
    for i, m in indexed:
        w = where(i, m)
        if not isinstance(m, dict):
            losses.add(w, "is not an object")
            continue
        role = m.get("role")
        texts = text_parts(m.get("content")) if m.get("content") is not None else []
        if texts is None or len(texts) > 1:
            losses.add(w, "only text content (one string) can be carried")
            continue
        text = texts[0] if texts else None
        if role == "user":
            extra_keys(m, {"role", "content"}, w, TARGET, losses)
            turns.append(_turn("human", text or ""))
        elif role == "assistant":
            extra_keys(m, {"role", "content", "tool_calls", "weight"}, w, TARGET, losses)
            weight_loss(m, w, TARGET, losses)
            calls = listed(m.get("tool_calls"))
            if calls:
                if text:
                    losses.add(w, "text beside tool calls cannot be carried (a function_call turn holds only calls)")
                parsed = []
                for call in calls:
                    one = tool_call(call, w, TARGET, losses, need_id=False)
                    if one is not None:
                        parsed.append({"name": one[1], "arguments": one[2]})
                losses.add(w, "tool call ids cannot be carried (ShareGPT links results by position)")
                value = parsed[0] if len(parsed) == 1 else parsed
                turns.append(_turn("function_call", json.dumps(value, ensure_ascii=False)))
            else:
                turns.append(_turn("gpt", text if text is not None else ""))
        elif role == "tool":
            extra_keys(m, {"role", "content", "tool_call_id"}, w, TARGET, losses)
            turns.append(_turn("observation", text or ""))
        else:
            losses.add(w, f"role {role!r} cannot be carried")
    return turns


def _tools(tools: object, losses: Losses) -> str | None:
    if tools is None:
        return None
    return json.dumps(function_tools(tools, TARGET, losses), ensure_ascii=False)


def _chat_fields(record: dict, losses: Losses) -> dict:
    system, rest = split_chat(record, TARGET, losses)
    extra_keys(record, {"messages", "tools"}, "", TARGET, losses)
    out: dict = {"conversations": _conversation(rest, losses)}
    if system is not None:
        if len(system) > 1:
            losses.add("message 1 (system)", "several system text parts cannot be carried (one system string)")
        out["system"] = system[0]
    tools = _tools(record.get("tools"), losses)
    if tools is not None:
        out["tools"] = tools
    return out


def from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        return _chat_fields(pivot, losses), losses
    out = _chat_fields(preference_input(pivot, TARGET, losses), losses)
    for key, preferred, message in preference_outputs(pivot):
        turns = _conversation([(0, message)], losses) if message is not None else []
        if len(turns) != 1:
            losses.add(key, "must be one assistant message")
            continue
        out["chosen" if preferred else "rejected"] = turns[0]
    return out, losses


# -- ShareGPT -> OpenAI -------------------------------------------------------------


def _messages(turns: object, losses: Losses) -> list:
    messages: list[dict] = []
    pending: list[str] = []  # ids of calls not yet answered, in order
    count = 0
    for i, turn in enumerate(turns if isinstance(turns, list) else []):
        w = f"conversations[{i}]"
        if not isinstance(turn, dict) or not isinstance(turn.get("value"), str):
            losses.add(w, 'is not a {"from", "value": text} turn')
            continue
        extra_keys(turn, {"from", "value"}, w, "OpenAI chat", losses)
        tag, value = turn.get("from"), turn["value"]
        role = ROLE_OF.get(tag) if isinstance(tag, str) else None  # a list or object tags nothing (unhashable)
        if tag == "function_call":
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            items = parsed if isinstance(parsed, list) else [parsed]
            calls = []
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    losses.add(w, "a function_call value must be JSON {name, arguments}")
                    continue
                count += 1
                pending.append(f"call_{count}")
                arguments = item.get("arguments", {})
                calls.append({"id": f"call_{count}", "type": "function", "function": {
                    "name": item["name"],
                    "arguments": arguments if isinstance(arguments, str) else dump_arguments(arguments)}})
            if calls:
                messages.append({"role": "assistant", "tool_calls": calls})
        elif role == "tool":
            if not pending:
                losses.add(w, "an observation that answers no function_call cannot be carried")
                continue
            messages.append({"role": "tool", "tool_call_id": pending.pop(0), "content": value})
        elif role is not None:
            messages.append({"role": role, "content": value})
        else:
            losses.add(w, f"speaker {tag!r} is not one ShareGPT uses")
    return messages


def to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"conversations", "system", "tools", "chosen", "rejected"}, "", "OpenAI chat", losses)
    messages = []
    if isinstance(record.get("system"), str):
        messages.append({"role": "system", "content": record["system"]})
    messages += _messages(record.get("conversations"), losses)
    chat: dict = {"messages": messages}
    if "tools" in record:
        tools = record["tools"]
        try:
            parsed = json.loads(tools) if isinstance(tools, str) else tools
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and parsed:
            chat["tools"] = [{"type": "function", "function": fn} for fn in parsed]
        elif parsed != [] and tools not in ("", None):
            losses.add("tools", "is not a JSON list of functions")
    if "chosen" not in record and "rejected" not in record:
        return chat, losses
    out: dict = {"input": chat}
    for name, key in (("chosen", "preferred_output"), ("rejected", "non_preferred_output")):
        turn = _messages([record.get(name)], losses)
        if len(turn) == 1 and turn[0].get("role") == "assistant":
            out[key] = turn
        else:
            losses.add(name, "must be one gpt turn")
    return out, losses


register(Converter("sharegpt", "ShareGPT (LLaMA-Factory, Axolotl)", to_pivot, from_pivot, provider="llama-factory",
                   claims=lambda r: "conversations" in r),
         aliases=("llama-factory-sharegpt",))
