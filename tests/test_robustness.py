"""No input may crash ftlint: arbitrary bytes and arbitrary JSON values.

Every problem must carry a line number unless it is a file-level problem from a
dataset rule.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RULES, lint_paths

DATASET_CODES = {code for code, rule in RULES.items() if rule.scope == "dataset"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["messages", "role", "content", "prompt", "completion", "input", "preferred_output",
                        "non_preferred_output", "tools", "tool_calls", "name", "weight", "type", "text"])
roles = st.sampled_from(["system", "user", "assistant", "tool", "function", "developer", "bot", 3, None])
messages = st.lists(
    st.fixed_dictionaries({"role": roles}, optional={"content": json_values, "name": json_values,
                                                     "weight": json_values, "tool_calls": json_values}),
    max_size=5,
)
shaped = st.one_of(
    st.fixed_dictionaries({"messages": messages}, optional={"tools": json_values, "id": json_values}),
    st.fixed_dictionaries({"prompt": json_values, "completion": json_values}),
    st.fixed_dictionaries({"input": st.fixed_dictionaries({"messages": messages}),
                           "preferred_output": messages, "non_preferred_output": json_values}),
    st.dictionaries(keys, json_values, max_size=5),
    json_values,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(problems):
    for p in problems:
        assert p.line is not None or p.code in DATASET_CODES, p
        assert p.message and p.code not in p.message


@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path, data):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    problems, (result,) = lint_paths([path], select=["ALL"])
    assert result.error is None
    _check(problems)


@SETTINGS
@given(records=st.lists(shaped, max_size=6), method=st.sampled_from([None, "supervised", "dpo", "reinforcement"]))
def test_arbitrary_json_values_never_crash(tmp_path, records, method):
    path = tmp_path / "fuzz.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    problems, _ = lint_paths([path], select=["ALL"], method=method)
    _check(problems)
