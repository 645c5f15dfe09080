"""Shared facts about chat messages (openai-ft-facts.md, section 2.1)."""

from __future__ import annotations

import re

from ftlint.formats import UNSET
from ftlint.problem import Finding
from ftlint.reader import json_type_name
from ftlint.schemas import chat_facts

# Roles, the keys each role's messages may carry and the content parts each
# role may use come from rules/schemas/chat-example.schema.json ([SPEC-2025-07]
# FineTuneChatRequestInput; developer from the RFT schema).
_FACTS = chat_facts()
KNOWN_ROLES = _FACTS.roles
MESSAGE_KEYS = _FACTS.message_keys
PART_TYPES = _FACTS.part_types
NAME_PATTERN = re.compile(_FACTS.name_pattern)
CHAT_TOP_LEVEL_KEYS = _FACTS.top_level_keys


def article(word: str) -> str:
    """"a" or "an" before ``word`` (by its first letter; "u" words such as "user" take "a")."""
    return "an" if word[:1].lower() in ("a", "e", "i", "o") else "a"


def a_type(value) -> str:
    """The JSON type of ``value`` with its article: "an array", "a string", "null"."""
    name = json_type_name(value)
    return name if name == "null" else ("an " if name[0] in "aeiou" else "a ") + name


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


#: What the plain scan found: not plain, plain, or plain with `weight` keys.
NOT_PLAIN, PLAIN, PLAIN_WEIGHTED = 0, 1, 2
#: The shape's bits of a scan's result; above them, what the scan of a plain example also noticed: a
#: trained assistant reply that starts, and one that ends, with whitespace (FT115 reads these, so the
#: main process does not walk the messages again: a second walk was 10% of a run on long chats).
SHAPE, REPLY_LEADS, REPLY_TRAILS = 3, 4, 8


def plain_shape(example) -> int:
    """NOT_PLAIN, PLAIN or PLAIN_WEIGHTED for this example's messages (see plain_messages), with the
    REPLY_LEADS / REPLY_TRAILS bits of a plain example (``& SHAPE`` is the shape alone).

    Computed once per example and kept in its ``plain_shape`` slot (worker
    processes precompute it for large files, ftlint.parallel).
    """
    shape = example.plain_shape
    if shape is UNSET:
        shape = example.plain_shape = _scan_plain(example.data.get("messages"))
    return shape


def plain_messages(example) -> bool:
    """True when no per-message rule can find anything in this example's messages.

    Plain means: a non-empty list of objects, each a system/user/assistant
    message with non-blank string content and no other keys (assistant may
    have ``weight``), the system message only first, and no role twice in a
    row. Nearly every real example is plain, so one tight pass here spares
    FT101-FT105, FT107, FT110 and FT111 their own loops over the messages
    (about half the lint time on long conversations), and message_facts()
    answers the format rules' first questions without a walk.
    """
    return plain_shape(example) != NOT_PLAIN


def _scan_plain(messages) -> int:
    if type(messages) is not list or not messages:
        return NOT_PLAIN
    previous = None
    weighted = False
    edges = 0
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
                or (role == "system" and previous is not None)
            ):
                return NOT_PLAIN
            if len(m) > 2:
                if not m.keys() <= allowed:
                    return NOT_PLAIN
                weighted = True
                trained = m.get("weight", 1) != 0
            else:
                trained = True
            if role == "assistant" and trained:  # (content is a non-blank string here)
                if content[0].isspace():
                    edges |= REPLY_LEADS
                if content[-1].isspace():
                    edges |= REPLY_TRAILS
            previous = role
    except (KeyError, TypeError):
        return NOT_PLAIN
    return (PLAIN_WEIGHTED if weighted else PLAIN) | edges


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


# -- per-message checks --------------------------------------------------
# Shared by the chat rules (FT102-FT107), which walk `messages`, and by the
# preference rules, which walk the DPO input and outputs. Each takes the
# message (an object) and its JSON path, and returns Findings.

_ROLE_SUGGESTIONS = {"human": "user", "bot": "assistant", "model": "assistant", "ai": "assistant", "gpt": "assistant"}


def meant_role(role) -> str | None:
    """The known role an unknown one stands for ("bot": assistant, "User": user), or None when nothing says."""
    if not isinstance(role, str):
        return None
    return _ROLE_SUGGESTIONS.get(role.lower()) or (role.lower() if role.lower() in KNOWN_ROLES else None)


