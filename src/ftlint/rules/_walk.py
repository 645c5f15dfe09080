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
