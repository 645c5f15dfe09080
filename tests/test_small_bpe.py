"""The Python BPE path of small runs gives tiktoken's ids; the CoreBPE is built only when it pays."""

from __future__ import annotations

import re

import orjson
import pytest
from hypothesis import given, settings, strategies as st

from ftlint import small_bpe, tokenizer
from ftlint.small_bpe import LazyEncoding
from ftlint.tokenizer import ENCODINGS, VOCAB_DIR

NAMES = ("o200k_base", "cl100k_base")


@pytest.fixture(scope="module")
def pairs():
    """name -> (a fresh LazyEncoding that never switches, tiktoken's encoding) from the same verified ranks."""
    found = {}
    for name in NAMES:
        spec = ENCODINGS[name]
        ranks = tokenizer.load_ranks(spec, VOCAB_DIR / spec.filename)
        lazy = LazyEncoding(name, spec.pat_str, ranks, lambda: pytest.fail("built tiktoken"), python_char_budget=10**12)
        found[name] = (lazy, tokenizer.tiktoken_encoding(spec, ranks))
    return found


def _vouched_code_points(step_cjk: int = 9):
    for part in small_bpe._VOUCHED_RANGES:
        first, last = ord(part[0]), ord(part[-1])
        wide = last - first > 5000  # CJK ideographs, Hangul: a sample
        yield from range(first, last + 1, step_cjk if wide else 1)


VOUCHED = re.compile(f"[{small_bpe._VOUCHED}]*")


def _contexts(c: str) -> str:
    upper = c.upper() if VOUCHED.fullmatch(c.upper()) else c
    return f"{c} x{c}y {c}{c}{c} {c}'S 1{c}2\n{c}  {c}\t {c}{upper} Hello{c}World 'll{c} "


@pytest.mark.parametrize("name", NAMES)
def test_every_vouched_character_in_context_gives_tiktokens_ids(pairs, name):
    lazy, reference = pairs[name]
    points = [chr(cp) for cp in _vouched_code_points() if not 0xD800 <= cp <= 0xDFFF]
    for start in range(0, len(points), 64):
        text = "".join(_contexts(c) for c in points[start:start + 64])
        ids = lazy._python_ids(text)
        assert ids is not None, repr(text[:40])
        assert ids == reference.encode_ordinary(text), repr(text[:80])


TRICKY = st.sampled_from(
    list("aAzZ09 \t\n\r'’sStTmMdDlLvVeErR_-=/.,;:!?\"()[]{}<>@#$%^&*+|\\~`")
    + ["ſ", "K", "İ", "ı", "ß", "é", "É", "̈", "ñ", "Ω", "ж", "Ж", "日本", "語", "한", "ア", "。", "…", "—", "€",
       "½", "²", "٣", "①", "\u00a0", "\u2003", "\u3000", "\u200d", "\ufe0f", "😀", "🚀", "👍", "\x0b", "\x85",
       "\u2028", "  ", "\n\n", "123456", "'s", "'LL", "http://x.y/z"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TRICKY, max_size=40).map("".join))
def test_generated_text_gives_tiktokens_ids(pairs, text):
    for lazy, reference in pairs.values():
        ids = lazy._python_ids(text)
        assert ids is None or ids == reference.encode_ordinary(text)


def test_real_corpus_strings_give_tiktokens_ids(pairs, real_corpus):
    strings: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                strings.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(real_corpus.glob("*.jsonl")):
        with open(path, "rb") as fh:
            for _, line in zip(range(20), fh):
                try:
                    walk(orjson.loads(line))
                except orjson.JSONDecodeError:
                    strings.add(line.decode("utf-8", "replace"))
    handled = 0
    for lazy, reference in pairs.values():
        for text in strings:
            ids = lazy._python_ids(text)
            if ids is not None:
                handled += 1
                assert ids == reference.encode_ordinary(text), repr(text[:80])
    assert handled > 0.9 * 2 * len(strings)  # the corpus is almost all vouched text


