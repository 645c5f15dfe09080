"""Open-trainer formats: detection, schemas, trainer configs (dataset_info.json, Axolotl YAML), real files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_lines, lint_paths
from ftlint import trainer_config as tc
from ftlint.cli import main
from ftlint import trainer_formats as tf
from ftlint.formats import Example, record_format
from ftlint.problem import Level

SHAPES = {
    "trl-text": {"text": "The sky is blue."},
    "chat": {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]},
    "completion": {"prompt": "The sky is", "completion": " blue."},
    "trl-prompt-completion": {"prompt": [{"role": "user", "content": "sky?"}],
                              "completion": [{"role": "assistant", "content": "blue"}]},
    "trl-preference": {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."},
    "trl-unpaired-preference": {"prompt": "The sky is", "completion": " blue.", "label": True},
    "sharegpt": {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]},
    "sharegpt-preference": {"conversations": [{"from": "human", "value": "hi"}],
                            "chosen": {"from": "gpt", "value": "hello"}, "rejected": {"from": "gpt", "value": "go"}},
    "alpaca": {"instruction": "Say hi", "input": "", "output": "hi"},
    "llama-factory-v1": {"messages": [{"role": "user", "content": [{"type": "text", "value": "hi"}], "loss_weight": 0.0}]},
    "llama-factory-kto": {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}],
                          "label": False},
    "preference": {"input": {"messages": [{"role": "user", "content": "hi"}]},
                   "preferred_output": [{"role": "assistant", "content": "hello"}],
                   "non_preferred_output": [{"role": "assistant", "content": "go"}]},
}


@pytest.mark.parametrize("expected", sorted(SHAPES))
def test_each_shape_is_recognized_as_its_format(expected):
    assert record_format(SHAPES[expected]) == expected


def test_a_trl_preference_file_is_not_read_as_legacy_completion(tmp_path):
    problems, results = lint_lines(tmp_path, [SHAPES["trl-preference"]] * 3, ignore=["FT401", "FT403"])
    assert results[0].format == "trl-preference"
    assert not [p for p in problems if p.line is not None and "chosen" in p.message]
    # OpenAI (the default provider) trains on none of them: said once for the file, not per line.
    assert [(p.line, p.code) for p in problems if p.level == Level.ERROR] == [(None, "FT914")]


def test_sharegpt_tool_turns_become_openai_messages():
    data = {"conversations": [{"from": "human", "value": "weather?"},
                              {"from": "function_call", "value": '{"name": "get_weather", "arguments": {"city": "Paris"}}'},
                              {"from": "observation", "value": "sunny"}, {"from": "gpt", "value": "Sunny."}],
            "system": "Be brief.", "tools": '[{"name": "get_weather", "parameters": {}}]'}
    messages, tools = tf.conversation(Example(1, data, "sharegpt"))
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool", "assistant"]
    assert messages[2]["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": {"city": "Paris"}}
    assert messages[3]["tool_call_id"] == messages[2]["tool_calls"][0]["id"]  # the result answers that call
    assert tools == [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]


def test_alpaca_is_built_as_llama_factory_builds_it():
    data = {"instruction": "Translate.", "input": "Good morning", "output": "Bonjour", "system": "Be brief.",
            "history": [["yes?", "oui"]]}
    messages, _ = tf.conversation(Example(1, data, "alpaca"))
    assert messages == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "yes?"},
                        {"role": "assistant", "content": "oui"}, {"role": "user", "content": "Translate.\nGood morning"},
                        {"role": "assistant", "content": "Bonjour"}]


def test_dataset_info_entries_map_columns_and_tags(tmp_path):
    info = tmp_path / "dataset_info.json"
    info.write_text(json.dumps({
        "kto": {"file_name": "kto_en_demo.json", "formatting": "sharegpt",
                "columns": {"messages": "messages", "kto_tag": "label"},
                "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"}},
        "alpaca": {"file_name": "alpaca_en_demo.json"},
    }))
    kto = tc.mapping_for(str(info), "/data/hiyouga-LLaMA-Factory__kto_en_demo.json")
    assert (kto.name, kto.messages, kto.role_key, kto.kto_tag) == ("kto", "messages", "role", "label")
    assert kto.roles["user"] == "user" and kto.roles["observation"] == "observation"
    assert tc.mapping_for(str(info), "alpaca_en_demo.json").formatting == "alpaca"
    assert tc.mapping_for(str(info), "other.json") is None


def test_axolotl_yaml_roles_replace_the_defaults(tmp_path):
    config = tmp_path / "axolotl.yaml"
    config.write_text("datasets:\n  - path: chats.jsonl\n    type: chat_template\n    field_messages: dialog\n"
                      "    message_property_mappings:\n      role: speaker\n      content: text\n"
                      "    roles:\n      user: [client]\n      assistant: [agent]\n")
    (m,) = tc.load(str(config))
    assert (m.trainer, m.messages, m.role_key, m.content_key) == ("axolotl", "dialog", "speaker", "text")
    assert m.roles == {"client": "user", "agent": "assistant"}


def test_a_broken_trainer_config_is_one_clear_error(tmp_path):
    bad = tmp_path / "dataset_info.json"
    bad.write_text("{not json")
    with pytest.raises(tc.TrainerConfigError) as raised:
        tc.load(str(bad))
    assert str(raised.value) == (f"{bad}:1:2: neither JSON (dataset_info.json) nor YAML (.yaml/.yml): "
                                 "Expecting property name enclosed in double quotes")


def test_a_broken_axolotl_yaml_is_file_line_column_on_one_line(tmp_path, capsys):
    """0.3.0 printed PyYAML's report with literal \\n, '<unicode string>' and a caret drawing."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("datasets: [\n")
    data = tmp_path / "x.json"
    data.write_text('{"instruction": "a", "output": "b"}\n')
    code = main(["--isolated", "--provider", "axolotl", "--trainer-config", str(bad), str(data)])
    assert code == 2
    assert capsys.readouterr().err == (f"ftlint: error: {bad}:2:1: not valid YAML: expected the node content, but "
                                       "found '<stream end>' (while parsing a flow node)\n")
    bad.write_text("datasets:\n  - path: \x01\n")
    with pytest.raises(tc.TrainerConfigError) as raised:
        tc.load(str(bad))
    assert str(raised.value) == (f"{bad}:2:11: not valid YAML: character U+0001 is not allowed "
                                 "(special characters are not allowed)")


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("datsepmhy:-[]{}\"'!&*|>#% \t\n\x01\x85\u2028")), max_size=40))
def test_any_yaml_error_is_one_line_naming_the_file(tmp_path_factory, text):
    config = tmp_path_factory.mktemp("yaml") / "ax.yaml"
    config.write_text(text, encoding="utf-8")
    try:
        tc.load(str(config))
    except tc.TrainerConfigError as exc:
        message = str(exc)
        assert message.startswith(f"{config}") and "\n" not in message and "<unicode string>" not in message, message
        assert "not valid YAML" in message or "Axolotl config" in message, message


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["messages", "conversations", "instruction", "prompt", "completion", "chosen",
                                        "rejected", "label", "text", "input", "output", "system", "tools", "history"]),
                       st.recursive(st.none() | st.booleans() | st.text(max_size=5),
                                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                                    max_leaves=8)))
