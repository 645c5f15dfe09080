"""Listings (``--list-rules``, ``--list-models``, ``--statistics``, ``--show-settings``...): one
mechanism, so every listing honours ``--format json`` the same way.

A listing is rows of plain values (what ``--format json`` prints, a JSON array of objects)
and the columns a terminal table shows, each with its own text rendering, plus notes
printed under the table (not in JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, TextIO


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    render: Callable[[dict], str] | None = None  # the cell's text (default: str of row[key])
    align: str = "<"  # "<" or ">"
    width: int = 0  # the least width
    last: bool = False  # the free-width last column (no padding)

    def text(self, row: dict) -> str:
        if self.render is not None:
            return self.render(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


@dataclass
class Listing:
    columns: Sequence[Column]
    rows: list[dict]
    notes: list[str] = field(default_factory=list)
    header: bool = True

    def write(self, out: TextIO, fmt: str = "text") -> None:
        if fmt == "json":
            json.dump(self.rows, out, indent=2, ensure_ascii=False, default=_plain)
            out.write("\n")
            return
        cells = [[c.text(r) for c in self.columns] for r in self.rows]
        titles = [c.title for c in self.columns]
        widths = [max([column.width, len(titles[i]) if self.header else 0, *(len(row[i]) for row in cells)])
                  for i, column in enumerate(self.columns)]
        lines = ([titles] if self.header else []) + cells
        for line in lines:
            parts = []
            for column, width, text in zip(self.columns, widths, line):
                parts.append(text if column.last else f"{text:{column.align}{width}}")
            out.write(" ".join(parts).rstrip() + "\n")
        for note in self.notes:
            out.write(note + "\n")


def _plain(value: Any):
    """JSON for values the rows may hold: dates, enums, sets."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)
