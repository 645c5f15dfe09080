"""The open-trainer options in a config file: trainer-config, chat-template, max-seq-length, response-marker.

Paths are relative to the config file; each value is checked when the file is
read (a bad one is exit 2 with one line naming the key and the file); the
command line wins; --show-settings shows what is in force.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ftlint.cli import main
from ftlint.config import Config, load_config
from ftlint.rules import load_rules
from ftlint.settings import ConfigError
from ftlint.toml_data import toml_module

tomllib = toml_module()

RULES = load_rules()
AXOLOTL = ("datasets:\n  - path: chats.jsonl\n    type: chat_template\n    field_messages: conversation\n"
           "    message_property_mappings:\n      role: from\n      content: text\n")
CHATS = [{"conversation": [{"from": "user", "text": f"question {i}"}, {"from": "assistant", "text": f"answer {i}"}]}
         for i in range(3)]


def run(argv, cwd, monkeypatch):
    monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path):
    """A project whose config sits in conf/ and names the trainer config and template beside it."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "axolotl.yaml").write_text(AXOLOTL)
    (tmp_path / "conf" / "chatml.jinja").write_text(
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "chats.jsonl").write_text("".join(json.dumps(r) + "\n" for r in CHATS))
    return tmp_path


def _config(project, text: str) -> str:
    path = project / "conf" / "ftlint.toml"
    path.write_text(text)
    return str(path)


def test_settings_come_from_the_config_with_paths_relative_to_it(project, monkeypatch):
    config = _config(project, 'trainer-config = "axolotl.yaml"\nchat-template = "chatml.jinja"\n'
                              'max-seq-length = 4096\nresponse-marker = "<|im_start|>assistant\\n"\n')
    code, out, err = run(["--config", config, "--show-settings", "--format", "json", "data/chats.jsonl"], project,
                         monkeypatch)
    shown = json.loads(out)
    assert (code, err) == (0, "")
    assert shown["trainer_config"] == str(project / "conf" / "axolotl.yaml")
    assert shown["chat_template"] == str(project / "conf" / "chatml.jinja")
    assert (shown["max_seq_length"], shown["response_marker"]) == (4096, "<|im_start|>assistant\n")


def test_show_settings_text_keeps_one_setting_a_line(project, monkeypatch):
    config = _config(project, 'chat-template = "qwen2.5"\nresponse-marker = "<|im_start|>assistant\\n"\n')
    code, out, _ = run(["--config", config, "--show-settings", "data/chats.jsonl"], project, monkeypatch)
    assert 'response-marker = "<|im_start|>assistant\\n"' in out.splitlines()
    assert "chat-template = qwen2.5" in out.splitlines()


def test_the_configured_trainer_config_drives_linting(project, monkeypatch):
    """Without it the conversation column is unknown (FT020); with it from the config, the file is read and counted."""
    code, out, _ = run(["--isolated", "--provider", "axolotl", "--format", "json", "data/chats.jsonl"], project,
                       monkeypatch)
    assert "FT020" in {d["code"] for d in json.loads(out)["files"][0]["diagnostics"]}
    config = _config(project, 'trainer-config = "axolotl.yaml"\n')
    code, out, _ = run(["--config", config, "--provider", "axolotl", "--format", "json", "data/chats.jsonl"],
                       project, monkeypatch)
    (result,) = json.loads(out)["files"]
    assert result["format"] == "sharegpt" and result["tokens"]["total"] > 0
    assert not [d for d in result["diagnostics"] if d["severity"] == "error"]


def test_the_command_line_wins(project, monkeypatch):
    config = _config(project, 'chat-template = "qwen2.5"\nmax-seq-length = 4096\n')
    code, out, _ = run(["--config", config, "--chat-template", "llama3", "--max-seq-length", "8", "--show-settings",
                        "--format", "json", "data/chats.jsonl"], project, monkeypatch)
    shown = json.loads(out)
    assert (shown["chat_template"], shown["max_seq_length"]) == ("llama3", 8)