def may_be_misspelled(data: dict, role: str) -> bool:
    """Whether a message whose role is missing, not a string or unknown (FT102 reports it) may be meant as ``role``.

    Rules about a role the example lacks (no user, no assistant) stay silent then: "bot" is a misspelled
    assistant, and the fix is the role, not another turn (or dropping the example). "human" is a user:
    an example of one "human" message still lacks its assistant.
    """
    messages = data.get("messages")
    if not isinstance(messages, list):
        return False
    for m in messages:
        if isinstance(m, dict) and not (isinstance(m.get("role"), str) and m["role"] in KNOWN_ROLES):
            if meant_role(m.get("role")) in (None, role):
                return True
    return False


def role_problems(m: dict, where: str, label: str) -> list[Finding]:
    """A missing, non-string or unknown role (``label`` names the message, e.g. "message 3")."""
    if "role" not in m:
        return [Finding(f"{label} has no role; add \"role\": \"user\" / \"assistant\" / \"system\"", where)]
    role = m["role"]
    if not isinstance(role, str):
        return [Finding(f"role must be a string, not {a_type(role)}", where + ".role")]
    if role in KNOWN_ROLES:
        return []
    hint = meant_role(role)
    advice = f'; did you mean "{hint}"?' if hint else f"; use one of {', '.join(KNOWN_ROLES[:5])}"
    return [Finding(f'unknown role "{role}"{advice}', where + ".role")]


def key_problems(m: dict, where: str) -> list[Finding]:
    """Keys the message's role does not allow (the message has a string role)."""
    allowed = MESSAGE_KEYS.get(m["role"])
    if allowed is None:
        return []  # the role check reports the role
    found = []
    for key in sorted(m.keys() - allowed):
        if key == "weight":
            msg = f'"weight" is only allowed on assistant messages, not on {article(m["role"])} {m["role"]} message; remove it'
        else:
            msg = f'unknown key "{key}" in {article(m["role"])} {m["role"]} message; allowed: {", ".join(sorted(allowed))}'
        found.append(Finding(msg, f"{where}.{key}"))
    return found


def content_problems(m: dict, where: str) -> list[Finding]:
    """Content of the wrong type, or parts the role may not use (the message has a string role)."""
    role = m["role"]
    if role not in PART_TYPES:
        return []
    content = m.get("content")
    if content is None:
        if role == "assistant" and has_call(m):
            return []
        what = "has no content" if "content" not in m else "has null content"
        needs = " (allowed only with tool_calls or function_call)" if role == "assistant" else ""
        needs += "; give it a content string"
        return [Finding(f"{role} message {what}{needs}", where + ".content" if "content" in m else where)]
    if isinstance(content, str):
        return []
    if not isinstance(content, list):
        return [Finding(f"content must be a string or an array of parts, not {a_type(content)}",
                        where + ".content")]
    allowed = PART_TYPES[role]
    found = []
    for j, part in enumerate(content):
        at = f"{where}.content[{j}]"
        if not isinstance(part, dict):
            found.append(Finding(f"content part is {a_type(part)}, not an object with a type", at))
            continue
        kind = part.get("type")
        if not isinstance(kind, str):
            found.append(Finding('content part has no string "type"', at))
        elif kind not in allowed:
            found.append(Finding(f'{article(role)} {role} message may not contain "{kind}" parts; allowed: {", ".join(allowed)}',
                                 at + ".type"))
        elif kind == "text" and not isinstance(part.get("text"), str):
            found.append(Finding('text part needs a string "text"', at + ".text"))
        elif kind == "refusal" and not isinstance(part.get("refusal"), str):
            found.append(Finding('refusal part needs a string "refusal"', at + ".refusal"))
    return found


def _is_empty(content) -> bool:
    if isinstance(content, str):
        return not content.strip()
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                return False
            if part.get("type") != "text":
                return False  # images, refusals: not empty
            text = part.get("text")
            if not isinstance(text, str) or text.strip():
                return False
        return True
    return False


def empty_content_problems(m: dict, where: str) -> list[Finding]:
    """Empty or whitespace-only content, unless a call carries the message."""
    if "content" not in m or has_call(m) or not _is_empty(m["content"]):
        return []
    shown = "empty" if m["content"] in ("", []) else "whitespace-only"
    return [Finding(f"{m['role']} message has {shown} content; fill it in or remove the message", where + ".content")]


