"""--write-baseline / --baseline: today's problems accepted, new ones reported, fixed ones reported gone."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint.baseline import fingerprint
from ftlint.cli import main
from ftlint.problem import Level, Problem


def chat(i: int, role: str = "user") -> str:
    return json.dumps({"messages": [{"role": role, "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})


def run(argv, cwd, monkeypatch):
    monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--isolated", "--select", "FT001,FT102", "-q", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_round_trip_new_problems_only_and_fixed_ones_gone(tmp_path, monkeypatch):
    data = tmp_path / "data.jsonl"
    rows = [chat(i) for i in range(20)]
    rows[4] = chat(4, role="human")  # FT102 today
    rows[9] = "{broken"  # FT001 today
    data.write_text("\n".join(rows) + "\n")

    code, out, err = run(["--write-baseline", "base.json", "data.jsonl"], tmp_path, monkeypatch)
    assert code == 0  # recording is not a failure
    # One line says what was written; the problems are in the file, not printed again.
    assert out == "" and err == "ftlint: wrote the baseline base.json: 2 problems in 1 file\n"
    document = json.loads((tmp_path / "base.json").read_text())
    assert {(p["file"], p["code"]) for p in document["problems"]} == {("data.jsonl", "FT102"), ("data.jsonl", "FT001")}

    code, out, err = run(["--baseline", "base.json", "data.jsonl"], tmp_path, monkeypatch)
    assert code == 0 and "FT102" not in out and "FT001" not in out
    assert "2 known problems from the baseline base.json not shown." in out

    # Lines move (two examples inserted above), one known problem is fixed, one new problem appears.
    rows = [chat(100), chat(101)] + rows
    rows[2 + 9] = chat(9)  # the FT001 line fixed
    rows.append(chat(50, role="robot"))  # new FT102
    data.write_text("\n".join(rows) + "\n")
    code, out, err = run(["--baseline", "base.json", "data.jsonl"], tmp_path, monkeypatch)
    assert code == 1
    problems = [line for line in out.splitlines() if ": FT" in line and "gone" not in line]
    assert len(problems) == 1 and problems[0].startswith('data.jsonl:23:1: FT102 [error] $.messages[0].role: unknown role "robot"')
    assert ("data.jsonl: FT001 x1 recorded in the baseline base.json is gone (fixed); "
            "update the baseline with --write-baseline base.json") in out
    assert out.rstrip().endswith("Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (23 examples).")


def test_write_baseline_prints_one_line_and_a_report_only_when_one_is_named(tmp_path, monkeypatch):
    (tmp_path / "d.jsonl").write_text("\n".join([chat(1, role="human"), "{broken"] + [chat(i) for i in range(2, 12)]) + "\n")
    code, out, err = run(["--write-baseline", "b.json", "d.jsonl", "gone.jsonl"], tmp_path, monkeypatch)
    assert code == 2 and out == ""  # an unreadable file is not recorded: exit 2, and the line names it
    assert err == "ftlint: wrote the baseline b.json: 2 problems in 2 files; could not read gone.jsonl (not in it)\n"
    code, out, err = run(["--write-baseline", "b.json", "d.jsonl", "-o", "report.txt"], tmp_path, monkeypatch)
    assert code == 0 and out == "" and err == "ftlint: wrote the baseline b.json: 2 problems in 1 file\n"
    assert "d.jsonl:1:1: FT102" in (tmp_path / "report.txt").read_text()  # -o asked for the report


def test_json_output_keeps_parseable_and_notes_go_to_stderr(tmp_path, monkeypatch):
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join([chat(1, role="human")] + [chat(i) for i in range(2, 12)]) + "\n")
    run(["--write-baseline", "b.json", "d.jsonl"], tmp_path, monkeypatch)
    data.write_text("\n".join(chat(i) for i in range(2, 12)) + "\n")
    code, out, err = run(["--baseline", "b.json", "--format", "json", "d.jsonl"], tmp_path, monkeypatch)
    assert code == 0 and json.loads(out)["summary"]["errors"] == 0
    assert "d.jsonl: FT102 x1 recorded in the baseline b.json is gone (fixed)" in err


def test_bad_baseline_file_is_exit_two(tmp_path, monkeypatch):
    (tmp_path / "d.jsonl").write_text(chat(1) + "\n")
    (tmp_path / "b.json").write_text("[1, 2]")
    code, out, err = run(["--baseline", "b.json", "d.jsonl"], tmp_path, monkeypatch)
    assert code == 2 and err == "ftlint: error: --baseline b.json: not an ftlint baseline (version 1)\n"
    code, out, err = run(["--baseline", "missing.json", "d.jsonl"], tmp_path, monkeypatch)
    assert code == 2 and "create it with --write-baseline missing.json" in err
    code, out, err = run(["--baseline", "b.json", "--write-baseline", "c.json", "d.jsonl"], tmp_path, monkeypatch)
    assert code == 2 and "do not go together" in err


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.text(max_size=60), st.integers(0, 10**6), st.integers(0, 10**6))
def test_fingerprints_ignore_numbers_in_messages_but_not_line_bytes(raw, text, a, b):
    def problem(line, message, source):
        return Problem("f", line, None, "FT001", "invalid-json", Level.ERROR, message, None, source)

    assert fingerprint(problem(a, f"only {a} examples", None)) == fingerprint(problem(b, f"only {b} examples", None))
    assert fingerprint(problem(a, text, raw)) == fingerprint(problem(b, "other", raw + b"\r\n"))
    assert fingerprint(problem(a, text, raw)) != fingerprint(problem(a, text, raw + b"x"))


def test_a_dataset_finding_whose_counts_change_stays_known(tmp_path, monkeypatch):
    """FT407 counts the examples with and without a system message; its words do not change with the
    counts ("starts"/"start" did), so a baseline still knows it when one more example lacks the message."""
    system = {"role": "system", "content": "Answer briefly."}
    with_system = [json.dumps({"messages": [system, *json.loads(chat(i))["messages"]]}) for i in range(11)]
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join([*with_system, chat(20)]) + "\n")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--isolated", "--select", "FT407", "--write-baseline", "base.json", "data.jsonl"], out, err) == 0
    assert [p["code"] for p in json.loads((tmp_path / "base.json").read_text())["problems"]] == ["FT407"]
    for extra in (chat(21), chat(22)):  # 1 without, then 2, then 3
        data.write_text(data.read_text() + extra + "\n")
        out = io.StringIO()
        assert main(["--isolated", "--select", "FT407", "--baseline", "base.json", "data.jsonl"], out, err) == 0
        assert "FT407 [" not in out.getvalue() and "gone" not in out.getvalue()
        assert "1 known problem from the baseline base.json not shown." in out.getvalue()
