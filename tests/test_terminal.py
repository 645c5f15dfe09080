"""Terminal behaviour: colour, the progress line, listings in JSON, closed pipes, usage errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ftlint.cli import main
from ftlint.terminal import ClearsProgress, ProgressLine, color_enabled

ROWS = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
        for i in range(30)]


class Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(ROWS) + '\n{"messages": [{"role": "human", "content": "hi"}]}\n\n')
    return path


def run(argv, out=None, err=None):
    out, err = out or io.StringIO(), err or io.StringIO()
    code = main(["--isolated", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("choice, env, tty, expected", [
    ("auto", {}, True, True), ("auto", {}, False, False), ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"FORCE_COLOR": "1"}, False, True), ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ("auto", {"TERM": "dumb"}, True, False), ("always", {"NO_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False), ("auto", {"NO_COLOR": ""}, True, True),
])
def test_color_choice(choice, env, tty, expected):
    assert color_enabled(choice, Tty() if tty else io.StringIO(), env) is expected


def test_color_on_a_terminal_none_in_a_pipe(bad, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = run([str(bad), "-q"], out=Tty())
    assert code == 1
    assert f"\x1b[1m{bad}:31:1\x1b[0m: \x1b[31;1mFT102\x1b[0m [\x1b[31;1merror\x1b[0m]" in out
    code, piped, _ = run([str(bad), "-q"])
    assert "\x1b" not in piped and f"{bad}:31:1: FT102 [error]" in piped
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run([str(bad), "-q"], out=Tty())[1]
    assert "\x1b" not in run([str(bad), "-q", "--format", "json", "--color", "always"])[1]  # machine formats: never


def test_progress_line_has_rate_and_time_left_and_is_cleared_before_output():
    clock = iter([0.0, 2.0, 4.0])
    err = Tty()
    progress = ProgressLine(err, clock=lambda: next(clock))
    progress("big.jsonl", 0, 200_000_000)
    progress("big.jsonl", 50_000_000, 200_000_000)
    assert err.getvalue().endswith("\r\x1b[Kbig.jsonl: 25% of 200 MB, 25.0 MB/s, 0:06 left")
    out = Tty()
    report = ClearsProgress(out, progress)
    report.write("big.jsonl:9:1: FT001 [error] ...\n")
    assert err.getvalue().endswith("left\r\x1b[K")  # the line was cleared before the problem printed
    progress("big.jsonl", 100_000_000, 200_000_000)
    assert err.getvalue().endswith("\r\x1b[Kbig.jsonl: 50% of 200 MB, 25.0 MB/s, 0:04 left")


def test_progress_on_a_real_large_file_never_shares_a_line_with_a_problem(tmp_path, monkeypatch):
    import ftlint.engine as engine

    monkeypatch.setattr(engine, "PROGRESS_MIN_BYTES", 1)
    big = tmp_path / "big.jsonl"
    rows = [json.dumps({"messages": [{"role": "user", "content": f"question {i}"},
                                     {"role": "assistant", "content": f"answer {i}"}]}) for i in range(4000)]
    big.write_text("\n".join(rows[:2000]) + "\n{oops\n" + "\n".join(rows[2000:]) + "\n")
    screen = Tty()  # stdout and stderr are the same terminal
    code = main(["--isolated", "-q", "--color", "never", str(big)], screen, screen)
    assert code == 1
    assert "% of" in screen.getvalue()  # the progress line was drawn
    for line in screen.getvalue().split("\n"):
        visible = line.rsplit("\r\x1b[K", 1)[-1]  # what the terminal shows after the last clear
        assert "% of" not in visible or "FT001" not in visible, line
    assert f"\r\x1b[K{big}:2001:2: FT001" in screen.getvalue()


def test_listings_honour_format_json(bad):
    code, out, _ = run(["--list-rules", "--format", "json"])
    rules = json.loads(out)
    assert code == 0 and {"code": "FT004", "name": "blank-line", "level": "error", "fix": "safe", "enabled": True,
                          "summary": "Blank line."} in rules
    code, out, _ = run(["--list-models", "--format", "json"])
    models = {m["model"]: m for m in json.loads(out)}
    assert models["gpt-4o-mini-2024-07-18"]["default"] is True and models["gpt-4o-mini-2024-07-18"]["token_cap"] == 65536
    code, out, _ = run(["--statistics", "--format", "json", str(bad)])
    assert code == 1
    assert json.loads(out)[:2] == [{"code": "FT004", "name": "blank-line", "count": 1, "fixable": "safe"},
                                   {"code": "FT102", "name": "role-invalid", "count": 1, "fixable": None}]
    code, out, _ = run(["--list-rules"])
    assert out.splitlines()[1].startswith("FT001   invalid-json ") and "[*] --fix fixes it" in out


def test_diff_writes_the_output_file(bad, tmp_path):
    target = tmp_path / "fixes.diff"
    code, out, _ = run(["--diff", "-o", str(target), str(bad)])
    assert code == 1 and out == ""
    assert target.read_text().startswith(f"--- {bad}\n+++ {bad}\n")


@pytest.mark.parametrize("flag", ["--dry-run", "--wait"])
def test_submit_only_flags_need_submit(flag, bad):
    code, out, err = run([flag, str(bad)])
    assert (code, out) == (2, "") and err == f"ftlint: error: {flag} needs --submit\n"


def test_a_closed_pipe_keeps_the_exit_code(bad):
    """`ftlint data/*.jsonl | head -1`: errors stay exit 1, no traceback."""
    script = ("set -o pipefail; " + f"{sys.executable} -m ftlint --isolated {bad} {bad} {bad} | head -c 1 >/dev/null; "
              "echo rc=$?")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "rc=1", done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr


def test_list_providers_honours_format_json():
    code, out, _ = run(["--list-providers", "--format", "json"])
    providers = {p["id"]: p for p in json.loads(out)}
    assert code == 0 and providers["openai"]["no_new_jobs_after"] == "2027-01-06"
    assert "https://developers.openai.com/api/docs/deprecations" in providers["openai"]["sources"]
    code, text, _ = run(["--list-providers"])
    assert text.startswith("openai         OpenAI (")
