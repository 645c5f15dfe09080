"""Exact token counts for small inputs without building tiktoken's CoreBPE.

Building ``tiktoken.Encoding`` for o200k_base costs about 0.12 s of CPU in its
constructor alone (200k byte strings handed to Rust one by one, the regex
compiled) — most of a pre-commit run on a 12-line file. A file of a few
thousand tokens is encoded faster than that by the same algorithm in Python:
split the text with the encoding's own pattern (the ``regex`` module, which
tiktoken depends on, reads tiktoken's patterns as they are), then merge each
piece's bytes by lowest rank, leftmost first — tiktoken's ``_byte_pair_merge``
(and its ``_educational`` module's ``bpe_encode``), so the ids are the same.

:class:`LazyEncoding` encodes in Python until ``python_char_budget``
characters have been encoded, then builds the real ``tiktoken.Encoding`` once
and hands everything to it. It also hands over, always, any text the Python
path does not vouch for:

* characters outside :data:`_VOUCHED_RANGES` (the ``regex`` module and tiktoken's
  Rust regex may use different Unicode versions, so only blocks whose
  characters have had the same properties in every recent version are
  encoded here: Latin, Greek, Cyrillic, punctuation, common symbols, CJK,
  kana, Hangul, the older emoji blocks);
* pieces longer than :data:`_MAX_PIECE_BYTES` (the Python merge is quadratic).

Text of ASCII, Latin-1 and General Punctuation alone (most strings of most
datasets, curly quotes and accented letters included) is split without the
``regex`` module, whose import alone costs about 20 ms: :func:`stdlib_pattern`
rewrites the encoding's pattern for those characters into the standard
library's ``re``. Ranks
come from whatever mapping the caller passes — the ``{bytes: rank}`` dict or a
:class:`ftlint.rank_table.RankTable` read from the cache — and each distinct
piece is looked up (or merged) once per process.

tests/test_small_bpe.py checks the ids against tiktoken for every vouched
character in several contexts, every pair of ASCII characters, the real
corpus and generated text, in both OpenAI encodings.
"""

from __future__ import annotations

import re
import threading
from itertools import chain
from typing import Any, Callable

#: Characters the Python path encodes (first, last); anything else goes to tiktoken.
_VOUCHED_RANGES = (
    "\x00\u052f",  # Basic Latin .. Cyrillic Supplement
    "\u2000\u206f",  # General Punctuation
    "\u20a0\u20bf",  # Currency Symbols (U+20C0 and later are recent)
    "\u2100\u214f", "\u2190\u23ff", "\u2460\u24ff", "\u2500\u27bf",  # letterlike .. dingbats
    "\u3000\u303f", "\u3040\u30ff",  # CJK punctuation, kana
    "\u4e00\u9fff",  # CJK Unified Ideographs
    "\uac00\ud7a3",  # Hangul syllables
    "\ufe00\ufe0f", "\uff00\uffef",  # variation selectors, half- and fullwidth forms
    "\U0001f300\U0001f64f", "\U0001f680\U0001f6c5",  # pictographs, emoticons, transport (older part)
)
_VOUCHED = "".join(f"{pair[0]}-{pair[1]}" for pair in _VOUCHED_RANGES)
_MAX_PIECE_BYTES = 128
DEFAULT_PYTHON_CHAR_BUDGET = 200_000


