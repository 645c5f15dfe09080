"""--convert-to llama-factory-v1: LLaMA-Factory's v1 SFT and DPO shapes, to and from the OpenAI pivot.

The generic round-trip property (tests/test_converters.py) covers it as one of
the targets; this file checks the v1 specifics and LLaMA-Factory's own demo files.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import require_shared
from ftlint import converters
from ftlint.converters import canonical

V1 = converters.get("llama-factory-v1")


def _part(text):
    return [{"type": "text", "value": text}]


def test_sft_loss_weights_are_openai_weights():
    record = {"messages": [
        {"role": "system", "content": _part("Be brief."), "loss_weight": 0.0},
        {"role": "user", "content": _part("hi"), "loss_weight": 0.0},
        {"role": "assistant", "content": _part("hello"), "loss_weight": 0.0},
        {"role": "user", "content": _part("bye"), "loss_weight": 0.0},
        {"role": "assistant", "content": [{"type": "text", "value": "good"}, {"type": "text", "value": "bye"}],
         "loss_weight": 1.0}]}
    pivot, losses = V1.to_pivot(record)
    assert losses == []
    assert pivot == {"messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello", "weight": 0}, {"role": "user", "content": "bye"},
        {"role": "assistant", "content": [{"type": "text", "text": "good"}, {"type": "text", "text": "bye"}]}]}
    back, losses = V1.from_pivot(pivot)
    assert (back, losses) == (record, [])


def test_dpo_conversations_share_their_start_as_the_prompt():
    prompt = [{"role": "user", "content": _part("2+2?"), "loss_weight": 0.0}]
    record = {"chosen_messages": prompt + [{"role": "assistant", "content": _part("4"), "loss_weight": 1.0}],
              "rejected_messages": prompt + [{"role": "assistant", "content": _part("5"), "loss_weight": 1.0}]}
    pivot, losses = V1.to_pivot(record)
    assert losses == []
    assert pivot == {"input": {"messages": [{"role": "user", "content": "2+2?"}]},
                     "preferred_output": [{"role": "assistant", "content": "4"}],
                     "non_preferred_output": [{"role": "assistant", "content": "5"}]}
    assert V1.from_pivot(pivot) == (record, [])


@pytest.mark.parametrize("record, loss", [
    ({"messages": [{"role": "user", "content": _part("hi"), "loss_weight": 1.0}]},
     "loss_weight 1.0 on a user turn cannot be carried"),
    ({"messages": [{"role": "assistant", "content": _part("hi"), "loss_weight": 0.5}]},
     "loss_weight 0.5 cannot be carried"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "value": "x.png"}]}]},
     "only text parts can be carried"),
    ({"chosen_messages": [{"role": "user", "content": _part("hi")}],
      "rejected_messages": [{"role": "user", "content": _part("hi")}]},
     "one conversation is the start of the other"),
])
def test_what_openai_cannot_say_is_a_loss(record, loss):
    _, losses = V1.to_pivot(record)
    assert any(loss in text for text in losses), losses


def test_openai_shapes_v1_cannot_hold_are_losses():
    call = {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                                                 "function": {"name": "f", "arguments": "{}"}}]}
    out, losses = V1.from_pivot({"messages": [{"role": "user", "content": "hi"}, call]})
    assert out is None and "message 2 (assistant): only text content can be carried" in losses
    pair = {"input": {"messages": [{"role": "user", "content": "hi"}]},
            "preferred_output": [{"role": "assistant", "content": "same"}],
            "non_preferred_output": [{"role": "assistant", "content": "same"}]}
    out, losses = V1.from_pivot(pair)
    assert out is None and any("start alike" in text for text in losses)


TEXT = st.text(max_size=6)
V1_MESSAGE = st.fixed_dictionaries({
    "role": st.sampled_from(["system", "user", "assistant"]),
    "content": st.lists(st.fixed_dictionaries({"type": st.just("text"), "value": TEXT}), min_size=1, max_size=2),
    "loss_weight": st.sampled_from([0.0, 1.0]),
})


@settings(max_examples=200, deadline=None)
@given(st.lists(V1_MESSAGE, min_size=1, max_size=5))
def test_v1_sft_without_losses_comes_back_exactly(messages):
    record = {"messages": messages}
    pivot, losses = V1.to_pivot(record)
    if losses:
        assert pivot is None or any("loss_weight" in text for text in losses)
        return
    back, back_losses = V1.from_pivot(json.loads(json.dumps(pivot)))
    assert back_losses == [] and back == record


@pytest.mark.parametrize("name", ["v1_sft_demo.jsonl", "v1_dpo_demo.jsonl"])
def test_llama_factorys_demo_files_convert_exactly(name):
    path = require_shared("corpus", "real", f"hiyouga-LLaMA-Factory__{name}")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        pivot, losses = V1.to_pivot(record)
        assert losses == [], losses
        back, back_losses = V1.from_pivot(pivot)
        assert back_losses == [] and canonical(V1.to_pivot(back)[0]) == canonical(pivot)
