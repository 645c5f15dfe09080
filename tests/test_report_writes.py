"""A long report reaches a pipe in a few large writes; a terminal sees each line as it comes."""

from __future__ import annotations

import io
import json

import pytest

from ftlint import cli


class CountingStream(io.StringIO):
    def __init__(self, tty: bool = False):
        super().__init__()
        self.calls = 0
        self.tty = tty

    def write(self, text: str) -> int:
        self.calls += 1
        return super().write(text)

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def many_duplicates(tmp_path):
    path = tmp_path / "dups.jsonl"
    line = json.dumps({"prompt": "Is this spam? ->", "completion": " ham"}) + "\n"
    path.write_text(line * 3000)
    return str(path)


@pytest.mark.parametrize("fmt", ["text", "json", "concise"])
def test_a_pipe_gets_few_large_writes(many_duplicates, fmt):
    out = CountingStream()
    code = cli.main([many_duplicates, "--isolated", "--no-cache", "--show-all", "--select", "FT403",
                     "--format", fmt, "--color", "never"], stdout=out, stderr=io.StringIO())
    assert code == 0  # duplicates are warnings
    text = out.getvalue()
    assert text.count("FT403") >= 2999
    assert out.calls <= len(text) // 65536 + 3


def test_the_pipe_report_equals_the_terminal_report(many_duplicates):
    argv = [many_duplicates, "--isolated", "--no-cache", "--show-all", "--select", "FT403", "--color", "never"]
    piped, tty = CountingStream(), CountingStream(tty=True)
    cli.main(argv, stdout=piped, stderr=io.StringIO())
    cli.main(argv, stdout=tty, stderr=io.StringIO())
    assert piped.getvalue() == tty.getvalue()
    assert tty.calls >= 2999  # a terminal is written line by line
