"""Google Vertex AI Gemini tuning records: ``contents`` of ``{role: user|model, parts: [...]}``.

Supervised: ``{"systemInstruction"?, "contents", "tools"?}``. Preference:
the same plus ``"completions": [{"score": 1|0, "completion": {role: model, parts}}]``.
Parts: ``text``, ``fileData {mimeType, fileUri}`` (gs:// media),
``functionCall {name, args, id?}``, ``functionResponse {name, response, id?}``.
Sources: cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare,
.../tune-function-calling, .../gemini-preference-tuning-prepare (read 2026-11-30).
"""

from __future__ import annotations

from ftlint.converters import (
    CHAT_PIVOT, Converter, Losses, content_from_texts, dump_arguments, extra_keys, function_tools, pivot_kind,
    preference_input, preference_outputs, register, split_chat, target_parts, turns_from_pivot,
)
from ftlint.converters._media import image_mime, scheme, shown_url

TARGET = "Gemini"
MEDIA_SCHEME = "gs:"


# -- OpenAI -> Gemini ---------------------------------------------------------------


def _image(url: str, where_: str, losses: Losses) -> dict | None:
    mime = image_mime(url)
    if scheme(url) != MEDIA_SCHEME:
        losses.add(where_, f"image {shown_url(url)!r} cannot be carried (Vertex reads media from gs:// URIs)")
    elif mime is None:
        losses.add(where_, f"image {shown_url(url)!r} has no image file extension to name its MIME type")
    else:
        return {"fileData": {"mimeType": mime, "fileUri": url}}
    return None


def _parts(message: dict, where_: str, losses: Losses) -> list:
    return target_parts(message, where_, TARGET, losses, _image)


def _tools(tools: object, losses: Losses) -> list:
    declarations = function_tools(tools, TARGET, losses)
    return [{"functionDeclarations": declarations}] if declarations else []


def _contents(indexed: list, losses: Losses) -> list:
    return turns_from_pivot(
        indexed, TARGET, losses, assistant_role="model", content_key="parts", parts=_parts,
        call_part=lambda call_id, name, args: {"functionCall": {"name": name, "args": args, "id": call_id}},
        result_part=lambda call_id, name, texts: None if len(texts) != 1 else {
            "functionResponse": {"name": name, "response": {"content": texts[0]}, "id": call_id}},
    )


def _chat_from_pivot(record: dict, losses: Losses) -> dict:
    system, rest = split_chat(record, TARGET, losses)
    extra_keys(record, {"messages", "tools"}, "", TARGET, losses)
    out: dict = {}
    if system is not None:
        out["systemInstruction"] = {"parts": [{"text": t} for t in system]}
    out["contents"] = _contents(rest, losses)
    tools = _tools(record.get("tools"), losses)
    if tools:
        out["tools"] = tools
    return out


