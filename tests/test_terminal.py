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


@pytest.mark.parametrize("argv", [["--dry-run"], ["--wait"], ["--suffix", "x"], ["--seed", "3"], ["--reupload"],
                                  ["--batch-size", "4"], ["--metadata", "a=b"], ["--base-url", "http://127.0.0.1:9"]])
def test_submit_only_flags_need_submit(argv, bad):
    """Never silently ignored: a lint run with --dry-run would look like a dry run of a submit."""
    code, out, err = run([*argv, str(bad)])
    assert (code, out) == (2, "") and err == f"ftlint: error: {argv[0]} needs --submit\n"


def test_follow_takes_the_service_options_but_not_the_job_options():
    code, _, err = run(["--follow", "ftjob-1", "--suffix", "x"])
    assert code == 2 and err == "ftlint: error: --suffix needs --submit\n"


def test_a_closed_pipe_keeps_the_exit_code(bad):
    """`ftlint data/*.jsonl | head -1`: errors stay exit 1, no traceback."""
    script = ("set -o pipefail; " + f"{sys.executable} -m ftlint --isolated {bad} {bad} {bad} | head -c 1 >/dev/null; "
              "echo rc=$?")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "rc=1", done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr


def test_explain_honours_format_json():
    code, out, _ = run(["--explain", "blank-line", "--format", "json"])
    rule = json.loads(out)
    assert code == 0 and {k: rule[k] for k in ("code", "name", "level", "fix", "enabled", "summary")} == {
        "code": "FT004", "name": "blank-line", "level": "error", "fix": "safe", "enabled": True, "summary": "Blank line."}
    assert rule["explanation"] == run(["--explain", "FT004"])[1] and rule["explanation"].startswith("# FT004 blank-line")
    assert rule["url"] == "https://github.com/ftlint/ftlint/blob/main/docs/rules/FT004.md"


def test_list_providers_honours_format_json():
    code, out, _ = run(["--list-providers", "--format", "json"])
    providers = {p["id"]: p for p in json.loads(out)}
    assert code == 0 and providers["openai"]["no_new_jobs_after"] == "2027-01-06"
    assert "https://developers.openai.com/api/docs/deprecations" in providers["openai"]["sources"]
    code, text, _ = run(["--list-providers"])
    assert text.startswith("openai         OpenAI (")


# -- colour in every human output, as ruff does it; stderr lines never on the progress line --------

ESC = "\x1b["


@pytest.fixture
def plain_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


TOTAL = "Found 4 problems (3 errors, 1 warning, 0 info) in 1 file (31 examples)."


def test_concise_total_line_is_coloured_like_text(bad, plain_environment):
    _, out, _ = run(["--format", "concise", str(bad)], out=Tty())
    assert out.endswith(f"\x1b[1;31m{TOTAL}\x1b[0m\n")
    _, out, _ = run(["--format", "concise", str(bad)])
    assert ESC not in out and out.endswith(TOTAL + "\n")


@pytest.mark.parametrize("fmt", ["github", "json", "sarif", "junit", "html"])
def test_machine_formats_never_colour(bad, fmt, monkeypatch, plain_environment):
    monkeypatch.setenv("FORCE_COLOR", "1")
    for argv in ([], ["--color", "always"]):
        _, out, _ = run(["--format", fmt, *argv, str(bad)], out=Tty())
        assert ESC not in out, (fmt, argv)


def test_statistics_coloured_on_a_terminal_as_ruff_does(bad, monkeypatch, plain_environment):
    _, out, _ = run(["--statistics", str(bad)], out=Tty())
    lines = out.splitlines()
    assert lines[0] == "\x1b[1m1\x1b[0m  \x1b[31;1mFT004\x1b[0m  \x1b[36m[*]\x1b[0m blank-line"
    assert lines[1] == "\x1b[1m1\x1b[0m  \x1b[31;1mFT102\x1b[0m      role-invalid"
    assert lines[-1] == f"\x1b[1;31m{TOTAL}\x1b[0m"
    _, piped, _ = run(["--statistics", str(bad)])
    assert piped.splitlines()[0] == "1  FT004  [*] blank-line" and piped.splitlines()[-1] == TOTAL
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(["--statistics", str(bad)], out=Tty())[1] == piped
    assert ESC in run(["--statistics", "--color", "always", str(bad)])[1]


