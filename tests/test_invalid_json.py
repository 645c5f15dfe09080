"""FT001 names what is wrong with a line the JSON parser rejects (ftlint.rules.ft001_invalid_json)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from ftlint.rules.ft001_invalid_json import python_repr, raw_control_in_string, strict_only, unpaired_surrogate

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


#: Text with surrogate code points in it (lone, paired or in the wrong order) among ordinary characters.
with_surrogates = st.text(st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                                    st.sampled_from(list('a\\"é😀'))), max_size=12)


@given(text=with_surrogates, ensure_ascii=st.booleans())
def test_an_unpaired_surrogate_is_named_exactly_when_a_strict_parser_rejects_the_string(text, ensure_ascii):
    import json

    import orjson

    if not ensure_ascii and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        ensure_ascii = True  # a raw surrogate cannot be written as UTF-8: JSON writers escape it
    raw = ('{"content": ' + json.dumps(text, ensure_ascii=ensure_ascii) + "}").encode()
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        found = unpaired_surrogate(raw)
        assert found is not None
        at, escape = found
        assert raw[at:at + 6].decode() == escape
        assert f"(char {len(raw[:at].decode()) }" in str(exc)  # where orjson stopped
    else:
        assert unpaired_surrogate(raw) is None


@given(exponent=st.integers(309, 5000), sign=st.sampled_from(["", "-"]))
def test_a_number_beyond_the_float_range_is_named_with_its_column(exponent, sign):
    from ftlint.reader import parse_line

    raw = f'{{"messages": [], "score": {sign}1e{exponent}}}'.encode()
    line = parse_line(1, raw, len(raw), True, False)
    finding = strict_only(line.raw, line.column)
    assert finding is not None and finding.column == raw.index(b"score") + 9
    assert finding.message.startswith(f"number {sign}1e{exponent} at column {finding.column} is out of range")


def test_a_line_python_reads_as_a_dict_literal_is_still_named_so():
    raw = b"{'content': 'nice \\ud83d'}"
    assert strict_only(raw, None) is None and python_repr(raw)


#: Text of any script that needs no escaping in a JSON string (emoji, CJK, accents, ASCII).
any_script = st.text(st.characters(min_codepoint=0x20, blacklist_characters='"\\', blacklist_categories=("Cs", "Cc")),
                     max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=any_script, after=any_script)
def test_the_excerpt_shows_the_characters_around_the_column_whatever_the_script(tmp_path, before, after):
    from conftest import lint_lines

    line = '{"messages": [{"role": "user", "content": "' + before + ' say "hi" ' + after + '"}]}'
    problems, _ = lint_lines(tmp_path, [line], select=["FT001"])
    [problem] = problems
    at = problem.column - 1
    assert line[at:].startswith('hi" ')  # the column counts code points: the parser stopped at the stray quote
    first = max(0, at - 30)
    near = ("..." if first else "") + line[first:at + 10]
    assert f"near `{near}`" in problem.message
