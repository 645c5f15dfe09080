"""Amazon Bedrock Nova records: ``bedrock-conversation-2024``.

``{"schemaVersion", "system"?: [{text}], "messages": [{role: user|assistant,
content: [...]}], "toolConfig"?: {"tools": [{"toolSpec": {...}}]}}``; content
blocks ``text``, ``image``/``video``/``document`` from s3:// URIs,
``toolUse``/``toolResult``, ``reasoningContent``. Preference (DPO): the last
message is ``{"role": "assistant", "candidates": [{"content", "preferenceLabel":
"preferred"|"non-preferred"}]}``.
Source: aws-samples/amazon-bedrock-samples nova_ft_dataset_validator.py;
docs.aws.amazon.com/nova/latest/userguide/fine-tune-prepare-data-understanding.html (read 2026-11-30).
"""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, content_from_texts, dump_arguments, extra_keys, function_tools, pivot_kind,
    preference_input, preference_outputs, register, split_chat, target_parts, turns_from_pivot,
)
from ftlint.converters._media import IMAGE_TYPES, extension, scheme, shown_url

TARGET = "Bedrock"
SCHEMA_VERSION = "bedrock-conversation-2024"
MEDIA_SCHEME = "s3:"
#: Nova's image formats by file extension (jpg is written jpeg).
IMAGE_FORMATS = {ext: mime.split("/")[1] for ext, mime in IMAGE_TYPES.items()}


# -- OpenAI -> Bedrock --------------------------------------------------------------


def _image(url: str, where_: str, losses: Losses) -> dict | None:
    fmt = IMAGE_FORMATS.get(extension(url) or "")
    if scheme(url) != MEDIA_SCHEME:
        losses.add(where_, f"image {shown_url(url)!r} cannot be carried (Bedrock reads images from s3:// URIs only)")
    elif fmt is None:
        losses.add(where_, f"image {shown_url(url)!r} has no jpeg, png, gif or webp file extension")
    else:
        return {"image": {"format": fmt, "source": {"s3Location": {"uri": url}}}}
    return None


def _blocks(message: dict, where_: str, losses: Losses) -> list:
    return target_parts(message, where_, TARGET, losses, _image)


def _messages(indexed: list, losses: Losses) -> list:
    return turns_from_pivot(
        indexed, TARGET, losses, assistant_role="assistant", content_key="content", parts=_blocks,
        call_part=lambda call_id, name, args: {"toolUse": {"toolUseId": call_id, "name": name, "input": args}},
        result_part=lambda call_id, name, texts: {
            "toolResult": {"toolUseId": call_id, "content": [{"text": t} for t in texts]}},
    )


def _tool_config(tools: object, losses: Losses) -> dict | None:
    specs = []
    for fn in function_tools(tools, TARGET, losses):
        spec = {k: fn[k] for k in ("name", "description") if k in fn}
        if "parameters" in fn:
            spec["inputSchema"] = {"json": fn["parameters"]}
        specs.append({"toolSpec": spec})
    return {"tools": specs} if specs else None


def _chat_from_pivot(record: dict, losses: Losses) -> dict:
    system, rest = split_chat(record, TARGET, losses)
    extra_keys(record, {"messages", "tools"}, "", TARGET, losses)
    out: dict = {"schemaVersion": SCHEMA_VERSION}
    if system is not None:
        out["system"] = [{"text": t} for t in system]
    out["messages"] = _messages(rest, losses)
    config = _tool_config(record.get("tools"), losses)
    if config is not None:
        out["toolConfig"] = config
    return out


def from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        return _chat_from_pivot(pivot, losses), losses
    out = _chat_from_pivot(preference_input(pivot, TARGET, losses), losses)
    candidates = []
    for key, preferred, message in preference_outputs(pivot):
        if message is None:
            losses.add(key, "must be one assistant message to become a Bedrock candidate")
            continue
        turn = _messages([(0, message)], losses)
        if turn:
            label = "preferred" if preferred else "non-preferred"
            candidates.append({"content": turn[0]["content"], "preferenceLabel": label})
    out["messages"].append({"role": "assistant", "candidates": candidates})
    return out, losses


# -- Bedrock -> OpenAI --------------------------------------------------------------


def _pivot_messages(messages: object, losses: Losses) -> tuple[list, list | None]:
    """(pivot messages, the DPO candidates of a final candidates message or None)."""
    out: list[dict] = []
    candidates = None
    items = messages if isinstance(messages, list) else []
    for i, m in enumerate(items):
        w = f"messages[{i}]"
        if not isinstance(m, dict):
            losses.add(w, "is not an object")
            continue
        if "candidates" in m and i == len(items) - 1:
            extra_keys(m, {"role", "candidates"}, w, "OpenAI chat", losses)
            candidates = m["candidates"] if isinstance(m["candidates"], list) else []
            continue
        extra_keys(m, {"role", "content"}, w, "OpenAI chat", losses)
        out.extend(_pivot_turn(m.get("role"), m.get("content"), w, losses))
    return out, candidates


