"""Grader keys of reinforcement fine-tuning data (openai-ft-facts.md, section 2.4).

An RFT example reserves only `messages` and `tools`; every other top-level key
is data for the grader (`{{item.<key>}}`). This module counts them, for the
file statistics (the collector) and for the consistency rule FT803.
"""

from __future__ import annotations

from collections import Counter

from ftlint.formats import CHAT, REINFORCEMENT

RESERVED_KEYS = frozenset({"messages", "tools"})
#: Distinct keys tracked per file; beyond that the keys are not a schema but
#: data (e.g. ids used as keys), and counting them would grow without bound.
MAX_KEYS = 1000


class GraderKeyCounts:
    """How many examples carry each grader key, and the first line lacking it."""

    __slots__ = ("examples", "counts", "first_line", "first_missing")

    def __init__(self):
        self.examples = 0
        self.counts: Counter = Counter()
        self.first_line: int | None = None
        self.first_missing: dict[str, int] = {}

    def add(self, data: dict, line: int) -> None:
        if self.first_line is None:
            self.first_line = line
        keys = data.keys() - RESERVED_KEYS
        for key in keys:
            if key not in self.counts:
                if len(self.counts) >= MAX_KEYS:
                    continue
                if self.examples:  # the examples before this one lack it
                    self.first_missing[key] = self.first_line
            self.counts[key] += 1
        for key in self.counts.keys() - keys:
            self.first_missing.setdefault(key, line)
        self.examples += 1


class GraderKeysCollector:
    """File statistic ``grader_keys``: {key: number of examples that have it}."""

    def __init__(self):
        self.counts = GraderKeyCounts()

    def add(self, example) -> None:
        self.counts.add(example.data, example.line)

    def result(self) -> dict:
        return {"grader_keys": dict(sorted(self.counts.counts.items()))}


def collector(ctx) -> GraderKeysCollector | None:
    """Collector factory for the Linter: only reinforcement chat files have grader keys."""
    if ctx.method == REINFORCEMENT and ctx.format == CHAT:
        return GraderKeysCollector()
    return None
