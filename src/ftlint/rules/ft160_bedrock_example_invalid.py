"""An Amazon Bedrock Nova example is not shaped as bedrock-conversation-2024.

## What it does
Checks each Bedrock example: `schemaVersion` is a string, `system` is a list
of `{"text": ...}` blocks, `messages` is a list of `{"role": "user" |
"assistant", "content": [...]}`, and each content block holds exactly one of
`text`, `image`, `video`, `document`, `toolUse`, `toolResult` or
`reasoningContent`, with non-empty text and media read from `s3://` URIs in a
format the provider lists. `reasoningContent` belongs to assistant turns of the
models the provider names (Nova 2 Lite).

## Why it matters
Bedrock validates the dataset when the customization job starts and fails the
job on the first example it cannot read; empty text blocks are rejected.

## Example
    {"schemaVersion": "bedrock-conversation-2024",
     "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": [{"text": ""}]}]}

## Fix
Write content as a list of blocks, fill in empty text, put media in S3, or
convert OpenAI data with `ftlint FILE --convert-to bedrock -o OUT.jsonl`.
"""

from ftlint.problem import Finding
from ftlint.rules._profile import fact, model_id
from ftlint.rules._walk import block_kind, text_blocks_only

CODE = "FT160"
NAME = "bedrock-example-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("bedrock",)
PROVIDERS = ("bedrock-nova",)

TOP_KEYS = ("schemaVersion", "system", "messages", "toolConfig")
BLOCK_KINDS = ("text", "image", "video", "document", "toolUse", "toolResult", "reasoningContent")
MEDIA = ("image", "video", "document")


def check(example, conf, ctx):
    data = example.data
    for key in data:
        if key not in TOP_KEYS:
            yield Finding(f'unknown key "{key}" in a Bedrock example; it takes {", ".join(TOP_KEYS)}', json_path=f"$.{key}")
    if not isinstance(data.get("schemaVersion"), str):
        yield Finding('schemaVersion must be a string such as "bedrock-conversation-2024"', json_path="$.schemaVersion")
    system = data.get("system")
    if system is not None and not text_blocks_only(system):
        yield Finding('system must be a list of {"text": ...} blocks', json_path="$.system")
    messages = data.get("messages")
    if not isinstance(messages, list):
        yield Finding("messages must be a list of {role, content} messages", json_path="$.messages")
        return
    for i, m in enumerate(messages):
        path = f"$.messages[{i}]"
        if not isinstance(m, dict):
            yield Finding(f"message {i + 1} is not an object", json_path=path)
            continue
        role = m.get("role")
        if role not in ("user", "assistant"):
            yield Finding(f"message {i + 1} has role {str(role)[:20]!r}; Bedrock messages are user or assistant",
                          json_path=f"{path}.role")
        if "candidates" in m:
            for j, c in enumerate(m["candidates"] if isinstance(m["candidates"], list) else []):
                if isinstance(c, dict):
                    yield from _blocks(c.get("content"), role, f"{path}.candidates[{j}].content", f"candidate {j + 1}", ctx)
            continue
        yield from _blocks(m.get("content"), role, f"{path}.content", f"message {i + 1}", ctx)


def _blocks(content, role, path, name, ctx):
    if not isinstance(content, list) or not content:
        yield Finding(f"{name}: content must be a non-empty list of blocks such as {{\"text\": ...}}", json_path=path)
        return
    image_types = fact(ctx, "image_formats") or ()
    video_types = fact(ctx, "video_formats") or ()
    reasoning_models = fact(ctx, "reasoning_models") or ()
    for j, block in enumerate(content):
        where = f"{path}[{j}]"
        kind = block_kind(block, BLOCK_KINDS)
        if kind is None:
            yield Finding(f"{name}, block {j + 1} must hold exactly one of {', '.join(BLOCK_KINDS)}", json_path=where)
            continue
        value = block[kind]
        if kind == "text":
            if not isinstance(value, str) or not value.strip():
                yield Finding(f"{name}, block {j + 1}: text must be a non-empty string (Bedrock rejects empty text)",
                              json_path=f"{where}.text")
        elif kind in MEDIA:
            source = value.get("source") if isinstance(value, dict) else None
            location = source.get("s3Location") if isinstance(source, dict) else None
            uri = location.get("uri") if isinstance(location, dict) else None
            if not isinstance(uri, str) or not uri.startswith("s3://"):
                yield Finding(f"{name}, block {j + 1}: {kind}.source.s3Location.uri must be an s3:// URI "
                              "(Bedrock reads media from S3 only)", json_path=f"{where}.{kind}")
            allowed = {"image": image_types, "video": video_types}.get(kind)
            fmt = value.get("format") if isinstance(value, dict) else None
            if allowed and fmt not in allowed:
                yield Finding(f"{name}, block {j + 1}: {kind} format {str(fmt)[:20]!r} is not one of "
                              f"{', '.join(allowed)}", json_path=f"{where}.{kind}.format")
        elif kind == "reasoningContent":
            if role != "assistant":
                yield Finding(f"{name}, block {j + 1}: reasoningContent belongs in assistant turns", json_path=where)
            elif reasoning_models and model_id(ctx) not in reasoning_models:
                yield Finding(f"{name}, block {j + 1}: reasoningContent is for {', '.join(reasoning_models)}, "
                              f"not {model_id(ctx) or 'this model'}", json_path=where)
        elif kind == "toolUse" and role != "assistant":
            yield Finding(f"{name}, block {j + 1}: toolUse belongs in assistant turns", json_path=where)
        elif kind == "toolResult" and role != "user":
            yield Finding(f"{name}, block {j + 1}: toolResult belongs in user turns", json_path=where)
