"""The dataset formats of open trainers (TRL, Axolotl, Unsloth, LLaMA-Factory), declared to the format registry.

Each format is detected by its keys and has a JSON Schema under
rules/schemas/. :func:`conversation` reads any of them (and OpenAI chat) as the
OpenAI-style message list a chat template renders, with the field names and
role tags of the user's trainer config (:mod:`ftlint.trainer_config`) when one
is given, else the trainer's defaults.

Shapes that equal an existing format are that format: TRL's conversational
language modeling (``messages``) is chat, TRL's standard prompt-completion is
the prompt/completion format.
"""

from __future__ import annotations

import json

from ftlint import formats as fmts
from ftlint.formats import DPO, SUPERVISED, Format, register
from ftlint.trainer_config import (
    ALPACA_DEFAULTS, ASSISTANT, AXOLOTL_DEFAULTS, SHAREGPT_DEFAULTS, SYSTEM, TOOL_CALL, TOOL_RESULT, USER,
    DatasetMapping,
)

TRL_TEXT = "trl-text"
TRL_PROMPT_COMPLETION = "trl-prompt-completion"
TRL_PREFERENCE = "trl-preference"
TRL_UNPAIRED = "trl-unpaired-preference"
SHAREGPT = "sharegpt"
SHAREGPT_PREFERENCE = "sharegpt-preference"
ALPACA = "alpaca"
LF_V1 = "llama-factory-v1"
LF_KTO = "llama-factory-kto"

#: Formats whose examples are conversations a chat template renders.
CONVERSATIONAL = (fmts.CHAT, TRL_PROMPT_COMPLETION, TRL_PREFERENCE, TRL_UNPAIRED, SHAREGPT, SHAREGPT_PREFERENCE,
                  ALPACA, LF_V1, LF_KTO)
#: Formats whose examples are lists of role-tagged turns (what a trainer config's tags describe).
CHAT_LIKE = (fmts.CHAT, SHAREGPT, SHAREGPT_PREFERENCE, LF_KTO)
TRAINER_FORMATS = (TRL_TEXT, TRL_PROMPT_COMPLETION, TRL_PREFERENCE, TRL_UNPAIRED, SHAREGPT, SHAREGPT_PREFERENCE,
                   ALPACA, LF_V1, LF_KTO)


def _last(items):
    return items[-1] if isinstance(items, list) and items else None


def _head(items):
    return items[:-1] if isinstance(items, list) else None


def _v1_detect(obj: dict) -> bool:
    if "chosen_messages" in obj and "rejected_messages" in obj:
        return True
    messages = obj.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    return isinstance(first, dict) and "loss_weight" in first


def _v1_split(d: dict):
    messages = d.get("messages") if "messages" in d else d.get("chosen_messages")
    return _head(messages), _last(messages)


def _counted(fmt: str):
    """Format.counted_as of a trainer format: its prompt and trained target as an OpenAI record (counting_record)."""
    return lambda d: counting_record(fmt, d)


