"""Long pieces (a base64 blob, a run of one letter) are counted with tiktoken's heap merge, and exactly.

Up to tiktoken 0.12 the byte-pair merge of one piece was quadratic (100 KB of 'a': 4.6 s CPU, 1 MB
about 400 s; bench/bench_long_pieces.py); tiktoken 0.13 merges pieces of 100 bytes and more with a
heap, so ftlint requires it. Here that path is checked against the reference algorithm -- lowest rank
first, leftmost on ties, ftlint.small_bpe._merge, which gives tiktoken's ids for short pieces -- on
generated long pieces and on the base64 of a real PNG.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ftlint import small_bpe, tokenizer
from ftlint.tokenizer import ENCODINGS, VOCAB_DIR

REPO = Path(__file__).resolve().parent.parent
NAMES = ("o200k_base", "cl100k_base")
HEAP_FROM_BYTES = 100  # tiktoken >= 0.13 merges pieces of this many bytes and more with a heap


@pytest.fixture(scope="module")
def encodings():
    """name -> (ranks, tiktoken's Encoding, the split pattern), from ftlint's verified vocabulary."""
    import regex

    found = {}
    for name in NAMES:
        spec = ENCODINGS[name]
        ranks = tokenizer.load_ranks(spec, VOCAB_DIR / spec.filename)
        found[name] = (ranks, tokenizer.tiktoken_encoding(spec, ranks), regex.compile(spec.pat_str))
    return found


def _reference_ids(text: str, ranks: dict, pattern) -> list[int]:
    """Split with the encoding's pattern, then merge each piece lowest rank first, leftmost on ties."""
    ids: list[int] = []
    for piece in pattern.findall(text):
        data = piece.encode("utf-8")
        rank = ranks.get(data)
        ids.extend([rank] if rank is not None else small_bpe._merge(data, ranks.get))
    return ids


#: Runs that stay one piece under both patterns (a class repeated), with the tie-prone repetitions.
_RUN_ALPHABETS = ["a", "ab", "abc", "aab", "A", "AB", "Ab", "xyz", "=", "=-", "*/", " ", "\t ", "é", "日本", "0"]


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_generated_long_pieces_count_as_the_reference_merge(encodings, name, data):
    ranks, encoding, pattern = encodings[name]
    alphabet = data.draw(st.sampled_from(_RUN_ALPHABETS) | st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/="), min_size=1, max_size=6))
    length = data.draw(st.integers(HEAP_FROM_BYTES, 700))
    text = data.draw(st.lists(st.sampled_from(alphabet), min_size=length, max_size=length).map("".join)
                     | st.just((alphabet * length)[:length]))
    assert encoding.encode_ordinary(text) == _reference_ids(text, ranks, pattern)


@pytest.mark.parametrize("name", NAMES)
def test_every_long_piece_of_a_real_png_in_base64_counts_as_the_reference_merge(encodings, name):
    ranks, encoding, pattern = encodings[name]
    blob = base64.b64encode((REPO / "docs" / "html-report.png").read_bytes()).decode()
    zeros = base64.b64encode(bytes(3000)).decode()  # an image's empty rows: 'AAAA...', one 4,000-byte piece
    for text in (blob[:60_000], "data:image/png;base64," + zeros + blob[:2000]):
        assert encoding.encode_ordinary(text) == _reference_ids(text, ranks, pattern)
    assert max(len(p) for p in pattern.findall(zeros)) >= 4000  # the heap path was taken


def test_the_tiktoken_floor_has_the_heap_merge():
    """tiktoken < 0.13 counts a 100 KB run in seconds (quadratic merge); pyproject.toml must not allow it."""
    text = (REPO / "pyproject.toml").read_text()
    floor = re.search(r'"tiktoken>=([0-9.]+)', text).group(1)
    assert tuple(int(x) for x in floor.split(".")[:2]) >= (0, 13)
    from importlib.metadata import version

    assert tuple(int(x) for x in version("tiktoken").split(".")[:2]) >= (0, 13)
