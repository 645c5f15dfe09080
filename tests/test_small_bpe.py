"""The Python BPE path of small runs gives tiktoken's ids; the CoreBPE is built only when it pays."""

from __future__ import annotations

import os
import re
import sys

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


def _corpus_strings(directory, lines_per_file: int | None = None) -> set[str]:
    """Every string (keys too) of the real corpus's JSONL lines (the first ``lines_per_file``) and JSON files;
    a line that is not JSON counts as one string."""
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

    for path in sorted(directory.glob("*.json*")):
        if path.suffix == ".json" and lines_per_file is None:
            walk(orjson.loads(path.read_bytes()))
            continue
        with open(path, "rb") as fh:
            for _, line in zip(range(lines_per_file or 1 << 62), fh):
                try:
                    walk(orjson.loads(line))
                except orjson.JSONDecodeError:
                    strings.add(line.decode("utf-8", "replace"))
    return strings


def test_real_corpus_strings_give_tiktokens_ids(pairs, real_corpus):
    strings = _corpus_strings(real_corpus, lines_per_file=20)
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


# -- common text: split with the standard library's re, no regex module ----------------------

ASCII_RUNS = st.sampled_from(
    ["'s", "'S", "'t", "'T", "'re", "'RE", "'ve", "'m", "'ll", "'LL", "'d", "'D", "'", "''", "'x", " '",
     "  ", "   ", "\n", "\r", "\r\n", "\n\n", " \n", "\n ", " \n\n ", "\t", "\t\t", "\x0b", "\x0c", "\x1c", "\x1d",
     "\x1e", "\x1f", "\x7f", "\x00", "1", "12", "123", "1234", "1234567", " 12", "a1b2", "A", "AB", "ABC",
     "aBc", "Ab", "Hello", "HELLO", "x/y", "//", " //\n", "/\n", "!!", " ?!", "...", "_", "__init__", "don't",
     "DON'T", "I'm", "we'll", "it's", "$", " $", "{}", "<|endoftext|>"]
)
ASCII_TEXT = st.lists(st.one_of(st.characters(max_codepoint=127), ASCII_RUNS), max_size=60).map("".join)
#: Every character the re split handles (ASCII, Latin-1, General Punctuation), none excluded.
STDLIB_CHARACTERS = [chr(cp) for cp in [*range(0x100), *range(0x2000, 0x2070)] if cp != 0x2065]
COMMON_RUNS = st.sampled_from(["caf\u00e9", "\u00c9T\u00c9", "na\u00efve", "\u00df", "\u00b5s", "\u00aa\u00ba", "\u00bd",
                               "x\u00b2", "\u00a0", "\u0085", "\u2019s", "\u2019S", "\u201cHi\u201d", "\u2014", "\u2026",
                               "\u2003\u2003", "\u2028", "\u202f", "\u205f", "\u200b", "\u2060", "\u00a0\n", " \u00e9t\u00e9"])
COMMON_TEXT = st.lists(st.one_of(st.sampled_from(STDLIB_CHARACTERS), ASCII_RUNS, COMMON_RUNS), max_size=60).map("".join)


def _pieces_fit(lazy, text):
    """Whether every piece of the split is short enough for the Python path (else it defers to tiktoken)."""
    return all(len(piece) <= small_bpe._MAX_PIECE_BYTES for piece in lazy._unicode_split()(text))


def _splits_and_encodes_as_tiktoken_does(pairs, text):
    import regex

    for name, (lazy, reference) in pairs.items():
        pat_str = ENCODINGS[name].pat_str
        pattern = small_bpe.stdlib_pattern(pat_str)
        if pattern is None:  # cl100k's possessive quantifiers before Python 3.11: split with regex
            assert sys.version_info < (3, 11) and name == "cl100k_base"
        else:
            assert pattern.findall(text) == regex.findall(pat_str, text)
        ids = lazy._python_ids(text)
        if _pieces_fit(lazy, text):
            assert ids == reference.encode_ordinary(text)
        else:
            assert ids is None


@settings(max_examples=400, deadline=None)
@given(ASCII_TEXT)
def test_ascii_text_splits_and_encodes_as_tiktoken_does(pairs, text):
    _splits_and_encodes_as_tiktoken_does(pairs, text)


@settings(max_examples=400, deadline=None)
@given(COMMON_TEXT)
def test_latin1_and_punctuation_text_splits_and_encodes_as_tiktoken_does(pairs, text):
    _splits_and_encodes_as_tiktoken_does(pairs, text)


@pytest.mark.parametrize("escape", sorted(small_bpe._STDLIB_CLASSES))
def test_each_class_holds_what_regex_finds_among_the_characters(escape):
    import regex

    members = small_bpe._STDLIB_CLASSES[escape]
    ours = {c for c in STDLIB_CHARACTERS if members and re.fullmatch(f"[{members}]", c)}
    assert ours == {c for c in STDLIB_CHARACTERS if regex.fullmatch("\\" + escape, c)}


@pytest.mark.parametrize("name", NAMES)
def test_every_common_character_in_context_takes_the_re_split(pairs, name):
    lazy, reference = pairs[name]
    fresh = LazyEncoding(name, lazy._pat_str, lazy._ranks, lazy._build, python_char_budget=10**12)
    inside = set(STDLIB_CHARACTERS)
    texts = [_contexts(c).replace(c.upper(), c) if set(c.upper()) - inside else _contexts(c) for c in STDLIB_CHARACTERS]
    texts += [a + b for a in STDLIB_CHARACTERS for b in "a A1 \n'\u00e9\u2019"]
    assert [fresh._python_ids(text) for text in texts] == [reference.encode_ordinary(text) for text in texts]
    assert fresh._split is None  # regex was never imported for them


