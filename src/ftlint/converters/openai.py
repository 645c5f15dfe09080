"""OpenAI's own formats: chat and preference are the pivot; legacy prompt/completion maps to one exchange."""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, extra_keys, pivot_kind, register, text_parts, where,
)


def _chat_to_pivot(record: dict) -> tuple[dict | None, Losses]:
    return record, Losses()


def _chat_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        return pivot, losses
    losses.add("", "the non-preferred output cannot be carried (chat data has one reply); the preferred one is kept")
    inp = pivot.get("input") if isinstance(pivot.get("input"), dict) else {}
    preferred = pivot.get("preferred_output") if isinstance(pivot.get("preferred_output"), list) else []
    messages = inp.get("messages") if isinstance(inp.get("messages"), list) else []
    return {**inp, "messages": [*messages, *preferred]}, losses


def _preference_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) != CHAT_PIVOT:
        return pivot, losses
    losses.add("", "a chat example has no non-preferred output, so it makes no preference pair")
    return None, losses


def _completion_to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"prompt", "completion"}, "", "chat", losses)
    prompt, completion = record.get("prompt"), record.get("completion")
    if not isinstance(prompt, str) or not isinstance(completion, str):
        losses.add("", "prompt and completion must both be strings to become chat messages")
        return None, losses
    return {"messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": completion}]}, losses


def _completion_from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) != CHAT_PIVOT:
        losses.add("", "a preference pair has no prompt/completion form")
        return None, losses
    extra_keys(pivot, {"messages"}, "", "prompt/completion", losses)
    messages = pivot.get("messages")
    if not isinstance(messages, list) or len(messages) != 2:
        losses.add("", "only one user message and one assistant reply make a prompt/completion pair")
        return None, losses
    texts = [text_parts(m.get("content")) if isinstance(m, dict) else None for m in messages]
    roles = [m.get("role") if isinstance(m, dict) else None for m in messages]
    if roles != ["user", "assistant"] or None in texts or any(len(t) != 1 for t in texts):
        losses.add("", "only a text user message and a text assistant reply make a prompt/completion pair")
        return None, losses
    for i, m in enumerate(messages):
        extra_keys(m, {"role", "content"}, where(i, m), "prompt/completion", losses)
    return {"prompt": texts[0][0], "completion": texts[1][0]}, losses


register(Converter("chat", "OpenAI chat", _chat_to_pivot, _chat_from_pivot, provider="openai"),
         aliases=("openai-chat", "openai"))
register(Converter("preference", "OpenAI preference (DPO)", _chat_to_pivot, _preference_from_pivot, provider="openai"),
         aliases=("openai-dpo", "dpo"))
register(Converter("completion", "prompt/completion (legacy)", _completion_to_pivot, _completion_from_pivot),
         aliases=("openai-completion",))
