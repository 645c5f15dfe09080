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


conversations = st.lists(
    st.fixed_dictionaries({"from": st.one_of(st.sampled_from(["human", "gpt", "system", "observation",
                                                                "function_call"]), json_values),
                           "value": json_values}),
    max_size=4,
)
trainer_shaped = st.one_of(
    shaped,
    st.fixed_dictionaries({"conversations": conversations}, optional={"tools": json_values, "images": json_values}),
)
#: (provider, chat template): every path that renders, converts or maps a record its own way.
TRAINER_PATHS = [("trl", "llama3"), ("trl", "qwen2.5"), ("trl", "gemma2"), ("trl", "mistral"), ("trl", "mistral-v0.1"),
                 ("llama-factory", "qwen3"), ("axolotl", None), ("together", None), ("vertex", None),
                 ("bedrock-nova", None)]


@SETTINGS
@given(records=st.lists(trainer_shaped, max_size=5), path=st.sampled_from(TRAINER_PATHS))
def test_arbitrary_records_never_crash_any_provider_or_template(tmp_path, records, path):
    """An attack found `"tool_calls": 1` and a list or object as a ShareGPT role tag crashing the template
    renderers, the converters Vertex and Bedrock count through, and FT913 (278 crashing runs, 2026-12-01)."""
    provider, template = path
    data = tmp_path / "fuzz.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records))
    options = {"chat_template": template} if template else {}
    problems, _ = lint_paths([data], select=["ALL"], provider=provider, run_options=options)
    _check(problems)
