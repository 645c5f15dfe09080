"""Shared facts about chat messages (openai-ft-facts.md, section 2.1)."""

from __future__ import annotations

import re

KNOWN_ROLES = ("system", "developer", "user", "assistant", "tool", "function")

#: Keys each role may carry in a fine-tuning example ([SPEC-2025-07]
#: FineTuneChatRequestInput; developer from the RFT schema).
MESSAGE_KEYS = {
    "system": frozenset({"role", "content", "name"}),
    "developer": frozenset({"role", "content", "name"}),
    "user": frozenset({"role", "content", "name"}),
    "assistant": frozenset(
        {"role", "content", "name", "tool_calls", "function_call", "refusal", "audio", "weight"}
    ),
    "tool": frozenset({"role", "content", "tool_call_id"}),
    "function": frozenset({"role", "content", "name"}),
}

#: Content part types each role may use in fine-tuning data.
PART_TYPES = {
    "system": ("text",),
    "developer": ("text",),
    "user": ("text", "image_url"),
    "assistant": ("text", "refusal"),
    "tool": ("text",),
    "function": ("text",),
}

NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def path(i: int, *keys) -> str:
    out = f"$.messages[{i}]"
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else f".{k}"
    return out


def messages_of(data: dict) -> list | None:
    """The messages list when it is usable (a list); record rules skip the rest."""
    messages = data.get("messages")
    return messages if isinstance(messages, list) else None


def iter_messages(data: dict):
    """(index, message) for each message that is an object with a string role."""
    messages = data.get("messages")
    if not isinstance(messages, list):
        return
    for i, m in enumerate(messages):
        if isinstance(m, dict) and isinstance(m.get("role"), str):
            yield i, m


#: Keys of a message in the common, plain shape (see plain_messages).
_PLAIN_KEYS = {
    "system": frozenset({"role", "content"}),
    "user": frozenset({"role", "content"}),
    "assistant": frozenset({"role", "content", "weight"}),
}


def plain_messages(example) -> bool:
    """True when no per-message rule can find anything in this example's messages.

    Plain means: a non-empty list of objects, each a system/user/assistant
    message with non-blank string content and no other keys (assistant may
    have ``weight``), the system message only first, and no role twice in a
    row. Nearly every real example is plain, so one tight pass here spares
    FT101-FT105, FT107, FT110 and FT111 their own loops over the messages
    (about half the lint time on long conversations). Computed once per
    example and shared.
    """
    cached = example.__dict__.get("_plain_messages")
    if cached is not None:
        return cached
    plain = _scan_plain(example.data.get("messages"))
    example.__dict__["_plain_messages"] = plain
    return plain


def _scan_plain(messages) -> bool:
    if type(messages) is not list or not messages:
        return False
    previous = None
    try:
        # Subscripts instead of .get(): a missing key, an unknown or unhashable
        # role, or a message that is not an object all raise, and all mean
        # "not plain". This loop runs for every message of every example.
        for m in messages:
            role = m["role"]
            allowed = _PLAIN_KEYS[role]
            content = m["content"]
            if (
                role == previous
                or type(content) is not str
                or not content
                or content.isspace()
                or (len(m) > 2 and not m.keys() <= allowed)
                or (role == "system" and previous is not None)
            ):
                return False
            previous = role
    except (KeyError, TypeError):
        return False
    return True


def has_call(message: dict) -> bool:
    return bool(message.get("tool_calls")) or bool(message.get("function_call"))


def content_text(content) -> str | None:
    """The text of a content value (string or text parts); None when not text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return "".join(texts)
    return None
