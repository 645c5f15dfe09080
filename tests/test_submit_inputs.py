"""What --submit takes as the job's files: one training file (and one validation file), said plainly when
it is given something else. Against the fake OpenAI server on 127.0.0.1; nothing is sent."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_submit_cli import fake, run, write  # noqa: E402,F401  (fake is a fixture)


def test_submit_of_a_directory_says_which_file_to_pass(fake, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    base = ["--model", "gpt-4o-mini-2024-07-18", "--base-url", fake.base_url]
    code, out, err = run(["--submit", str(data), *base])
    assert (code, out) == (2, "")
    assert err == f"ftlint: {data} is a directory; --submit uploads one training file: pass a .jsonl file (it holds none)\n"
    write(data / "train.jsonl", 60)
    code, _, err = run(["--submit", str(data), *base])
    assert err == f"ftlint: {data} is a directory; --submit uploads one training file: pass {data / 'train.jsonl'}\n"
    write(data / "more.jsonl", 60)
    code, _, err = run(["--submit", str(data), *base])
    assert code == 2 and err == (f"ftlint: {data} is a directory; --submit uploads one training file: pass one of its "
                                 f"2 .jsonl files, e.g. {data / 'more.jsonl'} (ftlint {data} lints them all)\n")
    code, _, err = run(["--submit", str(data / "train.jsonl"), "--validation", str(tmp_path), *base])
    assert code == 2 and err.startswith(f"ftlint: {tmp_path} is a directory; --submit uploads one validation file: pass")
    assert fake.requests == []  # nothing was sent
