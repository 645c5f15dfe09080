"""The chat-template check: rendering as the family's own code does, spans, messages, sandbox, CLI."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, lint_fixture, lint_lines
from ftlint import chat_template as ct
from ftlint.cli import main
from ftlint.tokenizer import control_encoding


def _user(text="Capital of Spain?"):
    return {"role": "user", "content": text}


def _assistant(text="Madrid."):
    return {"role": "assistant", "content": text}


def test_llama3_renders_exactly_as_llama_models_encodes_the_dialog():
    from llama_models.datatypes import RawMessage
    from llama_models.llama3.chat_format import ChatFormat
    from llama_models.llama3.tokenizer import Tokenizer

    messages = [{"role": "system", "content": "Be brief."}, _user(), _assistant(), _user("And Italy?"), _assistant("Rome.")]
    chat = ChatFormat(Tokenizer.get_instance())
    dialog = chat.encode_dialog_prompt([RawMessage(role=m["role"], content=m["content"]) for m in messages]).tokens
    header = len(chat._encode_header("assistant"))  # encode_dialog_prompt ends with an open assistant header
    rendering = ct.render(ct.load("llama3"), messages)
    assert rendering.tokens == len(dialog) - header
    last = rendering.turns[-1]
    assert chat.tokenizer.decode(dialog[last.start:last.end]) == "Rome.<|eot_id|>"
    assert [t.index for t in rendering.turns] == [2, 4]


def test_qwen_vocabulary_gives_qwens_ids():
    enc = control_encoding("qwen2")
    assert enc.encode("Hello world") == [9707, 1879]
    assert enc.encode("<|im_start|>", allowed_special="all") == [151644]


def test_qwen_trained_span_is_the_answer_and_its_end_of_turn():
    rendering = ct.render(ct.load("qwen2.5"), [_user(), _assistant("Madrid.")])
    turn = rendering.turns[0]
    enc = control_encoding("qwen2")
    ids = enc.encode(rendering.text, allowed_special="all")
    assert enc.decode(ids[turn.start:turn.end]) == "Madrid.<|im_end|>"
    assert rendering.text.startswith("<|im_start|>system\nYou are Qwen")  # the default system prompt


def test_mistral_common_merges_system_and_counts_like_its_own_encode_instruct():
    from mistral_common.protocol.instruct.request import ChatCompletionRequest

    messages = [{"role": "system", "content": "Be brief."}, _user(), _assistant()]
    tokenizer, validator = ct._mistral()
    request = validator.validate_request(ChatCompletionRequest(messages=messages))
    normalized = tokenizer._instruct_request_normalizer.from_chat_completion_request(request)
    expected = tokenizer.instruct_tokenizer.encode_instruct(normalized).tokens
    rendering = ct.render(ct.load("mistral"), messages)
    assert rendering.tokens == len(expected)
    assert tokenizer.decode(expected[rendering.turns[0].start:rendering.turns[0].end]) == "Madrid."


def _messages(path, line):
    return [p for p in lint_fixture(path) if p.line == line]


def test_messages_say_what_the_template_said_and_what_to_do():
    ft901 = lint_fixture(FIXTURES / "FT901/fail/gemma2_system_and_alternation.jsonl", select=["FT901"])
    assert [p.message for p in ft901] == [
        "the Gemma 2 (ftlint's unverified statement of its format) chat template refuses this conversation: "
        "System role not supported; the trainer stops on it; change the conversation to fit the template",
        "the Gemma 2 (ftlint's unverified statement of its format) chat template refuses this conversation: "
        "Conversation roles must alternate user/assistant/user/assistant/...; the trainer stops on it; "
        "change the conversation to fit the template",
    ]
    (ft905,) = lint_fixture(FIXTURES / "FT905/fail/qwen25_answer_cut.jsonl", select=["FT905"])
    assert ft905.message.startswith("--max-seq-length 40 cuts 13 of the final answer's 20 tokens: "
                                    "the example renders to 54 tokens with the Qwen 2.5 (ChatML) template")
    (ft904,) = lint_fixture(FIXTURES / "FT904/fail/response_marker_of_another_template.jsonl", select=["FT904"])
    assert ("the response marker '<|im_start|>assistant\\n' never appears in the rendered text "
            "(the template writes '<|start_header_id|>assistant<|end_header_id|>\\n\\n')") in ft904.message
    ft904s = lint_fixture(FIXTURES / "FT904/fail/weight_zero_and_truncated.jsonl", select=["FT904"])
    assert "every assistant message has weight 0" in ft904s[0].message
    assert "every trained token lies beyond --max-seq-length 40 (the example renders to 50 tokens)" in ft904s[1].message
    (ft902,) = lint_fixture(FIXTURES / "FT902/fail/qwen25_string_arguments.jsonl", select=["FT902"])
    assert ft902.json_path == "$.messages[1].tool_calls[0].function.arguments"
    assert "trained on a quoted, escaped string" in ft902.message


def test_gemma_token_findings_say_they_are_approximate(tmp_path):
    long_answer = "Madrid is the capital of Spain and its largest city. " * 8
    problems, _ = lint_lines(tmp_path, [{"messages": [_user(), _assistant(long_answer)]}], select=["FT905"],
                          run_options={"chat_template": "gemma3", "max_seq_length": 30})
    (only,) = problems
    assert "(approximate: no package ships this model's vocabulary)" in only.message


def test_a_template_cannot_escape_the_sandbox(tmp_path):
    evil = tmp_path / "evil.jinja"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}{% for m in messages %}{{ m.content }}{% endfor %}")
    problems, _ = lint_lines(tmp_path, [{"messages": [_user(), _assistant()]}], select=["FT901"],
                          run_options={"chat_template": str(evil)})
    (only,) = problems
    assert "the template failed" in only.message and "unsafe" in only.message


def test_a_users_template_is_named_by_its_file(tmp_path):
    """0.3.0: "the the template in t2.jinja chat template refuses this conversation"."""
    refusing = tmp_path / "t2.jinja"
    refusing.write_text('{{ raise_exception("bad") }}')
    problems, _ = lint_lines(tmp_path, [{"messages": [_user(), _assistant()]}], select=["FT901"],
                          run_options={"chat_template": str(refusing)})
    assert [p.message for p in problems] == [
        "the t2.jinja chat template refuses this conversation: bad; the trainer stops on it; "
        "change the conversation to fit the template"]


def test_tokenizer_config_json_brings_its_template_and_tokens(tmp_path):
    config = tmp_path / "tokenizer_config.json"
    template = ("{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{{ eos_token }}{% endfor %}")
    config.write_text(json.dumps({"chat_template": template, "bos_token": {"content": "<s>"}, "eos_token": "</s>"}))
    spec = ct.load(str(config))
    assert (spec.bos, spec.eos, spec.exact) == ("<s>", ("</s>",), False)
    problems, _ = lint_lines(tmp_path, [{"messages": [_user(), _assistant("Madrid.</s>")]}], select=["FT906"],
                          run_options={"chat_template": str(config)})
    assert [p.code for p in problems] == ["FT906"]


def test_arguments_type_is_read_from_a_templates_text():
    assert ct._arguments_type_of("{{ tool_call.arguments | tojson }}") == "object"
    assert ct._arguments_type_of("{% if tool_call.arguments is string %}{{ tool_call.arguments }}{% endif %}") == "any"
    assert ct._arguments_type_of("{% for m in messages %}{{ m.content }}{% endfor %}") == "none"


def test_cli_refuses_bad_template_options_in_one_line(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"messages": [_user(), _assistant()]}) + "\n")
    assert main([str(data), "--chat-template", "no-such-family"]) == 2
    assert capsys.readouterr().err.startswith('ftlint: error: unknown chat template "no-such-family"')
    assert main([str(data), "--response-marker", "x"]) == 2
    assert "needs --chat-template" in capsys.readouterr().err
    bad = tmp_path / "bad.jinja"
    bad.write_text("{% for m in messages %}")
    assert main([str(data), "--chat-template", str(bad)]) == 2
    assert "is not valid Jinja" in capsys.readouterr().err


ROLES = st.sampled_from(["system", "user", "assistant", "tool", "developer"])
MESSAGE = st.fixed_dictionaries({"role": ROLES, "content": st.one_of(st.text(max_size=20), st.none())})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MESSAGE, min_size=1, max_size=6), st.sampled_from(["gemma2", "gemma3", "qwen2.5", "qwen3", "llama3",
                                                                    "mistral", "mistral-v0.1"]))
def test_any_conversation_renders_or_is_refused_never_crashes(messages, family):
    try:
        rendering = ct.render(ct.load(family), messages)
    except ct.Rejected as exc:
        assert str(exc)
        return
    assert rendering.tokens >= 0
    for turn in rendering.turns:
        assert 0 <= turn.start <= turn.end <= rendering.tokens
        assert messages[turn.index]["role"] == "assistant"


@pytest.mark.parametrize("family", ct.shipped_ids())
def test_every_shipped_template_names_its_source_and_license(family):
    spec = ct.load(family)
    assert spec.source and spec.license and spec.title


@pytest.mark.parametrize("name, module, distribution", [
    ("qwen2.5", "jinja2", "jinja2"), ("llama3", "llama_models", "llama-models"),
    ("mistral", "mistral_common", "mistral-common"), ("FILE", "jinja2", "jinja2"),
])
def test_a_missing_renderer_package_is_one_line_naming_the_extra(name, module, distribution, tmp_path, monkeypatch):
    """Without the templates extra, --chat-template was an internal error (ModuleNotFoundError) at the first
    example (a new user's walk through the README); now exit 2 with the install command, before linting."""
    import importlib.util
    import io

    from ftlint import cli

    if name == "FILE":
        name = str(tmp_path / "t.jinja")
        (tmp_path / "t.jinja").write_text("{% for m in messages %}{{ m.content }}{% endfor %}")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda mod, *a: None if mod == module else real(mod, *a))
    data = tmp_path / "d.jsonl"
    data.write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n')
    err = io.StringIO()
    assert cli.main([str(data), "--provider", "trl", "--chat-template", name, "--no-cache"],
                    stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("ftlint: error: ")
    assert f"is rendered with {distribution}, which is not installed: pip install 'ftlint[templates]'" in err.getvalue()


def test_the_report_says_when_the_template_and_the_model_count_with_other_vocabularies(tmp_path):
    """--chat-template qwen2.5 with the default Llama model: FT905 counted with Qwen's vocabulary and the
    statistics with Llama's, unexplained (a new user's review); the report now says so, and not when the
    model is the template's."""
    import io

    from ftlint import cli

    data = tmp_path / "d.jsonl"
    data.write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n')

    def report(*extra):
        out = io.StringIO()
        cli.main([str(data), "--provider", "trl", "--chat-template", "qwen2.5", "--no-cache", *extra],
                 stdout=out, stderr=io.StringIO())
        return out.getvalue()

    assert ("the chat template Qwen 2.5 (ChatML) tokenizes with qwen2, these figures with llama3 "
            "(meta-llama/Llama-3.1-8B-Instruct's): the template checks (FT9xx) and the statistics count "
            "differently; pass --model for the model the template is for") in report()
    assert "tokenizes with" not in report("--model", "Qwen/Qwen2.5-7B-Instruct")
