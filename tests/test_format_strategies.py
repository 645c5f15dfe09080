"""Generated data for every training format.

Strategies build VALID examples (chat with tools and tool calls, weights,
vision, DPO, RFT) and assert that linting them gives no error, and no warning
from the format rules: a generator of valid data guards against false
positives. Fuzzing with arbitrary JSON built from the formats' own keys asserts
that no rule raises.
"""

from __future__ import annotations

import base64
import json
import os
import string
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import lint_fixture

from ftlint.problem import Level

FORMAT_BANDS = ("FT5", "FT6", "FT7", "FT8")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- building blocks -------------------------------------------------------

text = st.text(alphabet=string.ascii_letters + string.digits + " .,?!'", min_size=1, max_size=40).filter(str.strip)
names = st.from_regex(r"[a-zA-Z0-9_-]{1,64}", fullmatch=True)
json_types = st.sampled_from(["string", "integer", "number", "boolean"])


@st.composite
def function_definitions(draw, name):
    props = draw(st.dictionaries(names, json_types.map(lambda t: {"type": t}), max_size=4))
    fn = {"name": name}
    if draw(st.booleans()):
        fn["description"] = draw(text)
    if draw(st.booleans()):
        fn["parameters"] = {"type": "object", "properties": props,
                            "required": draw(st.lists(st.sampled_from(sorted(props)), unique=True)) if props else []}
    if draw(st.booleans()):
        fn["strict"] = draw(st.booleans())
    return fn


def arguments():
    return st.dictionaries(names, st.one_of(text, st.integers(), st.booleans()), max_size=3).map(json.dumps)


@st.composite
def tool_conversations(draw):
    """A chat example with tools: rounds of calls answered by tool messages, ending on a reply or a call."""
    tool_names = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    parallel = draw(st.sampled_from([None, True, False]))
    data = {"tools": [{"type": "function", "function": draw(function_definitions(n))} for n in tool_names]}
    if parallel is not None:
        data["parallel_tool_calls"] = parallel
    messages = [{"role": "system", "content": draw(text)}] if draw(st.booleans()) else []
    messages.append({"role": "user", "content": draw(text)})
    call_number = 0
    for _ in range(draw(st.integers(0, 3))):
        count = 1 if parallel is False else draw(st.integers(1, 3))
        calls = []
        for _ in range(count):
            call_number += 1
            calls.append({"id": f"call_{call_number}", "type": "function",
                          "function": {"name": draw(st.sampled_from(tool_names)), "arguments": draw(arguments())}})
        messages.append({"role": "assistant", "tool_calls": calls})
        for call in draw(st.permutations(calls)):
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": draw(text)})
    if draw(st.booleans()):
        messages.append({"role": "assistant", "content": draw(text), "weight": draw(st.sampled_from([0, 1]))})
    final = {"role": "assistant", "content": draw(text)} if draw(st.booleans()) else {
        "role": "assistant",
        "tool_calls": [{"id": "call_last", "type": "function",
                        "function": {"name": draw(st.sampled_from(tool_names)), "arguments": draw(arguments())}}],
    }
    messages.append({**final, "weight": 1} if draw(st.booleans()) else final)
    data["messages"] = messages
    return data


IMAGE_BYTES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff\xe0",
    "image/webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ",
}


@st.composite
def image_parts(draw):
    if draw(st.booleans()):
        url = "https://" + draw(st.from_regex(r"[a-z]{1,12}\.(com|org)/[a-z0-9/]{0,20}\.png", fullmatch=True))
    else:
        media_type = draw(st.sampled_from(sorted(IMAGE_BYTES)))
        payload = IMAGE_BYTES[media_type] + draw(st.binary(max_size=64))
        url = f"data:{media_type};base64,{base64.b64encode(payload).decode()}"
    spec = {"url": url}
    if draw(st.booleans()):
        spec["detail"] = draw(st.sampled_from(["low", "high", "auto"]))
    return {"type": "image_url", "image_url": spec}


