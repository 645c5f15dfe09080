"""Walking JSON values with their JSON paths."""

from __future__ import annotations

from typing import Iterator


def iter_strings(value, where: str = "$") -> Iterator[tuple[str, str]]:
    """(json_path, string) for every string value (not keys) inside ``value``."""
    stack = [(where, value)]
    while stack:
        where, v = stack.pop()
        if isinstance(v, str):
            yield where, v
        elif isinstance(v, dict):
            stack.extend((f"{where}.{k}", x) for k, x in reversed(v.items()))
        elif isinstance(v, list):
            stack.extend((f"{where}[{i}]", x) for i, x in reversed(list(enumerate(v))))


# Gemini parts and Bedrock content blocks are tagged unions: an object whose single key names its kind.


def block_kind(block, kinds) -> str | None:
    """The kind of a tagged block: its only key when that key is one of ``kinds``, else None."""
    if isinstance(block, dict) and len(block) == 1:
        (kind,) = block
        if kind in kinds:
            return kind
    return None


def text_blocks_only(blocks) -> bool:
    """True when ``blocks`` is a list of ``{"text": <string>}`` objects and nothing else."""
    return isinstance(blocks, list) and all(block_kind(b, ("text",)) and isinstance(b["text"], str) for b in blocks)