def test_an_output_file_is_coloured_only_with_color_always(bad, tmp_path, monkeypatch, plain_environment):
    monkeypatch.setenv("FORCE_COLOR", "1")
    target = tmp_path / "report.txt"
    run(["-q", "-o", str(target), str(bad)])
    assert ESC not in target.read_text() and target.read_text().endswith(TOTAL + "\n")
    run(["-q", "-o", str(target), "--color", "always", str(bad)])
    assert target.read_text().endswith(f"\x1b[1;31m{TOTAL}\x1b[0m\n")


@pytest.mark.parametrize("argv", [["--list-rules"], ["--list-models"], ["--list-providers"], ["--show-settings"],
                                  ["--explain", "FT004"]])
def test_listings_and_settings_are_plain_text_as_ruffs_are(argv, monkeypatch, plain_environment):
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run(argv, out=Tty())
    assert code == 0 and out and ESC not in out


def test_diff_is_coloured_and_escaped_on_a_terminal_and_exact_in_a_pipe(tmp_path, monkeypatch, plain_environment):
    path = tmp_path / "crlf.jsonl"
    raw = '{"messages": [{"role": "user", "content": "a\\u001b"}, {"role": "assistant", "content": "b"}]}'
    path.write_bytes(("\r\n".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"},
                                                           {"role": "assistant", "content": f"a{i}"}]})
                                  for i in range(3)) + "\r\n" + raw + "\x1b[31m\r\n").encode())
    code, piped, _ = run(["--diff", "--select", "FT005", str(path)])
    assert code == 1 and ESC not in piped.replace(raw + "\x1b[31m", "")
    assert "\x1b[31m" in piped  # the data's own bytes, exact, so `patch` applies the diff
    code, screen, _ = run(["--diff", "--select", "FT005", str(path)], out=Tty())
    assert code == 1
    lines = screen.splitlines()
    assert lines[0] == f"\x1b[1m--- {path}\x1b[0m" and lines[1] == f"\x1b[1m+++ {path}\x1b[0m"
    assert lines[2].startswith("\x1b[36m@@ -1,4 +1,4 @@")
    assert lines[3].startswith('\x1b[31m-{"messages"') and lines[3].endswith("\\r\x1b[0m")
    assert lines[4].startswith('\x1b[32m+{"messages"')
    assert "\\x1b[31m" in screen and "\x1b[31m\\r" not in screen  # the data's escape is shown, not obeyed
    monkeypatch.setenv("FORCE_COLOR", "1")
    target = tmp_path / "fixes.diff"
    run(["--diff", "--select", "FT005", "-o", str(target), str(path)])
    assert target.read_bytes().decode() == piped  # a file gets the exact diff
    monkeypatch.setenv("NO_COLOR", "1")
    code, plain_screen, _ = run(["--diff", "--select", "FT005", str(path)], out=Tty())
    assert plain_screen.splitlines()[0] == f"--- {path}" and "\x1b[3" not in plain_screen


def test_fixing_line_escapes_the_file_name(tmp_path):
    path = tmp_path / "bad\x1b[2Jname.jsonl"
    path.write_text("\n".join(ROWS) + "\n\n")
    code, out, _ = run(["--fix-only", str(path)])
    assert code == 1 and out == f"Fixing {tmp_path}/bad\\x1b[2Jname.jsonl\n"


def test_an_error_on_stderr_never_starts_on_the_progress_line(tmp_path, monkeypatch, plain_environment):
    import ftlint.engine as engine

    monkeypatch.setattr(engine, "PROGRESS_MIN_BYTES", 1)
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join(ROWS * 40) + "\n")
    screen = Tty()
    code = main(["--isolated", "--no-cache", "-q", "--select", "FT001", str(big), str(tmp_path / "missing.jsonl")],
                io.StringIO(), screen)
    assert code == 2 and "% of" in screen.getvalue()
    error = [line for line in screen.getvalue().split("\n") if "missing.jsonl" in line]
    assert len(error) == 1 and error[0].endswith(f"% of 0 MB\r\x1b[Kftlint: error: {tmp_path}/missing.jsonl: no such file")
    assert error[0].rsplit("\r\x1b[K", 1)[-1] == f"ftlint: error: {tmp_path}/missing.jsonl: no such file"  # what shows

