"""Nothing from the data or a file name is injected into any output (attack report F5, F6, F7, F17).

The escaping lives in one module (ftlint.escape); these tests check the functions
with hypothesis and every output format end to end with the attack report's payloads.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, find_shared
from ftlint import escape
from ftlint.reporters import REPORTER_NAMES

#: Anything a terminal or a log viewer acts on.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_terminal_is_one_printable_line(text):
    shown = escape.terminal(text)
    assert "\n" not in shown and "\r" not in shown and "\t" not in shown
    assert not RAW_CONTROL.search(shown)
    shown.encode("utf-8")  # no lone surrogate left


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn"))))
def test_terminal_keeps_printable_text(text):
    assert escape.terminal(text) == text


def _code_point(escaped: str) -> int:
    """The code point an escape of ftlint.escape stands for (\\xNN, \\uNNNN, \\UNNNNNNNN)."""
    return int(escaped[2:], 16)


#: Invisible characters: format (U+2060 word joiner, U+200B, U+FEFF, tags), private use, unassigned, surrogates.
INVISIBLE = st.characters(whitelist_categories=("Cf", "Co", "Cn", "Cs"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc",))), INVISIBLE)
def test_terminal_shows_invisible_characters_as_their_code_point(text, char):
    shown = escape.terminal(f"{text}{char}")
    escaped = re.search(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})$", shown)
    assert escaped, shown
    code = _code_point(escaped.group())
    # A surrogate from os.fsdecode (U+DC80..U+DCFF) is the undecodable byte it stands for.
    assert code == ord(char) or (0xDC80 <= ord(char) <= 0xDCFF and code == ord(char) - 0xDC00)
    assert shown.count("\ufffd") == text.count("\ufffd")  # never a replacement character of its own
    assert all(c.isprintable() or unicodedata.category(c) == "Zs" for c in shown)


def test_terminal_names_the_word_joiner():
    # newcomer review: "success!\u2060" was printed as "success!\ufffd", which says the UTF-8 is broken.
    assert escape.terminal("success!\u2060\n") == "success!\\u2060\\n"
    assert escape.terminal("a\u200bb\ufeff\U000e0041\ue000\U0010fffd") == "a\\u200bb\\ufeff\\U000e0041\\ue000\\U0010fffd"
    assert escape.terminal("caf\u00e9\u00a0\u3000\u4e2d") == "caf\u00e9\u00a0\u3000\u4e2d"  # text and spaces stay


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=40), st.sampled_from(["\u2060", "\u00e9", "\u4e2d", "\U0001f436"]))
def test_invalid_json_excerpt_never_cuts_a_character(pad, char):
    """FT001's excerpt is cut at character boundaries: no U+FFFD for a good character cut in half."""
    from ftlint.reader import parse_line
    from ftlint.rules import ft001_invalid_json as ft001

    raw = ('{"a": "' + "x" * pad + char * 20 + '" "b": 1}\n').encode()  # a missing comma
    (finding,) = ft001.check(parse_line(1, raw, len(raw), True, False), {}, None)
    assert "\ufffd" not in finding.message
    near = finding.message.split("near `", 1)[1].rsplit("`", 1)[0]
    assert near.removeprefix("...") in raw.decode()


def test_html_excerpt_shows_bad_bytes_and_invisible_characters_as_code_points():
    from ftlint.reporters.html import excerpt

    shown = excerpt('{"a": "ok\u2060"} '.encode() + b"\xff")  # escaped HTML
    assert shown == '{&quot;a&quot;: &quot;ok\\u2060&quot;} \\xff' and "\ufffd" not in shown


def test_invalid_json_excerpt_shows_word_joiner_escaped(tmp_path):
    # The newcomer review's line 369 of latslats-finetune_er_projects__finetune_broken.jsonl, shortened.
    path = tmp_path / "broken.jsonl"
    good = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n'
    path.write_bytes((good + '{"messages": [{"role": "user", "content": "for success!\u2060\\n\u2060\\n"Who wo"}]}\n').encode())
    result = _run([str(path), "--select", "FT001"], cwd=tmp_path)
    out = result.stdout.decode()
    assert "success!\\u2060\\n\\u2060\\n\"Who wo" in out, out
    assert "\ufffd" not in out


