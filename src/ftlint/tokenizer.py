"""Offline tokenizers: OpenAI's tiktoken encodings and the open-model families.

Every tokenizer has a registry name (:data:`TOKENIZERS`) that model catalogs
and provider profiles refer to with ``tokenizer = "..."``; ``ftlint
--list-tokenizers`` style documentation lives in docs/tokenizers.md.

OpenAI encodings (cl100k_base, o200k_base) are built from the vocabularies
shipped in ``ftlint/vocab``.

tiktoken normally downloads its vocabulary files on first use and caches them in
a temporary directory. A pre-commit hook must work without a network, so ftlint
ships cl100k_base and o200k_base (gzipped) and builds ``tiktoken.Encoding``
objects from them directly; tiktoken's own loader and cache are never used.

Before a vocabulary is used, the sha256 of its *uncompressed* bytes is checked
against the value OpenAI publishes (the same value tiktoken checks after a
download). A mismatch raises :class:`TokenizerDataError`.

Open-model vocabularies are never copied into ftlint: they are read from the
vendor package that ships them (``llama-models``, ``mistral-common``,
``dashscope``), installed through an optional extra (``ftlint[llama]``,
``[mistral]``, ``[qwen]``). The file is located without importing the package
(importing them pulls in pydantic and more), its sha256 is checked against the
value recorded here, and the encoding is built with the package's own
pre-tokenizer pattern (copied below; tests check the copies against the
packages). A missing package is :class:`MissingTokenizerPackage`, whose
message names the extra to install.

Everything is built lazily, on the first :func:`get_encoding` of a name: a run
whose rules need no tokens builds no tokenizer, and importing this module is cheap.
"""

from __future__ import annotations

import binascii
import hashlib
import importlib.util
import threading
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ftlint import vocab_cache
from ftlint.record import Record, field
from ftlint.small_bpe import LazyEncoding

if TYPE_CHECKING:
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


class EncodingSpec(Record, frozen=True):
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
    """A vocabulary is missing, corrupted or unknown."""


class MissingTokenizerPackage(TokenizerDataError):
    """The vendor package that ships a vocabulary is not installed; the message names the extra."""


# -- open-model tokenizers, read from their vendor packages --------------------

# Pre-tokenizer patterns, copied from the packages (tests compare them):
# llama_models/llama3/tokenizer.py Tokenizer.__init__ (llama-models 0.3.0): its 12 named special tokens, then
# reserved ones up to 256, numbered from the base vocabulary's 128,000 ranks. All of them, so FT112 knows a
# <|reserved_special_token_7|> or <|finetune_right_pad_id|> in the text as well as <|eot_id|>.
_LLAMA3_NAMED = ("<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                 "<|finetune_right_pad_id|>", "<|step_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>",
                 "<|eot_id|>", "<|python_tag|>", "<|image|>")
_LLAMA3_SPECIALS = {token: 128000 + i for i, token in enumerate(
    _LLAMA3_NAMED + tuple(f"<|reserved_special_token_{2 + i}|>" for i in range(256 - len(_LLAMA3_NAMED))))}
# llama_models/llama3/tokenizer.py Tokenizer.pat_str (llama-models 0.3.0)
_LLAMA3_PAT_STR = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
# llama_models/llama4/tokenizer.py Tokenizer.O200K_PATTERN (the o200k pattern, with \p{N}{1,3})
_LLAMA4_PAT_STR = _O200K_PAT_STR
# dashscope/tokenizers/qwen_tokenizer.py PAT_STR (dashscope 2.0.2; Qwen's own tokenization_qwen.py)
_QWEN_PAT_STR = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)


# Qwen2.5 / Qwen3 control tokens, numbered from 151643 in this order (the
# "added_tokens" of their tokenizer_config.json): a rendered chat template holds them.
_QWEN_SPECIALS = (
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
    "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
    "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>",
    "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>",
    "</tool_response>", "<think>", "</think>",
)


