"""The problem model shared by rules, the engine and reporters."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 example"``, ``"5 examples"``, ``"2 entries"`` (with ``many="entries"``); for messages."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def where(position: int | tuple[int, int]) -> str:
    """``"line 7"``, or ``"line 1, array index 2"`` for an element of a JSON array file
    (Example.position): for messages that name another example."""
    if type(position) is tuple:
        return f"line {position[0]}, array index {position[1]}"
    return f"line {position}"


class Level(enum.IntEnum):
    """Severity of a problem. Ordered so that ``max()`` gives the worst."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, text: str) -> "Level":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f'unknown level "{text}" (use error, warning or info)') from None

    def __str__(self) -> str:
        return self.name.lower()


# Finding and Problem are made once per problem, and a file of duplicates has one per example:
# a frozen dataclass sets every field through object.__setattr__, about 5x the cost of plain
# slot assignment. They are not frozen, but hashable as before; nothing may mutate one once
# yielded (make a new one with dataclasses.replace).
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """What a rule yields: the message and where, inside the example or the file.

    The engine adds the file, the rule's code, name and configured level.
    ``line`` defaults to the line of the example being checked; dataset rules
    set it explicitly (or leave it None for a file-level problem).
    """

    message: str
    json_path: str | None = None
    line: int | None = None
    column: int | None = None
    #: The limit comes from a fact the provider profile marks unconfirmed: the
    #: problem is reported at most as a warning (its message says so).
    unconfirmed: bool = False


@dataclass(slots=True, unsafe_hash=True)
class Problem:
    """One diagnostic, as reporters see it. The message never contains the code."""

    path: str
    line: int | None
    column: int | None
    code: str
    name: str
    level: Level
    message: str
    json_path: str | None = None
    #: The raw bytes of the line the problem is on, when the engine had it in hand (line and
    #: record rules); for excerpts (HTML report) and baseline fingerprints. Not copied: the
    #: reader's own bytes object.
    source: bytes | None = field(default=None, compare=False, repr=False)

    def sort_key(self) -> tuple:
        return (self.line if self.line is not None else 1 << 62, self.column or 0, self.code)
