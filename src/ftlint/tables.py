"""Tables people keep training data in: CSV and TSV (pyarrow), XLSX (openpyxl, ``ftlint[xlsx]``), and
Parquet (pyarrow), the form Hugging Face datasets are published in.

Each row becomes one record whose keys are the header's column names, so a
sheet with ``prompt`` and ``completion`` columns is read as prompt/completion
data and one with ``instruction``, ``input`` and ``output`` as Alpaca, as the
legacy ``prepare_data`` tool read them. A cell of a column that holds
structure (``messages``, ``conversations``, ``tools``...) is parsed when it is
JSON text. Rows are numbered as the sheet numbers them (the header is row 1).
Empty cells are left out. Reading is streaming: pyarrow reads CSV in blocks
and openpyxl's read-only mode reads a sheet row by row.

A Parquet file has no header row: its rows are numbered from 1, and its
columns keep their types (a ``messages`` column of lists of structs is a list
of objects, as ``datasets`` gives it to a trainer; a text cell stays text, even
JSON text, and "" is kept). It is read a batch of rows at a time through a
buffered stream, so memory does not grow with the file or its row groups.
Values JSON has no form for become text: binary data (an image's bytes) a
placeholder naming its size, decimals numbers, dates and times ISO 8601
(Arrow's own text where Python's datetime cannot hold them). Arrow gives a
struct every field any row had (a user message gets ``tool_calls: None``, a
tool's ``properties`` every parameter of every tool): fields that are None
are left out, which is the object as it was written.
"""

from __future__ import annotations

import os
from typing import Iterator

import orjson

from ftlint.reader import INVALID_JSON, InputError, Line

CSV = "csv"
TSV = "tsv"
XLSX = "xlsx"
PARQUET = "parquet"
EXTENSIONS = {".csv": CSV, ".tsv": TSV, ".xlsx": XLSX, ".parquet": PARQUET}
#: Rows of a Parquet file decoded at once (each a Python dict until it is linted): chitchat's 100 MB of
#: long conversations as Parquet peaked at 249 MB RSS with 256, 230 MB with 32 (JSONL: 147 MB). What made
#: the peak grow with the file was pyarrow's pre_buffer (read_parquet).
PARQUET_BATCH_ROWS = 32

#: Columns whose cells are JSON when they look like it (the keys of the formats that nest).
STRUCTURED_COLUMNS = frozenset({"messages", "conversations", "tools", "contents", "input", "preferred_output",
                                "non_preferred_output", "chosen", "rejected", "prompt", "completion", "history",
                                "system", "systemInstruction", "completions", "toolConfig", "functions"})


def table_kind(name: str) -> str | None:
    """CSV, TSV, XLSX or Parquet by the file name's extension, else None."""
    base = name[:-3] if name.endswith(".gz") else name
    return EXTENSIONS.get(os.path.splitext(base)[1].lower())


