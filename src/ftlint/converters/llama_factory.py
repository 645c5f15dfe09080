"""LLaMA-Factory v1 data (hiyouga/LLaMA-Factory data/v1_sft_demo.jsonl, v1_dpo_demo.jsonl; read 2026-11-30).

SFT: ``{"messages": [{"role", "content": [{"type": "text", "value": ...}], "loss_weight": 0.0 | 1.0}]}``:
typed content parts, and a loss weight on every message (the demo files give
0.0 to system and user turns, 1.0 to answers). DPO: ``{"chosen_messages":
[...], "rejected_messages": [...]}``, two whole conversations that share their
start, which is the prompt. Only text parts are carried; OpenAI's ``weight``
(0 or 1, on assistant messages) is the loss weight of an answer.
"""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, content_from_texts, extra_keys, pivot_kind, preference_input, register, text_parts,
    where,
)

TARGET = "LLaMA-Factory v1"
ROLES = ("system", "user", "assistant")


def _message_from_pivot(m: object, i: int, losses: Losses) -> dict | None:
    w = where(i, m)
    if not isinstance(m, dict) or m.get("role") not in ROLES:
        losses.add(w, f"{TARGET} data here holds system, user and assistant text turns only")
        return None
    texts = text_parts(m.get("content"))
    if texts is None:
        losses.add(w, "only text content can be carried")
        return None
    answer = m["role"] == "assistant"
    extra_keys(m, {"role", "content", "weight"} if answer else {"role", "content"}, w, TARGET, losses)
    weight = m.get("weight", 1)
    if answer and not (type(weight) is int and weight in (0, 1)):
        losses.add(w, f"weight {weight!r} cannot be carried (a loss weight of 0.0 or 1.0 stands for 0 or 1)")
    trained = answer and weight != 0
    return {"role": m["role"], "content": [{"type": "text", "value": t} for t in texts],
            "loss_weight": 1.0 if trained else 0.0}


def _message_to_pivot(m: object, i: int, losses: Losses) -> dict | None:
    w = where(i, m)
    if not isinstance(m, dict) or m.get("role") not in ROLES:
        losses.add(w, "OpenAI chat takes system, user and assistant turns here")
        return None
    extra_keys(m, {"role", "content", "loss_weight"}, w, "OpenAI chat", losses)
    parts = m.get("content")
    if isinstance(parts, str):
        parts = [{"type": "text", "value": parts}]
    if not (isinstance(parts, list) and parts and all(
            isinstance(p, dict) and p.get("type") == "text" and set(p) == {"type", "value"}
            and isinstance(p["value"], str) for p in parts)):
        losses.add(w, "only text parts can be carried")
        return None
    out = {"role": m["role"], "content": content_from_texts([p["value"] for p in parts])}
    weight = m.get("loss_weight", 1.0 if m["role"] == "assistant" else 0.0)
    if m["role"] == "assistant":
        if weight == 0:
            out["weight"] = 0
        elif weight != 1:
            losses.add(w, f"loss_weight {weight!r} cannot be carried (OpenAI trains an answer fully or not at all)")
    elif weight != 0:
        losses.add(w, f"loss_weight {weight!r} on a {m['role']} turn cannot be carried (OpenAI trains answers only)")
    return out


def _messages(messages: object, convert, losses: Losses, offset: int = 0) -> list | None:
    if not isinstance(messages, list):
        losses.add("", "the messages are not a list")
        return None
    out = [convert(m, offset + i, losses) for i, m in enumerate(messages)]
    return None if None in out else out


def from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        extra_keys(pivot, {"messages"}, "", TARGET, losses)
        messages = _messages(pivot.get("messages"), _message_from_pivot, losses)
        return (None if messages is None else {"messages": messages}), losses
    inp = preference_input(pivot, TARGET, losses)
    extra_keys(inp, {"messages"}, "input", TARGET, losses)
    prompt = _messages(inp.get("messages", []), _message_from_pivot, losses)
    if prompt is None:
        return None, losses
    out = {}
    for key, name in (("preferred_output", "chosen_messages"), ("non_preferred_output", "rejected_messages")):
        answer = _messages(pivot.get(key), _message_from_pivot, losses, len(prompt))
        if not answer:
            losses.add(key, "must be a list of messages")
            return None, losses
        out[name] = prompt + answer
    if out["chosen_messages"][len(prompt)] == out["rejected_messages"][len(prompt)]:
        # The prompt is what the two conversations share: equal first answers would join it.
        losses.add("", "the chosen and rejected answers start alike, so the shared start would take them in")
        return None, losses
    return out, losses


def to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if "messages" in record:
        extra_keys(record, {"messages"}, "", "OpenAI chat", losses)
        messages = _messages(record.get("messages"), _message_to_pivot, losses)
        return (None if messages is None else {"messages": messages}), losses
    extra_keys(record, {"chosen_messages", "rejected_messages"}, "", "OpenAI preference", losses)
    chosen = _messages(record.get("chosen_messages"), _message_to_pivot, losses)
    rejected = _messages(record.get("rejected_messages"), _message_to_pivot, losses)
    if chosen is None or rejected is None:
        return None, losses
    shared = 0
    while shared < min(len(chosen), len(rejected)) and chosen[shared] == rejected[shared]:
        shared += 1
    if shared == len(chosen) or shared == len(rejected):
        losses.add("", "one conversation is the start of the other, so there is no answer to prefer")
        return None, losses
    answers = [[{k: v for k, v in m.items() if k != "weight"} for m in side[shared:]] for side in (chosen, rejected)]
    return {"input": {"messages": chosen[:shared]}, "preferred_output": answers[0],
            "non_preferred_output": answers[1]}, losses


register(Converter("llama-factory-v1", "LLaMA-Factory v1 (typed parts, loss_weight)", to_pivot, from_pivot,
                   provider="llama-factory"))
