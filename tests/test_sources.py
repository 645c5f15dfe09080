"""JSON arrays read as a stream of records (ftlint.sources), and the format registry."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_paths
from ftlint import formats as fmts
from ftlint import reader, sources
from ftlint.formats import Format, FormatError, record_format

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(alphabet='ab"\\{}[],\n é'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='ab"\\[]{}', max_size=4), inner, max_size=3),
    max_leaves=8,
)


def read_array(data: bytes, max_bytes: int = 1 << 20):
    return list(sources.read_json_array(io.BufferedReader(io.BytesIO(data)), max_bytes))


@settings(max_examples=150, deadline=None)
@given(st.lists(json_values, max_size=6), st.sampled_from([None, 1, 2]), st.integers(1, 9))
def test_array_elements_with_their_start_lines_for_any_chunk_size(items, indent, chunk_size):
    data = json.dumps(items, indent=indent, ensure_ascii=False).encode()
    # The line each element starts on, from the same text parsed element by element.
    expected_lines = []
    if indent is None:
        expected_lines = [1] * len(items)
    else:
        expected_lines = [line for line in _element_lines(items, indent)]
    old = reader.CHUNK_SIZE
    reader.CHUNK_SIZE = chunk_size
    try:
        lines = read_array(data)
    finally:
        reader.CHUNK_SIZE = old
    assert [line.value if type(line.value) is dict else json.loads(line.raw) for line in lines] == items
    assert [line.number for line in lines] == expected_lines
    assert [line.element for line in lines] == list(range(len(items)))  # one-line arrays: the line alone is not enough
    assert all(line.events == (() if type(line.value) is dict else (reader.NOT_OBJECT,)) for line in lines)


def _element_lines(items, indent):
    line = 2  # "[" is on line 1
    for item in items:
        yield line
        line += json.dumps(item, indent=indent, ensure_ascii=False).count("\n") + 1


@pytest.mark.parametrize("data, message, line", [
    (b'[{"a": 1},\n]', "trailing comma before ] (JSON allows none)", 2),
    (b'[{"a": 1}\n{"b": 2}]', "expected , or ] between elements of the JSON array", 2),
    (b'[{"a": 1},\n{"b": ', "the JSON array ends inside an element", 2),
    (b'[{"a": 1}', "the JSON array is not closed with ]", 1),
    (b'[{"a": 1}]\nnotes', "text after the closing ] of the JSON array", 1),
])
def test_a_broken_array_ends_with_an_invalid_line_saying_why(data, message, line):
    *good, last = read_array(data)
    assert [g.value for g in good] == [{"a": 1}]
    assert (last.number, last.events, last.error) == (line, (reader.INVALID_JSON,), message)


def test_an_element_that_is_not_json_is_invalid_json_on_its_line():
    lines = read_array(b'[\n{"a": 1},\n{"a": tru}\n]')
    assert [(l.number, l.events) for l in lines] == [(2, ()), (3, (reader.INVALID_JSON,))]


def test_a_bom_before_the_array_is_an_event_on_the_first_element():
    (line,) = read_array(b'\xef\xbb\xbf[{"a": 1}]\n')
    assert line.events == (reader.BOM,) and line.value == {"a": 1}


def test_container_is_sniffed_from_the_first_bytes(tmp_path):
    (tmp_path / "a.json").write_bytes(b'\n  [ {"messages": []} ]')
    (tmp_path / "b.jsonl").write_bytes(b'{"messages": []}\n')
    assert sources.container_of_path(str(tmp_path / "a.json")) == sources.JSON_ARRAY
    assert sources.container_of_path(str(tmp_path / "b.jsonl")) == sources.JSONL
    assert sources.container_of_path(str(tmp_path / "missing")) == sources.JSONL


def test_records_of_a_json_array_are_linted_on_the_lines_they_start(tmp_path):
    path = tmp_path / "data.json"
    good = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    bad = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}
    path.write_text(json.dumps([good, bad], indent=2))
    problems, (result,) = lint_paths([path], select=["FT105", "FT010"])
    assert result.examples == 2 and result.format == "chat"
    assert [(p.line, p.code) for p in problems] == [(14, "FT105"), (None, "FT010")]
    assert problems[1].message.startswith("file is one JSON array of 2 items (2 objects) over 26 lines, not JSONL")


def test_fix_refuses_a_json_array(tmp_path):
    from ftlint.fix import refuse_reason

    path = tmp_path / "data.json"
    path.write_text('[{"prompt": "a", "completion": "b"}]')
    assert refuse_reason(str(path)) == (
        f"--fix rewrites JSONL files only ({path} is a JSON array); write JSONL with --convert-to first")


# -- the format registry -----------------------------------------------------------


def test_detection_keeps_the_built_in_order():
    assert record_format({"messages": [], "input": {}, "preferred_output": []}) == "chat"
    assert record_format({"input": {}, "preferred_output": [], "prompt": "x"}) == "preference"
    assert record_format({"prompt": "x"}) == "completion"
    assert record_format({"text": "x"}) == "trl-text"  # TRL language modeling (ftlint.trainer_formats)
    assert record_format({"unknown": "x"}) is None


def test_titles_methods_and_schemas_come_from_the_declarations():
    chat = fmts.get("chat")
    assert fmts.FORMAT_TITLES["chat"] == chat.title == "chat (messages)"
    assert fmts.DEFAULT_METHOD["preference"] == "dpo"
    assert fmts.METHOD_FORMATS["supervised"][:2] == ("chat", "completion")
    assert fmts.METHOD_FORMATS["dpo"][0] == "preference"
    for format_id in fmts.ids():
        schema = fmts.get(format_id).schema
        if schema is not None:
            from ftlint.schemas import load_schema

            assert load_schema(schema)["type"] == "object", format_id


def test_a_registered_format_is_detected_and_split_without_naming_it_elsewhere():
    fmt = Format("test-only-records", "test-only", lambda obj: "zz_test_key" in obj, method=None, methods=(),
                 split=lambda d: (None, d["zz_test_key"]), precedence=1)
    fmts.register(fmt)
    try:
        assert record_format({"zz_test_key": "x", "messages": []}) == "test-only-records"
        assert fmts.majority_format([{"zz_test_key": 1}, {"zz_test_key": 2}, {"messages": []}]) == "test-only-records"
        example = fmts.Example(1, {"zz_test_key": "t"}, "test-only-records")
        assert example.split == (None, "t") and example.target_text == "t"
        with pytest.raises(FormatError, match='format "test-only-records" is registered twice'):
            fmts.register(fmt)
    finally:
        fmts._unregister_for_tests("test-only-records")
    assert record_format({"zz_test_key": "x"}) is None


_detect_keys = ["messages", "prompt", "completion", "label", "chosen", "rejected", "conversations", "instruction",
                "text", "contents", "completions", "schemaVersion", "input", "preferred_output", "chosen_messages",
                "rejected_messages", "output", "zz"]
_detect_values = st.one_of(st.booleans(), st.text(max_size=2), st.just([]), st.just([{"loss_weight": 1}]),
                           st.just([{"role": "user", "content": "x"}]), st.none())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_detect_keys), _detect_values), max_size=5))
def test_detection_by_key_set_agrees_with_asking_every_detector(items):
    """record_format keeps its plan per key set; a value-looking detector (value_keys) is still asked per record."""
    record = dict(items)
    direct = next((f.id for f in fmts._ORDER if f.detect(record)), None)
    assert fmts.record_format(record) == direct
    assert fmts.record_format(dict(record)) == direct  # the second time from the memo
