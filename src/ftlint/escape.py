"""Escaping for every place text from a dataset, a file name or a server reaches.

Nothing from the data, a file name or a server reply reaches a terminal, a CI
log, a workflow command, a job summary or a machine-readable report unescaped.
Each output context has one function here, and every reporter (and submit's
console) goes through them, so a new message or a new format cannot forget:

- :func:`terminal`: one printable line for text, concise and junit output and
  for stderr. Control characters (C0, DEL, C1), line and paragraph separators,
  bidirectional overrides (the "Trojan Source" characters) and every other
  invisible format character (Cf), private-use (Co) and unassigned (Cn) code
  points and stray surrogates are shown as backslash escapes (``\\n``, ``\\x1b``, ``\\u202e``), so
  an escape sequence or a newline followed by ``::error::`` is visible text,
  never an action.
- :func:`github_message` and :func:`github_property`: GitHub workflow commands,
  escaped per the Actions toolkit (``%``, CR, LF; in properties also ``:`` and
  ``,``) after :func:`terminal`, so no command can be forged and no raw escape
  sequence reaches the log.
- :func:`markdown`: Markdown and HTML text (the job summary, HTML reports):
  Markdown's inline punctuation backslash-escaped and ``<``, ``>``, ``&``
  as entities, so data cannot open a link, an image, a tag or a table cell.
- :func:`utf8`: text that must be encodable as UTF-8 (JSON, SARIF, XML):
  undecodable bytes of a file name (``os.fsdecode`` keeps them as lone
  surrogates) become ``\\xNN``.
- :func:`bounded`: :func:`terminal` plus a length cap, for server replies.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters never written raw to a terminal or log, the common ones by a
#: regular expression: C0 controls, DEL, C1 controls, U+2028/U+2029 (line breaks
#: to some viewers), the bidirectional embedding/override/isolate controls and
#: marks, and lone surrogates (undecodable bytes of a file name, or a lone
#: \\uD800 from JSON); U+FFFE/U+FFFF, which XML cannot hold.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match) -> str:
    return _escape(match.group())


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _shown(char: str) -> str:
    """One character as printed: kept when it is visible text or a space, else its escape.

    Escaped are all "Other" characters: controls (Cc), invisible format
    characters (Cf: U+2060 word joiner, U+200B zero width space, U+FEFF, tags),
    private use (Co), unassigned code points (Cn) and surrogates (Cs); and line
    and paragraph separators. A space separator (Zs: U+00A0, U+3000) is text.
    """
    if char.isprintable() or unicodedata.category(char) == "Zs":
        return char
    return _escape(char)


def terminal(text: object) -> str:
    """``text`` as one line of printable characters (see the module docstring).

    An invisible character is shown as its code point (``\\u2060``), never as
    U+FFFD, which would say the file's UTF-8 is broken when it is not.
    """
    text = str(text)
    if text.isprintable():  # the common case: nothing to do, no copy
        return text
    text = _UNSAFE.sub(_escape_char, text)  # newlines and controls: one C-speed pass
    if text.isprintable():
        return text
    return "".join(map(_shown, text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> str:
    """``text`` encodable as UTF-8: lone surrogates (undecodable file-name bytes) as ``\\xNN``/``\\uXXXX``."""
    if text.isascii() or _SURROGATE.search(text) is None:  # isascii: a C scan, for a report of many messages
        return text
    return _SURROGATE.sub(_escape_char, text)


def github_message(text: object) -> str:
    """The message of a GitHub workflow command (``::error ...::MESSAGE``)."""
    return terminal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: object) -> str:
    """A property value of a workflow command (``file=``, ``title=``): also ``:`` and ``,``."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


#: Markdown's inline syntax: emphasis, code, links and images, tables, strike-through, escapes
#: (GitHub-flavoured; "-", "." and the like only matter at the start of a line, which data never is).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]()!|~{}#$]")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_SPECIAL = re.compile("[&<>]")


def markdown(text: object) -> str:
    """Text shown literally inside Markdown (a paragraph, a list item or a table cell), on one line."""
    text = terminal(text)
    text = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return _HTML_SPECIAL.sub(lambda m: _HTML_ENTITIES[m.group()], text)


def markdown_code(text: object) -> str:
    """Text as a Markdown code span (literal inside; not for table cells, where ``|`` still splits)."""
    text = terminal(text)
    runs = re.findall("`+", text)
    fence = "`" * (max(map(len, runs), default=0) + 1)
    pad = " " if runs or text.startswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html(text: object) -> str:
    """Text shown literally in HTML content or a quoted attribute, on one line."""
    text = terminal(text)
    return _HTML_SPECIAL.sub(lambda m: _HTML_ENTITIES[m.group()], text).replace('"', "&quot;").replace("'", "&#x27;")


#: Longest server-supplied text submit prints (an error message, an id).
REPLY_LIMIT = 500


def bounded(text: object, limit: int = REPLY_LIMIT) -> str:
    """:func:`terminal`, cut to ``limit`` characters with a note of how much was left out."""
    text = str(text)
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text) - limit:,} more characters)"
        # Escape after cutting: a 50 MB reply is never copied whole.
    return terminal(text)
