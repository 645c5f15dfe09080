"""What linting one file produced (:class:`FileResult`) and the roles a file plays.

Apart from the engine so that whatever only reports a result (the reporters,
the result cache answering a re-run) imports no engine, rule or tokenizer.
"""

from __future__ import annotations

from collections import Counter

from ftlint.record import Record, field

TRAINING = "training"
VALIDATION = "validation"


class FileResult(Record):
    path: str
    role: str = TRAINING
    format: str | None = None
    method: str | None = None
    method_note: str | None = None
    examples: int = 0
    lines: int = 0
    levels: Counter = field(factory=Counter)  # Level -> count
    codes: Counter = field(factory=Counter)  # code -> count
    stats: dict = field(factory=dict)
    error: str | None = None  # the file could not be read

    @property
    def problems(self) -> int:
        return sum(self.levels.values())