def test_any_record_reads_as_a_conversation_or_none_without_crashing(data):
    fmt = record_format(data)
    result = tf.conversation(Example(1, data, fmt))
    assert result is None or (isinstance(result[0], list) and result[0])


LLAMA_FACTORY = ["alpaca_en_demo.json", "dpo_en_demo.json", "glaive_toolcall_en_demo.json", "kto_en_demo.json",
                 "v1_sft_demo.jsonl", "v1_dpo_demo.jsonl"]


def _diagnostics(capsys) -> list[dict]:
    return [d for f in json.loads(capsys.readouterr().out)["files"] for d in f["diagnostics"]]


@pytest.mark.parametrize("name", LLAMA_FACTORY)
def test_llama_factorys_own_demo_files_lint_without_errors(name, real_corpus, capsys):
    info = real_corpus / "hiyouga-LLaMA-Factory__dataset_info.json"
    path = real_corpus / f"hiyouga-LLaMA-Factory__{name}"
    code = main([str(path), "--provider", "llama-factory", "--trainer-config", str(info), "--format", "json"])
    errors = [d for d in _diagnostics(capsys) if d["severity"] == "error"]
    assert (code, errors) == (0, [])


def test_a_format_the_provider_does_not_take_is_said_once_with_what_to_do(real_corpus, capsys):
    path = real_corpus / "hiyouga-LLaMA-Factory__glaive_toolcall_en_demo.json"
    assert main([str(path), "--provider", "trl", "--format", "json"]) == 1
    problems = _diagnostics(capsys)
    assert [(p["code"], p["line"]) for p in problems if p["severity"] == "error"] == [("FT914", None)]
    (ft914,) = [p for p in problems if p["code"] == "FT914"]
    # ftlint's own converter writes TRL's messages: the command, then the providers that take the file as it is.
    assert ft914["message"].endswith(f"convert it: ftlint {path} --convert-to chat -o {path.with_suffix('.jsonl')}; "
                                     "or lint it for --provider axolotl or llama-factory, which takes it")