@st.composite
def vision_examples(draw):
    parts = [{"type": "text", "text": draw(text)}] + draw(st.lists(image_parts(), min_size=1, max_size=10))
    answer = draw(text)
    reply = {"role": "assistant", "content": draw(st.sampled_from([answer, [{"type": "text", "text": answer}]]))}
    return {"messages": [{"role": "user", "content": draw(st.permutations(parts))}, reply]}


@st.composite
def preference_examples(draw):
    messages = [{"role": "system", "content": draw(text)}] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 2))):  # earlier turns as context
        messages += [{"role": "user", "content": draw(text)}, {"role": "assistant", "content": draw(text)}]
    messages.append({"role": "user", "content": draw(text)})
    preferred, rejected = draw(st.lists(text, min_size=2, max_size=2, unique=True))
    data = {"input": {"messages": messages},
            "preferred_output": [{"role": "assistant", "content": preferred}],
            "non_preferred_output": [{"role": "assistant", "content": rejected}]}
    if draw(st.booleans()):
        data["input"]["parallel_tool_calls"] = draw(st.booleans())
    return data


@st.composite
def rft_files(draw):
    """RFT examples sharing one set of grader keys."""
    grader_keys = draw(st.lists(names.filter(lambda k: k not in ("messages", "tools")), max_size=3, unique=True))
    examples = []
    for _ in range(draw(st.integers(1, 8))):
        messages = [{"role": "developer", "content": draw(text)}] if draw(st.booleans()) else []
        messages.append({"role": "user", "content": draw(text)})
        example = {"messages": messages}
        example.update({k: draw(st.one_of(text, st.integers(), st.lists(text, max_size=2))) for k in grader_keys})
        examples.append(example)
    return examples


# -- running ---------------------------------------------------------------

def lint_records(records: list, **args):
    fd, name = tempfile.mkstemp(suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return lint_fixture(name, args=args)
    finally:
        os.unlink(name)


def assert_valid(problems):
    wrong = [p for p in problems if p.level is Level.ERROR or p.code.startswith(FORMAT_BANDS)]
    assert not wrong, "\n".join(f"{p.line} {p.code} {p.json_path} {p.message}" for p in wrong)


@SETTINGS
@given(st.lists(tool_conversations(), min_size=1, max_size=4))
def test_valid_tool_conversations_have_no_errors(examples):
    assert_valid(lint_records(examples))


@SETTINGS
@given(st.lists(vision_examples(), min_size=1, max_size=4))
def test_valid_vision_examples_have_no_errors(examples):
    assert_valid(lint_records(examples, model="gpt-4o-2024-08-06"))


@SETTINGS
@given(st.lists(preference_examples(), min_size=1, max_size=4))
def test_valid_preference_examples_have_no_errors(examples):
    assert_valid(lint_records(examples, method="dpo"))


@SETTINGS
@given(rft_files())
def test_valid_rft_examples_have_no_errors(examples):
    # o4-mini was shut down on 2026-10-23 (FT302 judges the model, not the data).
    problems = lint_records(examples, method="reinforcement", model="o4-mini-2025-04-16")
    assert_valid([p for p in problems if p.code != "FT302"])


# -- fuzzing ---------------------------------------------------------------

KEYS = st.sampled_from([
    "messages", "role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "id", "type",
    "function", "arguments", "tools", "parameters", "properties", "required", "parallel_tool_calls", "functions",
    "image_url", "url", "detail", "text", "input", "preferred_output", "non_preferred_output",
    "preferred_completion", "custom", "$schema", "answer",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["user", "assistant", "system", "developer", "tool", "function", "image_url", "text", "custom",
                     "{}", '"{}"', "[1]", "https://x.org/a.png", "data:image/png;base64,iVBORw0KGgo=",
                     "data:image/gif;base64,R0lGODlh", "data:;base64,", "low", "object", "c1"]),
    st.text(max_size=8),
)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(KEYS, inner, max_size=5)), max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(KEYS, JSON_VALUES, max_size=5), min_size=1, max_size=3),
       st.sampled_from([None, "supervised", "dpo", "reinforcement"]))
def test_arbitrary_json_never_crashes_a_rule(records, method):
    lint_records(records, **({"method": method} if method else {}))