register(Format(
    LF_V1, "LLaMA-Factory v1 (typed parts, loss_weight)", _v1_detect, schema="llama-factory-v1.schema.json",
    split=_v1_split, precedence=80, value_keys=("messages", "chosen_messages"),
    counted_as=_counted(LF_V1),
    # One format for SFT (messages) and DPO (chosen_messages/rejected_messages) records: a file whose first
    # records include a pair is linted as DPO (ftlint.method), as LLaMA-Factory trains it with stage: dpo.
    methods=(SUPERVISED, DPO), preference_record=lambda record: "chosen_messages" in record,
))
register(Format(
    LF_KTO, "messages with a KTO label (LLaMA-Factory)",
    lambda obj: "messages" in obj and isinstance(obj.get("label"), bool),
    split=lambda d: (_head(d.get("messages")), _last(d.get("messages"))), method=DPO, methods=(DPO,), precedence=85,
    value_keys=("label",),
    counted_as=_counted(LF_KTO),
))
register(Format(
    SHAREGPT_PREFERENCE, "ShareGPT preference (conversations + chosen/rejected)",
    lambda obj: "conversations" in obj and "chosen" in obj and "rejected" in obj, schema="sharegpt.schema.json",
    split=lambda d: (d.get("conversations"), d.get("chosen")), method=DPO, methods=(DPO,), precedence=85,
    counted_as=_counted(SHAREGPT_PREFERENCE),
))
register(Format(
    SHAREGPT, "ShareGPT (conversations of from/value)", lambda obj: "conversations" in obj,
    schema="sharegpt.schema.json",
    # The input is every other column too (system, tools, images): the same question with other tools offered
    # is another input, as for OpenAI chat.
    split=lambda d: (({k: v for k, v in d.items() if k != "conversations"}, _head(d.get("conversations"))),
                     _last(d.get("conversations"))), precedence=90,
    counted_as=_counted(SHAREGPT),
))
register(Format(
    ALPACA, "Alpaca (instruction/input/output)", lambda obj: "instruction" in obj, schema="alpaca.schema.json",
    split=lambda d: ((d.get("system"), d.get("history"), d.get("instruction"), d.get("input")), d.get("output")),
    precedence=90,
    counted_as=_counted(ALPACA),
))
# TRL's language modeling and Together AI's "generic text" format: one string, no roles,
# nothing that is input rather than target (so no input to conflict on: split's input is None).
register(Format(
    TRL_TEXT, "language modeling (text)", lambda obj: "text" in obj and "messages" not in obj,
    schema="trl-language-modeling.schema.json", split=lambda d: (None, d.get("text")), precedence=90,
    counted_as=_counted(TRL_TEXT),
))
register(Format(
    TRL_PREFERENCE, "preference (prompt/chosen/rejected)", lambda obj: "chosen" in obj and "rejected" in obj,
    schema="trl-preference.schema.json", split=lambda d: (d.get("prompt"), d.get("chosen")),
    method=DPO, methods=(DPO,), precedence=105,
    counted_as=_counted(TRL_PREFERENCE),
))
register(Format(
    TRL_UNPAIRED, "unpaired preference (prompt/completion/label)",
    lambda obj: "completion" in obj and isinstance(obj.get("label"), bool), schema="trl-unpaired-preference.schema.json",
    split=lambda d: (d.get("prompt"), d.get("completion")), method=DPO, methods=(DPO,), precedence=106,
    value_keys=("label",),
    counted_as=_counted(TRL_UNPAIRED),
))
register(Format(
    TRL_PROMPT_COMPLETION, "prompt/completion (message lists)",
    lambda obj: isinstance(obj.get("prompt"), list) and "completion" in obj,
    schema="trl-prompt-completion.schema.json", split=lambda d: (d.get("prompt"), d.get("completion")),
    precedence=107, value_keys=("prompt",),
    counted_as=_counted(TRL_PROMPT_COMPLETION),
))


# -- reading any of them as OpenAI-style messages ---------------------------------


def default_mapping(fmt: str | None) -> DatasetMapping | None:
    if fmt in (SHAREGPT, SHAREGPT_PREFERENCE):
        return SHAREGPT_DEFAULTS
    if fmt == ALPACA:
        return ALPACA_DEFAULTS
    return None


def _as_messages(value, role: str) -> list | None:
    if isinstance(value, str):
        return [{"role": role, "content": value}]
    if isinstance(value, list) and all(isinstance(m, dict) for m in value):
        return value
    return None


def _tools(value) -> list | None:
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, list):
        return [t if isinstance(t, dict) and "function" in t else {"type": "function", "function": t}
                for t in value if isinstance(t, dict)]
    return None