def test_unvouched_text_and_long_pieces_go_to_tiktoken(pairs):
    lazy, reference = pairs["o200k_base"]
    for text in ("new \U0001fae8 emoji", "\U0010fffd private", "x" * 2000, "lone \udc80 surrogate"):
        assert lazy._python_ids(text) is None
    assert lazy._python_ids("plain text") == reference.encode_ordinary("plain text")


def test_switches_to_tiktoken_after_the_budget():
    spec = ENCODINGS["o200k_base"]
    ranks = tokenizer.load_ranks(spec, VOCAB_DIR / spec.filename)
    builds = []

    def build():
        builds.append(1)
        return tokenizer.tiktoken_encoding(spec, ranks)

    lazy = LazyEncoding("o200k_base", spec.pat_str, ranks, build, python_char_budget=20)
    assert lazy.encode_ordinary("hello world") == [24912, 2375]
    assert builds == []  # 11 characters: the Python path
    assert lazy.encode_ordinary("hello world, again") == [24912, 2375, 11, 2418]
    assert builds == [1]  # past the budget: tiktoken, built once
    assert lazy.encode_ordinary("hello") == [24912]
    assert lazy.decode([24912, 2375]) == "hello world"  # anything else is tiktoken's
    assert builds == [1]


def test_unvouched_text_builds_tiktoken_and_is_exact():
    lazy = tokenizer.build_encoding(ENCODINGS["o200k_base"], VOCAB_DIR / ENCODINGS["o200k_base"].filename)
    assert lazy._encoding is None
    text = "new \U0001fae8 emoji"
    assert lazy.encode_ordinary(text) == lazy.built().encode_ordinary(text)
    assert lazy._encoding is not None


def test_a_small_run_builds_no_corebpe(tmp_path, monkeypatch):
    import io

    from ftlint import cli

    monkeypatch.setattr(tokenizer, "_cache", {})
    monkeypatch.setattr(tokenizer, "tiktoken_encoding", lambda spec, ranks: pytest.fail("built CoreBPE"))
    path = tmp_path / "d.jsonl"
    line = {"messages": [{"role": "user", "content": "Hello there, how are you?"},
                         {"role": "assistant", "content": "Fine, thanks — and you? 😀"}]}
    path.write_bytes(orjson.dumps(line) + b"\n")
    out = io.StringIO()
    cli.main([str(path), "--isolated", "--model", "gpt-4o-mini", "--no-cache"], stdout=out, stderr=io.StringIO())
    assert "tokens: 24 total, 12 in training targets" in out.getvalue()  # 7 + 8 text, 9 framing


def test_a_large_file_builds_corebpe_before_linting(tmp_path, monkeypatch):
    import io

    from ftlint import cli, parallel

    monkeypatch.setattr(tokenizer, "_cache", {})
    monkeypatch.setattr(parallel, "BUILD_TOKENIZER_BYTES", 10)  # "large": more than 10 bytes
    built = []
    real = tokenizer.tiktoken_encoding
    monkeypatch.setattr(tokenizer, "tiktoken_encoding", lambda spec, ranks: built.append(spec.name) or real(spec, ranks))
    path = tmp_path / "d.jsonl"
    path.write_bytes(orjson.dumps({"messages": [{"role": "user", "content": "Hi"},
                                                {"role": "assistant", "content": "Hello"}]}) + b"\n")
    cli.main([str(path), "--isolated", "--model", "gpt-4o-mini", "--no-cache", "--jobs", "1"],
             stdout=io.StringIO(), stderr=io.StringIO())
    assert built == ["o200k_base"]


def test_once_built_every_string_is_tiktokens():
    lazy = tokenizer.build_encoding(ENCODINGS["o200k_base"], VOCAB_DIR / ENCODINGS["o200k_base"].filename)
    reference = lazy.built()
    for text in ("hello world", "lone \udc80 surrogate", "new \U0001fae8 emoji", "x" * 300):
        assert lazy.encode_ordinary(text) == reference.encode_ordinary(text)