@pytest.mark.slow
@pytest.mark.parametrize("template", ["qwen2.5", "llama3", "mistral"])
def test_llama_factorys_demo_files_render_without_false_errors_under_templates_that_take_tools(template, real_corpus,
                                                                                                 capsys):
    """Every demo file through each template that writes system, tool calls and tool results: no error.

    Gemma's and Mistral v0.1's templates take no tool turns, so the glaive tool-call file is refused there
    (FT901, rightly); --max-seq-length is left out: the 11,561-token example 7497 of glaive is cut by any
    usual limit (FT904, rightly).
    """
    info = real_corpus / "hiyouga-LLaMA-Factory__dataset_info.json"
    paths = [str(real_corpus / f"hiyouga-LLaMA-Factory__{name}") for name in LLAMA_FACTORY]
    code = main([*paths, "--provider", "llama-factory", "--trainer-config", str(info), "--chat-template", template,
                 "--format", "json"])
    errors = [d for d in _diagnostics(capsys) if d["severity"] == "error"]
    assert (code, errors) == (0, [])


def test_llama_factory_reads_csv_and_says_what_it_takes_for_tsv(tmp_path, capsys, monkeypatch):
    """0.3.0 told LLaMA-Factory users that "the Files API" takes only .jsonl or .json, and that a CSV,
    which LLaMA-Factory loads itself (FILEEXT2TYPE), needed converting."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text("instruction,output\n" + "".join(f"q{i},a{i}\n" for i in range(12)))
    (tmp_path / "d.tsv").write_text("instruction\toutput\n" + "".join(f"q{i}\ta{i}\n" for i in range(12)))
    main(["--isolated", "--provider", "llama-factory", "--select", "FT010,FT012", "d.csv", "d.tsv"])
    out = capsys.readouterr().out
    assert "d.csv: FT" not in out
    assert ("d.tsv: FT012 [warning] file name does not end in .jsonl, .json, .csv or .parquet; LLaMA-Factory takes "
            "fine-tuning data only as .jsonl, .json, .csv or .parquet files (convert it: FT010 says how) "
            "(LLaMA-Factory's documentation)\n") in out
    assert "d.tsv: FT010 [error] file is a TSV table of 12 rows" in out


def test_a_dataset_info_json_linted_as_data_names_the_command_for_its_files(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lf").mkdir()
    info = {"demo": {"file_name": "demo.json", "formatting": "sharegpt"}, "gone": {"file_name": "gone.json"},
            "hub": {"hf_hub_url": "org/set"}}
    (tmp_path / "lf" / "dataset_info.json").write_text(json.dumps(info, indent=2))
    (tmp_path / "lf" / "demo.json").write_text(json.dumps([SHAPES["sharegpt"]] * 3))
    assert main(["--isolated", "--provider", "llama-factory", "lf/dataset_info.json"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "lf/dataset_info.json: FT010 [error] file is a LLaMA-Factory dataset_info.json (3 datasets), not data: it "
        "says how to read the data files it names; lint them with it: ftlint --provider llama-factory "
        "--trainer-config lf/dataset_info.json lf/demo.json")
    # The command it names runs.
    assert main(["--isolated", "--provider", "llama-factory", "--trainer-config", "lf/dataset_info.json",
                 "lf/demo.json"]) in (0, 1)
    assert "FT010" not in capsys.readouterr().out


def test_an_images_column_beside_messages_is_llama_factory_data_not_an_unknown_key(tmp_path):
    """LLaMA-Factory's multimodal format (its mllm_demo: messages plus images) and any other column an open
    trainer keeps aside are not FT108's "unknown top-level key", which the services' validators enforce."""
    record = {"messages": [{"role": "user", "content": "<image>What is it?"}, {"role": "assistant", "content": "A cat."}],
              "images": ["cat.jpg"], "id": 7}
    for provider in ("trl", "axolotl", "llama-factory"):
        problems, _ = lint_lines(tmp_path, [record], select=["FT108"], provider=provider)
        assert problems == [], provider
    problems, _ = lint_lines(tmp_path, [record], select=["FT108"], provider="openai")
    assert [p.message for p in problems] == [
        'unknown top-level key "id"; a chat example may only have functions, messages, parallel_tool_calls, tools',
        'unknown top-level key "images"; a chat example may only have functions, messages, parallel_tool_calls, tools']


def test_ft708_calls_answers_identical_only_when_they_are_the_same_json():
    """An attack: {"chosen": true, "rejected": 1} was "identical" (Python's True == 1)."""
    from ftlint.formats import Example
    from ftlint.rules import ft708_identical_preference_outputs as ft708
    from ftlint.trainer_formats import TRL_PREFERENCE

    from types import SimpleNamespace

    ctx = SimpleNamespace(shared={}, run=SimpleNamespace(options={}, provider=None))  # no trainer config

    def found(chosen, rejected):
        data = {"prompt": "q", "chosen": chosen, "rejected": rejected}
        return [f.message for f in ft708.check(Example(1, data, TRL_PREFERENCE), {}, ctx)]

    assert found(True, 1) == [] and found([{"a": 1}], [{"a": 1.0}]) == [] and found("x", "y") == []
    assert found("same", "same") == ["chosen and rejected are identical, so the pair teaches nothing; put the worse "
                                     "answer in rejected or drop the pair"]
    assert len(found([{"role": "assistant", "content": "x"}], [{"content": "x", "role": "assistant"}])) == 1


def test_a_config_names_files_by_name_list_or_folder_and_not_by_any_suffix(tmp_path):
    """An attack on FT915: Axolotl's data_files list never matched (str(list)), a LLaMA-Factory file_name that
    is a folder never matched its files, and "data.jsonl" matched "olddata.jsonl" (a renamed file, the very
    case FT915 is for)."""
    from ftlint import trainer_config as tc

    axolotl = tmp_path / "axolotl.yaml"
    axolotl.write_text("datasets:\n  - path: json\n    data_files: [train.jsonl, extra/more.jsonl]\n"
                       "    type: chat_template\n    field_messages: conversation\n")
    assert tc.mapping_for(str(axolotl), "/x/train.jsonl").messages == "conversation"
    assert tc.mapping_for(str(axolotl), "more.jsonl") is not None
    assert tc.mapping_for(str(axolotl), "oldtrain.jsonl") is None
    assert tc.mapping_for(str(axolotl), "team__train.jsonl") is not None  # a prefix after a separator
    info = tmp_path / "dataset_info.json"
    info.write_text('{"mine": {"file_name": "my_dataset", "formatting": "sharegpt"}}')
    assert tc.mapping_for(str(info), "data/my_dataset/part-0.jsonl").formatting == "sharegpt"
    assert tc.mapping_for(str(info), "data/other/part-0.jsonl") is None
    assert tc.dataset_count(str(info)) == 1 and tc.dataset_count(str(axolotl)) == 1