class TokenizerSpec(Record, frozen=True):
    """One registry entry: where the vocabulary comes from and how chat is framed.

    ``framing`` names the chat framing ftlint.counting applies around messages
    ("openai": the API's billing formula; "llama3", "llama4", "mistral",
    "mistral-v1", "chatml": the family's chat template). ``exact`` is False for estimates:
    every output then labels the counts approximate.
    """

    name: str
    framing: str
    exact: bool
    models: str  # for people: which models use it
    source: str  # for people: which file of which package, or "estimate"
    # Package vocabularies (None for the vendored OpenAI ones):
    package: str | None = None  # import name
    distribution: str | None = None  # pip name
    extra: str | None = None  # ftlint extra that installs it
    path: str | None = None  # inside the package
    sha256: str | None = None
    kind: str = "tiktoken"  # tiktoken | tiktoken-bpe | tekken-json | sentencepiece | estimate
    pat_str: str | None = None
    nfc: bool = False  # the package normalizes text to NFC before encoding
    special_tokens: dict[str, int] = field(factory=dict)


_OPENAI_MODELS = {
    "cl100k_base": "gpt-3.5-turbo, gpt-4 and babbage-002/davinci-002",
    "o200k_base": "gpt-4o, gpt-4.1, o-series",
}

TOKENIZERS: dict[str, TokenizerSpec] = {
    **{
        name: TokenizerSpec(
            name=name, framing="openai", exact=True, models=_OPENAI_MODELS[name],
            source=f"ftlint/vocab/{spec.filename} (OpenAI's published vocabulary)",
        )
        for name, spec in ENCODINGS.items()
    },
    "llama3": TokenizerSpec(
        name="llama3", framing="llama3", exact=True,
        models="Llama 3, 3.1, 3.2 and 3.3 (one vocabulary, 128,256 ids)",
        source="llama_models/llama3/tokenizer.model (llama-models 0.3.0)",
        package="llama_models", distribution="llama-models", extra="llama",
        path="llama3/tokenizer.model",
        sha256="82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        kind="tiktoken-bpe", pat_str=_LLAMA3_PAT_STR,
        special_tokens=_LLAMA3_SPECIALS,
    ),
    "llama4": TokenizerSpec(
        name="llama4", framing="llama4", exact=True,
        models="Llama 4 Scout and Maverick (202,048 ids)",
        source="llama_models/llama4/tokenizer.model (llama-models 0.3.0)",
        package="llama_models", distribution="llama-models", extra="llama",
        path="llama4/tokenizer.model",
        sha256="d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        kind="tiktoken-bpe", pat_str=_LLAMA4_PAT_STR,
        special_tokens={"<|begin_of_text|>": 200000, "<|end_of_text|>": 200001,
                        "<|header_start|>": 200005, "<|header_end|>": 200006,
                        "<|eom|>": 200007, "<|eot|>": 200008},
    ),
    "mistral-tekken": TokenizerSpec(
        name="mistral-tekken", framing="mistral", exact=True,
        models="Mistral NeMo (open-mistral-nemo-2407), Ministral 8B 2410, Mistral Small 2409 (Tekken, v3 instruct)",
        source="mistral_common/data/tekken_240718.json (mistral-common 1.13.1)",
        package="mistral_common", distribution="mistral-common", extra="mistral",
        path="data/tekken_240718.json",
        sha256="eccd1665d2e477697c33cb7f0daa6f6dfefc57a0a6bceb66d4be52952f827516",
        kind="tekken-json",
    ),
    "mistral-v3": TokenizerSpec(
        name="mistral-v3", framing="mistral", exact=True,
        models="Mistral 7B Instruct v0.3, Mixtral 8x7B / 8x22B, Codestral 22B (SentencePiece v3, v3 instruct)",
        source="mistral_common/data/mistral_instruct_tokenizer_240323.model.v3 (mistral-common 1.13.1)",
        package="mistral_common", distribution="mistral-common", extra="mistral",
        path="data/mistral_instruct_tokenizer_240323.model.v3",
        sha256="9addc8bdce5988448ae81b729336f43a81262160ae8da760674badab9d4c7d33",
        kind="sentencepiece",
    ),
    "mistral-v1": TokenizerSpec(
        name="mistral-v1", framing="mistral-v1", exact=True,
        models="Mistral 7B Instruct v0.1 and v0.2 (SentencePiece v1, 32,000 ids)",
        source="mistral_common/data/tokenizer.model.v1 (mistral-common 1.13.1)",
        package="mistral_common", distribution="mistral-common", extra="mistral",
        path="data/tokenizer.model.v1",
        sha256="dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055",
        kind="sentencepiece",
    ),
    "qwen2": TokenizerSpec(
        name="qwen2", framing="chatml", exact=True,
        models="Qwen 1.5, Qwen2, Qwen2.5 and Qwen3 dense models (one BPE vocabulary, 151,643 ranks; ChatML)",
        source="dashscope/resources/qwen.tiktoken (dashscope 2.0.2, Alibaba Cloud, Apache-2.0)",
        package="dashscope", distribution="dashscope", extra="qwen",
        path="resources/qwen.tiktoken",
        sha256="b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
        kind="tiktoken-bpe", pat_str=_QWEN_PAT_STR, nfc=True,
        special_tokens={token: 151643 + i for i, token in enumerate(_QWEN_SPECIALS)},
    ),
    "approximate": TokenizerSpec(
        name="approximate", framing="openai", exact=False,
        models="families without a public tokenizer (Gemini, Claude, Nova): an estimate",
        source="estimate: o200k_base counts with OpenAI's chat formula",
        kind="estimate",
    ),
}

