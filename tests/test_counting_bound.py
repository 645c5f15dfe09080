"""Counting stops where a string's UTF-8 length alone proves the example over the cap (ftlint.counting).

One 60 MB string of one letter took tiktoken 406 s and 3 GB to encode; its exact count changes no verdict.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from conftest import lint_lines
from ftlint.counting import Counts, CountsAtLeast, TokenCounter, longest_token_bytes
from ftlint.tokenizer import get_encoding

ENCODING = "o200k_base"


def test_the_longest_token_comes_from_the_vocabulary():
    encoding = get_encoding(ENCODING)
    longest = longest_token_bytes(ENCODING, encoding)
    lengths = []
    for token in range(encoding.n_vocab):
        try:
            lengths.append(len(encoding.decode_single_token_bytes(token)))
        except KeyError:  # an unused id
            pass
    assert longest == max(lengths) == 128


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.sampled_from(list("xyz é😀 \n")), min_size=0, max_size=3000), stop=st.integers(1, 40))
def test_a_stopped_count_is_a_true_lower_bound_above_the_stop(text, stop):
    exact = len(get_encoding(ENCODING).encode_ordinary(text))
    counter = TokenCounter(ENCODING, stop_above=stop)
    counts = counter.example("completion", {"prompt": "", "completion": text})
    if type(counts) is CountsAtLeast:
        assert stop < counts.total <= exact
        assert counts.stopped.startswith(f"a string of {len(text.encode()):,} UTF-8 bytes needs at least")
    else:
        assert type(counts) is Counts and counts.total == exact  # exact everywhere else


def test_without_a_stop_counts_are_exact():
    counter = TokenCounter(ENCODING)
    assert counter.example("completion", {"prompt": "", "completion": "x" * 20000}) == \
        Counts(len(get_encoding(ENCODING).encode_ordinary("x" * 20000)), len(get_encoding(ENCODING).encode_ordinary("x" * 20000)))


def test_an_example_a_string_puts_over_the_cap_is_reported_as_at_least(tmp_path):
    """gpt-4o-mini's cap is 65,536 tokens; 8.5 MB of one letter needs at least 66,407 of 128-byte tokens."""
    size = 8_500_000
    lines = [{"messages": [{"role": "user", "content": "x" * size}, {"role": "assistant", "content": "ok"}]}]
    problems, results = lint_lines(tmp_path, lines, select=["FT303"], model="gpt-4o-mini-2024-07-18")
    (only,) = problems
    assert only.message.startswith(
        "at least 66,417 tokens (counting stopped: a string of 8,500,000 UTF-8 bytes needs at least 66,407 tokens, "
        "as no o200k_base token is longer than 128 bytes), over the 65,536-token cap of gpt-4o-mini-2024-07-18")
    assert "truncation removes at least the last 881 tokens and that removes every trained token" in only.message
    stats = results[0].stats
    assert stats["tokens"]["lower_bounds"] == 1 and stats["tokens"]["billed"] == 65_536
    assert stats["text_lines"][1].startswith("tokens: at least 66,417 total")
    assert stats["text_lines"][2].startswith("  lower bounds: 1 example over the cap counted only until")