@pytest.mark.parametrize("name", NAMES)
def test_every_pair_of_ascii_characters_encodes_as_tiktoken_does(pairs, name):
    lazy, reference = pairs[name]
    texts = [a + b + tail for a in map(chr, range(128)) for b in map(chr, range(128)) for tail in ("", "x", " 1")]
    assert [lazy._python_ids(text) for text in texts] == [reference.encode_ordinary(text) for text in texts]


def test_whitespace_is_unicodes_not_pythons():
    r"""\x1c-\x1f are str.isspace() but not Unicode White_Space: tiktoken keeps them with the word that follows."""
    pattern = small_bpe.stdlib_pattern(ENCODINGS["o200k_base"].pat_str)
    assert pattern.findall("a\x1cb c\x0bd\n") == ["a", "\x1cb", " c", "\x0bd", "\n"]
    assert pattern.findall("a \x1c\x1c b") == ["a", " \x1c\x1c", " b"]  # Python's \s would split " " off
    # $ is the end of the text in Rust, never before a final newline as in Python's re:
    assert small_bpe.stdlib_pattern(r"a$").findall("a\n") == []
    assert small_bpe.stdlib_pattern(r"a$").findall("a") == ["a"]


@pytest.mark.parametrize("pattern", [r"\d+", r"\w+", r".", r"\p{Greek}+", r"[\p{M}]", r"\p{Lm}", r"^a", r"[\S]",
                                     r"\P{L}", r"[a", "caf\u00e9"])
def test_a_pattern_it_cannot_translate_is_left_to_regex(pattern):
    assert small_bpe.stdlib_pattern(pattern) is None


def test_common_text_never_imports_regex():
    import subprocess

    code = ("import sys; from ftlint import tokenizer\n"
            "e = tokenizer.get_encoding('o200k_base')\n"
            "ids = e.encode_ordinary(\"Hello, world! It's 2026.\\n\")\n"
            "ids += e.encode_ordinary('Caf\\u00e9 \\u201cna\\u00efve\\u201d \\u2014 it\\u2019s\\u2026')\n"
            "print(ids, 'regex' in sys.modules, e._encoding is None)\n"
            "e.encode_ordinary('\\u65e5\\u672c')\n"
            "print('regex' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    ids, *rest = out.splitlines()
    expected = [13225, 11, 2375, 0, 7744, 220, 1323, 21, 558, 34, 103112, 966, 1503, 9954, 737, 693, 2733, 480, 802, 1131]
    assert (ids, rest) == (f"{expected} False True", ["True"])


@pytest.mark.slow  # ~6 s idle: 15k strings, 4.9M characters, twice
def test_every_common_string_of_the_real_corpus_encodes_as_tiktoken_does(pairs, real_corpus):
    """Every string of the first 200 lines of each corpus file that the re split handles (ASCII, Latin-1,
    General Punctuation); FTLINT_EVERY_CORPUS_STRING=1: of every line (195k strings, 32M characters, about
    two minutes: run before changing the split or the merge)."""
    every = os.environ.get("FTLINT_EVERY_CORPUS_STRING", "").strip() in ("1", "true", "yes")
    common = re.compile(f"[{small_bpe.STDLIB_CHARACTERS}]*").fullmatch
    strings = sorted(text for text in _corpus_strings(real_corpus, None if every else 200) if common(text))
    assert len(strings) > (100_000 if every else 10_000)
    for name, (lazy, reference) in pairs.items():
        fresh = LazyEncoding(name, lazy._pat_str, lazy._ranks, lazy._build, python_char_budget=10**12)
        ours = [fresh._python_ids(text) for text in strings]
        assert fresh._split is None  # the regex module was never needed
        theirs = [reference.encode_ordinary(text) for text in strings]
        wrong = [text for text, mine, exact in zip(strings, ours, theirs) if mine is not None and mine != exact]
        assert wrong == []
        deferred = [text for text, mine in zip(strings, ours) if mine is None]
        assert all(not _pieces_fit(fresh, text) for text in deferred)
        assert len(deferred) < 10


def test_a_counter_calling_the_built_tokenizer_directly_counts_as_before():
    """TokenCounter.encode_directly (large files, ftlint.parallel) skips the lazy wrapper's frame: same
    counts, a lone surrogate included (tiktoken itself raises on it; the counter falls back to the wrapper)."""
    from ftlint.counting import TokenCounter

    texts = ("hello world", "lone \udc80 surrogate", "new \U0001fae8 emoji", "x" * 300, "")
    wrapped = TokenCounter("o200k_base")
    expected = [wrapped.text(text) for text in texts]
    direct = TokenCounter("o200k_base")
    direct._encoding.built()
    direct.encode_directly()
    assert direct._encode == direct._encoding.direct_encode  # really the tiktoken call
    assert [direct.text(text) for text in texts] == expected
    reference = tokenizer.build_encoding(ENCODINGS["o200k_base"], VOCAB_DIR / ENCODINGS["o200k_base"].filename).built()
    assert expected == [len(reference.encode_ordinary(text)) for text in texts]
