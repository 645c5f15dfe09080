"""A file whose every line fails keeps each line's own diagnosis (FT001, FT002); FT010's
"not JSONL" is for files that are not meant as JSONL (notes, arrays, binary data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import lint_paths

#: Text Latin-1 can encode, with at least one letter that is not ASCII (so it is not UTF-8 as well).
latin1_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters='"\\\x7f'),
                      max_size=20).map(lambda t: t + "é")
records = st.lists(st.builds(lambda q, a: {"messages": [{"role": "user", "content": q},
                                                        {"role": "assistant", "content": a}]},
                             latin1_text, latin1_text), min_size=1, max_size=8)

#: How each line is broken -> (its bytes, the code and the words of the line's problem).
BREAKAGES = {
    "latin-1": (lambda r: json.dumps(r, ensure_ascii=False).encode("latin-1"), "FT002", "is not valid UTF-8"),
    "python repr": (lambda r: repr(r).encode(), "FT001", "line is a Python dict literal"),
    "trailing comma": (lambda r: json.dumps(r).encode() + b",", "FT001", "line is a JSON object followed by a comma"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(examples=records, breakage=st.sampled_from(sorted(BREAKAGES)), crlf=st.booleans())
def test_each_broken_line_is_named_by_its_cause_not_by_not_jsonl(tmp_path, examples, breakage, crlf):
    write, code, words = BREAKAGES[breakage]
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"".join(write(r) + (b"\r\n" if crlf else b"\n") for r in examples))
    problems, _ = lint_paths([path])
    assert "FT010" not in {p.code for p in problems}
    named = {p.line for p in problems if p.code == code and words in p.message and p.column}
    assert named == set(range(1, len(examples) + 1))


def test_the_start_of_an_executable_is_a_binary_file_not_cr_line_endings(tmp_path):
    executable = Path("/bin/ls")
    if not executable.exists():
        pytest.skip("no /bin/ls")
    path = tmp_path / "bin.jsonl"
    path.write_bytes(executable.read_bytes()[:2000])
    problems, _ = lint_paths([path])
    assert [(p.code, p.message) for p in problems] == [
        ("FT010", "this is a binary file (an ELF executable), not JSONL text; lint the dataset file instead")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=3000), at=st.integers(0, 2999))
@example(data=b"{}\n", at=3)  # a line of the PNG parses as an object: still a binary file (hypothesis found it)
def test_bytes_holding_a_nul_are_never_called_cr_line_endings_or_notes(tmp_path, data, at):
    at = min(at, len(data))
    path = tmp_path / "blob.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + data[:at] + b"\x00" + data[at:])
    problems, _ = lint_paths([path])
    file_level = [p.message for p in problems if p.code == "FT010"]
    assert file_level == ["this is a binary file (a PNG image), not JSONL text; lint the dataset file instead"]


def test_notes_are_still_not_jsonl(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text("# my notes\n{ draft\n- todo\n")
    problems, _ = lint_paths([path])
    assert [p.code for p in problems] == ["FT010"] and "no line of this file is a JSON object" in problems[0].message
