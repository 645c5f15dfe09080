"""``ftlint FILE --convert-to FORMAT -o OUT``: converts, lists what cannot be carried, writes atomically, lints OUT."""

from __future__ import annotations

import io
import json

from ftlint.cli import main

CHAT = {"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "hello"}]}
HTTPS_IMAGE = {"messages": [
    {"role": "user", "content": [{"type": "text", "text": "what?"},
                                 {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]},
    {"role": "assistant", "content": "a cat"}]}


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_lossless_conversion_is_written_and_linted(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [CHAT] * 3)
    code, out, err = run(str(src), "--convert-to", "gemini", "-o", str(dst), "--select", "FT150,FT151")
    assert err == "" and code == 0
    assert f"{src} -> {dst} (Vertex AI Gemini contents): 3 examples, 3 converted exactly, 0 with losses, " \
           "0 not converted" in out
    assert json.loads(dst.read_text().splitlines()[0]) == {
        "systemInstruction": {"parts": [{"text": "be brief"}]},
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}, {"role": "model", "parts": [{"text": "hello"}]}]}
    assert out.endswith("All checks passed: 1 file, 3 examples.\n")  # the report on OUT


def test_a_loss_refuses_to_write_unless_lossy(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [CHAT, HTTPS_IMAGE])
    dst.write_text("keep me\n")
    code, out, _ = run(str(src), "--convert-to", "bedrock", "-o", str(dst))
    assert code == 1
    assert (f"{src}:2: OpenAI chat -> Amazon Bedrock conversation (Nova): message 1 (user): image "
            "'https://x.test/a.png' cannot be carried (Bedrock reads images from s3:// URIs only)") in out
    assert "1 converted exactly, 1 with losses, 0 not converted" in out
    assert f"{dst} not written: some examples could not be converted exactly; pass --convert-lossy" in out
    assert dst.read_text() == "keep me\n"  # untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".ftlint-tmp")] == []
    code, out, _ = run(str(src), "--convert-to", "bedrock", "-o", str(dst), "--convert-lossy")
    lines = dst.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["messages"][0]["content"] == [{"text": "what?"}]


def test_records_that_cannot_be_converted_are_listed_and_left_out(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    kto = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "label": True}
    src.write_text(json.dumps(CHAT) + "\n{broken\n" + json.dumps({"foo": 1}) + "\n" + json.dumps(kto) + "\n")
    code, out, _ = run(str(src), "--convert-to", "sharegpt", "-o", str(dst), "--convert-lossy")
    assert f"{src}:2: not converted: invalid JSON" in out
    assert f"{src}:3: not converted: the record's keys (foo) fit no format ftlint reads" in out
    # A format ftlint lints without a converter is named, not called unreadable (a new user's review).
    assert (f"{src}:4: not converted: the record is messages with a KTO label (LLaMA-Factory), which ftlint lints "
            "but has no converter for") in out
    assert "3 examples (and 1 line holding none), 1 converted exactly, 0 with losses, 2 not converted" in out
    assert [json.loads(line) for line in dst.read_text().splitlines()] == [
        {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}], "system": "be brief"}]


def test_a_json_array_becomes_jsonl(tmp_path):
    src, dst = tmp_path / "alpaca.json", tmp_path / "chat.jsonl"
    src.write_text(json.dumps([{"instruction": "Add", "input": "2+2", "output": "4"}], indent=2))
    code, out, _ = run(str(src), "--convert-to", "openai-chat", "-o", str(dst), "--select", "FT101")
    assert code == 0, out
    assert json.loads(dst.read_text()) == {"messages": [{"role": "user", "content": "Add\n2+2"},
                                                        {"role": "assistant", "content": "4"}]}


