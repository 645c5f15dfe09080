"""--convert-to's converters: exact where both sides can say the same thing, and every loss reported.

The property every converter keeps: when converting an OpenAI record to a
format reports no loss, converting it back gives the normalized input, byte for
byte. Checked over generated records (hypothesis) and over every record of the
real corpus.
"""

from __future__ import annotations

import itertools
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import require_shared
from ftlint import converters
from ftlint.converters import canonical
from ftlint.convert import source_converter
from ftlint.reader import open_source, read_lines

TARGETS = [name for name in converters.names() if converters.get(name).format == name]
RECORDS_PER_FILE = 400


def round_trip(pivot: dict, target: str):
    """(losses going out, losses coming back, the record back) for pivot -> target -> pivot."""
    conv = converters.get(target)
    out, losses = conv.from_pivot(pivot)
    if out is None:
        return losses, None, None
    back, back_losses = conv.to_pivot(json.loads(json.dumps(out)))
    return losses, back_losses, back


def assert_exact_when_lossless(pivot: dict, target: str) -> bool:
    losses, back_losses, back = round_trip(pivot, target)
    if losses:
        return False
    assert back is not None and back_losses == [], (target, back_losses)
    assert canonical(back) == canonical(pivot), target
    return True


# -- generated records ---------------------------------------------------------------

text = st.text(alphabet=string.ascii_letters + " é\n\"\\{}", max_size=20)
names = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
urls = st.sampled_from(["gs://b/cat.png", "s3://b/dog.jpeg", "https://x.test/a.png", "data:image/png;base64,AAAA",
                        "gs://b/noext", "s3://b/clip.webp"])
arguments = st.dictionaries(names, st.integers() | text, max_size=3)


@st.composite
def content(draw, allow_images):
    if not allow_images or draw(st.booleans()):
        return draw(text)
    parts = draw(st.lists(st.one_of(
        text.map(lambda t: {"type": "text", "text": t}),
        st.builds(lambda u: {"type": "image_url", "image_url": {"url": u}}, urls),
    ), min_size=1, max_size=3))
    return parts


@st.composite
def chat_records(draw):
    messages = []
    if draw(st.booleans()):
        messages.append({"role": "system", "content": draw(text)})
    count = 0
    tool_names = draw(st.lists(names, min_size=1, max_size=2, unique=True))
    for _ in range(draw(st.integers(1, 3))):
        messages.append({"role": "user", "content": draw(content(True))})
        reply: dict = {"role": "assistant"}
        calls = []
        if draw(st.booleans()):
            for _ in range(draw(st.integers(1, 2))):
                count += 1
                calls.append({"id": f"c{count}", "type": "function", "function": {
                    "name": draw(st.sampled_from(tool_names)), "arguments": json.dumps(draw(arguments))}})
            reply["tool_calls"] = calls
            if draw(st.booleans()):
                reply["content"] = draw(text)
        else:
            reply["content"] = draw(text)
        if draw(st.integers(0, 4)) == 0:
            reply["weight"] = draw(st.sampled_from([0, 1]))
        messages.append(reply)
        for call in calls:
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": draw(text)})
        if calls:
            messages.append({"role": "assistant", "content": draw(text)})
    record = {"messages": messages}
    if draw(st.booleans()):
        record["tools"] = [{"type": "function", "function": {"name": n, "description": draw(text),
                                                             "parameters": {"type": "object"}}} for n in tool_names]
    return record


@st.composite
def preference_records(draw):
    chat = draw(chat_records())
    messages = [m for m in chat["messages"] if m["role"] in ("system", "user")][:2]
    if not messages or messages[-1]["role"] != "user":
        messages.append({"role": "user", "content": draw(text)})
    return {"input": {"messages": messages},
            "preferred_output": [{"role": "assistant", "content": draw(text)}],
            "non_preferred_output": [{"role": "assistant", "content": draw(text)}]}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(chat_records(), preference_records()), st.sampled_from(TARGETS))
def test_a_conversion_without_losses_comes_back_exactly(record, target):
    assert_exact_when_lossless(record, target)


@settings(max_examples=60, deadline=None)
@given(chat_records())
def test_text_chat_without_weights_converts_exactly_to_gemini_and_bedrock(record):
    plain = {"messages": [{k: v for k, v in m.items() if k != "weight"} for m in record["messages"]]}
    plain["messages"] = [m if isinstance(m.get("content", ""), str) else {**m, "content": "x"} for m in plain["messages"]]
    if "tools" in record:
        plain["tools"] = record["tools"]
    for target in ("gemini", "bedrock"):
        assert assert_exact_when_lossless(plain, target), target


# -- what cannot be carried is said -------------------------------------------------------


def losses_of(record, target):
    return converters.get(target).from_pivot(record)[1]


def test_an_https_image_is_a_loss_for_bedrock_and_gemini():
    record = {"messages": [
        {"role": "user", "content": [{"type": "text", "text": "what is it?"},
                                     {"type": "image_url", "image_url": {"url": "https://x.test/cat.png"}}]},
        {"role": "assistant", "content": "a cat"}]}
    assert losses_of(record, "bedrock") == [
        "message 1 (user): image 'https://x.test/cat.png' cannot be carried (Bedrock reads images from s3:// URIs only)"]
    assert losses_of(record, "gemini") == [
        "message 1 (user): image 'https://x.test/cat.png' cannot be carried (Vertex reads media from gs:// URIs)"]


