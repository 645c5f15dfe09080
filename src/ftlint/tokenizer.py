"""Offline tiktoken encodings built from the vocabularies shipped in ``ftlint/vocab``.

tiktoken normally downloads its vocabulary files on first use and caches them in
a temporary directory. A pre-commit hook must work without a network, so ftlint
ships cl100k_base and o200k_base (gzipped) and builds ``tiktoken.Encoding``
objects from them directly; tiktoken's own loader and cache are never used.

Before a vocabulary is used, the sha256 of its *uncompressed* bytes is checked
against the value OpenAI publishes (the same value tiktoken checks after a
download). A mismatch raises :class:`TokenizerDataError`.
"""

from __future__ import annotations

import binascii
import hashlib
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import tiktoken

VOCAB_DIR = Path(__file__).parent / "vocab"

_ENDOFTEXT = "<|endoftext|>"
_FIM_PREFIX = "<|fim_prefix|>"
_FIM_MIDDLE = "<|fim_middle|>"
_FIM_SUFFIX = "<|fim_suffix|>"
_ENDOFPROMPT = "<|endofprompt|>"

# pat_str and special tokens are copied from tiktoken_ext/openai_public.py
# (tiktoken 0.14.0). They live inside functions there that download the
# vocabulary, so they cannot be imported without a network; a test checks that
# these copies equal tiktoken's definitions.
_CL100K_PAT_STR = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PAT_STR = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True)
class EncodingSpec:
    """What is needed to build one encoding from a vendored vocabulary file."""

    name: str
    filename: str
    sha256: str  # of the uncompressed .tiktoken file, as published by OpenAI
    pat_str: str
    special_tokens: dict[str, int]


ENCODINGS: dict[str, EncodingSpec] = {
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        filename="cl100k_base.tiktoken.gz",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=_CL100K_PAT_STR,
        special_tokens={
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
    "o200k_base": EncodingSpec(
        name="o200k_base",
        filename="o200k_base.tiktoken.gz",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PAT_STR,
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
}


class TokenizerDataError(Exception):
    """A vendored vocabulary is missing, corrupted or unknown."""


_cache: dict[str, tiktoken.Encoding] = {}
_lock = threading.Lock()


def get_encoding(name: str) -> tiktoken.Encoding:
    """Return the named encoding, built once per process from the vendored vocabulary."""
    encoding = _cache.get(name)
    if encoding is not None:
        return encoding
    with _lock:
        encoding = _cache.get(name)
        if encoding is None:
            spec = ENCODINGS.get(name)
            if spec is None:
                known = ", ".join(sorted(ENCODINGS))
                raise TokenizerDataError(f'unknown encoding "{name}" (ftlint ships {known})')
            encoding = build_encoding(spec, VOCAB_DIR / spec.filename)
            _cache[name] = encoding
    return encoding


def build_encoding(spec: EncodingSpec, path: Path) -> tiktoken.Encoding:
    """Build an encoding from a gzipped .tiktoken file, verifying its hash first."""
    return tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=load_ranks(spec, path),
        special_tokens=spec.special_tokens,
    )


def load_ranks(spec: EncodingSpec, path: Path) -> dict[bytes, int]:
    """Read ``base64-token rank`` lines into ``{token bytes: rank}``."""
    try:
        compressed = path.read_bytes()
    except OSError as exc:
        raise TokenizerDataError(f"cannot read tokenizer vocabulary {path}: {exc.strerror}") from None
    try:
        # wbits=31: gzip container. zlib is used directly because gzip.decompress
        # adds nothing here and is slightly slower.
        raw = zlib.decompress(compressed, 31)
    except zlib.error as exc:
        raise TokenizerDataError(f"tokenizer vocabulary {path} is not valid gzip: {exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        raise TokenizerDataError(
            f"tokenizer vocabulary {path} is corrupted: sha256 {digest} "
            f"does not match the official {spec.name} hash {spec.sha256}; reinstall ftlint"
        )
    # One split over the whole file and map() over the halves is about 1.5x
    # faster than tiktoken's per-line loop. The hash already proved the content,
    # so no per-line validation is needed.
    fields = raw.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))
