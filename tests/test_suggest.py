"""The commands messages suggest name the real file (shell-quoted) and a sensible output, never
FILE/OUT placeholders (except for standard input) nor NAME.jsonl.jsonl."""

from __future__ import annotations

import shlex

from hypothesis import example, given, strategies as st

from conftest import lint_paths
from ftlint.suggest import file_and_output, output_name

PRETTY = "KeerthanaManohar2001-fine_tuning__train_data_pretty_printed.jsonl"


def test_output_names():
    assert output_name("data.json", "fixed") == "data.jsonl"
    assert output_name("sheet.CSV", "chat") == "sheet.jsonl"
    assert output_name("train.jsonl", "gemini") == "train.gemini.jsonl"
    assert output_name("train.jsonl.gz", "fixed") == "train.fixed.jsonl"
    assert output_name("runs.v2/data", "chat") == "runs.v2/data.jsonl"
    assert output_name(".hidden", "chat") == ".hidden.jsonl"
    assert output_name(".jsonl", "chat") == ".chat.jsonl"


def test_standard_input_keeps_the_placeholders():
    assert file_and_output("<stdin>", "chat") == ("FILE", "OUT.jsonl")
    assert file_and_output(None, "chat") == ("FILE", "OUT.jsonl")


def test_names_are_quoted_for_the_shell():
    assert file_and_output("my data.json", "chat") == ("'my data.json'", "'my data.jsonl'")
    assert file_and_output("$(rm -rf x).jsonl", "fixed") == ("'$(rm -rf x).jsonl'", "'$(rm -rf x).fixed.jsonl'")


@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=1, max_size=40),
       st.sampled_from(["chat", "gemini", "fixed", "utf8"]))
@example(".jsonl", "chat")
@example("a.JSONL.gz", "fixed")
@example("-", "chat")
def test_the_output_is_never_the_input_nor_doubled_jsonl(path, tag):
    name = output_name(path, tag)
    assert name != path and name.endswith(".jsonl") and not name.endswith(".jsonl.jsonl")
    source, output = file_and_output(path, tag)
    if path not in ("-", "<stdin>"):
        assert shlex.split(source) == [path] and shlex.split(output) == [name]


def test_the_newcomers_pretty_printed_file(real_corpus):
    path = real_corpus / PRETTY
    problems, _ = lint_paths([path], select=["FT010"])
    (problem,) = problems
    assert problem.message == (
        "file is one pretty-printed JSON object over 6 lines, not JSONL (one object per line); convert it with: "
        f"jq -c . {path} > {str(path).removesuffix('.jsonl')}.fixed.jsonl")