class LazyEncoding:
    """``encode_ordinary`` with tiktoken's ids; tiktoken itself is built only for larger inputs.

    Anything else asked of it (``encode``, ``decode``, ...) builds the real
    encoding and answers from it.
    """

    def __init__(self, name: str, pat_str: str, ranks: dict[bytes, int], build: Callable[[], Any],
                 python_char_budget: int = DEFAULT_PYTHON_CHAR_BUDGET):
        self.name = name
        self._pat_str = pat_str
        self._ranks = ranks
        self._build = build
        self._budget = python_char_budget
        self._encoding = None
        self._core_encode = None
        self._split = None  # the pattern as tiktoken reads it (the regex module), for any text
        self._unvouched = None
        self._stdlib_split = None  # the same split for STDLIB_CHARACTERS, in the standard library's re
        self._beyond_stdlib = None
        self._piece_ids: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    # -- the real encoding -----------------------------------------------------

    def built(self):
        """The tiktoken encoding (built on first use)."""
        encoding = self._encoding
        if encoding is None:
            with self._lock:
                if self._encoding is None:
                    encoding = self._build()
                    # tiktoken's encode_ordinary is a Python wrapper around this call; calling
                    # it directly keeps the large-file path at one Python frame per string.
                    core = getattr(encoding, "_core_bpe", None)
                    self._core_encode = getattr(core, "encode_ordinary", None) or encoding.encode_ordinary
                    self._encoding = encoding
                    self._ranks = None  # tiktoken holds its own copy
                    self._piece_ids = {}
                encoding = self._encoding
        return encoding

    @property
    def direct_encode(self) -> Callable[[str], list[int]] | None:
        """tiktoken's own ``encode_ordinary`` once built (None before): one Python frame less per
        string for a caller that catches UnicodeEncodeError itself (lone surrogates: see
        :meth:`encode_ordinary`)."""
        return self._core_encode

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return getattr(self.built(), attribute)

    # -- encoding ----------------------------------------------------------------

    def encode_ordinary(self, text: str) -> list[int]:
        core_encode = self._core_encode
        if core_encode is not None:
            try:
                return core_encode(text)
            except UnicodeEncodeError:  # lone surrogates: tiktoken's wrapper replaces them
                return self._encoding.encode_ordinary(text)
        if len(text) <= self._budget:
            ids = self._python_ids(text)
            if ids is not None:
                self._budget -= len(text)
                return ids
        return self.built().encode_ordinary(text)

    def _python_ids(self, text: str) -> list[int] | None:
        ranks = self._ranks
        if ranks is None:
            return None
        split = self._stdlib_split
        if split is None:
            pattern = stdlib_pattern(self._pat_str)
            split = self._stdlib_split = pattern.findall if pattern is not None else self._unicode_split()
            self._beyond_stdlib = re.compile(f"[^{STDLIB_CHARACTERS}]").search
        if not text.isascii() and self._beyond_stdlib(text) is not None:
            split = self._unicode_split()
            if self._unvouched(text) is not None:
                return None
        pieces = split(text)
        known = self._piece_ids  # piece -> its ids; bounded: the budget bounds the text encoded here
        found = list(map(known.get, pieces))
        if None in found:
            get = ranks.get
            for i, piece in enumerate(pieces):
                if found[i] is None:
                    data = piece.encode("utf-8")
                    rank = get(data)
                    if rank is not None:
                        ids = (rank,)
                    elif len(data) > _MAX_PIECE_BYTES:
                        return None
                    else:
                        ids = tuple(_merge(data, get))
                    found[i] = known[piece] = ids
        return list(chain.from_iterable(found))

    def _unicode_split(self):
        if self._split is None:
            import regex  # a tiktoken dependency; 20 ms to import, against 120 ms for tiktoken's CoreBPE

            self._unvouched = regex.compile(f"[^{_VOUCHED}]").search
            self._split = regex.compile(self._pat_str).findall
        return self._split


# -- the split of common text, without the regex module ---------------------------

#: The characters :func:`stdlib_pattern` splits: ASCII, Latin-1 and General Punctuation
#: (U+2065 is unassigned), blocks whose letters, digits and spaces have been the same
#: in every Unicode version tiktoken, ``regex`` or Python could use.
STDLIB_CHARACTERS = r"\x00-\xff\u2000-\u2064\u2066-\u206f"

