"""Spreadsheets (CSV, TSV, XLSX) read as records, linted, and converted to JSONL."""

from __future__ import annotations

import csv
import io
import json

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
