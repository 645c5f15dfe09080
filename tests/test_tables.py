"""Spreadsheets (CSV, TSV, XLSX) read as records, linted, and converted to JSONL."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_paths
from ftlint import tables
from ftlint.cli import main

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.just("\n"),
                max_size=12).filter(lambda t: t[:1] not in ("[", "{"))  # JSON-looking cells: see below


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=8), st.sampled_from([",", "\t"]))
def test_rows_come_back_as_records_of_text(rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["prompt", "completion"])
    writer.writerows(rows)
    data = io.BufferedReader(io.BytesIO(buffer.getvalue().encode()))
    lines = list(tables.read_csv(data, delimiter))
    assert [line.number for line in lines] == list(range(2, len(rows) + 2))
    assert [line.value for line in lines] == [{k: v for k, v in zip(("prompt", "completion"), row) if v != ""}
                                              for row in rows]


def test_a_csv_is_linted_as_prompt_completion_and_named_by_ft010(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('prompt,completion,id\n"Is it spam? ->"," yes\n",1\n"Win money ->",,2\n')
    problems, (result,) = lint_paths([path], select=["FT010", "FT201", "FT202"])
    assert result.format == "completion" and result.examples == 2
    assert sorted((p.line or 0, p.code) for p in problems) == [(0, "FT010"), (2, "FT202"), (3, "FT201"), (3, "FT202")]
    assert problems[-1].message == (
        "file is a CSV table of 2 rows; its columns prompt, completion, id are read as the keys prompt, completion, "
        f"id; a trainer that takes JSONL needs: ftlint {path} --convert-to completion -o {tmp_path}/data.jsonl")


def test_fix_refuses_a_table(tmp_path):
    from ftlint.fix import refuse_reason

    path = tmp_path / "data.tsv"
    path.write_text("prompt\tcompletion\na\tb\n")
    assert refuse_reason(str(path)) == (
        f"--fix rewrites JSONL files only ({path} is a TSV table); write JSONL with --convert-to first")


def test_json_cells_of_structured_columns_are_parsed(tmp_path):
    path = tmp_path / "chat.tsv"
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    path.write_text("messages\tnote\n" + json.dumps(messages) + "\t[not json]\n")
    lines = list(tables.read_csv(open(path, "rb"), "\t"))
    assert lines[0].value == {"messages": messages, "note": "[not json]"}


def test_convert_a_csv_to_chat_jsonl(tmp_path):
    src, dst = tmp_path / "data.csv", tmp_path / "chat.jsonl"
    src.write_text("instruction,input,output\nAdd,2+2,4\n")
    out, err = io.StringIO(), io.StringIO()
    assert main([str(src), "--convert-to", "chat", "-o", str(dst), "--select", "FT101"], stdout=out, stderr=err) == 0
    assert json.loads(dst.read_text()) == {"messages": [{"role": "user", "content": "Add\n2+2"},
                                                        {"role": "assistant", "content": "4"}]}


def test_xlsx_rows_are_records(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["prompt", "completion"])
    sheet.append(["2+2 ->", 4])
    sheet.append([None, None])
    sheet.append(["3+3 ->", " 6"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    assert [(l.number, l.value) for l in tables.read_xlsx(str(path))] == [
        (2, {"prompt": "2+2 ->", "completion": "4"}), (4, {"prompt": "3+3 ->", "completion": " 6"})]


# -- Parquet: Hugging Face datasets' own form --------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_MESSAGES = st.lists(st.fixed_dictionaries({"role": st.sampled_from(["system", "user", "assistant"]),
                                            "content": _TEXT}), min_size=1, max_size=4)


def _parquet(path, rows, row_group_size=None):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), str(path), row_group_size=row_group_size)
    return path


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({"messages": _MESSAGES, "id": st.one_of(st.none(), st.integers(0, 99))}),
                     min_size=1, max_size=12),
       row_group_size=st.integers(1, 5))
def test_parquet_rows_come_back_as_the_records_written(tmp_path_factory, rows, row_group_size):
    """Nested columns keep their shape across row groups and batches; missing cells (None) are left out."""
    path = _parquet(tmp_path_factory.mktemp("pq") / "train.parquet", rows, row_group_size)
    lines = list(tables.read_parquet(str(path)))
    assert [line.number for line in lines] == list(range(1, len(rows) + 1))
    assert [line.value for line in lines] == [{k: v for k, v in row.items() if v is not None} for row in rows]
    assert [json.loads(line.raw) for line in lines] == [line.value for line in lines]


def test_a_parquet_chat_file_is_linted_like_its_jsonl(tmp_path):
    """The same records as Parquet and as JSONL give the same findings, row for line (less the --fix hint: a
    table is not rewritten); FT010 names the columns."""
    spain = {"messages": [{"role": "user", "content": "Capital of Spain?"}, {"role": "assistant", "content": "Madrid."}]}
    rows = [spain, spain, {"messages": [{"role": "user", "content": "hi"}]}]
    parquet = _parquet(tmp_path / "train.parquet", rows)
    jsonl = tmp_path / "train.jsonl"
    jsonl.write_text("".join(json.dumps(row) + "\n" for row in rows))
    found, (result,) = lint_paths([parquet], select=["FT106", "FT403", "FT010"])
    expected, _ = lint_paths([jsonl], select=["FT106", "FT403"])
    assert result.format == "chat" and result.examples == 3
    hint = " (ftlint --fix --unsafe-fixes drops it)"
    assert [(p.line, p.code, p.message) for p in found if p.code != "FT010"] == \
        [(p.line, p.code, p.message.replace(hint, "")) for p in expected]
    assert any(hint in p.message for p in expected)
    assert [p.message for p in found if p.code == "FT010"] == [
        "file is a PARQUET table of 3 rows; its columns messages are read as the keys messages; a trainer that "
        f"takes JSONL needs: ftlint {parquet} --convert-to chat -o {tmp_path}/train.jsonl"]


def test_parquet_values_json_has_no_form_for_become_text(tmp_path):
    import datetime
    import decimal

    pa = pytest.importorskip("pyarrow")
    table = pa.table({"prompt": ["a ->"], "completion": [" b"], "image": [{"bytes": b"\x89PNG\r\n", "path": "x.png"}],
                      "day": [datetime.date(2024, 1, 2)],
                      "price": pa.array([decimal.Decimal("1.50")], pa.decimal128(5, 2))})
    import pyarrow.parquet as pq

    pq.write_table(table, str(tmp_path / "t.parquet"))
    (line,) = tables.read_parquet(str(tmp_path / "t.parquet"))
    assert line.value == {"prompt": "a ->", "completion": " b", "image": {"bytes": "<6 bytes of binary data>",
                                                                         "path": "x.png"},
                          "day": "2024-01-02", "price": 1.5}


def test_parquet_memory_does_not_grow_with_the_file(tmp_path):
    """pyarrow's pre_buffer kept every row group read so far: Arrow held as many bytes as the file (a 189 MB
    file peaked at 423 MB RSS linted, 229 MB now, as one of 45 MB does)."""
    import os

    pa = pytest.importorskip("pyarrow")
    rows = [{"prompt": os.urandom(4096).hex(), "completion": "x"} for _ in range(640)]
    path = _parquet(tmp_path / "big.parquet", rows, row_group_size=32)
    pools = {pa.default_memory_pool(), pa.system_memory_pool()}  # the cache took Arrow's default pool
    peak = max(max(p.bytes_allocated() for p in pools) for _ in tables.read_parquet(str(path)))
    assert os.path.getsize(path) > 4_000_000 and peak < 1_000_000


def test_parquet_text_cells_stay_text(tmp_path):
    """A typed string cell is what a trainer gets: JSON-looking text is not parsed (an Alpaca input of JSON gave
    FT910; a messages column of JSON text passed where its JSONL gives FT101) and "" is kept, not read as
    missing (an empty chosen read as prompt/completion data, FT021)."""
    rows = [{"instruction": "Parse", "input": '{"a": 1}', "output": ""},
            {"instruction": "Sum", "input": "[1, 2]", "output": "3"}]
    lines = list(tables.read_parquet(str(_parquet(tmp_path / "alpaca.parquet", rows))))
    assert [line.value for line in lines] == rows
    messages = json.dumps([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}])
    found, _ = lint_paths([_parquet(tmp_path / "text.parquet", [{"messages": messages}])], select=["FT101"])
    assert [p.message for p in found] == ["messages must be an array of message objects, not a string"]


def test_parquet_times_python_cannot_hold_are_arrows_text(tmp_path):
    """Nanoseconds and dates past year 9999 have no datetime: they were an internal error (ValueError,
    OverflowError); they read as Arrow's text, and where that cannot be had (inside a struct) the row is FT001."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    stamp = pa.scalar(1_700_000_000_123_456_789, pa.timestamp("ns"))
    pq.write_table(pa.table({"prompt": ["a"], "at": pa.array([stamp]), "day": pa.array([2**31 - 1], pa.date32())}),
                   str(tmp_path / "t.parquet"))
    (line,) = tables.read_parquet(str(tmp_path / "t.parquet"))
    assert line.value == {"prompt": "a", "at": "2023-11-14 22:13:20.123456789",
                          "day": "<value out of range: 2147483647>"}
    pq.write_table(pa.table({"prompt": ["a"], "meta": [{"at": stamp}]}), str(tmp_path / "nested.parquet"))
    (line,) = tables.read_parquet(str(tmp_path / "nested.parquet"))
    assert line.error.startswith("the Parquet file cannot be read from here: Nanosecond resolution")