def test_a_long_image_url_keeps_the_end_that_tells_images_apart():
    """0.3.0 cut URLs at 60 characters: a dataset's images, which share host and folders, all read alike."""
    base = "https://automlcesdkdataresources.blob.core.windows.net/finetuning-image-models/images/ChartQA/train/"
    shown = []
    for name in ("0.png", "1.png"):
        record = {"messages": [
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": base + name}}]},
            {"role": "assistant", "content": "a chart"}]}
        shown += losses_of(record, "bedrock")
    assert shown == [
        f"message 1 (user): image 'https://automlcesdkdataresources.blob.core.windows.net/…/{name}' cannot be "
        "carried (Bedrock reads images from s3:// URIs only)" for name in ("0.png", "1.png")]


@given(st.text(alphabet=string.ascii_letters + string.digits + "/.-_?=:%", max_size=300),
       st.sampled_from(["https://", "s3://", "gs://", "data:image/png;base64,", ""]))
def test_shown_urls_are_bounded_and_keep_their_end(rest, prefix):
    from ftlint.converters._media import SHOWN_URL_CHARS, shown_url

    url = prefix + rest
    shown = shown_url(url)
    if len(url) <= SHOWN_URL_CHARS:
        assert shown == url
        return
    assert "…" in shown
    if prefix.startswith("data:"):
        assert shown.endswith(f"({len(url):,} characters)")
        return
    assert len(shown) <= SHOWN_URL_CHARS
    assert url.endswith(shown.rsplit("…", 1)[1].lstrip("/"))  # what follows the ellipsis is the URL's end
    assert url.startswith(shown.split("…", 1)[0].rstrip("/"))


def test_a_weight_is_a_loss_for_formats_without_one():
    record = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "weight": 0},
                           {"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]}
    for target, name in (("gemini", "Gemini"), ("bedrock", "Bedrock"), ("sharegpt", "ShareGPT"), ("alpaca", "Alpaca"),
                         ("trl-messages", "TRL")):
        assert losses_of(record, target) == [
            f"message 2 (assistant): weight 0 cannot be carried ({name} has no per-message weight, "
            "so this turn would be trained)"], target


def test_an_s3_image_goes_to_bedrock_and_back():
    record = {"messages": [
        {"role": "user", "content": [{"type": "text", "text": "what is it?"},
                                     {"type": "image_url", "image_url": {"url": "s3://bucket/cat.jpg"}}]},
        {"role": "assistant", "content": "a cat"}]}
    out, losses = converters.get("bedrock").from_pivot(record)
    assert losses == []
    assert out["messages"][0]["content"][1] == {"image": {"format": "jpeg", "source": {"s3Location": {"uri": "s3://bucket/cat.jpg"}}}}
    assert assert_exact_when_lossless(record, "bedrock")


def test_tool_calls_and_results_in_gemini():
    record = {"messages": [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "tool_calls": [{"id": "call_9", "type": "function",
                                              "function": {"name": "weather", "arguments": "{\"city\": \"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "call_9", "content": "18C"},
        {"role": "assistant", "content": "18C and sunny."}],
        "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}]}
    out, losses = converters.get("gemini").from_pivot(record)
    assert losses == []
    assert out == {
        "systemInstruction": {"parts": [{"text": "be brief"}]},
        "contents": [
            {"role": "user", "parts": [{"text": "weather in Paris?"}]},
            {"role": "model", "parts": [{"functionCall": {"name": "weather", "args": {"city": "Paris"}, "id": "call_9"}}]},
            {"role": "user", "parts": [{"functionResponse": {"name": "weather", "response": {"content": "18C"},
                                                             "id": "call_9"}}]},
            {"role": "model", "parts": [{"text": "18C and sunny."}]}],
        "tools": [{"functionDeclarations": [{"name": "weather", "parameters": {"type": "object"}}]}]}
    assert assert_exact_when_lossless(record, "gemini")


def test_preference_pairs_map_to_gemini_completions_and_bedrock_candidates():
    record = {"input": {"messages": [{"role": "user", "content": "hi"}]},
              "preferred_output": [{"role": "assistant", "content": "hello!"}],
              "non_preferred_output": [{"role": "assistant", "content": "go away"}]}
    gemini, losses = converters.get("gemini").from_pivot(record)
    assert losses == [] and gemini["completions"] == [
        {"score": 1, "completion": {"role": "model", "parts": [{"text": "hello!"}]}},
        {"score": 0, "completion": {"role": "model", "parts": [{"text": "go away"}]}}]
    bedrock, losses = converters.get("bedrock").from_pivot(record)
    assert losses == [] and bedrock["messages"][-1] == {"role": "assistant", "candidates": [
        {"content": [{"text": "hello!"}], "preferenceLabel": "preferred"},
        {"content": [{"text": "go away"}], "preferenceLabel": "non-preferred"}]}
    for target in TARGETS:
        assert_exact_when_lossless(record, target)


def test_a_chat_example_makes_no_preference_pair():
    record = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}
    out, losses = converters.get("preference").from_pivot(record)
    assert out is None and losses == ["a chat example has no non-preferred output, so it makes no preference pair"]


# -- the real corpus -------------------------------------------------------------------------


def corpus_records(path):
    source = open_source(str(path))
    try:
        for line in read_lines(source, 1 << 30):
            if type(line.value) is dict:
                yield line.value
    finally:
        source.close()


@pytest.mark.slow
def test_real_records_round_trip_through_every_format():
    corpus = require_shared("corpus", "real")
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".jsonl", ".json"))
    assert len(files) >= 30
    exact = 0
    for path in files:
        for record in itertools.islice(corpus_records(path), RECORDS_PER_FILE):
            source = source_converter(record)
            pivot = source.to_pivot(record)[0] if source is not None else None
            if pivot is None:
                continue
            for target in TARGETS:
                exact += assert_exact_when_lossless(pivot, target)
    assert exact > 50_000  # most records carry over exactly to most formats