#: Registry names, for validating ``tokenizer =`` in catalogs, profiles and config.
TOKENIZER_NAMES = tuple(TOKENIZERS)


def tokenizer_spec(name: str) -> TokenizerSpec:
    spec = TOKENIZERS.get(name)
    if spec is None:
        raise TokenizerDataError(f'unknown tokenizer "{name}" (known: {", ".join(TOKENIZER_NAMES)})')
    return spec


def is_exact(name: str) -> bool:
    """Whether counts with this tokenizer are exact (False: an estimate, labelled approximate)."""
    return tokenizer_spec(name).exact


class _Encoding:
    """What ftlint needs of an encoding (``encode_ordinary``), for non-tiktoken vocabularies
    and for tiktoken ones whose package normalizes text first."""

    def __init__(self, name: str, encode_ordinary: Callable[[str], list[int]]):
        self.name = name
        self.encode_ordinary = encode_ordinary


_cache: dict[object, object] = {}  # name -> encoding; (what, name) -> control encoding, SentencePiece processor
_lock = threading.RLock()  # re-entrant: "approximate" builds o200k_base inside get_encoding


def get_encoding(name: str):
    """Return the named encoding (``.encode_ordinary(text) -> ids``), built once per process.

    OpenAI names give a ``tiktoken.Encoding`` from the vendored vocabulary; the
    open-model names build from their vendor package (see the module doc).
    """
    encoding = _cache.get(name)
    if encoding is not None:
        return encoding
    with _lock:
        encoding = _cache.get(name)
        if encoding is None:
            spec = ENCODINGS.get(name)
            if spec is not None:
                encoding = build_encoding(spec, VOCAB_DIR / spec.filename)
            elif tokenizer_spec(name).kind == "tiktoken-bpe":  # shares the control-token encoding
                encoding = _ordinary(tokenizer_spec(name), control_encoding(name))
            else:
                encoding = build_package_encoding(tokenizer_spec(name))
            _cache[name] = encoding
    return encoding


def build_tokenizer(name: str) -> None:
    """Build the named encoding's full tokenizer now (a large input follows), not lazily."""
    encoding = get_encoding(name)
    if isinstance(encoding, LazyEncoding):
        encoding.built()


def package_file(spec: TokenizerSpec) -> Path:
    """The vocabulary file inside the installed vendor package, found without importing it."""
    hint = f"pip install 'ftlint[{spec.extra}]'"
    try:
        found = importlib.util.find_spec(spec.package)
    except (ImportError, ValueError):
        found = None
    locations = list(found.submodule_search_locations or ()) if found is not None else []
    if not locations:
        raise MissingTokenizerPackage(
            f'tokenizer "{spec.name}" needs the {spec.distribution} package, which ships its vocabulary: {hint}'
        )
    path = Path(locations[0]) / spec.path
    if not path.is_file():
        raise MissingTokenizerPackage(
            f'tokenizer "{spec.name}": {spec.distribution} is installed but has no {spec.path} '
            f"(a different version?); reinstall with {hint}"
        )
    return path


