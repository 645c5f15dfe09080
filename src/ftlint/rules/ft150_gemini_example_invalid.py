"""A Vertex AI Gemini tuning example is not shaped as Vertex reads it.

## What it does
Checks each Gemini example: `contents` is a non-empty list of turns
`{"role": "user" | "model", "parts": [...]}`; each part holds exactly one of
`text`, `fileData`, `inlineData`, `functionCall` or `functionResponse`;
`fileData` names a `mimeType` and a `gs://` `fileUri`; `systemInstruction`
holds text parts only; and the example has no keys Vertex does not know.
An empty text part (`{"text": ""}`) is a warning that says it is unconfirmed:
Vertex's inference API rejects one ("Unable to submit request because it has
an empty text parameter"), the tuning pages do not say (`[checks]
text_parts_non_empty` in the Vertex profile).

## Why it matters
Vertex validates the whole file when the tuning job starts and fails it on the
first malformed example. Gemini calls the assistant `model`: a turn with role
`assistant` (OpenAI's word) is rejected, and media must be in Cloud Storage.

## Example
    {"contents": [{"role": "user", "parts": [{"text": "Hi"}]},
                  {"role": "assistant", "parts": [{"text": "Hello"}]}]}

## Fix
Use role `model` for the model's turns, put media in a bucket and reference it
with `fileData`, or convert OpenAI data with `ftlint FILE --convert-to gemini -o OUT.jsonl`.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._profile import fact
from ftlint.rules._walk import block_kind, text_blocks_only

CODE = "FT150"
NAME = "gemini-example-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("gemini", "gemini-preference")
PROVIDERS = ("vertex",)

TOP_KEYS = ("systemInstruction", "system_instruction", "contents", "tools", "completions")
PART_KINDS = ("text", "fileData", "inlineData", "functionCall", "functionResponse")


def check(example, conf, ctx):
    data = example.data
    for key in data:
        if key not in TOP_KEYS:
            yield Finding(f'unknown key "{key}" in a Gemini example; Vertex takes {", ".join(TOP_KEYS[:4])}'
                          " (and completions for preference tuning)", json_path=f"$.{key}")
    system = data.get("systemInstruction", data.get("system_instruction"))
    if system is not None:
        parts = system.get("parts") if isinstance(system, dict) else None
        if not parts or not text_blocks_only(parts):
            yield Finding("systemInstruction must be {\"parts\": [{\"text\": ...}]} with text parts only",
                          json_path="$.systemInstruction")
    contents = data.get("contents")
    if not isinstance(contents, list) or not contents:
        yield Finding("contents must be a non-empty list of {role, parts} turns", json_path="$.contents")
        return
    empty = limit(ctx, "checks.text_parts_non_empty", fact(ctx, "text_parts_non_empty"))
    for i, turn in enumerate(contents):
        yield from turn_problems(turn, f"$.contents[{i}]", f"turn {i + 1}", empty)
    for i, c in enumerate(data.get("completions") or () if isinstance(data.get("completions"), list) else ()):
        if isinstance(c, dict) and "completion" in c:
            yield from turn_problems(c["completion"], f"$.completions[{i}].completion", f"completion {i + 1}", empty)


def turn_problems(turn, path, name, empty=None):
    if not isinstance(turn, dict):
        yield Finding(f"{name} is not an object; write {{\"role\": ..., \"parts\": [...]}}", json_path=path)
        return
    role = turn.get("role")
    if role not in ("user", "model"):
        hint = ' (Gemini calls the assistant "model")' if role == "assistant" else ""
        yield Finding(f"{name} has role {_shown(role)}; Gemini turns are user or model{hint}", json_path=f"{path}.role")
    for key in turn:
        if key not in ("role", "parts"):
            yield Finding(f'{name} has unknown key "{key}"; a turn holds role and parts', json_path=f"{path}.{key}")
    parts = turn.get("parts")
    if not isinstance(parts, list) or not parts:
        yield Finding(f"{name} needs a non-empty parts list", json_path=f"{path}.parts")
        return
    for j, part in enumerate(parts):
        where = f"{path}.parts[{j}]"
        kind = block_kind(part, PART_KINDS)
        if kind is None:
            yield Finding(f"{name}, part {j + 1} must hold exactly one of {', '.join(PART_KINDS)}", json_path=where)
            continue
        value = part[kind]
        if kind == "text" and not isinstance(value, str):
            yield Finding(f"{name}, part {j + 1}: text must be a string", json_path=f"{where}.text")
        elif kind == "text" and value == "" and empty is not None and empty.value:
            yield Finding(f"{name}, part {j + 1}: empty text part; Vertex AI's API rejects one (\"Unable to submit "
                          f"request because it has an empty text parameter\"), unconfirmed for tuning: its tuning "
                          f"pages do not say; drop the part or give it text", json_path=f"{where}.text",
                          unconfirmed=not empty.confirmed)
        elif kind == "fileData":
            uri = value.get("fileUri") if isinstance(value, dict) else None
            if not isinstance(uri, str) or not uri.startswith("gs://"):
                yield Finding(f"{name}, part {j + 1}: fileData.fileUri must be a gs:// URI (Vertex reads media from "
                              "Cloud Storage)", json_path=f"{where}.fileData.fileUri")
            if not isinstance(value, dict) or not isinstance(value.get("mimeType"), str):
                yield Finding(f"{name}, part {j + 1}: fileData needs a mimeType such as image/png",
                              json_path=f"{where}.fileData")
        elif kind in ("functionCall", "functionResponse"):
            if not isinstance(value, dict) or not isinstance(value.get("name"), str):
                yield Finding(f"{name}, part {j + 1}: {kind} needs a name", json_path=f"{where}.{kind}")
            elif kind == "functionCall" and not isinstance(value.get("args", {}), dict):
                yield Finding(f"{name}, part {j + 1}: functionCall.args must be an object", json_path=f"{where}.{kind}.args")
            elif kind == "functionResponse" and not isinstance(value.get("response"), dict):
                yield Finding(f"{name}, part {j + 1}: functionResponse.response must be an object",
                              json_path=f"{where}.{kind}.response")


def _shown(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=True)[:40]