def name_problems(m: dict, where: str) -> list[Finding]:
    """A `name` that is not a string matching NAME_PATTERN."""
    if "name" not in m:
        return []
    name = m["name"]
    if not isinstance(name, str):
        return [Finding(f"name must be a string, not {a_type(name)}", where + ".name")]
    if not NAME_PATTERN.match(name):
        return [Finding(f'name "{name[:80]}" must match ^[a-zA-Z0-9_-]{{1,64}}$ (letters, digits, _ and -, at most 64)',
                        where + ".name")]
    return []


# -- where the messages and tool definitions of an example are --------------
# Chat (and RFT) examples keep them at the top level; a preference (DPO)
# example keeps the conversation and tools under `input` and the two
# candidate answers in `preferred_output` / `non_preferred_output`.

PREFERENCE_OUTPUTS = ("preferred_output", "non_preferred_output")


def tool_scope(data: dict) -> tuple[dict | None, str]:
    """(the object holding tools / parallel_tool_calls / functions, its JSON path)."""
    if "messages" in data:
        return data, "$"
    inp = data.get("input")
    return (inp, "$.input") if isinstance(inp, dict) else (None, "$.input")


def _located(messages, where: str) -> list[tuple[str, dict]]:
    if not isinstance(messages, list):
        return []
    return [(f"{where}[{i}]", m) for i, m in enumerate(messages) if isinstance(m, dict)]


class ExampleMessages:
    """An example's message objects with their JSON paths, and what they contain.

    Built in one walk, once per example, and shared by every rule: most format
    rules look for something rare (tools, weights, images, developer
    messages), ask ``roles`` / ``keys`` / ``has_parts`` first and skip the rest.
    """

    __slots__ = ("located", "with_role", "roles", "keys", "has_parts")

    def __init__(self, data: dict):
        if "messages" in data:
            located = _located(data["messages"], "$.messages")
        else:
            scope, where = tool_scope(data)
            located = _located(scope.get("messages"), where + ".messages") if scope is not None else []
            for key in PREFERENCE_OUTPUTS:
                located += _located(data.get(key), f"$.{key}")
        self.located = located
        self.with_role: list[tuple[str, dict]] = []
        self.roles: set = set()
        self.keys: set = set()
        self.has_parts = False
        for where, m in located:
            role = m.get("role")
            if isinstance(role, str):
                self.roles.add(role)
                self.with_role.append((where, m))
            self.keys.update(m)
            if not self.has_parts and isinstance(m.get("content"), list):
                self.has_parts = True


class _PlainFacts:
    """What ExampleMessages would say of a plain example, without walking it."""

    __slots__ = ("roles", "keys", "has_parts")

    def __init__(self, keys: frozenset):
        self.roles = frozenset(_PLAIN_KEYS)  # a superset is enough: rules ask what is absent
        self.keys = keys
        self.has_parts = False


_FACTS_OF_PLAIN = {
    PLAIN: _PlainFacts(frozenset({"role", "content"})),
    PLAIN_WEIGHTED: _PlainFacts(frozenset({"role", "content", "weight"})),
}


def message_facts(example):
    """``roles``, ``keys`` and ``has_parts`` of an example's messages: free for plain examples."""
    facts = _FACTS_OF_PLAIN.get(plain_shape(example) & SHAPE)
    return facts if facts is not None else summary(example)


# Guards (see GUARD in the rule contract): one cheap test per example for a
# group of rules, so the engine skips the whole group on ordinary examples.
def not_plain(example, ctx=None) -> bool:
    return not plain_messages(example)


def has_weights(example, ctx=None) -> bool:
    return "weight" in message_facts(example).keys


def has_developer(example, ctx=None) -> bool:
    return "developer" in message_facts(example).roles


def summary(example) -> ExampleMessages:
    """The ExampleMessages of an example, built once and kept in its ``messages`` slot."""
    found = example.messages
    if found is UNSET:
        found = example.messages = ExampleMessages(example.data)
    return found


def all_messages(example) -> list[tuple[str, dict]]:
    """(json_path, message) for every message object of the example, each once."""
    return summary(example).located


def role_messages(example) -> list[tuple[str, dict]]:
    """(json_path, message) for each message that is an object with a string role."""
    return summary(example).with_role


def conversation(example) -> list[tuple[str, dict]]:
    """(json_path, message) in the order the model sees them.

    For a preference example that is the input followed by the preferred
    answer: the non-preferred answer takes the same place, so the order of
    calls and tool answers is the same for both.
    """
    data = example.data
    if "messages" in data:
        return all_messages(example)
    scope, where = tool_scope(data)
    found = _located(scope.get("messages"), where + ".messages") if scope is not None else []
    return found + _located(data.get("preferred_output"), "$.preferred_output")
