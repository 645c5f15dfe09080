"""Training formats, their detection, and the Example that record rules see."""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

import orjson

if TYPE_CHECKING:
    from ftlint.counting import Counts

CHAT = "chat"
COMPLETION = "completion"
PREFERENCE = "preference"
FORMATS = (CHAT, COMPLETION, PREFERENCE)

FORMAT_TITLES = {
    CHAT: "chat (messages)",
    COMPLETION: "prompt/completion (legacy)",
    PREFERENCE: "preference (DPO)",
}

SUPERVISED = "supervised"
DPO = "dpo"
REINFORCEMENT = "reinforcement"
METHODS = (SUPERVISED, DPO, REINFORCEMENT)

#: The method a file's format implies when the user names none.
DEFAULT_METHOD = {CHAT: SUPERVISED, COMPLETION: SUPERVISED, PREFERENCE: DPO}
#: The formats each method trains on.
METHOD_FORMATS = {SUPERVISED: (CHAT, COMPLETION), DPO: (PREFERENCE,), REINFORCEMENT: (CHAT,)}

PREFERENCE_KEYS = ("preferred_output", "non_preferred_output", "preferred_completion", "non_preferred_completion")


def record_format(obj: dict) -> str | None:
    """The format one record is written in, judged by its keys; None if none fits."""
    if "messages" in obj:
        return CHAT
    if "input" in obj and any(k in obj for k in PREFERENCE_KEYS):
        return PREFERENCE
    if "prompt" in obj or "completion" in obj:
        return COMPLETION
    return None


def majority_format(objs: Iterable[dict]) -> str | None:
    counts = Counter(f for f in map(record_format, objs) if f is not None)
    if not counts:
        return None
    # Ties go to the format listed first in FORMATS: chat is the common case.
    return max(FORMATS, key=lambda f: (counts[f], -FORMATS.index(f)))


def _digest(value: object) -> int:
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    # Not for security: a stable 64-bit fingerprint. SHA-1 runs on the CPU's
    # SHA extensions and hashed ~2x faster than blake2b here, which matters
    # because three digests of every example are taken (FT403, FT404).
    return int.from_bytes(hashlib.sha1(data).digest()[:8], "little")


def last_assistant_index(messages: list) -> int | None:
    for i in range(len(messages) - 1, -1, -1):
        m = messages[i]
        if isinstance(m, dict) and m.get("role") == "assistant":
            return i
    return None


class Example:
    """One parsed training example (a JSON object on one line).

    Derived values are computed lazily and at most once, so every rule that
    needs, say, the example's digest or token count shares the same work.
    Dataset rules must only keep the compact derived values (digests, counts,
    short labels), never the example itself.
    """

    __slots__ = ("line", "data", "format", "raw", "__dict__")

    def __init__(self, line: int, data: dict, fmt: str | None, raw: bytes | None = None):
        self.line = line
        self.data = data
        self.format = fmt
        self.raw = raw  # the line's bytes, for rules that look at the text itself

    def tokens(self, counter) -> "Counts":
        """(total, trained) tokens by ``counter`` (a TokenCounter), counted once per example.

        The counter is the same for a whole file, so the first caller's result
        is shared by every token rule and the stats collector.
        """
        counts = self.__dict__.get("_tokens")
        if counts is None:
            counts = self.__dict__["_tokens"] = counter.example(self.format, self.data)
        return counts

    @cached_property
    def digest(self) -> int:
        """64-bit hash of the canonical JSON (key order and whitespace ignored)."""
        return _digest(self.data)

    @cached_property
    def split(self) -> tuple[object, object]:
        """(input, target): what the model sees and what it is trained to produce."""
        d = self.data
        if self.format == CHAT:
            messages = d.get("messages")
            if not isinstance(messages, list):
                return None, None
            i = last_assistant_index(messages)
            if i is None:
                return None, None
            target = messages[i]
            target = {k: v for k, v in target.items() if k != "weight"}
            context = {k: v for k, v in d.items() if k != "messages"}
            return (context, messages[:i]), target
        if self.format == COMPLETION:
            return d.get("prompt"), d.get("completion")
        if self.format == PREFERENCE:
            return d.get("input"), d.get("preferred_output")
        return None, None

    @cached_property
    def input_digest(self) -> int | None:
        inp, target = self.split
        return None if target is None else _digest(inp)

    @cached_property
    def target_digest(self) -> int | None:
        target = self.split[1]
        return None if target is None else _digest(target)

    @cached_property
    def target_text(self) -> str | None:
        """The trained output as text when it is plain text (the class label, for classifiers)."""
        target = self.split[1]
        if isinstance(target, str):
            return target
        if isinstance(target, dict):
            content = target.get("content")
            if isinstance(content, str) and not target.get("tool_calls") and not target.get("function_call"):
                return content
            if isinstance(content, list):
                texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
                if texts and all(isinstance(t, str) for t in texts):
                    return "".join(texts)
        return None
