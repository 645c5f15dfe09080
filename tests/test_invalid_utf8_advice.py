"""FT002's advice: the iconv command only for a line with no UTF-8 character on it (a file saved as
Windows-1252 or Latin-1), given once per file; a damaged byte among UTF-8 characters is fixed by hand,
since converting that file would encode its other characters twice."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from conftest import lint_paths
from ftlint.rules.ft002_invalid_utf8 import legacy_encoding

#: Characters Windows-1252 has beyond ASCII (0x80-0xFF, less its five unassigned bytes).
CP1252_HIGH = st.sampled_from([bytes([b]).decode("cp1252") for b in range(0x80, 0x100)
                               if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)])
ASCII = st.text(st.characters(max_codepoint=127), max_size=20)


@given(words=st.lists(st.tuples(ASCII, CP1252_HIGH, st.characters(max_codepoint=127)), min_size=1, max_size=5))
def test_a_windows_1252_line_is_named_so(words):
    """Accented letters between ASCII ones (a single byte each: never a UTF-8 sequence, which needs a lead
    byte followed by continuation bytes). Two high bytes in a row can happen to be valid UTF-8 ("Â€" is
    C2 80): such a line is taken as UTF-8 with a damaged byte, the safe reading."""
    raw = "".join(before + high + after for before, high, after in words).encode("cp1252")
    assert legacy_encoding(raw) == "WINDOWS-1252"


@given(text=st.text(min_size=1, max_size=30).filter(lambda t: not t.isascii()), cut=st.integers(0, 30),
       bad=st.sampled_from([b"\xe9", b"\xff", b"\x80", b"\xc3"]))
def test_a_damaged_byte_among_utf8_characters_gets_no_conversion(text, cut, bad):
    """Any line holding a real UTF-8 character beyond ASCII: converting it would double-encode that character."""
    encoded = text.encode("utf-8", "surrogatepass")
    raw = encoded[:cut] + bad + encoded[cut:]
    if raw.decode("utf-8", "replace").replace("\ufffd", "").isascii():
        return  # the cut broke every multibyte character: nothing UTF-8 is left to protect
    assert legacy_encoding(raw) is None


def test_the_command_is_given_once_per_file_with_the_file_quoted(tmp_path):
    path = tmp_path / "my data.jsonl"
    path.write_bytes('{"prompt": "caf\xe9", "completion": " ok"}\n'.encode("latin-1") * 3)
    problems, _ = lint_paths([path], select=["FT002"])
    messages = [p.message for p in problems]
    assert messages[0] == ("byte 0xe9 at column 16 is not valid UTF-8; the line reads as WINDOWS-1252 (no UTF-8 "
                           "character on it): if the whole file is WINDOWS-1252, convert it: iconv -f WINDOWS-1252 "
                           f"-t UTF-8 {shlex.quote(str(path))} > {shlex.quote(str(tmp_path / 'my data.utf8.jsonl'))}")
    assert messages[1:] == ["byte 0xe9 at column 16 is not valid UTF-8; save the file as UTF-8 (line 1 says how)"] * 2