def test_usage_errors_exit_2(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [CHAT])
    assert run(str(src), "--convert-to", "klingon", "-o", str(tmp_path / "x"))[0] == 2
    code, _, err = run(str(src), "--convert-to", "gemini")
    assert code == 2 and err == "ftlint: error: --convert-to needs -o OUT, the file to write\n"
    code, _, err = run(str(src), "--convert-to", "gemini", "-o", str(src))
    assert code == 2 and "is the input itself" in err
    assert src.read_text() == json.dumps(CHAT) + "\n"


def test_an_output_that_cannot_be_written_is_one_line_naming_o(tmp_path, monkeypatch):
    """0.3.0 said "internal error: FixError: ... cannot write the fixed file ... (please report ...)"."""
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [CHAT])
    missing = tmp_path / "nonexistent" / "x.jsonl"
    assert run(str(src), "--convert-to", "gemini", "-o", str(missing)) == (
        2, "", f"ftlint: error: -o {missing}: the directory {missing.parent} does not exist\n")
    assert run(str(src), "--convert-to", "gemini", "-o", str(src / "x.jsonl")) == (
        2, "", f"ftlint: error: -o {src}/x.jsonl: the directory {src} is not a directory\n")
    folder = tmp_path / "out"
    folder.mkdir()
    for given in (f"{folder}/", str(folder)):
        assert run(str(src), "--convert-to", "gemini", "-o", given) == (
            2, "", f"ftlint: error: -o {given} is a directory; name the file to write, e.g. -o {folder}/in.gemini.jsonl\n")

    def refuse(target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("ftlint.tempfiles.create_beside", refuse)
    out = folder / "x.jsonl"
    assert run(str(src), "--convert-to", "gemini", "-o", str(out)) == (
        2, "", f"ftlint: error: cannot write -o {out}: Permission denied; nothing was written\n")
    assert list(folder.iterdir()) == [] and src.read_text() == json.dumps(CHAT) + "\n"


def test_with_a_machine_format_stdout_is_only_the_report(tmp_path):
    """--format json/sarif: the conversion's lines go to stderr, so stdout parses as one document."""
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [CHAT, HTTPS_IMAGE])
    code, out, err = run(str(src), "--convert-to", "bedrock", "-o", str(dst), "--convert-lossy", "--format", "json",
                         "--select", "FT160")
    assert json.loads(out)["files"][0]["path"] == str(dst)
    assert f"{src} -> {dst} (Amazon Bedrock conversation (Nova)): 2 examples" in err
    assert f"{src}:2: " in err and f"Linting {dst} for bedrock-nova:" in err
    code, out, err = run(str(src), "--convert-to", "bedrock", "-o", str(dst), "--convert-lossy", "--format", "sarif",
                         "--select", "FT160")
    assert json.loads(out)["runs"][0]["tool"]["driver"]["name"] == "ftlint"


STOCK = "microsoft-foundry-fine-tuning__stock_toolcall_training.jsonl"


def test_out_is_linted_for_the_target_formats_provider_when_provider_takes_none_of_it(tmp_path, real_corpus):
    """Gemini data linted for Vertex, converted back to chat: the chat file is linted as OpenAI's (the
    target's provider), not against Vertex, which would report FT914 and ask to convert it to Gemini."""
    gem, back = tmp_path / "stock.gem.jsonl", tmp_path / "back.jsonl"
    code, out, err = run(str(real_corpus / STOCK), "--convert-to", "gemini", "-o", str(gem), "-q")
    assert code == 0, out + err
    code, out, err = run(str(gem), "--provider", "vertex", "--convert-to", "chat", "-o", str(back), "-q")
    assert code == 0, out + err
    assert f"Linting {back} for openai (--provider vertex takes no OpenAI chat data):\n" in out
    assert "FT914" not in out
    assert out.endswith("All checks passed: 1 file, 86 examples.\n")


def test_out_is_linted_for_the_given_provider_when_it_takes_the_target_format(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [CHAT] * 3)
    code, out, err = run(str(src), "--provider", "together", "--convert-to", "chat", "-o", str(dst), "-q")
    assert f"Linting {dst} for together:\n" in out
