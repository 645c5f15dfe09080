"""Alpaca records as LLaMA-Factory reads them.

``{"instruction", "input", "output", "system"?, "history"?: [[user, assistant], ...]}``;
preference: ``"chosen"``/``"rejected"`` strings in place of ``output``. The
user turn is ``instruction`` and ``input`` joined by a newline (LLaMA-Factory's
rule), so a converted chat writes the whole user text as ``instruction``.
Source: hiyouga/LLaMA-Factory data/README.md (alpaca format), read 2026-11-30.
"""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, extra_keys, pivot_kind, preference_input, preference_outputs, register,
    split_chat, text_parts, weight_loss, where,
)

TARGET = "Alpaca"


def _text(m: object, role: str, i: int, losses: Losses) -> str | None:
    w = where(i, m)
    if not isinstance(m, dict) or m.get("role") != role:
        losses.add(w, f"Alpaca needs a {role} message here (user and assistant alternate)")
        return None
    texts = text_parts(m.get("content"))
    if texts is None or len(texts) != 1:
        losses.add(w, "only text content (one string) can be carried")
        return None
    extra_keys(m, {"role", "content", "weight"} if role == "assistant" else {"role", "content"}, w, TARGET, losses)
    if role == "assistant":
        weight_loss(m, w, TARGET, losses)
    return texts[0]


def _fields(record: dict, losses: Losses, with_reply: bool = True) -> dict | None:
    system, rest = split_chat(record, TARGET, losses)
    extra_keys(record, {"messages"}, "", TARGET, losses)
    if len(rest) % 2 != (0 if with_reply else 1) or not rest:
        losses.add("", "Alpaca holds user/assistant pairs" + ("" if with_reply else " and a final user message"))
        return None
    texts = [_text(m, "user" if k % 2 == 0 else "assistant", i, losses) for k, (i, m) in enumerate(rest)]
    if None in texts:
        return None
    out: dict = {}
    if system is not None:
        if len(system) > 1:
            losses.add("message 1 (system)", "several system text parts cannot be carried (one system string)")
        out["system"] = system[0]
    last = len(texts) - (2 if with_reply else 1)
    out["instruction"] = texts[last]
    out["input"] = ""
    if with_reply:
        out["output"] = texts[-1]
    if last:
        out["history"] = [[texts[k], texts[k + 1]] for k in range(0, last, 2)]
    return out


def from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        return _fields(pivot, losses), losses
    out = _fields(preference_input(pivot, TARGET, losses), losses, with_reply=False)
    if out is None:
        return None, losses
    for key, preferred, message in preference_outputs(pivot):
        text = _text(message, "assistant", 0, losses) if message is not None else None
        if text is None:
            losses.add(key, "must be one text assistant message")
            return None, losses
        out["chosen" if preferred else "rejected"] = text
    return out, losses


def to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"instruction", "input", "output", "system", "history", "chosen", "rejected"}, "",
               "OpenAI chat", losses)
    fields = {k: record.get(k, "") for k in ("instruction", "input", "system")}
    if not all(isinstance(v, str) for v in fields.values()):
        losses.add("", "instruction, input and system must be strings")
        return None, losses
    messages: list[dict] = []
    if "system" in record:
        messages.append({"role": "system", "content": fields["system"]})
    for pair in record.get("history") or ():
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            losses.add("history", "must be a list of [user, assistant] string pairs")
            return None, losses
        messages += [{"role": "user", "content": pair[0]}, {"role": "assistant", "content": pair[1]}]
    prompt = fields["instruction"] + ("\n" + fields["input"] if fields["input"] else "")
    messages.append({"role": "user", "content": prompt})
    if "chosen" in record or "rejected" in record:
        outputs = {}
        for name, key in (("chosen", "preferred_output"), ("rejected", "non_preferred_output")):
            if not isinstance(record.get(name), str):
                losses.add(name, "must be a string")
                return None, losses
            outputs[key] = [{"role": "assistant", "content": record[name]}]
        return {"input": {"messages": messages}, **outputs}, losses
    if not isinstance(record.get("output"), str):
        losses.add("output", "must be a string")
        return None, losses
    messages.append({"role": "assistant", "content": record["output"]})
    return {"messages": messages}, losses


register(Converter("alpaca", "Alpaca (LLaMA-Factory)", to_pivot, from_pivot, provider="llama-factory",
                   claims=lambda r: "instruction" in r),
         aliases=("llama-factory-alpaca",))