def _tool_call(value, first_id: int = 0) -> dict:
    """A LLaMA-Factory function_call turn (a JSON object, or a list of them) as an OpenAI assistant message;
    call ids are numbered from ``first_id`` (the data has none; a conversation's ids must differ)."""
    try:
        calls = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return {"role": "assistant", "content": value}
    calls = calls if isinstance(calls, list) else [calls]
    out = []
    for call in calls:
        if isinstance(call, dict):
            out.append({"id": f"call{first_id + len(out):05d}", "type": "function",
                        "function": {"name": call.get("name"), "arguments": call.get("arguments", {})}})
    return {"role": "assistant", "content": None, "tool_calls": out} if out else {"role": "assistant", "content": value}


def _parts_text(content):
    if isinstance(content, list):
        texts = [p.get("value", p.get("text")) for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "".join(t for t in texts if isinstance(t, str))
    return content


def _v1_text(messages):
    if not isinstance(messages, list):
        return messages
    return [{**m, "content": _parts_text(m.get("content"))} if isinstance(m, dict) else m for m in messages]


def mapped_turns(turns: list, mapping: DatasetMapping) -> list | None:
    """Turns of (role key, content key) with role tags, as OpenAI messages; None when not a list of objects."""
    if not isinstance(turns, list) or not all(isinstance(t, dict) for t in turns):
        return None
    out, calls, answered = [], [], 0  # the calls made so far, and how many a result has answered
    for turn in turns:
        tag = turn.get(mapping.role_key)
        role = mapping.roles.get(tag) if isinstance(tag, str) else None  # a list or object tags nothing
        content = turn.get(mapping.content_key)
        if role == TOOL_CALL:
            message = _tool_call(content, len(calls))
            calls += [c["id"] for c in message.get("tool_calls") or ()]
            out.append(message)
        elif role == TOOL_RESULT:  # answers the oldest call not answered yet, as the trainer pairs them
            result = {"role": "tool", "content": content}
            if answered < len(calls):
                result["tool_call_id"] = calls[answered]
                answered += 1
            out.append(result)
        else:
            out.append({"role": role or str(turn.get(mapping.role_key)), "content": content})
    return out


def conversation(example, mapping: DatasetMapping | None = None) -> tuple[list, list | None] | None:
    """(messages, tools) of a conversational example in OpenAI shape, or None when it is not one.

    For preference formats the conversation is the prompt and the chosen answer.
    """
    return conversation_of(example.data, example.format, mapping)


def conversation_of(d: dict, fmt: str | None, mapping: DatasetMapping | None = None) -> tuple[list, list | None] | None:
    """:func:`conversation` of a record ``d`` read as format ``fmt``."""
    if fmt in (fmts.CHAT, LF_KTO):
        if mapping is not None and mapping.formatting in ("sharegpt", "chat_template"):
            messages = mapped_turns(d.get(mapping.messages), mapping)
        else:
            messages = d.get("messages")
        tools = _tools(d.get(mapping.tools if mapping is not None and mapping.tools else "tools"))
    elif fmt == LF_V1:  # LLaMA-Factory joins the text parts before applying the template
        messages, tools = _v1_text(d.get("messages") or d.get("chosen_messages")), None
    elif fmt in (SHAREGPT, SHAREGPT_PREFERENCE):
        mapping = mapping or SHAREGPT_DEFAULTS
        messages = mapped_turns(d.get(mapping.messages), mapping)
        if messages is not None and fmt == SHAREGPT_PREFERENCE:
            messages = messages + (mapped_turns([d.get(mapping.chosen or "chosen")], mapping) or [])
        system = d.get(mapping.system or "system")
        if messages is not None and isinstance(system, str) and system:
            messages = [{"role": SYSTEM, "content": system}, *messages]
        tools = _tools(d.get(mapping.tools or "tools"))
    elif fmt == ALPACA:
        mapping = mapping or ALPACA_DEFAULTS
        messages = _alpaca(d, mapping)
        tools = None
    elif fmt in (TRL_PREFERENCE, TRL_UNPAIRED, TRL_PROMPT_COMPLETION):
        answer = d.get("chosen") if fmt == TRL_PREFERENCE else d.get("completion")
        prompt = _as_messages(d.get("prompt"), USER) if "prompt" in d else []
        reply = _as_messages(answer, ASSISTANT)
        messages = None if prompt is None or reply is None else [*prompt, *reply]
        tools = _tools(d.get("tools"))
    else:
        return None
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        return None
    return messages, tools


# -- what the trainer trains on, for token counts ------------------------------------


def _implicit_prompt(chosen, rejected):
    """(prompt, chosen, rejected) with the shared start moved to the prompt, as TRL's extract_prompt does."""
    n = 0
    for n in range(min(len(chosen), len(rejected))):
        if chosen[n] != rejected[n]:
            if isinstance(chosen, str) and n and chosen[n - 1] == " ":  # the answer keeps its leading space
                n -= 1
            break
    else:
        n = min(len(chosen), len(rejected))
    return chosen[:n], chosen[n:], rejected[n:]


def preference_parts(d: dict, fmt: str | None, mapping: DatasetMapping | None = None):
    """(prompt messages, chosen messages, rejected messages, tools) of a preference record, or None."""
    if fmt == TRL_PREFERENCE:
        chosen, rejected = d.get("chosen"), d.get("rejected")
        if "prompt" in d:
            prompt = d.get("prompt")
        elif type(chosen) is type(rejected) and isinstance(chosen, (str, list)):
            prompt, chosen, rejected = _implicit_prompt(chosen, rejected)
        else:
            return None
        prompt = _as_messages(prompt, USER) if prompt != "" else []
        chosen, rejected = _as_messages(chosen, ASSISTANT), _as_messages(rejected, ASSISTANT)
        tools = _tools(d.get("tools"))
    elif fmt == LF_V1:  # chosen_messages/rejected_messages: whole conversations sharing their start
        chosen, rejected = _v1_text(d.get("chosen_messages")), _v1_text(d.get("rejected_messages"))
        if not (isinstance(chosen, list) and isinstance(rejected, list)):
            return None
        prompt, chosen, rejected = _implicit_prompt(chosen, rejected)
        tools = None
    elif fmt == SHAREGPT_PREFERENCE:
        mapping = mapping or SHAREGPT_DEFAULTS
        conv = conversation_of({k: v for k, v in d.items() if k != (mapping.chosen or "chosen")}, SHAREGPT, mapping)
        prompt, tools = conv if conv is not None else (None, None)
        chosen = mapped_turns([d.get(mapping.chosen or "chosen")], mapping)
        rejected = mapped_turns([d.get(mapping.rejected or "rejected")], mapping)
    else:
        return None
    if prompt is None or chosen is None or rejected is None:
        return None
    return prompt, chosen, rejected, tools


def _for_counting(messages: list, trained: bool = True) -> list:
    """Messages as the token counter takes them (tool-call arguments as JSON text);
    ``trained=False`` marks the assistant turns of a prompt untrained (context the trainer masks)."""
    out = []
    for m in messages:
        if not isinstance(m, dict):
            continue
        m = {k: v for k, v in m.items() if k != "loss_weight"}
        if isinstance(m.get("tool_calls"), list):
            m["tool_calls"] = [_call_with_text_arguments(c) for c in m["tool_calls"]]
        if not trained and m.get("role") == ASSISTANT:
            m["weight"] = 0
        out.append(m)
    return out


def _call_with_text_arguments(call):
    function = call.get("function") if isinstance(call, dict) else None
    if isinstance(function, dict) and not isinstance(function.get("arguments"), str) and "arguments" in function:
        arguments = json.dumps(function["arguments"], ensure_ascii=False)
        return {**call, "function": {**function, "arguments": arguments}}
    return call


def counting_record(fmt: str | None, d: dict, mapping: DatasetMapping | None = None) -> tuple[str | None, object]:
    """(format, record) to count a trainer-format record as: its prompt and trained target in OpenAI shape.

    Language-modeling text is one trained completion; preference data is an
    OpenAI DPO record (input, chosen, rejected); everything else is a chat
    whose assistant turns are what the trainer trains on (prompt turns of
    prompt-completion data are marked untrained, loss_weight 0 turns too).
    """
    if fmt == TRL_TEXT:
        text = d.get("text")
        return fmts.COMPLETION, {"prompt": "", "completion": text if isinstance(text, str) else ""}
    if fmt in (TRL_PREFERENCE, SHAREGPT_PREFERENCE) or (fmt == LF_V1 and "chosen_messages" in d):
        parts = preference_parts(d, fmt, mapping)
        if parts is None:
            return None, d
        prompt, chosen, rejected, tools = parts
        source = {"messages": _for_counting(prompt, trained=False)}
        if tools:
            source["tools"] = tools
        return fmts.PREFERENCE, {"input": source, "preferred_output": _for_counting(chosen),
                                 "non_preferred_output": _for_counting(rejected)}
    if fmt in (TRL_PROMPT_COMPLETION, TRL_UNPAIRED):
        prompt = _as_messages(d.get("prompt"), USER) if "prompt" in d else []
        reply = _as_messages(d.get("completion"), ASSISTANT)
        if prompt is None or reply is None:
            return None, d
        messages = [*_for_counting(prompt, trained=False), *_for_counting(reply)]
        tools = _tools(d.get("tools"))
    else:
        conv = conversation_of(d, fmt, mapping)
        if conv is None:
            return None, d
        messages, tools = _for_counting(conv[0]), conv[1]
        if fmt == LF_V1:
            messages = [{**m, "weight": 0} if _zero_loss(src) else m for m, src in zip(messages, _v1_messages(d))]
    record = {"messages": messages}
    if tools:
        record["tools"] = tools
    return fmts.CHAT, record


def _v1_messages(d: dict) -> list:
    messages = d.get("messages") or d.get("chosen_messages")
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


def _zero_loss(message: dict) -> bool:
    weight = message.get("loss_weight")
    return isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight == 0


#: (from format, to format) -> how to convert, for FT914's message.
CONVERSIONS = {
    (SHAREGPT, fmts.CHAT): "convert it to messages: from/value -> role/content, human -> user, gpt -> assistant "
                           "(Unsloth's standardize_sharegpt does this), or point Axolotl's message_property_mappings at it",
    (ALPACA, fmts.CHAT): "convert it to messages: system, then user = instruction + newline + input, "
                         "assistant = output",
    (fmts.PREFERENCE, TRL_PREFERENCE): "convert it to TRL's conversational preference: prompt = input.messages, "
                                       "chosen = preferred_output, rejected = non_preferred_output",
    (TRL_PREFERENCE, fmts.PREFERENCE): "convert it to OpenAI's DPO format: input.messages = prompt, "
                                       "preferred_output = [chosen], non_preferred_output = [rejected]",
    (SHAREGPT_PREFERENCE, TRL_PREFERENCE): "convert it to TRL's preference format: prompt = conversations, "
                                           "chosen = [chosen], rejected = [rejected] (as role/content messages)",
    (LF_V1, fmts.CHAT): "convert it with ftlint --convert-to chat -o OUT (text parts as text, loss_weight 0 "
                        "answers as weight 0)",
    (LF_V1, fmts.PREFERENCE): "convert it with ftlint --convert-to preference -o OUT (the conversations' shared "
                              "start is the prompt)",
    (TRL_TEXT, fmts.CHAT): "language-modeling text has no roles: wrap each text as a user/assistant exchange, "
                           "or train with a trainer that takes raw text",
}


def conversion_hint(fmt: str, takes) -> str:
    """How to turn ``fmt`` into one of the formats in ``takes``, when a mapping is known."""
    for target in takes:
        hint = CONVERSIONS.get((fmt, target))
        if hint:
            return hint
    return ""


def declared_mapping(ctx) -> DatasetMapping | None:
    """The --trainer-config entry that names this file, or None (looked up once per file)."""
    cached = ctx.shared.get("_trainer_mapping")
    if cached is None:
        from ftlint import trainer_config

        config = ctx.run.options.get("trainer_config")
        declared = trainer_config.mapping_for(config, ctx.source_name) if config else None
        cached = ctx.shared["_trainer_mapping"] = (declared,)
    return cached[0]


def mapping_of(ctx, fmt: str | None) -> DatasetMapping | None:
    """How the trainer reads this file: the --trainer-config entry naming it, else the format's defaults."""
    declared = declared_mapping(ctx)
    if declared is not None:
        return declared
    provider = getattr(ctx.run, "provider", None)
    if fmt == fmts.CHAT and getattr(provider, "id", None) == "axolotl":
        return AXOLOTL_DEFAULTS
    return default_mapping(fmt)


def turns_of(example, mapping: DatasetMapping | None) -> list | None:
    """The example's list of role-tagged turns as the mapping names it, or None."""
    if mapping is None:
        return None
    turns = example.data.get(mapping.messages)
    return turns if isinstance(turns, list) else None


def _alpaca(d: dict, mapping: DatasetMapping) -> list | None:
    """As LLaMA-Factory builds it: system, history pairs, then instruction and input joined by a newline."""
    instruction, query, output = d.get(mapping.prompt), d.get(mapping.query), d.get(mapping.response)
    if not isinstance(instruction, str):
        return None
    messages = []
    system = d.get(mapping.system or "system")
    if isinstance(system, str) and system:
        messages.append({"role": SYSTEM, "content": system})
    history = d.get(mapping.history or "history")
    for pair in history if isinstance(history, list) else ():
        if isinstance(pair, list) and len(pair) == 2:
            messages += [{"role": USER, "content": pair[0]}, {"role": ASSISTANT, "content": pair[1]}]
    prompt = "\n".join(p for p in (instruction, query) if isinstance(p, str) and p)
    messages.append({"role": USER, "content": prompt})
    if isinstance(output, list):  # ranking data: the first output is the chosen one
        output = output[0] if output else None
    messages.append({"role": ASSISTANT, "content": output if isinstance(output, str) else d.get("chosen")})
    return messages




# -- reading a file with the names the user's trainer config declares --------------


class TrainerReading(fmts.Reading):
    """A file named by a --trainer-config entry: detected and counted with its columns and tags.

    A record with the declared conversation column is in the format the entry's
    ``formatting`` names (a column other than ``messages`` is role-tagged turns,
    read as ShareGPT is; ``messages`` keeps its key-based format: chat, KTO,
    LLaMA-Factory v1); a record without it is detected by its keys, so FT911
    names the missing column.
    """

    def __init__(self, mapping: DatasetMapping):
        self.mapping = mapping

    def declared_format(self, obj: dict) -> str | None:
        m = self.mapping
        if m.formatting == "alpaca":
            return ALPACA if m.prompt in obj else None
        if not isinstance(obj.get(m.messages), list):
            return None
        if m.chosen and m.rejected and m.chosen in obj and m.rejected in obj:
            return SHAREGPT_PREFERENCE
        return None if m.messages == "messages" else SHAREGPT

    def detect(self, obj: dict) -> str | None:
        declared = self.declared_format(obj)
        return declared if declared is not None else fmts.record_format(obj)

    def counted_as(self, fmt: str | None, data: dict) -> tuple[str | None, object]:
        if fmt in TRAINER_FORMATS or (fmt in CHAT_LIKE and not _openai_shaped(self.mapping)):
            return counting_record(fmt, data, self.mapping)
        return super().counted_as(fmt, data)


def _openai_shaped(mapping: DatasetMapping) -> bool:
    """Whether the mapping reads OpenAI messages as they are (role/content keys, role values as named)."""
    return (mapping.messages, mapping.role_key, mapping.content_key) == ("messages", "role", "content") and all(
        tag == role for tag, role in mapping.roles.items() if role in (USER, ASSISTANT, SYSTEM))


def _reading(ctx) -> TrainerReading | None:
    declared = declared_mapping(ctx)
    return TrainerReading(declared) if declared is not None else None


fmts.register_reading_hook(_reading)