def read_verified(spec: TokenizerSpec, path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TokenizerDataError(f"cannot read tokenizer vocabulary {path}: {exc.strerror}") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        raise TokenizerDataError(
            f"tokenizer vocabulary {path} does not match the {spec.name} vocabulary ftlint knows: "
            f"sha256 {digest}, expected {spec.sha256}; install the version named in "
            f"pip install 'ftlint[{spec.extra}]'"
        )
    return raw


def build_package_encoding(spec: TokenizerSpec):
    """Build an open-model encoding from its vendor package's verified vocabulary file."""
    if spec.kind == "estimate":
        return get_encoding("o200k_base")
    if spec.kind == "tiktoken-bpe":
        return _ordinary(spec, _bpe_encoding(spec))
    if spec.kind == "tekken-json":
        return _tekken_encoding(spec, verified_vocabulary(spec.name))
    if spec.kind == "sentencepiece":
        return _Encoding(spec.name, _sentencepiece_build(spec).encode)
    raise TokenizerDataError(f'tokenizer "{spec.name}" has an unknown kind {spec.kind!r}')  # pragma: no cover


def _bpe_encoding(spec: TokenizerSpec) -> "tiktoken.Encoding":
    import tiktoken

    ranks = vocab_cache.cached(f"{spec.name}-{spec.sha256[:16]}", verified_vocabulary(spec.name), _parse_ranks,
                               _is_ranks)
    return kept_until_exit(tiktoken.Encoding(name=spec.name, pat_str=spec.pat_str, mergeable_ranks=ranks,
                                             special_tokens=spec.special_tokens))


def _ordinary(spec: TokenizerSpec, encoding):
    """What counting uses: ``encode_ordinary``, after NFC where the package normalizes first."""
    if not spec.nfc:
        return encoding
    plain = encoding.encode_ordinary
    normalize = unicodedata.normalize
    return _Encoding(spec.name, lambda text: plain(normalize("NFC", text)))


def verified_vocabulary(name: str) -> bytes:
    """The bytes of a package tokenizer's vocabulary file, sha256-checked (the one check every user goes through)."""
    spec = tokenizer_spec(name)
    return read_verified(spec, package_file(spec))


def control_encoding(name: str):
    """A tiktoken Encoding of the tokenizer with its control tokens, for text that holds them (a rendered
    chat template, encoded with ``allowed_special="all"``). Built once; SentencePiece vocabularies have
    none (:func:`sentencepiece_processor`)."""
    key = ("control", name)
    encoding = _cache.get(key)
    if encoding is not None:
        return encoding
    with _lock:
        encoding = _cache.get(key)
        if encoding is None:
            spec = tokenizer_spec(name)
            if name in ENCODINGS or spec.kind == "estimate":
                encoding = get_encoding("o200k_base" if spec.kind == "estimate" else name)
            elif spec.kind == "tiktoken-bpe":
                encoding = _bpe_encoding(spec)
            else:
                raise TokenizerDataError(f'tokenizer "{name}" is not a tiktoken vocabulary ({spec.kind})')
            _cache[key] = encoding
    return encoding


def sentencepiece_processor(name: str):
    """The SentencePiece processor of a registry tokenizer of kind "sentencepiece", from its verified file (built once)."""
    key = ("sentencepiece", name)
    processor = _cache.get(key)
    if processor is None:
        with _lock:
            processor = _cache.get(key)
            if processor is None:
                processor = _cache[key] = _sentencepiece_build(tokenizer_spec(name))
    return processor


def _sentencepiece_build(spec: TokenizerSpec):
    raw = verified_vocabulary(spec.name)
    try:
        import sentencepiece
    except ImportError:
        raise MissingTokenizerPackage(
            f'tokenizer "{spec.name}" needs the sentencepiece package: pip install \'ftlint[{spec.extra}]\''
        ) from None
    return sentencepiece.SentencePieceProcessor(model_proto=raw)


def _parse_ranks(raw: bytes) -> dict[bytes, int]:
    fields = raw.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))


