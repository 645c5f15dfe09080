"""Token counts of open-trainer formats (TRL, ShareGPT, Alpaca, LLaMA-Factory): through the format registry.

Every trainer format says what its prompt is and what the trainer trains on
(ftlint.trainer_formats.counting_record); the file's counter (OpenAI's formula,
a family's chat framing, or the labelled estimate) counts that. The o200k
figures below are worked out by hand from the chat formula (docs/token-counting.md):
a message is 3 + role + content tokens, a training example adds 1; a DPO input
adds the 3-token reply primer and both outputs are counted and trained.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint import trainer_formats as tf
from ftlint.cli import main
from ftlint.counting import Counts, counter_for
from ftlint.formats import Example, record_format
from ftlint.trainer_config import mapping_for

ALPACA = {"instruction": "Translate.", "input": "Good morning", "output": "Bonjour"}
SHAREGPT = {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}], "system": "Be brief."}
SHAREGPT_TOOLS = {"conversations": [
    {"from": "human", "value": "weather?"},
    {"from": "function_call", "value": '{"name": "get_weather", "arguments": {"city": "Paris"}}'},
    {"from": "observation", "value": "sunny"}, {"from": "gpt", "value": "Sunny."}]}
SHAREGPT_PREFERENCE = {"conversations": [{"from": "human", "value": "hi"}],
                       "chosen": {"from": "gpt", "value": "hello"}, "rejected": {"from": "gpt", "value": "Bonjour"}}
TRL_TEXT = {"text": "The sky is blue."}
TRL_PREFERENCE = {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}
TRL_IMPLICIT_PREFERENCE = {"chosen": "The sky is blue.", "rejected": "The sky is green."}
TRL_UNPAIRED = {"prompt": "The sky is", "completion": " blue.", "label": True}
TRL_PROMPT_COMPLETION = {"prompt": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
                                    {"role": "user", "content": "hi"}],
                         "completion": [{"role": "assistant", "content": "hello"}]}

# o200k_base: user/assistant/system/tool 1 token each; "Translate.\nGood morning" 4, "Bonjour" 1, "hi" 1,
# "hello" 1, "Be brief." 3, "The sky is" 3, " blue." 2, " green." 2, "The sky is blue." 5, "weather?" 2,
# "sunny" 2, "Sunny." 2, " to=functions.get_weather" 5, "functions.get_weather" 3, '{"city": "Paris"}' 6.
O200K = [
    # user 3+1+4, assistant 3+1+1, +1
    ("alpaca", ALPACA, Counts(14, 5)),
    # system 3+1+3, user 3+1+1, assistant 3+1+1, +1
    ("sharegpt", SHAREGPT, Counts(18, 5)),
    # user 3+1+2; the call: 3 + " to=functions.get_weather" 5 + arguments 6; the result answers it, so its
    # role is "functions.get_weather" (3): 3+3+2; assistant 3+1+2; +1
    ("sharegpt", SHAREGPT_TOOLS, Counts(35, 20)),
    # input: user 3+1+1 + primer 3; chosen 3+1+1; rejected 3+1+1
    ("sharegpt-preference", SHAREGPT_PREFERENCE, Counts(18, 10)),
    # the text, all of it trained
    ("trl-text", TRL_TEXT, Counts(5, 5)),
    # input: user 3+1+3 + primer 3; chosen 3+1+2; rejected 3+1+2
    ("trl-preference", TRL_PREFERENCE, Counts(22, 12)),
    # TRL's extract_prompt: the shared "The sky is" is the prompt; the answers keep their leading space
    ("trl-preference", TRL_IMPLICIT_PREFERENCE, Counts(22, 12)),
    # user 3+1+3, assistant 3+1+2, +1; the label is not text
    ("trl-unpaired-preference", TRL_UNPAIRED, Counts(14, 6)),
    # four messages of 5, +1; only the completion is trained, not the assistant turn inside the prompt
    ("trl-prompt-completion", TRL_PROMPT_COMPLETION, Counts(21, 5)),
]


@pytest.mark.parametrize("fmt, record, expected", O200K, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(O200K)])
def test_trainer_formats_count_by_openais_formula(fmt, record, expected):
    assert record_format(record) == fmt
    assert Example(1, record, fmt).tokens(counter_for("o200k_base")) == expected


# The same records through Llama 3's exact framing (llama-models' vocabulary; tests/test_chat_framing.py checks
# the framing against the package's ChatFormat): each equals the count of the OpenAI record it stands for.
EQUIVALENT = [
    (ALPACA, "chat", {"messages": [{"role": "user", "content": "Translate.\nGood morning"},
                                   {"role": "assistant", "content": "Bonjour"}]}, Counts(14, 6)),
    (SHAREGPT, "chat", {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"},
                                     {"role": "assistant", "content": "hello"}]}, Counts(19, 6)),
    (TRL_PREFERENCE, "preference", {"input": {"messages": [{"role": "user", "content": "The sky is"}]},
                                    "preferred_output": [{"role": "assistant", "content": " blue."}],
                                    "non_preferred_output": [{"role": "assistant", "content": " green."}]},
     Counts(23, 14)),
    (TRL_TEXT, "completion", {"prompt": "", "completion": "The sky is blue."}, Counts(5, 5)),
]


@pytest.mark.parametrize("record, as_format, as_record, expected", EQUIVALENT)
def test_trainer_formats_count_as_the_record_they_stand_for_with_a_familys_framing(record, as_format, as_record,
                                                                                   expected):
    counter = counter_for("llama3")
    counts = Example(1, record, record_format(record)).tokens(counter)
    assert counts == counter.example(as_format, as_record) == expected


def test_llama_factory_v1_preference_shares_its_start_as_the_prompt():
    system = {"role": "system", "content": [{"type": "text", "value": "Be brief."}], "loss_weight": 0.0}
    user = {"role": "user", "content": [{"type": "text", "value": "hi"}], "loss_weight": 0.0}
    record = {"chosen_messages": [system, user, {"role": "assistant", "content": [{"type": "text", "value": "hello"}]}],
              "rejected_messages": [system, user, {"role": "assistant", "content": [{"type": "text", "value": "Bonjour"}]}]}
    # input: system 3+1+3, user 3+1+1, primer 3; chosen 3+1+1; rejected 3+1+1
    assert Example(1, record, record_format(record)).tokens(counter_for("o200k_base")) == Counts(25, 10)


def test_llama_factory_v1_loss_weight_zero_is_not_trained():
    record = {"messages": [{"role": "user", "content": [{"type": "text", "value": "hi"}], "loss_weight": 0.0},
                           {"role": "assistant", "content": [{"type": "text", "value": "hello"}], "loss_weight": 0.0},
                           {"role": "user", "content": [{"type": "text", "value": "hi"}], "loss_weight": 0.0},
                           {"role": "assistant", "content": [{"type": "text", "value": "hello"}], "loss_weight": 1.0}]}
    assert Example(1, record, record_format(record)).tokens(counter_for("o200k_base")) == Counts(21, 5)


def _report(argv) -> dict:
    out = io.StringIO()
    main([*argv, "--format", "json"], stdout=out, stderr=io.StringIO())
    (result,) = json.loads(out.getvalue())["files"]
    return result["tokens"]


@pytest.mark.parametrize("record, total", [(ALPACA, 14), (SHAREGPT, 18), (TRL_TEXT, 5), (TRL_PREFERENCE, 22)])
def test_the_token_report_counts_trainer_files(tmp_path, record, total):
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n")
    tokens = _report([str(path), "--model", "gpt-4o-mini-2024-07-18"])
    assert (tokens["total"], tokens["tokenizer"], tokens["exact"]) == (2 * total, "o200k_base", True)


def test_the_token_report_of_a_trainer_file_says_when_counts_are_approximate(tmp_path, monkeypatch):
    from ftlint import token_stats

    monkeypatch.setattr(token_stats.TokenCounter, "for_model", classmethod(lambda cls, m: counter_for("approximate")))
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps(ALPACA) + "\n")
    tokens = _report([str(path), "--provider", "llama-factory"])
    assert (tokens["total"], tokens["tokenizer"], tokens["exact"]) == (14, "approximate", False)


# -- a --trainer-config declares the names ------------------------------------------


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_an_axolotl_mapping_is_counted_with_its_names(tmp_path):
    config = _write(tmp_path, "axolotl.yaml", "datasets:\n  - path: chats.jsonl\n    type: chat_template\n"
                                             "    field_messages: conversation\n    message_property_mappings:\n"
                                             "      role: from\n      content: text\n")
    record = {"conversation": [{"from": "user", "text": "hi"}, {"from": "assistant", "text": "hello"}]}
    reading = tf.TrainerReading(mapping_for(str(config), "chats.jsonl"))
    fmt = reading.detect(record)
    assert (record_format(record), fmt) == (None, "sharegpt")
    # user 3+1+1, assistant 3+1+1, +1
    assert Example(1, record, fmt, reading=reading).tokens(counter_for("o200k_base")) == Counts(11, 5)


def test_a_dataset_info_with_custom_columns_and_tags_is_counted_with_them(tmp_path):
    info = _write(tmp_path, "dataset_info.json", json.dumps({"d": {
        "file_name": "d.jsonl", "formatting": "sharegpt", "columns": {"messages": "dialog", "system": "sys"},
        "tags": {"role_tag": "speaker", "content_tag": "says", "user_tag": "client", "assistant_tag": "agent"}}}))
    record = {"dialog": [{"speaker": "client", "says": "hi"}, {"speaker": "agent", "says": "hello"}], "sys": "Be brief."}
    reading = tf.TrainerReading(mapping_for(str(info), "d.jsonl"))
    assert Example(1, record, reading.detect(record), reading=reading).tokens(counter_for("o200k_base")) == Counts(18, 5)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["messages", "conversations", "instruction", "prompt", "completion", "chosen",
                                        "rejected", "label", "text", "input", "output", "system", "tools", "history",
                                        "chosen_messages", "rejected_messages"]),
                       st.recursive(st.none() | st.booleans() | st.text(max_size=5),
                                    lambda c: st.lists(c, max_size=3) | st.dictionaries(
                                        st.sampled_from(["role", "content", "from", "value", "type", "text",
                                                         "tool_calls", "loss_weight", "weight"]), c, max_size=3),
                                    max_leaves=10)))
def test_any_record_counts_without_crashing_and_trains_no_more_than_it_holds(data):
    counts = Example(1, data, record_format(data)).tokens(counter_for("o200k_base"))
    assert 0 <= counts.trained <= counts.total