def test_terminal_shows_what_it_escaped():
    assert escape.terminal("a\x1b[2J\r\n::error::x\t\x85\u202e") == "a\\x1b[2J\\r\\n::error::x\\t\\x85\\u202e"
    assert escape.terminal(os.fsdecode(b"name_\xff\xfe.jsonl")) == "name_\\xff\\xfe.jsonl"


def _github_decode(text: str, prop: bool) -> str:
    """GitHub's runner unescaping (the inverse of the toolkit's escaping)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    out, i = [], 0
    while i < len(text):
        for code, char in pairs:
            if text.startswith(code, i):
                out.append(char)
                i += 3
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@given(st.text())
def test_github_escaping_cannot_forge_a_command(text):
    message, prop = escape.github_message(text), escape.github_property(text)
    assert "\n" not in message and "\r" not in message and not RAW_CONTROL.search(message)
    assert ":" not in prop and "," not in prop and "\n" not in prop
    # The runner gets back exactly the terminal-escaped text: nothing lost, nothing added.
    assert _github_decode(message, prop=False) == escape.terminal(text)
    assert _github_decode(prop, prop=True) == escape.terminal(text)


MARKUP = re.compile(r"(?<!\\)[\[\]()!`|*_<>]")


@given(st.text())
def test_markdown_has_no_live_markup(text):
    shown = escape.markdown(text)
    assert "\n" not in shown and "<" not in shown and ">" not in shown
    assert not MARKUP.search(shown.replace("\\\\", ""))


@given(st.text())
def test_markdown_code_span_holds_any_text(text):
    span = escape.markdown_code(text)
    fence = re.match("`+", span).group()
    inner = span[len(fence):-len(fence)]
    assert fence not in inner  # the span cannot be closed early
    assert "\n" not in span


def test_bounded_cuts_long_replies():
    shown = escape.bounded("x" * 50_000_000 + "\x1b")
    assert len(shown) < 600 and shown.endswith("(49,999,501 more characters)")
    assert escape.bounded("ok\n::error::x") == "ok\\n::error::x"


# -- end to end: the attack report's payloads through every format ------------------------------------

PAYLOAD_ROLE = "us\x1b[31mer\r\n::error file=x.py::INJECTED ![t](https://evil.example/p.png) <img src=x>"


def _inject_file(directory: Path, name: str) -> Path:
    path = directory / name
    records = [
        {"messages": [{"role": PAYLOAD_ROLE, "content": "hi"}, {"role": "assistant", "content": "ok"}]},
        {"messages": [{"role": "user", "content": "q", "name": "a\x1b]0;TITLE\x07\n::add-mask::x"},
                      {"role": "assistant", "content": "ok"}]},
    ]
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    return path


def _run(args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "ftlint", "--isolated", *args], cwd=cwd, capture_output=True,
                          timeout=120, env={**os.environ, **(env or {})})


EVIL_NAME = "a\n::error file=evil.py,line=1::PATH-INJECTED\x1b[2J\n.jsonl"


@pytest.mark.parametrize("fmt", REPORTER_NAMES)
def test_no_format_passes_injection_from_data_or_file_name(tmp_path, fmt):
    _inject_file(tmp_path, EVIL_NAME)
    summary = tmp_path / "summary.md"
    result = _run(["--format", fmt, "--show-all", EVIL_NAME], tmp_path, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode()
    for stream in (out, result.stderr.decode()):
        assert "\x1b" not in stream and "\r" not in stream and "\x07" not in stream
        # Every line is ftlint's own: none starts with a forged workflow command.
        forged = [line for line in stream.splitlines() if line.startswith("::") and "title=ftlint" not in line]
        assert forged == []
    if fmt == "json" or fmt == "sarif":
        json.loads(out)
        assert "INJECTED" in out  # the data is reported, JSON-escaped
    if fmt == "junit":
        ET.fromstring(out)
    if fmt in ("text", "concise"):
        assert r"us\x1b[31mer\r\n::error file=x.py::INJECTED" in out  # shown, escaped
    if fmt == "github":
        text = summary.read_text()
        assert "<img" not in text and "![t](" not in text and "\x1b" not in text
        assert r"\!\[t\]\(https" in text  # shown literally
        # The summary line of the file (text reporter's end_file) escapes the name too.
        assert r"a\n::error file=evil.py,line=1::PATH-INJECTED\x1b[2J\n.jsonl: chat" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text", "github"])
def test_non_utf8_file_name(tmp_path, fmt):
    """F5: an undecodable file name is shown as \\xNN; JSON and SARIF stay valid."""
    name = b"name_\xff\xfe.jsonl"
    (tmp_path / os.fsdecode(name)).write_bytes(b'{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"x"}]}\n')
    result = subprocess.run([sys.executable, "-m", "ftlint", "--isolated", "--format", fmt, name], cwd=tmp_path,
                            capture_output=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("utf-8")
    if fmt == "json":
        assert json.loads(out)["files"][0]["path"] == "name_\\xff\\xfe.jsonl"
    elif fmt == "sarif":
        log = json.loads(out)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
        assert uris <= {"name_%FF%FE.jsonl"}
    else:
        assert "name_\\xff\\xfe.jsonl" in out


def test_action_echo_cannot_inject(tmp_path):
    """F6: the Action's "ftlint ..." echo line escapes the file names."""
    _inject_file(tmp_path, EVIL_NAME)
    env = {**os.environ, "INPUT_FILES": ".", "PYTHONPATH": str(REPO / "src")}
    env.pop("GITHUB_STEP_SUMMARY", None)
    result = subprocess.run([sys.executable, "-m", "ftlint.action"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    forged = [line for line in result.stdout.splitlines() if line.startswith("::") and "title=ftlint" not in line]
    assert forged == [] and "PATH-INJECTED" in result.stdout


# -- the shared-directory helper ------------------------------------------------------------------------

def test_find_shared_prefers_env_then_beside_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("FTLINT_SHARED", str(tmp_path / "elsewhere"))
    assert find_shared(tmp_path / "repo") == tmp_path / "elsewhere"
    monkeypatch.delenv("FTLINT_SHARED")
    assert find_shared(tmp_path / "repo") == tmp_path / "shared"


def test_find_shared_from_a_worktree(tmp_path, monkeypatch):
    monkeypatch.delenv("FTLINT_SHARED", raising=False)
    (tmp_path / "shared").mkdir()
    (tmp_path / "main" / ".git" / "worktrees" / "x").mkdir(parents=True)
    (tmp_path / "wt" / "x").mkdir(parents=True)
    (tmp_path / "wt" / "x" / ".git").write_text(f"gitdir: {tmp_path}/main/.git/worktrees/x\n")
    assert find_shared(tmp_path / "wt" / "x") == tmp_path / "shared"


def test_missing_shared_data_fails_under_ci(tmp_path):
    """A test that needs the corpus must not skip silently in CI."""
    test = tmp_path / "test_needs_corpus.py"
    test.write_text("from conftest import require_shared\n\ndef test_x():\n    require_shared('corpus', 'nothing-here')\n")
    env = {**os.environ, "FTLINT_SHARED": str(tmp_path / "none"), "PYTHONPATH": str(REPO / "tests")}
    ci = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
                        cwd=tmp_path, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=120)
    assert ci.returncode == 1 and "1 failed" in ci.stdout and "CI=true" in ci.stdout
    local = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
                           cwd=tmp_path, env={**env, "CI": ""}, capture_output=True, text=True, timeout=120)
    assert local.returncode == 0 and "1 skipped" in local.stdout