def _cell(column: str, value: object) -> object:
    if isinstance(value, str) and column in STRUCTURED_COLUMNS and value[:1] in ("[", "{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return value


def _record(columns: list[str], values) -> dict:
    return {c: _cell(c, v) for c, v in zip(columns, values) if v is not None and v != ""}


def _line(number: int, record: dict) -> Line:
    raw = orjson.dumps(record)
    return Line(number, raw, len(raw), (), record)


def _header(stream, delimiter: str) -> list[str]:
    """The header row's column names, read by peeking (the stream is not consumed)."""
    import csv as stdcsv
    import io

    peek = getattr(stream, "peek", None)
    head = peek(1 << 16) if peek is not None else b""
    text = head.decode("utf-8-sig", errors="replace")
    return next(stdcsv.reader(io.StringIO(text), delimiter=delimiter), [])


def read_csv(stream, delimiter: str) -> Iterator[Line]:
    import pyarrow as pa
    from pyarrow import csv

    # Every cell as text: a label "1" stays the string "1", as prepare_data read it.
    text_columns = {name: pa.string() for name in _header(stream, delimiter)}
    try:
        reader = csv.open_csv(
            stream,
            read_options=csv.ReadOptions(block_size=1 << 20),
            parse_options=csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=csv.ConvertOptions(column_types=text_columns, strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read the table: {exc}") from None
    columns = reader.schema.names
    number = 1
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            yield Line(number + 1, b"", 0, (INVALID_JSON,), error=f"the table cannot be read from here: {exc}")
            return
        for row in zip(*(col.to_pylist() for col in batch.columns)):
            number += 1
            yield _line(number, _record(columns, row))


def read_xlsx(name: str) -> Iterator[Line]:
    try:
        import openpyxl
    except ImportError:
        raise InputError("reading .xlsx needs openpyxl: pip install 'ftlint[xlsx]'") from None
    try:
        book = openpyxl.load_workbook(name, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"cannot read the workbook: {exc}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        columns = ["" if c is None else str(c) for c in header]
        for number, row in enumerate(rows, start=2):
            values = [None if v is None else v if isinstance(v, str) else _text(v) for v in row]
            if any(v not in (None, "") for v in values):
                yield _line(number, _record(columns, values))
    finally:
        book.close()


def read_parquet(name: str) -> Iterator[Line]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Arrow's default pool (mimalloc) kept what a batch freed: 173 MB of RSS reading a 100 MB table whose
    # batches never held more than 15 MB at once; the system allocator gives it back (109 MB).
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    parquet = None
    try:
        try:
            # pre_buffer (pyarrow's default) kept every row group read so far: RSS grew with the file (189 MB
            # of Parquet: 268 MB to read); a buffered stream reads a column chunk a MB at a time, not whole.
            parquet = pq.ParquetFile(name, pre_buffer=False, buffer_size=1 << 20)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"cannot read the Parquet file: {exc}") from None
        columns = parquet.schema_arrow.names
        twice = sorted({c for c in columns if columns.count(c) > 1})
        if twice:  # a record has one value a key: the last column would win without a word
            raise InputError(f"the Parquet file has more than one column named {', '.join(map(repr, twice))}; a "
                             "record holds one value per key: rename or drop the duplicates")
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, use_threads=False):
                for row in _pylist(pa, batch):
                    number += 1
                    # Typed cells as they are: text is not parsed as JSON (a trainer gets a string), "" is kept.
                    yield _line(number, {c: v for c in columns if (v := _jsonable(row.get(c))) is not None})
        except (pa.ArrowException, OSError, ValueError, OverflowError) as exc:
            yield Line(number + 1, b"", 0, (INVALID_JSON,), error=f"the Parquet file cannot be read from here: {exc}")
    finally:
        if parquet is not None:
            parquet.close()
        pa.set_memory_pool(pool)


def _pylist(pa, batch) -> list[dict]:
    try:
        return batch.to_pylist()
    except (ValueError, OverflowError):  # nanoseconds, years past 9999: datetime has no form for them; Arrow's text
        columns = [c.cast(pa.string()) if pa.types.is_temporal(c.type) else c for c in batch.columns]
        return pa.RecordBatch.from_arrays(columns, names=batch.schema.names).to_pylist()


def binary_columns(name: str) -> list[str]:
    """The columns of a Parquet file that hold binary data anywhere inside ([] for other files): their
    bytes read as placeholders, which --convert-to must not write as if they were the data."""
    if table_kind(name) != PARQUET:
        return []
    import pyarrow as pa

    def holds_binary(kind) -> bool:
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
            return True
        if pa.types.is_struct(kind):
            return any(holds_binary(kind.field(i).type) for i in range(kind.num_fields))
        if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
            return holds_binary(kind.value_type)
        if pa.types.is_map(kind):
            return holds_binary(kind.key_type) or holds_binary(kind.item_type)
        return False

    schema = _parquet_schema(name)
    return [field.name for field in schema if holds_binary(field.type)] if schema is not None else []


def _parquet_schema(name: str):
    """The Arrow schema of a Parquet file, None when it cannot be read (the reader says why)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(name)
    except (pa.ArrowException, OSError):
        return None


def _jsonable(value: object) -> object:
    """A Parquet value as JSON can hold it (see the module doc); lists and structs keep their shape."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        # A struct column has every field any row's object had, None where one lacked it (Arrow has no
        # missing key): the object as written has no such key. An explicit null reads as missing too.
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value):,} bytes of binary data>"
    if hasattr(value, "isoformat"):  # date, time, datetime
        return value.isoformat()
    import decimal

    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)  # durations, intervals: their text


def _text(value: object) -> str:
    # Numbers typed in a sheet are text to a trainer: 1.0 -> "1", as the sheet shows it.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(kind: str, source) -> Iterator[Line]:
    if kind == XLSX:
        return read_xlsx(source.name)
    if kind == PARQUET:
        if source.name.endswith(".gz"):  # pyarrow would say its magic bytes are not found
            raise InputError("a gzipped Parquet file is not read (Parquet compresses its own pages): gunzip it first")
        return read_parquet(source.name)
    return read_csv(source.stream, "\t" if kind == TSV else ",")


def columns(name: str, kind: str) -> list[str]:
    """The header's column names of a table file ([] when it cannot be read)."""
    if kind == PARQUET:
        schema = _parquet_schema(name)
        return list(schema.names) if schema is not None else []
    if kind == XLSX:
        try:
            import openpyxl

            book = openpyxl.load_workbook(name, read_only=True, data_only=True)
        except Exception:
            return []
        try:
            header = next(book.worksheets[0].iter_rows(values_only=True), ())
            return ["" if c is None else str(c) for c in header]
        finally:
            book.close()
    from ftlint.reader import open_source

    try:
        source = open_source(name)
    except InputError:
        return []
    try:
        return _header(source.stream, "\t" if kind == TSV else ",")
    finally:
        source.close()
