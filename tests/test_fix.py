"""--fix, --unsafe-fixes and --diff: what changes, what stays byte-identical, exit codes."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, REAL_CORPUS, require_shared
from ftlint.cli import main
from ftlint.fix import SAFE_FIXES, UNSAFE_FIXES, replace_values
from ftlint.rules import load_rules

REAL = REAL_CORPUS
KANHA_CRLF = REAL / "kanha95-OpenAI_Finetuning__fine_tuning_data.jsonl"
LATSLATS_BROKEN = REAL / "latslats-finetune_er_projects__finetune_broken.jsonl"
SMS_SPAM = REAL / "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl"


def run(argv, cwd: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        code = main(["--isolated", *argv], out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def copy_real(source: Path, tmp_path: Path) -> Path:
    require_shared("corpus", "real", source.name)
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def chat(i: int, answer: str | None = "A") -> dict:
    messages = [{"role": "user", "content": f"Q{i}"}]
    if answer is not None:
        messages.append({"role": "assistant", "content": f"{answer}{i}"})
    return {"messages": messages}


def test_every_fixable_rule_has_a_fix_of_its_safety():
    rules = load_rules()
    declared = {code: r.fixable for code, r in rules.items() if r.fixable}
    implemented = {**{c: "safe" for c in SAFE_FIXES}, **{c: "unsafe" for c in UNSAFE_FIXES}}
    assert declared == implemented


def test_crlf_real_file(tmp_path):
    path = copy_real(KANHA_CRLF, tmp_path)
    original = path.read_bytes()
    assert b"\r\n" in original
    path.chmod(0o640)
    code, out, _ = run(["--fix", str(path)])
    assert code == 1 and out.startswith(f"Fixing {path}\n")
    fixed = path.read_bytes()
    assert fixed == original.replace(b"\r\n", b"\n")
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    # Idempotent: nothing left to fix, the file is not rewritten, exit is the lint result.
    inode = path.stat().st_ino
    code, out, _ = run(["--fix", str(path)])
    assert "Fixing" not in out and path.stat().st_ino == inode and code == 0


def test_broken_real_file_keeps_every_other_line(tmp_path):
    path = copy_real(LATSLATS_BROKEN, tmp_path)
    original = path.read_bytes()
    code, out, _ = run(["--fix", str(path)])
    assert code == 1 and "Fixing" in out
    assert "FT001" in out  # invalid JSON is reported, never dropped
    expected_lines = [line for line in original.split(b"\n") if line.strip()]
    assert path.read_bytes() == b"\n".join(expected_lines) + b"\n"
    assert not original.endswith(b"\n")


def test_leading_space_real_file_edits_only_the_completion(tmp_path):
    path = copy_real(SMS_SPAM, tmp_path)
    original = path.read_bytes().splitlines(keepends=True)
    code, _, _ = run(["--fix", "--ignore", "FT403", str(path)])
    fixed = path.read_bytes().splitlines(keepends=True)
    assert len(fixed) == len(original)
    changed = 0
    for old, new in zip(original, fixed):
        before, after = json.loads(old), json.loads(new)
        if old != new:
            changed += 1
            assert after["completion"] == " " + before["completion"]
            assert after["prompt"] == before["prompt"]
            # Only the completion's JSON text changed: the rest of the line is byte-identical.
            head = old[: old.rindex(b'"completion": "') + len(b'"completion": "')]
            assert new == head + b" " + old[len(head):]
    assert changed == len(original)


needs_patch = pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch tool")


@needs_patch
def test_diff_previews_exactly_what_fix_does(tmp_path):
    path = copy_real(LATSLATS_BROKEN, tmp_path)
    original = path.read_bytes()
    code, diff, _ = run(["--diff", path.name], cwd=tmp_path)
    assert code == 1 and path.read_bytes() == original
    assert diff.startswith(f"--- {path.name}\n+++ {path.name}\n@@ ")
    assert "\\ No newline at end of file" in diff
    preview = tmp_path / "preview"
    preview.mkdir()
    shutil.copyfile(path, preview / path.name)
    subprocess.run(["patch", "-s", "-p0"], input=diff.encode(), cwd=preview, check=True)
    run(["--fix", str(path)])
    assert (preview / path.name).read_bytes() == path.read_bytes()
    code, diff, _ = run(["--diff", str(path)])
    assert code == 0 and diff == ""


@needs_patch
def test_diff_hunks_for_scattered_changes(tmp_path):
    lines = [json.dumps(chat(i)) for i in range(40)]
    lines[5] += "\r"
    lines[30] += "\r"
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, diff, _ = run(["--diff", "t.jsonl"], cwd=tmp_path)
    assert diff.count("@@ -") == 2
    assert "@@ -3,7 +3,7 @@" in diff and "@@ -28,7 +28,7 @@" in diff
    copy = tmp_path / "c"
    copy.mkdir()
    shutil.copyfile(path, copy / "t.jsonl")
    subprocess.run(["patch", "-s", "-p0"], input=diff.encode(), cwd=copy, check=True)
    assert (copy / "t.jsonl").read_text() == "\n".join(lines).replace("\r", "") + "\n"


def test_refuses_stdin_and_gzip(tmp_path):
    code, _, err = run(["--fix", "-"])
    assert code == 2 and "--fix cannot rewrite standard input" in err
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write(json.dumps(chat(1)) + "\r\n")
    code, _, err = run(["--fix", str(gz)])
    assert code == 2 and "does not rewrite compressed files" in err
    assert err.count("\n") == 1


def test_unsafe_fixes_need_fix():
    code, _, err = run(["--unsafe-fixes", "x.jsonl"])
    assert code == 2 and "--unsafe-fixes needs --fix, --fix-only or --diff" in err


def test_bom_blank_and_final_newline(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(chat(1)).encode() + b"\n  \n\n" + json.dumps(chat(2)).encode())
    code, out, _ = run(["--fix", str(path)])
    assert code == 1
    assert path.read_bytes() == (json.dumps(chat(1)) + "\n" + json.dumps(chat(2)) + "\n").encode()


def test_fixes_follow_the_selection(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(json.dumps(chat(1)).encode() + b"\r\n\n" + json.dumps(chat(2)).encode() + b"\r\n")
    run(["--fix", "--ignore", "FT005", str(path)])
    assert path.read_bytes() == json.dumps(chat(1)).encode() + b"\r\n" + json.dumps(chat(2)).encode() + b"\r\n"


def test_per_file_ignores_apply_to_fixes(tmp_path):
    (tmp_path / "ftlint.toml").write_text("[per-file-ignores]\n'keep/*.jsonl' = ['FT005']\n")
    data = json.dumps(chat(1)).encode() + b"\r\n"
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl").write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        main(["--fix", "keep/a.jsonl", "b.jsonl"], out, err)
    finally:
        os.chdir(old)
    assert (tmp_path / "keep" / "a.jsonl").read_bytes() == data
    assert (tmp_path / "b.jsonl").read_bytes() == data.replace(b"\r\n", b"\n")


def test_separator_stop_and_leading_space(tmp_path):
    records = [{"prompt": f"text {i} ->", "completion": f" answer {i}\n"} for i in range(20)]
    records[3] = {"prompt": "text 3", "completion": "answer 3"}
    path = tmp_path / "pc.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, out, _ = run(["--fix", str(path)])
    fixed = [json.loads(line) for line in path.read_text().splitlines()]
    assert fixed[3] == {"prompt": "text 3 ->", "completion": " answer 3\n"}
    assert fixed[:3] + fixed[4:] == records[:3] + records[4:]
    assert "FT204" not in out and "FT206" not in out and "FT208" not in out


def test_unsafe_drops_duplicates_and_untrainable(tmp_path):
    records = [chat(i) for i in range(12)] + [chat(3), chat(99, answer=None), chat(5)]
    path = tmp_path / "u.jsonl"
    text = "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text)
    code, out, _ = run(["--fix", str(path)])
    assert path.read_text() == text and code == 1  # safe fixes only: nothing to do, FT106 errors remain
    assert "Fixing" not in out
    code, out, _ = run(["--fix", "--unsafe-fixes", str(path)])
    assert "Fixing" in out
    assert path.read_text() == "".join(json.dumps(r) + "\n" for r in records[:12])


def test_replace_values_keeps_escapes_and_layout():
    raw = '{"prompt":"caf\\u00e9 ->" , "completion" :  "\\u00e9t\\u00e9", "x": [1, 2]}'.encode()
    assert replace_values(raw, {"completion": " \u00e9t\u00e9"}) == (
        '{"prompt":"caf\\u00e9 ->" , "completion" :  " \\u00e9t\\u00e9", "x": [1, 2]}'.encode()
    )
    raw = '{"completion": "été", "prompt": "p"}'.encode()
    assert replace_values(raw, {"completion": " été", "prompt": "p ->"}) == '{"completion": " été", "prompt": "p ->"}'.encode()


def test_machine_formats_keep_stdout_parseable(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(json.dumps(chat(1)).encode() + b"\r\n")
    code, out, err = run(["--fix", "--format", "json", str(path)])
    assert json.loads(out)["files"][0]["path"] == str(path)
    assert err == f"Fixing {path}\n" and code == 1


def test_fix_throughput_real_file(tmp_path):
    """Not a benchmark: makes sure a 1.5 MB CRLF file is fixed well under a second or two."""
    import time

    path = copy_real(KANHA_CRLF, tmp_path)
    start = time.perf_counter()
    run(["--fix", "--select", "FT005", str(path)])
    assert time.perf_counter() - start < 5


def test_unsafe_fixes_never_drop_most_of_a_file(tmp_path):
    """RFT data linted as supervised: every example "lacks" an assistant message (a real case:
    the 6,150-line MedMCQ RFT file became 0 bytes). Nothing is written; exit 2 names the cause."""
    records = [{"messages": [{"role": "user", "content": f"Question {i}? Answer with a letter."}], "answer": "A"}
               for i in range(12)]
    path = tmp_path / "rft.jsonl"
    text = "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text)
    code, out, err = run(["--fix", "--unsafe-fixes", str(path)])
    assert code == 2 and path.read_text() == text and "Fixing" not in out
    assert err == (f"ftlint: error: {path}: --unsafe-fixes would drop 12 of 12 examples (FT106 12), more than half of "
                   "the file, so nothing was changed; examples without an assistant message are what reinforcement "
                   "fine-tuning data looks like, so the file was probably linted for the wrong method or model: "
                   "lint it with --method reinforcement and a model that takes it\n")
    code, out, err = run(["--diff", "--unsafe-fixes", str(path)])
    assert code == 2 and out == "" and "would drop 12 of 12 examples" in err


def test_unsafe_fixes_may_drop_up_to_half(tmp_path):
    records = [chat(i) for i in range(6)] + [chat(i) for i in range(6)]  # 6 duplicates of 12: exactly half
    path = tmp_path / "half.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, out, _ = run(["--fix", "--unsafe-fixes", str(path)])
    assert "Fixing" in out and path.read_text() == "".join(json.dumps(r) + "\n" for r in records[:6])
    path.write_text("".join(json.dumps(r) + "\n" for r in records + [chat(0)]))  # 7 of 13: refused
    code, _, err = run(["--fix", "--unsafe-fixes", str(path)])
    assert code == 2 and "would drop 7 of 13 examples (FT403 7)" in err and "concatenated with itself" in err


def test_fix_appends_no_full_stop_to_completions_that_end_otherwise(tmp_path):
    """Real legacy files end most completions with "." and some with "!": that is no stop
    sequence, so --fix must not append "." after the "!" (it did)."""
    source = FIXTURES / "FT206" / "fail" / "end_punctuation_is_not_a_stop.jsonl"
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(source.read_bytes())
    code, out, _ = run(["--fix", "--select", "FT204,FT206,FT208", str(path)])
    assert path.read_bytes() == source.read_bytes() and "Fixing" not in out


def test_fix_only_prints_fixing_lines_and_fails_only_when_it_changed_a_file(tmp_path):
    """The ftlint-fix hook: pre-commit-hooks' fixer convention, no lint report (the ftlint hook has it)."""
    path = tmp_path / "t.jsonl"
    rows = [json.dumps(chat(i)) for i in range(3)] + ['{"messages": [{"role": "human", "content": "x"}]}']
    path.write_bytes(("\r\n".join(rows) + "\r\n\r\n").encode())
    code, out, err = run(["--fix-only", "--isolated", str(path)])
    assert (code, out, err) == (1, f"Fixing {path}\n", "")
    assert path.read_bytes() == ("\n".join(rows) + "\n").encode()
    code, out, err = run(["--fix-only", "--isolated", str(path)])  # FT102 remains: not the fixer's failure
    assert (code, out, err) == (0, "", "")


def test_messages_promise_fix_only_where_fix_can_rewrite_the_file(tmp_path):
    """--fix refuses a JSON array ("write JSONL with --convert-to first"), so its messages must not offer it."""
    example = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    jsonl, array = tmp_path / "d.jsonl", tmp_path / "d.json"
    jsonl.write_text((json.dumps(example) + "\n") * 2)
    array.write_text("[\n" + ",\n".join([json.dumps(example)] * 2) + "\n]\n")  # elements on lines 2 and 3
    promised = " delete the later copy (ftlint --fix --unsafe-fixes drops it)"
    out = subprocess.run(["ftlint", "--isolated", "--no-cache", "--select", "FT403", str(jsonl)],
                         capture_output=True, text=True).stdout
    assert f"{jsonl}:2:1: FT403 [warning] duplicate of the example on line 1;{promised}\n" in out
    out = subprocess.run(["ftlint", "--isolated", "--no-cache", "--select", "FT403", str(array)],
                         capture_output=True, text=True).stdout
    assert (f"{array}:3:1: FT403 [warning] array index 1 is a duplicate of the example on line 2, array index 0; "
            "delete the later copy\n") in out
    assert "--fix" not in out
