"""``--stats FILE``: one row per example (file, line, tokens, target_tokens, messages, label, exact).

``tokens`` is what OpenAI bills per epoch for the example; ``target_tokens`` the part of
it in the training targets (assistant replies, completions), not OpenAI's ``trained_tokens``.

``label`` is the trained target's text when it is short enough to be a class
label (ftlint.labels.MAX_LABEL_CHARS), else empty; ``messages`` is empty for
prompt/completion lines. The format follows the suffix: ``.parquet`` (pyarrow), ``.csv`` or ``.jsonl``.
Rows are written as the files are linted, in batches of ``BATCH_ROWS``, so
memory stays bounded however large the input is (Parquet: one row group per
batch through ``pyarrow.parquet.ParquetWriter``).
"""

from __future__ import annotations

from pathlib import Path

import orjson

from ftlint.formats import CHAT, PREFERENCE
from ftlint.labels import tally_for

#: ``exact`` is false when the tokens are an estimate (a family without a public tokenizer) or a lower bound
#: (an example over the cap whose counting stopped early: FT303).
COLUMNS = ("file", "line", "tokens", "target_tokens", "messages", "label", "exact")
SUFFIXES = (".parquet", ".csv", ".jsonl")
BATCH_ROWS = 65_536


class StatsFileError(Exception):
    """The --stats path has an unknown suffix or cannot be written (exit 2)."""


def message_count(example) -> int | None:
    """Messages in the example (preference: input plus both outputs); None for prompt/completion."""
    data = example.data
    if example.format == CHAT:
        messages = data.get("messages")
        return len(messages) if isinstance(messages, list) else None
    if example.format == PREFERENCE:
        source = data.get("input")
        messages = source.get("messages") if isinstance(source, dict) else None
        n = len(messages) if isinstance(messages, list) else 0
        for key in ("preferred_output", "non_preferred_output"):
            output = data.get(key)
            n += len(output) if isinstance(output, list) else 0
        return n
    return None


class ExampleStatsWriter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.suffix = Path(path).suffix.lower()
        if self.suffix not in SUFFIXES:
            raise StatsFileError(f"--stats {path}: use a {', '.join(SUFFIXES)} file name")
        self.rows: dict[str, list] = {name: [] for name in COLUMNS}
        self._parquet = None
        try:
            self._handle = None if self.suffix == ".parquet" else open(path, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise StatsFileError(f"--stats {path}: {exc.strerror}") from None
        if self.suffix == ".csv":
            import csv  # only for --stats FILE.csv: a lint run does not pay for it

            self._csv = csv.writer(self._handle)
            self._csv.writerow(COLUMNS)

    def collector(self, ctx) -> "_FileRows | None":
        """Engine collector factory: rows for one file."""
        if ctx.counter is None:
            return None
        return _FileRows(self, ctx)

    def append(self, file: str, line: int, tokens: int, trained: int, messages, label, exact: bool = True) -> None:
        rows = self.rows
        rows["file"].append(file)
        rows["line"].append(line)
        rows["tokens"].append(tokens)
        rows["target_tokens"].append(trained)
        rows["messages"].append(messages)
        rows["label"].append(label)
        rows["exact"].append(exact)
        if len(rows["line"]) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        rows = self.rows
        if not rows["line"]:
            return
        if self.suffix == ".parquet":
            self._write_parquet(rows)
        elif self.suffix == ".csv":
            self._csv.writerows(zip(*(rows[name] for name in COLUMNS)))
        else:
            for values in zip(*(rows[name] for name in COLUMNS)):
                self._handle.write(orjson.dumps(dict(zip(COLUMNS, values))).decode() + "\n")
        for column in rows.values():
            column.clear()

    def _write_parquet(self, rows: dict[str, list]) -> None:
        import pyarrow as pa  # imported only when Parquet is asked for: it takes ~0.2 s
        import pyarrow.parquet as pq

        schema = pa.schema([
            ("file", pa.string()), ("line", pa.int64()), ("tokens", pa.int64()),
            ("target_tokens", pa.int64()), ("messages", pa.int32()), ("label", pa.string()),
            ("exact", pa.bool_()),
        ])
        if self._parquet is None:
            try:
                self._parquet = pq.ParquetWriter(self.path, schema)
            except OSError as exc:
                raise StatsFileError(f"--stats {self.path}: {exc}") from None
        batch = pa.record_batch([pa.array(rows[name], type=schema.field(name).type) for name in COLUMNS], schema=schema)
        self._parquet.write_batch(batch)

    def close(self) -> None:
        self.flush()
        if self._parquet is not None:
            self._parquet.close()
        elif self.suffix == ".parquet":
            # No example at all: still write a valid (empty) file.
            self._write_parquet(self.rows)
            self._parquet.close()
        if self._handle is not None:
            self._handle.close()


class _FileRows:
    """Collector feeding one file's examples to the run's writer."""

    def __init__(self, writer: ExampleStatsWriter, ctx) -> None:
        self.writer = writer
        self.path = ctx.path
        self.counter = ctx.counter
        self.labels = tally_for(ctx)

    def add(self, example) -> None:
        counter = self.counter
        counts = example.tokens(counter)
        total, trained = counts
        # A count that stopped early (counting.CountsAtLeast, over the cap) is a lower bound, not exact; nor is
        # the count of an example holding what the counter leaves approximate (tool definitions, images).
        exact = counter.exact and not hasattr(counts, "stopped")
        if exact and counter.may_approximate:
            exact = not counter.left_approximate(example)
        self.writer.append(
            self.path, example.line, total, trained, message_count(example), self.labels.label(example), exact)

    def result(self) -> dict:
        return {}
