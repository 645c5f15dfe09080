"""A file in a format the provider does not take: one message naming ftlint's own converter (FT914, FT301).

The newcomer review: a chat file for Vertex AI drew FT914 plus an FT114 "starts with a system
message" on every line, although ``--convert-to gemini`` maps the system message exactly; an Alpaca
JSON array for OpenAI was told to run jq. Now FT914 names the ``--convert-to`` command for the
provider and supersedes the per-line restatements, and following its advice gives a clean file.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import lint_lines, lint_paths, require_shared
from ftlint import converters
from ftlint import formats as fmts
from ftlint.providers import all_providers
from ftlint.rules import RegistryError, rule_from_module

GSM8K = "microsoft-foundry-fine-tuning__gsm8k_chat_train.jsonl"
ALPACA = "hiyouga-LLaMA-Factory__alpaca_en_demo.json"

SYSTEM_FIRST = {"messages": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "2 + 2?"},
                             {"role": "assistant", "content": "4"}]}


def _messages(problems, code):
    return [p.message for p in problems if p.code == code]


@pytest.mark.parametrize("provider, target", [("vertex", "gemini"), ("bedrock-nova", "bedrock"), ("gemini", "gemini")])
def test_chat_file_for_a_provider_that_takes_another_format_names_the_converter(tmp_path, provider, target):
    problems, _ = lint_lines(tmp_path, [SYSTEM_FIRST] * 3, provider=provider)
    (message,) = _messages(problems, "FT914")
    data = tmp_path / "data.jsonl"  # the message names the file and an output beside it
    assert (f"; convert it: ftlint {data} --convert-to {target} -o {tmp_path}/data.{target}.jsonl; "
            "or lint it for --provider openai") in message
    # The role rules would restate the mismatch on every line: superseded for this file.
    assert not [p for p in problems if p.code in ("FT102", "FT114")], [(p.code, p.message) for p in problems]


def test_role_rules_still_run_on_a_format_the_provider_takes(tmp_path):
    starts_with_assistant = {"messages": [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "x"},
                                          {"role": "assistant", "content": "y"}]}
    problems, _ = lint_lines(tmp_path, [starts_with_assistant], provider="together")
    assert _messages(problems, "FT114") and not _messages(problems, "FT914")


def test_inexact_examples_are_counted_with_the_first_line(tmp_path):
    # TRL's standard (not conversational) preference records have no converter: named, never hidden.
    standard = {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}
    conversational = {"prompt": [{"role": "user", "content": "Sky?"}], "chosen": [{"role": "assistant", "content": "Blue."}],
                      "rejected": [{"role": "assistant", "content": "Green."}]}
    problems, _ = lint_lines(tmp_path, [conversational, standard, standard], provider="openai", select=["FT914"])
    (message,) = _messages(problems, "FT914")
    assert (f"convert it: ftlint {tmp_path}/data.jsonl --convert-to preference -o {tmp_path}/data.preference.jsonl (2 of 3 examples will not convert exactly, "
            "the first on line 2: --convert-to names what each loses)") in message


def test_no_converter_keeps_the_mapping_by_hand(tmp_path):
    # OpenAI DPO for Vertex: no converter writes Gemini preference, so no command is promised.
    dpo = {"input": {"messages": [{"role": "user", "content": "Hi"}]},
           "preferred_output": [{"role": "assistant", "content": "Hello"}],
           "non_preferred_output": [{"role": "assistant", "content": "Go away"}]}
    problems, _ = lint_lines(tmp_path, [dpo], provider="vertex")
    (message,) = _messages(problems, "FT914")
    assert "--convert-to" not in message and "--provider openai or azure-openai or fireworks or together takes it" in message


def test_legacy_file_for_a_chat_model_leads_with_the_command(tmp_path):
    legacy = {"prompt": "Capital of France ->", "completion": " Paris\n"}
    problems, _ = lint_lines(tmp_path, [legacy], model="gpt-4o-mini", select=["FT301"])
    (message,) = _messages(problems, "FT301")
    assert message.startswith("gpt-4o-mini-2024-07-18 does not train on prompt/completion (legacy) files (it takes: "
                              f"chat, preference); convert it: ftlint {tmp_path}/data.jsonl --convert-to chat -o "
                              f"{tmp_path}/data.chat.jsonl; models that take it as it is: babbage-002 (shut down)")


@given(st.sampled_from(fmts.ids()), st.sampled_from([p.id for p in all_providers()]), st.sampled_from(fmts.METHODS))
def test_the_named_target_is_a_format_the_provider_takes_for_the_method(fmt, provider_id, method):
    provider = next(p for p in all_providers() if p.id == provider_id)
    policy = provider.methods.get(method)
    target = converters.target_for(fmt, method, policy.formats if policy else ())
    if target is None:
        return
    assert converters.get(fmt) is not None and target in policy.formats and target != fmt
    assert method in fmts.get(target).methods


def test_supersedes_file_needs_supersedes():
    import types

    module = types.ModuleType("ftlint_test_rule")
    module.__doc__ = "A rule.\n"
    module.CODE, module.NAME, module.SCOPE, module.LEVEL = "FT999", "test-rule", "dataset", "error"
    module.begin = module.finish = lambda *a: None
    module.supersedes_file = lambda conf, ctx: ("FT114",)
    with pytest.raises(RegistryError, match="supersedes_file must be a function, and only rules that declare SUPERSEDES"):
        rule_from_module(module)


# -- the newcomer review's files, end to end: the advice, then following it --------------------------------------------


def _suggested_command(message: str) -> list[str]:
    """The words of the ``ftlint ... -o OUT`` command a message suggests, as a shell would split them."""
    import shlex

    return shlex.split(message.split("convert it: ", 1)[1].split(";")[0].split(" (")[0])


def _ftlint(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ftlint", "--isolated", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("provider, target", [("vertex", "gemini"), ("bedrock-nova", "bedrock")])
def test_real_chat_file_gets_one_problem_and_the_command_works(tmp_path, provider, target):
    path = require_shared("corpus", "real", GSM8K)
    lines = path.read_bytes().splitlines(keepends=True)[:40]
    sample = tmp_path / "gsm8k.jsonl"
    sample.write_bytes(b"".join(lines))
    problems, _ = lint_paths([sample], provider=provider)
    assert [p.code for p in problems if p.level.name == "ERROR"] == ["FT914"], [(p.code, p.message) for p in problems]
    command = _suggested_command(_messages(problems, "FT914")[0])
    out = tmp_path / f"gsm8k.{target}.jsonl"
    assert command == ["ftlint", str(sample), "--convert-to", target, "-o", str(out)]
    done = _ftlint(*command[1:], cwd=tmp_path)  # the advice, as the message words it
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(out.read_bytes().splitlines()) == 40  # every example, nothing lost (a loss would fail the run)
    problems, _ = lint_paths([out], provider=provider)
    assert not [p for p in problems if p.level.name == "ERROR"], [(p.code, p.message) for p in problems]


def test_alpaca_json_array_for_openai_is_told_to_convert_not_to_run_jq(tmp_path):
    path = require_shared("corpus", "real", ALPACA)
    records = json.loads(path.read_text())[:30]
    sample = tmp_path / "alpaca.json"
    sample.write_text(json.dumps(records, indent=2))
    problems, _ = lint_paths([sample])
    (message,) = _messages(problems, "FT914")
    command = _suggested_command(message)
    assert command == ["ftlint", str(sample), "--convert-to", "chat", "-o", str(tmp_path / "alpaca.jsonl")]
    assert not [p for p in problems if p.code in ("FT010", "FT012")], [(p.code, p.message) for p in problems]
    done = _ftlint(*command[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