@pytest.mark.parametrize("text, needle", [
    ('max-seq-length = 0\nchat-template = "qwen2.5"\n', '"max-seq-length" must be from 1 to 1,000,000,000, not 0'),
    ('max-seq-length = 10000000000\nchat-template = "qwen2.5"\n', '"max-seq-length" must be from 1 to 1,000,000,000'),
    ('max-seq-length = "2048"\nchat-template = "qwen2.5"\n', '"max-seq-length" must be a whole number from 1 to 1,000,000,000, not string'),
    ('max-seq-length = 2048\n', '"max-seq-length" needs "chat-template"'),
    ('trainer-config = "missing.yaml"\n', '"trainer-config": cannot read trainer config'),
    ('trainer-config = "chatml.jinja"\n', '"trainer-config": '),
    ('chat-template = "no-such-family"\n', '"chat-template": unknown chat template'),
    ('chat-template = ""\n', '"chat-template" must be a non-empty string'),
    ('chat-template = "qwen2.5"\nresponse-marker = ""\n', '"response-marker" must be a non-empty string'),
    ('response-marker = ["x"]\n', '"response-marker" must be a non-empty string, not array'),
])
def test_a_bad_value_is_exit_2_in_one_line_naming_key_and_file(project, monkeypatch, text, needle):
    config = _config(project, text)
    code, out, err = run(["--config", config, "data/chats.jsonl"], project, monkeypatch)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and config in err and needle in err, err


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10 ** 6), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["qwen2.5", "llama3", "axolotl.yaml", "chatml.jinja",
                                                           "../conf/axolotl.yaml", "gemma3"]),
                    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_KEYS = ("trainer-config", "chat-template", "max-seq-length", "response-marker")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, min_size=1))
@example({"trainer-config": "\x00"})  # a NUL in the file name: ValueError from open(), once a traceback
def test_any_value_of_the_trainer_keys_is_accepted_as_checked_or_a_config_error(project, table):
    lines = []
    for key, value in table.items():
        if value is None:
            continue
        lines.append(f"{key} = {_toml(value)}")
    path = project / "conf" / "ftlint.toml"
    path.write_text("\n".join(lines) + "\n")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError:
        return
    try:
        config = load_config(path, RULES)
    except ConfigError as exc:
        assert str(exc).startswith(str(path) + ": ") and "\n" not in str(exc)
        return
    assert isinstance(config, Config)
    for key, value in data.items():
        got = getattr(config, key.replace("-", "_"))
        if key == "max-seq-length":
            assert isinstance(value, int) and not isinstance(value, bool) and got == value >= 1
        elif key == "response-marker":
            assert got == value != "" and data.get("chat-template")
        elif key == "chat-template" and got == value:
            assert value.lower() in ("qwen2.5", "llama3", "gemma3")
        else:  # a file, resolved against the config's directory
            assert got == str(project / "conf" / value)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else "-inf" if value == float("-inf")
                                             else repr(value))
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is JSON's, for these characters
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


def test_the_trainer_config_among_the_files_is_not_linted_as_data(tmp_path, monkeypatch):
    """LLaMA-Factory keeps dataset_info.json in data/ beside the datasets, so `data/*.json` names it too."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "dataset_info.json").write_text(json.dumps({"demo": {"file_name": "demo.json"}}, indent=2))
    (data / "demo.json").write_text(json.dumps([{"instruction": "Say hi", "input": "", "output": "hi"}] * 2))
    code, out, err = run(["--isolated", "--provider", "llama-factory", "--trainer-config", "data/dataset_info.json",
                          "data/dataset_info.json", "data/demo.json", "-v", "--format", "json"], tmp_path, monkeypatch)
    assert [f["path"] for f in json.loads(out)["files"]] == ["data/demo.json"]
    assert "data/dataset_info.json: the --trainer-config file, not data" in err


def test_a_trainer_config_path_with_a_newline_is_a_one_line_error(project):
    """The path is the user's text: the error shows the newline escaped, on one line (hypothesis found it)."""
    path = project / "conf" / "ftlint.toml"
    path.write_text('trainer-config = "\\n"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, RULES)
    message = str(caught.value)
    assert message.startswith(f'{path}: "trainer-config": cannot read trainer config ') and "\n" not in message
    assert "conf/\\n" in message