def _tekken_encoding(spec: TokenizerSpec, raw: bytes) -> tiktoken.Encoding:
    """Mistral's Tekken: a JSON vocabulary whose first ``default_vocab_size -
    default_num_special_tokens`` ranks form a tiktoken encoding (what
    mistral_common.tokens.tokenizers.tekken.Tekkenizer builds; token ids are
    shifted by the special tokens there, which does not change counts)."""
    import json

    data = json.loads(raw)
    config = data["config"]
    inner = config["default_vocab_size"] - config["default_num_special_tokens"]
    ranks = {binascii.a2b_base64(entry["token_bytes"]): entry["rank"] for entry in data["vocab"][:inner]}
    import tiktoken

    return kept_until_exit(tiktoken.Encoding(name=spec.name, pat_str=config["pattern"], mergeable_ranks=ranks,
                                             special_tokens={}))


def build_encoding(spec: EncodingSpec, path: Path) -> LazyEncoding:
    """An encoding from a gzipped .tiktoken file, verifying its hash first.

    tiktoken's CoreBPE is built only when the run encodes more text than the
    Python path of :mod:`ftlint.small_bpe` encodes faster (a pre-commit run on
    a small file never builds it); the ids are tiktoken's either way. That path
    looks ranks up in the cached rank table when there is one (no dict is
    loaded at all; the dict is read when tiktoken is built), else in the dict.

    The table is written by the first run that finds the dict in the cache, not
    by the one that decoded the vocabulary: building it costs about 0.2 s, and
    a cache that lives for one run only (a fresh CI machine's) never pays it.
    """
    compressed = _read_vocabulary(path)
    key = _cache_key(spec)
    table = vocab_cache.rank_table(key, compressed)
    if table is not None:
        return LazyEncoding(spec.name, spec.pat_str, table,
                            lambda: tiktoken_encoding(spec, _ranks_from(spec, path, compressed)))
    decoded = []
    ranks = _ranks_from(spec, path, compressed, on_decode=lambda: decoded.append(True))
    if not decoded:  # the cache outlives a run: the next one reads the table
        vocab_cache.store_rank_table(key, compressed, ranks)
    return LazyEncoding(spec.name, spec.pat_str, ranks, lambda: tiktoken_encoding(spec, ranks))


def tiktoken_encoding(spec: EncodingSpec, ranks: dict[bytes, int]) -> tiktoken.Encoding:
    import tiktoken  # imported with the first encoding: runs that count no tokens never pay for it

    return kept_until_exit(tiktoken.Encoding(name=spec.name, pat_str=spec.pat_str, mergeable_ranks=ranks,
                                             special_tokens=spec.special_tokens))


def kept_until_exit(encoding: "tiktoken.Encoding") -> "tiktoken.Encoding":
    """``encoding``, with one reference to it that is never dropped: it is not freed when the process exits.

    Freeing tiktoken's CoreBPE (its hash maps over every token, a regex per thread) took 0.10-0.16 s of CPU
    after the report was written, in every run that built one (any input of 1 MB or more): 7-10% of a 16.7 MB
    chat file's run. An encoding lives as long as the process anyway (get_encoding's cache); the operating
    system takes the memory back at exit. Worker processes (ftlint.parallel) end with os._exit and never
    freed it.
    """
    try:
        import ctypes

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(encoding))
    except (ImportError, AttributeError, OSError):  # not CPython: freed at exit as before
        pass
    return encoding


def load_ranks(spec: EncodingSpec, path: Path) -> dict[bytes, int]:
    """Read ``base64-token rank`` lines into ``{token bytes: rank}`` (from the verified cache when it holds them)."""
    return _ranks_from(spec, path, _read_vocabulary(path))


def _read_vocabulary(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TokenizerDataError(f"cannot read tokenizer vocabulary {path}: {exc.strerror}") from None


def _cache_key(spec: EncodingSpec) -> str:
    return f"{spec.name}-{spec.sha256[:16]}"


def _ranks_from(spec: EncodingSpec, path: Path, compressed: bytes,
                on_decode: Callable[[], object] = lambda: None) -> dict[bytes, int]:
    """The ranks, from the verified cache or decoded (then ``on_decode()`` is called)."""

    def derive(data: bytes) -> dict[bytes, int]:
        on_decode()
        return _decode_ranks(spec, path, data)

    return vocab_cache.cached(_cache_key(spec), compressed, derive, _is_ranks)


def _is_ranks(value) -> bool:
    return type(value) is dict and len(value) > 0


def _decode_ranks(spec: EncodingSpec, path: Path, compressed: bytes) -> dict[bytes, int]:
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
    return _parse_ranks(raw)
