"""FT001 names what is wrong with a line the JSON parser rejects (ftlint.rules.ft001_invalid_json)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from ftlint.rules.ft001_invalid_json import raw_control_in_string

#: Text that needs no escaping in a JSON string and holds no control character.
plain = st.text(st.characters(min_codepoint=0x20, blacklist_characters='"\\', blacklist_categories=("Cs",)), max_size=20)


@given(prefix=plain, control=st.integers(0, 0x1F).filter(lambda c: c not in (0x0A,)), suffix=plain,
       gap=st.sampled_from(["", " ", "\t"]))
def test_the_first_raw_control_character_inside_a_string_is_found(prefix, control, suffix, gap):
    head = f'{{"role":{gap}"user",{gap}"content":{gap}"{prefix}'
    raw = (head + chr(control) + suffix + '"}\n').encode()
    assert raw_control_in_string(raw) == (len(head.encode()), control)


@given(text=st.text(max_size=30), gap=st.sampled_from(["", " ", "\t", "\t\t"]))
def test_tabs_between_tokens_and_escaped_characters_are_not_reported(text, gap):
    import json

    raw = ("{" + gap + '"content":' + gap + json.dumps(text) + gap + "}\r\n").encode()
    assert raw_control_in_string(raw) is None
