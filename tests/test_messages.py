"""What rule messages say: one report per cause, the action to take, no noise."""

from __future__ import annotations

from conftest import lint_lines


def test_same_role_repeats_are_reported_once_per_example(tmp_path):
    flood = {"messages": [{"role": "user", "content": f"q{i}"} for i in range(2000)]
             + [{"role": "assistant", "content": "a"}]}
    problems, _ = lint_lines(tmp_path, [flood], select=["FT111"])
    assert [p.message for p in problems] == [
        "user message follows another user message at position 1 (and 1,998 more same-role repeats in this "
        "example); merge them or restore the missing turn"
    ]
    assert problems[0].json_path == "$.messages[1]"