def test_no_report_line_starts_a_workflow_command(tmp_path, monkeypatch):
    """A file named "::stop-commands::x.jsonl": its name starts the text and concise formats' lines and the
    github format's per-file line, and GitHub Actions reads a line starting with "::" as a command (here:
    ignore every annotation after it). Those lines write the leading "::" as "%3A%3A"; the github format's
    own annotations are untouched (an output review, 2026-12-01)."""
    import io

    from ftlint import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "::stop-commands::x.jsonl").write_text('{"messages": [{"role": "user", "content": "hi"}]}\n')
    for fmt in ("text", "concise", "github"):
        out = io.StringIO()
        cli.main(["--no-cache", "--isolated", "--format", fmt, "--", "::stop-commands::x.jsonl"], stdout=out,
                 stderr=io.StringIO())
        lines = out.getvalue().splitlines()
        assert lines and all(not line.lstrip().startswith("::") or line.startswith(("::error ", "::warning ",
                                                                                        "::notice "))
                             for line in lines), (fmt, lines)
        assert any(line.startswith("%3A%3Astop-commands::x.jsonl") for line in lines), (fmt, lines)
        if fmt == "github":
            assert any(line.startswith("::error file=%3A%3Astop-commands%3A%3Ax.jsonl,") for line in lines)
