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


def test_a_run_stopped_by_an_error_leaves_the_old_report_whole(tmp_path):
    """An output review: -o k.json with a bad --also-output path (or one naming k.json again) exited 2 and
    left k.json truncated ('{"version":1, ... "files": [') after wiping the good report it held. -o now
    writes beside the file and renames it over the old one when the report is whole."""
    import io

    from ftlint import cli

    data = tmp_path / "d.jsonl"
    data.write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n')
    report = tmp_path / "k.json"
    report.write_text('{"old": "good"}')
    report.chmod(0o640)
    for extra in (["--also-output", f"sarif:{tmp_path / 'no' / 'dir' / 'x.sarif'}"],
                  ["--also-output", f"junit:{report}"]):
        err = io.StringIO()
        assert cli.main([str(data), "--no-cache", "--format", "json", "-o", str(report), *extra],
                        stdout=io.StringIO(), stderr=err) == 2
        assert report.read_text() == '{"old": "good"}' and len(err.getvalue().splitlines()) == 1
    assert cli.main([str(data), "--no-cache", "--format", "json", "-o", str(report)], stdout=io.StringIO(),
                    stderr=io.StringIO()) == 1  # FT401: one example
    import json

    assert json.loads(report.read_text())["version"] == 1 and (report.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".ftlint-tmp")] == []