def test_a_file_that_is_not_parquet_is_one_line_exit_2(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    out, err = io.StringIO(), io.StringIO()
    assert main([str(path), "--no-cache"], stdout=out, stderr=err) == 2
    assert err.getvalue().startswith(f"ftlint: error: {path}: cannot read the Parquet file: ")
    assert err.getvalue().count("\n") == 1


def test_gzipped_or_piped_parquet_is_one_line_exit_2(tmp_path, monkeypatch):
    """Neither can be read (pyarrow seeks to the footer): said so, not 'magic bytes not found' or 'no line of
    this file is a JSON object'."""
    import gzip

    path = _parquet(tmp_path / "train.parquet", [{"prompt": "a", "completion": "b"}])
    (tmp_path / "train.parquet.gz").write_bytes(gzip.compress(path.read_bytes()))
    out, err = io.StringIO(), io.StringIO()
    assert main([str(tmp_path / "train.parquet.gz"), "--no-cache"], stdout=out, stderr=err) == 2
    assert err.getvalue() == (f"ftlint: error: {tmp_path}/train.parquet.gz: a gzipped Parquet file is not read "
                              "(Parquet compresses its own pages): gunzip it first\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(path.read_bytes()))))
    out, err = io.StringIO(), io.StringIO()
    assert main(["-", "--no-cache"], stdout=out, stderr=err) == 2
    assert err.getvalue() == ("ftlint: error: <stdin>: Parquet is not read from stdin (its index is at the file's "
                              "end): name the .parquet file\n")


def test_llama_factory_reads_parquet_and_openai_does_not(tmp_path):
    path = _parquet(tmp_path / "train.parquet", [{"instruction": "Add", "input": "2+2", "output": "4"}] * 3)
    _, (lf,) = lint_paths([path], select=["FT010", "FT012"], provider="llama-factory")
    problems, _ = lint_paths([path], select=["FT012"])
    assert lf.codes == {} and [p.code for p in problems] == ["FT012"]


def test_converting_a_parquet_file_with_binary_columns_is_refused(tmp_path):
    """An image's bytes read as a placeholder for linting; written as JSONL the placeholder would stand in for
    the data, so --convert-to refuses and writes nothing (a file without such columns converts)."""
    rows = [{"messages": [{"role": "user", "content": "What is it?"}, {"role": "assistant", "content": "A cat."}],
             "images": [{"bytes": b"\x89PNG\r\n", "path": "cat.png"}]}]
    path = _parquet(tmp_path / "vision.parquet", rows)
    out, err = io.StringIO(), io.StringIO()
    assert main([str(path), "--convert-to", "chat", "-o", str(tmp_path / "out.jsonl")], stdout=out, stderr=err) == 2
    assert err.getvalue() == (
        f"ftlint: error: {path} has columns of binary data (images) that JSONL cannot hold: --convert-to would write "
        "placeholders for them; drop or encode those columns first (datasets: ds.remove_columns([...]))\n")
    assert not (tmp_path / "out.jsonl").exists()
    plain = _parquet(tmp_path / "plain.parquet", [{k: v for k, v in row.items() if k != "images"} for row in rows])
    assert main([str(plain), "--convert-to", "chat", "-o", str(tmp_path / "plain.jsonl"), "--select", "FT101"],
                stdout=out, stderr=err) == 0
    assert json.loads((tmp_path / "plain.jsonl").read_text()) == {"messages": rows[0]["messages"]}


@pytest.mark.parametrize("name", ["openai-cookbook__drone_training.head40.jsonl",
                                  "microsoft-foundry-fine-tuning__stock_toolcall_training.head30.jsonl",
                                  "microsoft-foundry-fine-tuning__orca_dpo_pairs_validation.head40.jsonl",
                                  "openai-cookbook__toy_chat_fine_tuning.jsonl"])
def test_real_files_as_parquet_are_linted_as_their_jsonl(tmp_path, name):
    """Real tool-calling, preference and chat files written as Parquet (as datasets writes them: every struct
    has every field any row had, None where a row lacked it) give the JSONL's findings, row for line. Before
    the None fields were left out, the whole tool files (103 and 86 rows) gave 1,856 and 260 problems (FT502,
    FT103) where their JSONL gives none."""
    from conftest import REPO

    source = REPO / "fixtures" / "real" / name
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    parquet = _parquet(tmp_path / "data.parquet", rows)
    found, (result,) = lint_paths([parquet], ignore=["FT010", "FT012"])
    expected, (reference,) = lint_paths([source], ignore=["FT010", "FT012"])
    hint = re.compile(r" \(ftlint --fix[^)]*\)")
    assert result.format == reference.format and result.examples == reference.examples
    assert [(p.line, p.code, hint.sub("", p.message)) for p in found] == \
        [(p.line, p.code, hint.sub("", p.message)) for p in expected]


def test_a_parquet_file_with_a_column_named_twice_is_one_line_exit_2(tmp_path):
    """A record holds one value per key: the last of two "messages" columns won without a word (review find)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "twice.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"]), pa.array(["c"])],
                                        names=["messages", "id", "messages"]), str(path))
    out, err = io.StringIO(), io.StringIO()
    assert main([str(path), "--no-cache"], stdout=out, stderr=err) == 2
    assert err.getvalue() == (f"ftlint: error: {path}: the Parquet file has more than one column named 'messages'; "
                              "a record holds one value per key: rename or drop the duplicates\n")


def test_a_parquet_file_under_another_name_is_named_as_parquet(tmp_path):
    path = _parquet(tmp_path / "train.jsonl", [{"prompt": "a", "completion": "b"}])
    problems, _ = lint_paths([path], select=["FT010"])
    assert [p.message for p in problems] == [
        "this is a Parquet file, not JSONL text; name it .parquet and ftlint reads its rows"]


def test_a_table_that_breaks_after_its_first_block_is_one_ft001_without_an_empty_excerpt(tmp_path):
    """The reader stops where a later block fails; FT001 says so, with no `near ``` excerpt of a line that is
    not there and no "repair or delete this line"."""
    path = tmp_path / "broken.csv"
    path.write_text("prompt,completion\n" + "".join(f"{'x' * 60} {i} ->, yes\n" for i in range(30000)) + "c,d,e\nf,g\n")
    problems, (result,) = lint_paths([path], select=["FT001"])
    (problem,) = problems
    assert 0 < result.examples < 30000 and problem.line == result.examples + 2  # the header is row 1
    assert problem.message.startswith("the table cannot be read from here: CSV parse error: Expected 2 columns, got 3")
    assert problem.message.endswith("; the rows after this one are not linted: repair the file, or write it again")