def _pivot_turn(role: object, content: object, w: str, losses: Losses) -> list:
    parts, calls, results = [], [], []
    for block in content if isinstance(content, list) else []:
        if not isinstance(block, dict) or len(block) != 1:
            losses.add(w, "a content block must hold exactly one kind")
            continue
        (kind, value), = block.items()
        if kind == "text" and isinstance(value, str):
            parts.append({"type": "text", "text": value})
        elif kind == "image" and isinstance(value, dict):
            source = value.get("source") if isinstance(value.get("source"), dict) else {}
            location = source.get("s3Location") if isinstance(source.get("s3Location"), dict) else {}
            uri = location.get("uri")
            if not isinstance(uri, str):
                losses.add(w, "an image without source.s3Location.uri cannot be carried")
                continue
            if set(location) != {"uri"} or set(source) != {"s3Location"} or set(value) != {"format", "source"} \
                    or IMAGE_FORMATS.get(extension(uri) or "") != value.get("format"):
                losses.add(w, "the image's format or bucketOwner does not follow from its URI, so it cannot be carried")
            parts.append({"type": "image_url", "image_url": {"url": uri}})
        elif kind == "toolUse" and isinstance(value, dict) and isinstance(value.get("name"), str):
            extra_keys(value, {"toolUseId", "name", "input"}, w, "OpenAI chat", losses)
            calls.append({"id": str(value.get("toolUseId")), "type": "function",
                          "function": {"name": value["name"], "arguments": dump_arguments(value.get("input", {}))}})
        elif kind == "toolResult" and isinstance(value, dict):
            extra_keys(value, {"toolUseId", "content"}, w, "OpenAI chat", losses)
            texts = [b.get("text") for b in value.get("content") or () if isinstance(b, dict)]
            if not texts or not all(isinstance(t, str) for t in texts):
                losses.add(w, "a toolResult without text content cannot be carried")
                continue
            results.append({"role": "tool", "tool_call_id": str(value.get("toolUseId")),
                            "content": content_from_texts(texts)})
        else:
            losses.add(w, f"a {kind} block cannot be carried (OpenAI chat has no equivalent)")
    content_value = _content(parts)
    if role == "assistant":
        m: dict = {"role": "assistant"}
        if parts or not calls:
            m["content"] = content_value
        if calls:
            m["tool_calls"] = calls
        return [m]
    if role == "user":
        return results + ([{"role": "user", "content": content_value}] if parts or not results else [])
    losses.add(w, f"role {role!r} is not user or assistant")
    return []


def _content(parts: list) -> str | list:
    if parts and all(p["type"] == "text" for p in parts):
        return content_from_texts([p["text"] for p in parts])
    return parts


def to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    extra_keys(record, {"schemaVersion", "system", "messages", "toolConfig"}, "", "OpenAI chat", losses)
    messages: list = []
    system = record.get("system")
    if system is not None:
        texts = [b.get("text") for b in system if isinstance(b, dict)] if isinstance(system, list) else []
        if not texts or not all(isinstance(t, str) for t in texts):
            losses.add("system", "only text blocks can be carried")
        else:
            messages.append({"role": "system", "content": content_from_texts(texts)})
    turns, candidates = _pivot_messages(record.get("messages"), losses)
    messages += turns
    chat: dict = {"messages": messages}
    config = record.get("toolConfig")
    if config is not None:
        tools = []
        for i, t in enumerate(config.get("tools") or () if isinstance(config, dict) else ()):
            spec = t.get("toolSpec") if isinstance(t, dict) else None
            if not isinstance(spec, dict):
                losses.add(f"toolConfig.tools[{i}]", "only toolSpec tools can be carried")
                continue
            extra_keys(spec, {"name", "description", "inputSchema"}, f"toolConfig.tools[{i}]", "OpenAI chat", losses)
            fn = {k: spec[k] for k in ("name", "description") if k in spec}
            if isinstance(spec.get("inputSchema"), dict) and "json" in spec["inputSchema"]:
                fn["parameters"] = spec["inputSchema"]["json"]
            tools.append({"type": "function", "function": fn})
        chat["tools"] = tools
    if candidates is None:
        return chat, losses
    out: dict = {"input": chat}
    for c in candidates:
        label = c.get("preferenceLabel") if isinstance(c, dict) else None
        key = {"preferred": "preferred_output", "non-preferred": "non_preferred_output"}.get(label)
        if key is None or key in out:
            losses.add("candidates", f"preferenceLabel {label!r} cannot be carried (one preferred and one non-preferred)")
            continue
        out[key] = _pivot_turn("assistant", c.get("content"), "candidates", losses)
    return out, losses


register(Converter("bedrock", "Amazon Bedrock conversation (Nova)", to_pivot, from_pivot, provider="bedrock-nova",
                   claims=lambda r: "schemaVersion" in r),
         aliases=("bedrock-nova", "bedrock-conversation"))
