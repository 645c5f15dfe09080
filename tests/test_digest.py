"""Example.digest: equal exactly when the canonical JSON is equal, however it is computed."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint.formats import Example, record_format

_text = st.sampled_from(["a", "b", " b", ""])
_message = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "system"]), "content": _text},
    optional={"weight": st.sampled_from([0, 1])},
)
_chat = st.fixed_dictionaries({"messages": st.lists(_message, min_size=1, max_size=3)},
                              optional={"tools": st.just([]), "extra": _text})
_completion = st.fixed_dictionaries({"prompt": _text, "completion": _text}, optional={"extra": _text})
_record = st.one_of(_chat, _completion)


def _example(data: dict) -> Example:
    return Example(1, data, record_format(data))


def _canonical(data: dict) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


@settings(max_examples=400, deadline=None)
@given(_record, _record)
def test_digests_are_equal_exactly_when_the_examples_are(a, b):
    first, second = _example(a), _example(b)
    _ = first.input_digest, second.target_digest  # one primed, one not: both ways must agree
    assert (first.digest == second.digest) == (_canonical(a) == _canonical(b))


@given(_record)
def test_the_digest_does_not_depend_on_what_was_computed_first(data):
    plain, primed = _example(data), _example(data)
    _ = primed.input_digest, primed.target_digest
    assert plain.digest == primed.digest