#: What tiktoken's character classes hold among :data:`STDLIB_CHARACTERS`. ``\s`` is
#: Unicode's White_Space (the Rust regex crate's meaning): not Python's ``str.isspace``,
#: which adds \x1c-\x1f. There are no marks, no Lt and no Lm among them; General
#: Punctuation has no letters or digits. tests/test_small_bpe.py checks every class
#: against ``regex`` for every character.
_STDLIB_CLASSES = {
    "p{L}": r"A-Za-z\xaa\xb5\xba\xc0-\xd6\xd8-\xf6\xf8-\xff",
    "p{Lu}": r"A-Z\xc0-\xd6\xd8-\xde",
    "p{Ll}": r"a-z\xb5\xdf-\xf6\xf8-\xff",
    "p{Lt}": "", "p{Lm}": "", "p{Lo}": r"\xaa\xba", "p{M}": "",
    "p{N}": r"0-9\xb2\xb3\xb9\xbc-\xbe",
    "s": r"\t\n\x0b\x0c\r\x20\x85\xa0\u2000-\u200a\u2028\u2029\u202f\u205f",
}
_PASSED_ESCAPES = frozenset("rnt")
_SPECIAL = frozenset("()|?*+{},:!='<>")


def stdlib_pattern(pat_str: str):
    r"""tiktoken's split pattern ``pat_str`` for text of :data:`STDLIB_CHARACTERS`, compiled with the standard ``re``.

    Importing the ``regex`` module costs about 20 ms, more than encoding a
    small file; on these characters every class of tiktoken's patterns is a
    plain set (:data:`_STDLIB_CLASSES`) and ``$`` (end of text in Rust) is
    ``\Z``. Returns None for a pattern that uses anything else (the caller
    then splits with ``regex``), or that this Python's ``re`` cannot compile
    (possessive quantifiers need 3.11). tests/test_small_bpe.py compares the
    split with ``regex``'s and the ids with tiktoken's.
    """
    out: list[str] = []
    in_class = False
    class_body = 0  # characters of the current class's body, after [ or [^
    i = 0
    while i < len(pat_str):
        c = pat_str[i]
        if c == "\\":
            end = pat_str.find("}", i) + 1 if pat_str.startswith("p{", i + 1) else i + 2
            escape = pat_str[i + 1:end]
            if escape in _STDLIB_CLASSES:
                members = _STDLIB_CLASSES[escape]
                if in_class:
                    out.append(members)
                    class_body += len(members)
                elif members:
                    out.append(f"[{members}]")
                else:
                    return None
            elif escape == "S" and not in_class:
                out.append(f"[^{_STDLIB_CLASSES['s']}]")
            elif escape in _PASSED_ESCAPES or (len(escape) == 1 and not escape.isalnum()):
                out.append(pat_str[i:end])
                class_body += in_class
            else:
                return None
            i = end
            continue
        if in_class:
            if c == "]" and class_body:
                in_class = False
            elif c == "[":
                return None
            elif c == "^" and pat_str[i - 1] == "[":
                pass
            else:
                class_body += 1
            out.append(c)
        elif c == "[":
            in_class, class_body = True, 0
            out.append(c)
        elif c == "$":
            out.append(r"\Z")
        elif (c.isascii() and c.isalnum()) or c == " " or c in _SPECIAL:
            out.append(c)
        else:  # ., ^, a literal beyond ASCII (case folding may differ) and anything else: not translated
            return None
        i += 1
    if in_class:
        return None
    try:
        return re.compile("".join(out))
    except re.error:
        return None


_NONE = 1 << 62


def _merge(data: bytes, get) -> list[int]:
    """tiktoken's byte pair merge: join the adjacent pair of lowest rank (leftmost on ties) until none has a rank."""
    parts = [data[i:i + 1] for i in range(len(data))]
    pair_ranks = [get(parts[i] + parts[i + 1], _NONE) for i in range(len(parts) - 1)]
    while pair_ranks:
        best = min(pair_ranks)
        if best == _NONE:
            break
        i = pair_ranks.index(best)
        parts[i:i + 2] = [parts[i] + parts[i + 1]]
        del pair_ranks[i]
        if i > 0:
            pair_ranks[i - 1] = get(parts[i - 1] + parts[i], _NONE)
        if i < len(parts) - 1:
            pair_ranks[i] = get(parts[i] + parts[i + 1], _NONE)
    return [get(part) for part in parts]
