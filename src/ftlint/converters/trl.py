"""Hugging Face TRL's dataset types (huggingface.co/docs/trl/dataset_formats, read 2026-11-30).

Conversational ``{"messages"}`` is OpenAI chat without per-message weights;
prompt/completion ``{"prompt": [messages], "completion": [assistant]}`` trains
the completion only; preference ``{"prompt": [messages], "chosen": [...],
"rejected": [...]}``. Standard (string) prompt/completion is the legacy
completion format (``--convert-to completion``).
"""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, extra_keys, pivot_kind, register, weight_loss, where,
)
from ftlint.formats import last_assistant_index

TARGET = "TRL"


def _messages_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) != CHAT_PIVOT:
        losses.add("", "a preference pair is not a messages example (use --convert-to trl-preference)")
        return None, losses
    extra_keys(pivot, {"messages", "tools"}, "", TARGET, losses)
    messages = pivot.get("messages") if isinstance(pivot.get("messages"), list) else []
    out = []
    for i, m in enumerate(messages):
        if isinstance(m, dict) and "weight" in m:
            weight_loss(m, where(i, m), TARGET, losses)
            m = {k: v for k, v in m.items() if k != "weight"}
        out.append(m)
    return {**pivot, "messages": out}, losses


def _messages_to_pivot(record: dict) -> tuple[dict | None, Losses]:
    return record, Losses()


def _prompt_completion_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) != CHAT_PIVOT:
        losses.add("", "a preference pair is not a prompt/completion example (use --convert-to trl-preference)")
        return None, losses
    extra_keys(pivot, {"messages", "tools"}, "", TARGET, losses)
    messages = pivot.get("messages") if isinstance(pivot.get("messages"), list) else []
    last = last_assistant_index(messages)
    if last is None or last != len(messages) - 1:
        losses.add("", "the example must end with the assistant reply that becomes the completion")
        return None, losses
    prompt = []
    for i, m in enumerate(messages[:last]):
        if m.get("role") == "assistant":
            if m.get("weight") != 0:
                losses.add(where(i, m), "an earlier assistant turn would not be trained (TRL trains the completion only)")
            m = {k: v for k, v in m.items() if k != "weight"}
        prompt.append(m)
    reply = messages[last]
    weight_loss(reply, where(last, reply), TARGET, losses)
    out = {"prompt": prompt, "completion": [{k: v for k, v in reply.items() if k != "weight"}]}
    if "tools" in pivot:
        out["tools"] = pivot["tools"]
    return out, losses


def _prompt_completion_to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"prompt", "completion", "tools"}, "", "OpenAI chat", losses)
    prompt, completion = record.get("prompt"), record.get("completion")
    if not isinstance(prompt, list) or not isinstance(completion, list):
        losses.add("", "conversational prompt and completion are lists of messages")
        return None, losses
    # Assistant turns in the prompt are context, not trained: weight 0 says so in OpenAI chat.
    messages = [{**m, "weight": 0} if isinstance(m, dict) and m.get("role") == "assistant" else m for m in prompt]
    out = {"messages": messages + completion}
    if "tools" in record:
        out["tools"] = record["tools"]
    return out, losses


def _preference_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        losses.add("", "a chat example has no rejected output, so it makes no preference pair")
        return None, losses
    extra_keys(pivot, {"input", "preferred_output", "non_preferred_output"}, "", TARGET, losses)
    inp = pivot.get("input") if isinstance(pivot.get("input"), dict) else {}
    extra_keys(inp, {"messages", "tools"}, "input", TARGET, losses)
    out = {"prompt": inp.get("messages", []), "chosen": pivot.get("preferred_output"),
           "rejected": pivot.get("non_preferred_output")}
    if "tools" in inp:
        out["tools"] = inp["tools"]
    return out, losses


def _preference_to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"prompt", "chosen", "rejected", "tools"}, "", "OpenAI preference", losses)
    prompt = record.get("prompt")
    if not isinstance(prompt, list):
        losses.add("prompt", "an implicit or string prompt cannot be carried (conversational prompts only)")
        return None, losses
    inp = {"messages": prompt}
    if "tools" in record:
        inp["tools"] = record["tools"]
    return {"input": inp, "preferred_output": record.get("chosen"),
            "non_preferred_output": record.get("rejected")}, losses


register(Converter("trl-messages", "TRL conversational (messages)", _messages_to_pivot, _messages_from_pivot,
                   provider="trl"))
register(Converter("trl-prompt-completion", "TRL conversational prompt/completion", _prompt_completion_to_pivot,
                   _prompt_completion_from_pivot, provider="trl",
                   claims=lambda r: type(r.get("prompt")) is list and type(r.get("completion")) is list))
register(Converter("trl-preference", "TRL conversational preference", _preference_to_pivot, _preference_from_pivot,
                   provider="trl", claims=lambda r: "chosen" in r and "rejected" in r and "prompt" in r),
         aliases=("trl-dpo",))
