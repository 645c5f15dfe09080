"""The command line through main(argv) -> int, as pre-commit-hooks tests do."""

from __future__ import annotations

import gzip
import io
import json

import pytest


from ftlint.cli import main

GOOD = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}


def run(argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def distinct(n):
    return [
        {"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}
        for i in range(n)
    ]


def test_clean_file_exits_zero_and_says_so(tmp_path):
    path = write(tmp_path / "ok.jsonl", distinct(60))
    code, out, err = run([str(path)])
    assert code == 0, out + err
    assert f"{path}: chat (messages), 60 examples; no problems" in out
    assert "All checks passed: 1 file, 60 examples." in out


def test_errors_exit_one_with_location_code_and_level(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in distinct(12)) + "\n\n{broken\n")
    code, out, _ = run([str(path)])
    assert code == 1
    assert f"{path}:13:1: FT004 [error] blank line" in out
    assert f"{path}:14:2: FT001 [error] invalid JSON" in out
    assert "Found 3 problems (2 errors, 1 warning, 0 info) in 1 file (12 examples)." in out


def test_warnings_pass_unless_strict(tmp_path):
    path = write(tmp_path / "w.jsonl", distinct(20))  # FT402: fewer than 50 examples
    assert run([str(path)])[0] == 0
    assert run([str(path), "--strict"])[0] == 1
    assert run([str(path), "--strict", "--exit-zero"])[0] == 0


def test_missing_file_exits_two_and_other_files_are_still_linted(tmp_path):
    good = write(tmp_path / "good.jsonl", distinct(60))
    code, out, err = run([str(tmp_path / "nope.jsonl"), str(good)])
    assert code == 2
    assert err.splitlines() == [f"ftlint: error: {tmp_path / 'nope.jsonl'}: no such file"]
    assert f"{good}: chat (messages), 60 examples; no problems" in out
    # Every format says it on stderr: --format json printed nothing there (an output review).
    for fmt in ("json", "sarif", "junit", "github", "concise", "html"):
        code, _, err = run([str(tmp_path / "nope.jsonl"), str(good), "--format", fmt])
        assert code == 2 and err.splitlines() == [f"ftlint: error: {tmp_path / 'nope.jsonl'}: no such file"], fmt


def test_a_directory_means_every_data_file_below_it(tmp_path, monkeypatch):
    """As `ruff check DIR`: every .jsonl and .jsonl.gz below, sorted; .git and the like are not
    searched; the config's excludes apply; a directory with no data file is a warning."""
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "empty").mkdir()
    for name in ("data/b.jsonl", "data/sub/a.jsonl", "data/eval.jsonl", ".git/x.jsonl"):
        write(tmp_path / name, distinct(60))
    with gzip.open(tmp_path / "data" / "c.jsonl.gz", "wt") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in distinct(60)))
    (tmp_path / "data" / "notes.txt").write_text("not data")
    (tmp_path / "ftlint.toml").write_text('extend-exclude = ["data/eval.jsonl"]\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["--no-cache", "-v", "-q", ".", "empty"])
    assert code == 0
    assert out == "All checks passed: 3 files, 180 examples.\n"
    assert err.splitlines()[1:] == [
        "ftlint: skipping ./data/eval.jsonl: excluded by 'data/eval.jsonl'",
        "ftlint: warning: no .jsonl or .jsonl.gz files in the directory empty",
    ]
    code, out, _ = run(["--no-cache", "data", "--format", "json"])
    assert [f["path"] for f in json.loads(out)["files"]] == ["data/b.jsonl", "data/c.jsonl.gz", "data/sub/a.jsonl"]


def test_gzip_input(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in distinct(11)) + "\n")
    code, out, _ = run([str(path)])
    assert code == 1
    assert f"{path}:12:1: FT004" in out


def test_stdin(tmp_path, monkeypatch):
    data = "".join(json.dumps(r) + "\n" for r in distinct(3)).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(["-"])
    assert code == 1
    assert "<stdin>: FT401 [error] training file has only 3 examples; the API requires at least 10" in out


