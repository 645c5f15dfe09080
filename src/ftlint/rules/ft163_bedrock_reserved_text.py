"""Text that Bedrock rejects as template markup ("User:", "[EOS]", "<image>"...).

## What it does
Reports text blocks (system, messages, DPO candidates) containing any of the
strings the provider lists as reserved: role prefixes such as `User:` and
`Assistant:`, and tokens such as `[EOS]`, `<image>`, `<video>` and `<unk>`.

## Why it matters
Nova's validator rejects examples whose text contains these strings, because
they collide with the model's own prompt template; the job fails.

## Example
    {"role": "user", "content": [{"text": "User: what is 2+2?"}]}

## Fix
Remove the prefixes and tokens; the conversation structure already says who
speaks.
"""

from ftlint.problem import Finding
from ftlint.rules._profile import fact

CODE = "FT163"
NAME = "bedrock-reserved-text"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("bedrock",)
PROVIDERS = ("bedrock-nova",)


def _texts(data):
    system = data.get("system")
    for j, b in enumerate(system if isinstance(system, list) else []):
        if isinstance(b, dict) and isinstance(b.get("text"), str):
            yield f"$.system[{j}].text", "system", b["text"]
    messages = data.get("messages")
    for i, m in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(m, dict):
            continue
        lists = [(f"$.messages[{i}].content", m.get("content"))]
        for k, c in enumerate(m.get("candidates") or () if isinstance(m.get("candidates"), list) else ()):
            if isinstance(c, dict):
                lists.append((f"$.messages[{i}].candidates[{k}].content", c.get("content")))
        for path, blocks in lists:
            for j, b in enumerate(blocks if isinstance(blocks, list) else []):
                if isinstance(b, dict) and isinstance(b.get("text"), str):
                    yield f"{path}[{j}].text", f"message {i + 1}", b["text"]


def check(example, conf, ctx):
    reserved = fact(ctx, "reserved_text") or ()
    if not reserved:
        return
    for path, where, text in _texts(example.data):
        hits = [s for s in reserved if s in text]
        if hits:
            shown = ", ".join(f'"{s}"' for s in hits)
            yield Finding(f"{where} contains {shown}, which Bedrock rejects in training text (template markup); "
                          "remove it", json_path=path)