def from_pivot(pivot: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    if pivot_kind(pivot) == CHAT_PIVOT:
        return _chat_from_pivot(pivot, losses), losses
    out = _chat_from_pivot(preference_input(pivot, TARGET, losses), losses)
    completions = []
    for key, preferred, message in preference_outputs(pivot):
        if message is None:
            losses.add(key, "must be one assistant message to become a Gemini completion")
            continue
        turn = _contents([(0, message)], losses)
        if turn:
            completions.append({"score": int(preferred), "completion": turn[0]})
    out["completions"] = completions
    return out, losses


# -- Gemini -> OpenAI ---------------------------------------------------------------


def _system_texts(record: dict, losses: Losses) -> list[str] | None:
    system = record.get("systemInstruction", record.get("system_instruction"))
    if system is None:
        return None
    parts = system.get("parts") if isinstance(system, dict) else None
    texts = [p.get("text") for p in parts or () if isinstance(p, dict)]
    if not parts or not all(isinstance(t, str) and set(p) == {"text"} for t, p in zip(texts, parts)):
        losses.add("systemInstruction", "only text parts can be carried")
        return None
    extra_keys(system, {"parts", "role"}, "systemInstruction", "OpenAI chat", losses)
    return texts


def _messages(contents: object, losses: Losses) -> list:
    messages: list[dict] = []
    pending_ids: dict[str, list[str]] = {}  # function name -> call ids awaiting a response
    count = 0
    for i, turn in enumerate(contents if isinstance(contents, list) else []):
        w = f"contents[{i}]"
        if not isinstance(turn, dict) or not isinstance(turn.get("parts"), list):
            losses.add(w, "is not a {role, parts} object")
            continue
        extra_keys(turn, {"role", "parts"}, w, "OpenAI chat", losses)
        role = turn.get("role")
        texts, calls, results = [], [], []
        for part in turn["parts"]:
            if not isinstance(part, dict) or len(part) != 1:
                losses.add(w, "a part must hold exactly one of text, fileData, functionCall, functionResponse")
                continue
            (kind, value), = part.items()
            if kind == "text" and isinstance(value, str):
                texts.append({"type": "text", "text": value})
            elif kind == "fileData" and isinstance(value, dict) and isinstance(value.get("fileUri"), str):
                mime = value.get("mimeType")
                if not str(mime).startswith("image/"):
                    losses.add(w, f"a {mime} file cannot be carried (OpenAI chat takes images)")
                elif image_mime(value["fileUri"]) != mime or set(value) != {"fileUri", "mimeType"}:
                    losses.add(w, f"mimeType {mime} does not follow from the file name, so it cannot be carried")
                texts.append({"type": "image_url", "image_url": {"url": value["fileUri"]}})
            elif kind == "functionCall" and isinstance(value, dict) and isinstance(value.get("name"), str):
                count += 1
                call_id = value.get("id") if isinstance(value.get("id"), str) else f"call_{count}"
                extra_keys(value, {"name", "args", "id"}, w, "OpenAI chat", losses)
                pending_ids.setdefault(value["name"], []).append(call_id)
                calls.append({"id": call_id, "type": "function",
                              "function": {"name": value["name"], "arguments": dump_arguments(value.get("args", {}))}})
            elif kind == "functionResponse" and isinstance(value, dict) and isinstance(value.get("name"), str):
                extra_keys(value, {"name", "response", "id"}, w, "OpenAI chat", losses)
                waiting = pending_ids.get(value["name"]) or []
                call_id = value.get("id") if isinstance(value.get("id"), str) else (waiting[0] if waiting else None)
                if call_id is None:
                    losses.add(w, f"functionResponse {value['name']!r} answers no earlier functionCall")
                    continue
                if call_id in waiting:
                    waiting.remove(call_id)
                response = value.get("response")
                content = response["content"] if isinstance(response, dict) and set(response) == {"content"} \
                    and isinstance(response["content"], str) else dump_arguments(response)
                results.append({"role": "tool", "tool_call_id": call_id, "content": content})
            else:
                losses.add(w, f"a {kind} part cannot be carried")
        if role == "model":
            m: dict = {"role": "assistant"}
            if texts or not calls:
                m["content"] = _content(texts)
            if calls:
                m["tool_calls"] = calls
            messages.append(m)
        elif role in ("user", "function"):
            messages.extend(results)
            if texts or not results:
                messages.append({"role": "user", "content": _content(texts)})
        else:
            losses.add(w, f"role {role!r} is not user or model")
    return messages


def _content(parts: list) -> str | list:
    if all(p["type"] == "text" for p in parts) and parts:
        return content_from_texts([p["text"] for p in parts])
    return parts


def _tools_to_pivot(tools: object, losses: Losses) -> list:
    out = []
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        if not isinstance(tool, dict) or set(tool) != {"functionDeclarations"}:
            losses.add(f"tools[{i}]", "only functionDeclarations can be carried")
            continue
        for fn in tool["functionDeclarations"] or ():
            if isinstance(fn, dict):
                extra_keys(fn, {"name", "description", "parameters"}, f"tools[{i}]", "OpenAI chat", losses)
                out.append({"type": "function",
                            "function": {k: fn[k] for k in ("name", "description", "parameters") if k in fn}})
    return out


def _chat_to_pivot(record: dict, losses: Losses) -> dict:
    out: dict = {"messages": []}
    system = _system_texts(record, losses)
    if system is not None:
        out["messages"].append({"role": "system", "content": content_from_texts(system)})
    out["messages"] += _messages(record.get("contents"), losses)
    if "tools" in record:
        out["tools"] = _tools_to_pivot(record["tools"], losses)
    return out


def to_pivot(record: dict) -> tuple[dict | None, Losses]:
    losses = Losses()
    known = {"systemInstruction", "system_instruction", "contents", "tools", "completions"}
    extra_keys(record, known, "", "OpenAI chat", losses)
    chat = _chat_to_pivot(record, losses)
    if "completions" not in record:
        return chat, losses
    outputs = {}
    for i, c in enumerate(record["completions"] if isinstance(record["completions"], list) else []):
        if not isinstance(c, dict) or c.get("score") not in (0, 1) or not isinstance(c.get("completion"), dict):
            losses.add(f"completions[{i}]", "must be {score: 0|1, completion: {...}}")
            continue
        key = "preferred_output" if c["score"] == 1 else "non_preferred_output"
        if key in outputs:
            losses.add(f"completions[{i}]", "a second completion with the same score cannot be carried")
            continue
        outputs[key] = _messages([c["completion"]], losses)
    return {"input": chat, **{k: outputs[k] for k in ("preferred_output", "non_preferred_output") if k in outputs}}, losses


register(Converter("gemini", "Vertex AI Gemini contents", to_pivot, from_pivot, provider="vertex",
                   claims=lambda r: "contents" in r),
         aliases=("vertex", "gemini-contents"))