def test_select_and_ignore_by_code_prefix_and_name(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": ""}]}) + "\n")
    _, out, _ = run([str(path), "--select", "FT1"])
    assert "FT105" in out and "FT106" in out and "FT401" not in out
    _, out, _ = run([str(path), "--select", "FT1", "--ignore", "empty-content"])
    assert "FT105" not in out and "FT106" in out
    code, _, err = run([str(path), "--select", "FT999"])
    assert code == 2 and 'no rule matches "FT999"' in err


def test_ignore_wins_over_select_and_the_command_line_says_so(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": ""}]}) + "\n")
    # The same rule in both (by code and by name): --ignore wins, as in ruff; one warning line, the run goes on.
    code, out, err = run([str(path), "--isolated", "--select", "FT105,FT106", "--ignore", "empty-content"])
    assert err == ('ftlint: warning: --select "FT105" and --ignore "empty-content" name the same rules: --ignore wins, '
                   "as in ruff, so FT105 does not run\n")
    assert code == 1 and "FT105" not in out and "FT106" in out
    # A wider ignore over a more specific select: ftlint's ignore still wins, where ruff's select would.
    code, out, err = run([str(path), "--isolated", "--extend-select", "FT105", "--ignore", "FT1"])
    assert err == ('ftlint: warning: --ignore "FT1" wins over the more specific --extend-select "FT105" (ruff would '
                   "let the select win), so FT105 does not run\n")
    assert "FT105" not in out and "FT106" not in out
    # Narrowing a select is what --ignore is for: no warning.
    code, out, err = run([str(path), "--isolated", "--select", "FT1", "--ignore", "FT105"])
    assert err == "" and "FT105" not in out and "FT106" in out


def test_list_rules_and_explain():
    code, out, _ = run(["--list-rules"])
    assert code == 0
    assert "FT001   invalid-json" in out and "FT008" in out and "(opt-in)" in out
    code, out, _ = run(["--explain", "blank-line"])
    assert code == 0
    assert out.startswith("# FT004 blank-line")
    for section in ("## What it does", "## Why it matters", "## Example", "## Fix"):
        assert section in out
    assert run(["--explain", "nope"])[0] == 2


def test_usage_errors_exit_two_with_one_line(tmp_path):
    code, out, err = run([])
    assert code == 2 and err.count("\n") == 1 and "no files given" in err
    code, _, err = run(["--format", "xml", "x.jsonl"])
    assert code == 2 and err.startswith("ftlint: error: argument --format")


def test_json_report_schema(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in distinct(12)) + "\n\n")
    code, out, _ = run([str(path), "--format", "json"])
    report = json.loads(out)
    assert code == 1
    assert report["version"] == 1
    (entry,) = report["files"]
    assert report["summary"] == {"errors": 1, "warnings": 1, "info": 0, "files": 1, "examples": 12, "unreadable": 0,
                                 "cost_usd": entry["cost"]["usd"]}
    assert entry["path"] == str(path) and entry["format"] == "chat" and entry["examples"] == 12
    assert entry["diagnostics"][0] == {
        "code": "FT004", "name": "blank-line", "severity": "error", "line": 13, "column": 1,
        "json_path": None, "message": "blank line; every line must be one JSON example, so delete it (ftlint --fix)",
    }
    file_level = [d for d in entry["diagnostics"] if d["line"] is None]
    assert [d["code"] for d in file_level] == ["FT402"]
    # -q must not change the machine-readable document
    assert json.loads(run([str(path), "--format", "json", "-q"])[1]) == report


def test_github_annotations_are_escaped(tmp_path):
    path = tmp_path / "a,b.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "50%\\nx"}, {"role": "assistant", "content": "<|endoftext|>"}]}\n')
    _, out, _ = run([str(path), "--format", "github", "--select", "FT112"])
    (line,) = [l for l in out.splitlines() if l.startswith("::")]
    assert line.startswith(f"::error file={str(path).replace(',', '%2C')},line=1,col=1,title=ftlint FT112 (reserved-special-token)::")
    assert "$.messages[1].content: text contains the reserved token <|endoftext|>" in line


def test_validation_file_overlap_is_reported(tmp_path):
    train = write(tmp_path / "train.jsonl", distinct(60))
    valid = write(tmp_path / "valid.jsonl", distinct(62)[58:])
    code, out, _ = run([str(train), "--validation", str(valid)])
    assert f"{valid}:1:1: FT405 [warning] also in the training file {train} (line 59)" in out
    assert f"{valid}:2:1: FT405 [warning] also in the training file {train} (line 60)" in out
    assert f"{valid} (validation): chat (messages), 4 examples" in out
    assert code == 0


def test_method_changes_rules(tmp_path):
    rft = write(tmp_path / "rft.jsonl", [{"messages": [{"role": "user", "content": f"q{i}"}], "answer": "A"} for i in range(60)])
    code, out, _ = run([str(rft)])
    assert code == 1 and "FT106" in out and "FT108" in out
    code, out, _ = run([str(rft), "--method", "reinforcement"])
    assert "FT106" not in out and "FT108" not in out


def test_python_dash_m_entry_point(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path / "ok.jsonl", distinct(60))
    proc = subprocess.run([sys.executable, "-m", "ftlint", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "All checks passed" in proc.stdout


def test_text_report_folds_a_rule_after_twenty_per_file_unless_show_all(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("".join(json.dumps(r) + "\n\n" for r in distinct(30)))
    _, out, _ = run([str(path), "--select", "FT004"])
    assert out.count(": FT004 [error]") == 20
    assert f"{path}: ... and 10 more FT004 problems (--show-all lists them)" in out
    assert "(FT004 x30)" in out
    _, out, _ = run([str(path), "--select", "FT004", "--show-all"])
    assert out.count(": FT004 [error]") == 30 and "more FT004" not in out
    _, out, _ = run([str(path), "--select", "FT004", "--format", "github"])
    assert out.count("::error ") == 30


def test_total_line_never_says_passed_when_a_file_was_unreadable(tmp_path):
    code, out, _ = run([str(tmp_path / "nope.jsonl")])
    assert code == 2
    assert "All checks passed" not in out
    assert out.splitlines()[-1] == "No problems in the files that were read (0 examples); 1 file could not be read."


def test_progress_line_on_a_terminal_for_large_files(tmp_path, monkeypatch):
    from ftlint import engine

    monkeypatch.setattr(engine, "PROGRESS_MIN_BYTES", 1)
    path = write(tmp_path / "big.jsonl", distinct(5000))

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out, err = io.StringIO(), Terminal()
    assert main([str(path)], stdout=out, stderr=err) == 0
    shown = err.getvalue()
    assert f"\r\x1b[K{path}: " in shown and "% of 0 MB" in shown
    assert shown.endswith("\r\x1b[K")  # cleared before the report's last lines
    assert "\x1b" not in out.getvalue()


def test_rft_grader_keys_are_listed_in_the_text_report(tmp_path):
    path = write(tmp_path / "rft.jsonl", [{"messages": [{"role": "user", "content": f"q{i}"}], "answer": "A",
                                           **({"topic": "x"} if i % 2 else {})} for i in range(60)])
    _, out, _ = run([str(path), "--method", "reinforcement", "--model", "o4-mini-2025-04-16"])
    assert "  grader keys (examples that have each): answer (60), topic (30)" in out
    assert "FT803" in out  # "topic" is missing from half of the examples


def test_config_rate_reaches_the_cost_estimate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ftlint.toml").write_text("rate = 2.5\nepochs = 2\n")
    path = write(tmp_path / "d.jsonl", distinct(60))
    _, out, _ = run([str(path), "--format", "json"])
    cost = json.loads(out)["files"][0]["cost"]
    assert cost["rate_per_1m"] == 2.5 and cost["epochs"] == 2
    tokens = json.loads(out)["files"][0]["tokens"]
    assert cost["usd"] == pytest.approx(tokens["billed"] * 2 * 2.5 / 1e6)
