"""Compact state for dataset rules that count examples by kind."""

from __future__ import annotations


class KindTally:
    """How many examples of each kind a rule has seen, and the position (Example.position) of the first of
    each: two small dicts, whatever the file's size."""

    __slots__ = ("counts", "first")

    def __init__(self) -> None:
        self.counts: dict = {}
        self.first: dict = {}

    def add(self, kind, position) -> None:
        seen = self.counts.get(kind, 0)
        self.counts[kind] = seen + 1
        if not seen:
            self.first[kind] = position

    def count(self, kind) -> int:
        return self.counts.get(kind, 0)
