"""Training formats: a registry of declared formats, their detection, and the Example rules see.

A format is data: an id, a title for reports, a cheap detector (a test on one
record's keys), the JSON Schema under rules/schemas/ that describes it, the
method it implies and the methods it trains with, and how to split an example
into what the model sees and what it is trained to produce. Detection and the
engine iterate the registry; they name no format. A new format is one
``register(Format(...))`` call (trainer formats, provider formats, plugins).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

import orjson

from ftlint.record import Record, field

if TYPE_CHECKING:
    from ftlint.counting import Counts

CHAT = "chat"
COMPLETION = "completion"
PREFERENCE = "preference"

SUPERVISED = "supervised"
DPO = "dpo"
REINFORCEMENT = "reinforcement"
METHODS = (SUPERVISED, DPO, REINFORCEMENT)

PREFERENCE_KEYS = ("preferred_output", "non_preferred_output", "preferred_completion", "non_preferred_completion")


def _no_split(data: dict) -> tuple[object, object]:
    return None, None


class Format(Record, frozen=True):
    """One training format, as declared to the registry."""

    id: str
    title: str
    #: True when one record (a dict) is written in this format: a few key lookups.
    #: Unless ``value_keys`` says otherwise it must look at the record's keys only:
    #: detection keeps its answer per key set and asks it once per key set, not per record.
    detect: Callable[[dict], bool]
    #: File name of its JSON Schema under rules/schemas/ (None: no schema yet).
    schema: str | None = None
    #: The method a file in this format implies when the user names none.
    method: str | None = SUPERVISED
    #: The methods that train on this format.
    methods: tuple[str, ...] = (SUPERVISED,)
    #: (input, target) of one record: what the model sees and is trained to produce.
    split: Callable[[dict], tuple[object, object]] = field(_no_split)
    #: (format, record) to count tokens as, for formats without a counting formula of their own.
    counted_as: Callable[[dict], tuple[str | None, object]] | None = None
    #: Detection order: lower first. A format whose records also satisfy a more
    #: general detector (Bedrock's ``messages`` beside OpenAI's) comes earlier.
    precedence: int = 100
    #: None when ``detect`` looks at keys only. A detector that also looks at values
    #: (``isinstance(obj.get("label"), bool)``) names keys here, at least one of which
    #: a record it claims always has: it runs for every record holding one of them.
    value_keys: tuple[str, ...] | None = None
    #: For a format that holds both supervised and preference records: True for a preference
    #: record. A file whose first records include one is linted as DPO (ftlint.method).
    preference_record: Callable[[dict], bool] | None = None


_REGISTRY: dict[str, Format] = {}
#: Formats in detection order; rebuilt on every registration.
_ORDER: tuple[Format, ...] = ()
#: Key tuple (a record's keys, in order) -> (the value-looking detectors to ask
#: in order, the format when none claims the record): files hold few key sets,
#: so most records are detected by one dict lookup. Emptied on registration.
_BY_KEYS: dict[tuple, tuple[tuple[tuple[str, Callable[[dict], bool]], ...], str | None]] = {}
#: Bounds of that memo: key sets kept, and keys in a kept set (a record with more is detected directly).
BY_KEYS_SETS = 4096
BY_KEYS_MAX_KEYS = 64

#: Live views of the registry (updated by register(); read, never assign).
FORMAT_TITLES: dict[str, str] = {}
DEFAULT_METHOD: dict[str, str] = {}
METHOD_FORMATS: dict[str, tuple[str, ...]] = {}
#: Each format's split (Format.split), looked up once per example.
_SPLITS: dict[str, Callable[[dict], tuple[object, object]]] = {}


class FormatError(ValueError):
    """A format declaration that clashes with the registry."""


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry; an id used twice is an error, never a silent replacement."""
    if fmt.id in _REGISTRY:
        raise FormatError(f'format "{fmt.id}" is registered twice')
    _REGISTRY[fmt.id] = fmt
    _rebuild()
    return fmt


def _rebuild() -> None:
    global _ORDER
    _ORDER = tuple(sorted(_REGISTRY.values(), key=lambda f: f.precedence))  # stable: ties keep registration order
    _BY_KEYS.clear()
    for view in (FORMAT_TITLES, DEFAULT_METHOD, METHOD_FORMATS, _SPLITS):
        view.clear()
    for f in _REGISTRY.values():
        FORMAT_TITLES[f.id] = f.title
        _SPLITS[f.id] = f.split
        if f.method is not None:
            DEFAULT_METHOD[f.id] = f.method
        for method in f.methods:
            METHOD_FORMATS[method] = METHOD_FORMATS.get(method, ()) + (f.id,)


def _unregister_for_tests(format_id: str) -> None:
    del _REGISTRY[format_id]
    _rebuild()


def get(format_id: str) -> Format | None:
    return _REGISTRY.get(format_id)


def ids() -> tuple[str, ...]:
    """Every registered format id, in registration order."""
    return tuple(_REGISTRY)


def listed(value) -> list | tuple:
    """``value`` when it is a list, else (): for walking a list a record may hold something else in
    (``"tool_calls": 1`` was an internal error in the renderers and converters that took ``or ()``)."""
    return value if type(value) is list else ()


def record_format(obj: dict) -> str | None:
    """The format one record is written in, judged by its keys; None if none fits."""
    keys = tuple(obj)
    plan = _BY_KEYS.get(keys)
    if plan is None:
        if len(keys) > BY_KEYS_MAX_KEYS or len(_BY_KEYS) >= BY_KEYS_SETS:
            return _detect(obj)
        plan = _BY_KEYS[keys] = _plan(obj)
    for format_id, detect in plan[0]:
        if detect(obj):
            return format_id
    return plan[1]


def _detect(obj: dict) -> str | None:
    for fmt in _ORDER:
        if fmt.detect(obj):
            return fmt.id
    return None


def _plan(obj: dict) -> tuple[tuple[tuple[str, Callable[[dict], bool]], ...], str | None]:
    """How to detect every record with ``obj``'s keys: the value-looking detectors
    that may claim one, in order, then the first keys-only detector that does."""
    asked = []
    for fmt in _ORDER:
        if fmt.value_keys is None:
            if fmt.detect(obj):
                return tuple(asked), fmt.id
        elif any(k in obj for k in fmt.value_keys):
            asked.append((fmt.id, fmt.detect))
    return tuple(asked), None


def majority_format(objs: Iterable[dict], detect: Callable[[dict], str | None] = record_format) -> str | None:
    counts = Counter(f for f in map(detect, objs) if f is not None)
    if not counts:
        return None
    # Ties go to the format registered first: chat is the common case.
    order = ids()
    return max(order, key=lambda f: (counts[f], -order.index(f)))


#: Hooks that say how one file is read when the user declared it (a trainer config names its columns):
#: each takes the FileContext and returns a Reading or None (ftlint.trainer_formats registers one).
_READING_HOOKS: list[Callable[[object], "Reading | None"]] = []


class Reading:
    """How the user's configuration says to read one file: its own detection and token counting.

    The engine detects every record of the file with :meth:`detect` and gives
    each Example the file's Reading; :meth:`counted_as` says what to count an
    example as, like :attr:`Format.counted_as`. The base class reads by keys.
    """

    def detect(self, obj: dict) -> str | None:
        return record_format(obj)

    def counted_as(self, fmt: str | None, data: dict) -> tuple[str | None, object]:
        declared = _REGISTRY.get(fmt)
        if declared is not None and declared.counted_as is not None:
            return declared.counted_as(data)
        return fmt, data


def register_reading_hook(hook: Callable[[object], "Reading | None"]) -> None:
    _READING_HOOKS.append(hook)


def reading_for(ctx) -> "Reading | None":
    """The file's declared Reading (the first hook that has one), or None: detect by keys."""
    for hook in _READING_HOOKS:
        reading = hook(ctx)
        if reading is not None:
            return reading
    return None


def last_assistant_index(messages: list) -> int | None:
    for i in range(len(messages) - 1, -1, -1):
        m = messages[i]
        if isinstance(m, dict) and m.get("role") == "assistant":
            return i
    return None


# -- the built-in formats ---------------------------------------------------------


def _chat_split(d: dict) -> tuple[object, object]:
    messages = d.get("messages")
    if not isinstance(messages, list):
        return None, None
    i = last_assistant_index(messages)
    if i is None:
        return None, None
    target = {k: v for k, v in messages[i].items() if k != "weight"}
    context = {k: v for k, v in d.items() if k != "messages"}
    return (context, messages[:i]), target


def _is_preference(obj: dict) -> bool:
    return "input" in obj and any(k in obj for k in PREFERENCE_KEYS)


register(Format(
    CHAT, "chat (messages)", lambda obj: "messages" in obj,
    schema="chat-example.schema.json", methods=(SUPERVISED, REINFORCEMENT), split=_chat_split,
))
register(Format(
    COMPLETION, "prompt/completion (legacy)", lambda obj: "prompt" in obj or "completion" in obj,
    schema="completion-example.schema.json", split=lambda d: (d.get("prompt"), d.get("completion")),
    precedence=120,
))
register(Format(
    PREFERENCE, "preference (DPO)", _is_preference,
    schema="preference-example.schema.json", method=DPO, methods=(DPO,),
    split=lambda d: (d.get("input"), d.get("preferred_output")),
    # Before completion: {"input", "preferred_output", "prompt"} is a preference record with an extra key.
    precedence=110,
))


def _counted_via_pivot(converter_id: str) -> Callable[[dict], tuple[str | None, object]]:
    """Count a record as the OpenAI record it converts to (formats without a counting formula of their own)."""

    def counted(data: dict) -> tuple[str | None, object]:
        from ftlint import converters

        pivot, _ = converters.get(converter_id).to_pivot(data)
        if pivot is None:
            return None, data
        return (PREFERENCE if converters.pivot_kind(pivot) == converters.PREFERENCE_PIVOT else CHAT), pivot

    return counted


def _gemini_split(d: dict) -> tuple[object, object]:
    contents = d.get("contents")
    if not isinstance(contents, list) or not contents:
        return None, None
    if "completions" in d:
        completions = d.get("completions")
        preferred = [c.get("completion") for c in completions if isinstance(c, dict) and c.get("score") == 1] \
            if isinstance(completions, list) else []
        return (d.get("systemInstruction"), contents), (preferred[0] if preferred else None)
    last = contents[-1]
    if not isinstance(last, dict) or last.get("role") != "model":
        return None, None
    return (d.get("systemInstruction"), d.get("tools"), contents[:-1]), last


def _bedrock_split(d: dict) -> tuple[object, object]:
    messages = d.get("messages")
    if not isinstance(messages, list) or not messages:
        return None, None
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") != "assistant":
        return None, None
    return (d.get("system"), d.get("toolConfig"), messages[:-1]), last


register(Format(
    "gemini", "Gemini contents (Vertex AI)", lambda obj: "contents" in obj,
    schema="gemini-example.schema.json", split=_gemini_split, counted_as=_counted_via_pivot("gemini"), precedence=102,
))
register(Format(
    "gemini-preference", "Gemini preference (Vertex AI)", lambda obj: "contents" in obj and "completions" in obj,
    schema="gemini-example.schema.json", method=DPO, methods=(DPO,), split=_gemini_split,
    counted_as=_counted_via_pivot("gemini"),
    precedence=101,  # after chat (no record has both), before "gemini": the same contents plus completions
))
def _bedrock_ends_in_candidates(d: dict) -> bool:
    """A Nova record whose final assistant turn holds ranked candidates: preference (DPO) data."""
    messages = d.get("messages")
    last = messages[-1] if isinstance(messages, list) and messages else None
    return isinstance(last, dict) and isinstance(last.get("candidates"), list)


register(Format(
    "bedrock", "Bedrock conversation (Nova)", lambda obj: "schemaVersion" in obj,
    schema="bedrock-example.schema.json", methods=(SUPERVISED, DPO), split=_bedrock_split,
    counted_as=_counted_via_pivot("bedrock"), preference_record=_bedrock_ends_in_candidates,
    precedence=90,  # before "chat": Bedrock records have messages too
))


def _canonical_bytes(value: object) -> bytes:
    """A canonical serialization (sorted keys) of a JSON value of any depth.

    orjson writes at most 254 levels, while it parses 1024; this walks with an
    explicit stack, so a deeply nested value is fingerprinted like any other.
    Markers on the stack are bytes, which no JSON value is.
    """
    out: list[bytes] = []
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if type(item) is bytes:
            out.append(item)
        elif isinstance(item, dict):
            stack.append(b"}")
            for i, key in enumerate(sorted(item, reverse=True)):
                stack.append(item[key])
                stack.append((b"" if i == len(item) - 1 else b",") + orjson.dumps(key) + b":")
            stack.append(b"{")
        elif isinstance(item, (list, tuple)):  # orjson writes a tuple as an array too
            stack.append(b"]")
            for i in range(len(item) - 1, -1, -1):
                stack.append(item[i])
                if i:
                    stack.append(b",")
            stack.append(b"[")
        else:
            out.append(orjson.dumps(item))
    return b"".join(out)


def _digest(value: object) -> int:
    """A 64-bit fingerprint of a JSON value's canonical serialization (sorted keys).

    Python's own hash (SipHash, 64 bits here) of the canonical bytes: a C call on
    bytes already in hand, where SHA-1 cost a digest object and a conversion per
    value, and a file of tiny examples takes three per example. It is keyed per
    process, which is enough: digests are compared only within one run, and the
    worker processes that precompute them (ftlint.parallel) are forked, so they
    share the key. A string, the usual input and target of a prompt/completion
    example, is fingerprinted without serializing it (its hash is cached on the
    string), in a 1-tuple so that it never equals the fingerprint of bytes.
    """
    if type(value) is str:
        return hash((value,))
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # nested deeper than orjson writes (it parses deeper): same bytes, by hand
        data = _canonical_bytes(value)
    return hash(data)


#: A cached value not computed yet (None is a value: an example without a target has no input digest).
UNSET = type("Unset", (), {"__repr__": lambda self: "UNSET", "__slots__": ()})()


class Precomputed(NamedTuple):
    """The per-example values worker processes compute for a line (ftlint.parallel).

    Each field is one of Example's cached values, under the same name;
    ``Example(..., precomputed=...)`` fills them, so the rules find them
    computed. tests/test_parallel.py checks that every field is used: with
    its computation forbidden in the main process, a parallel run still works.
    """

    tokens: "Counts"  # Example.tokens(counter), for the file's counter
    plain_shape: int  # rules._chat.plain_shape(example)
    digest: int  # Example.digest
    input_digest: int | None  # Example.input_digest
    target_digest: int | None  # Example.target_digest


class Example:
    """One parsed training example (a JSON object on one line).

    Derived values are computed lazily and at most once, so every rule that
    needs, say, the example's digest or token count shares the same work.
    Each is an explicit slot below, UNSET until computed (or filled from a
    worker's Precomputed); there is no other per-example cache. Dataset rules
    must only keep the compact derived values (digests, counts, short labels),
    never the example itself.
    """

    __slots__ = (
        "line", "data", "format", "raw",
        # Cached values (UNSET until computed). The first five are Precomputed's fields.
        "_tokens", "plain_shape", "_digest", "_input_digest", "_target_digest",
        "_split", "_target_text",
        "messages",  # rules._chat.ExampleMessages: the message objects with their JSON paths
        "rendering",  # chat_template.rendering_of: the example rendered by --chat-template's template
        "conversation",  # chat_template.conversation: (messages, tools) in OpenAI chat shape, any format
        "reading",  # the file's declared Reading (reading_for), or None
        "element",  # 0-based index in a JSON array file (Line.element), or None
    )

    def __init__(self, line: int, data: dict, fmt: str | None, raw: bytes | None = None,
                 precomputed: Precomputed | None = None, reading: Reading | None = None,
                 element: int | None = None):
        self.line = line
        self.element = element
        self.data = data
        self.format = fmt
        self.raw = raw  # the line's bytes, for rules that look at the text itself
        self.reading = reading
        if precomputed is None:
            self._tokens = self.plain_shape = self._digest = self._input_digest = self._target_digest = UNSET
        else:
            (self._tokens, self.plain_shape, self._digest, self._input_digest,
             self._target_digest) = precomputed
        self._split = self._target_text = self.messages = self.rendering = self.conversation = UNSET

    @property
    def position(self) -> int | tuple[int, int]:
        """Where the example is, compact enough for dataset rules to keep: its line, or
        (line, array index) in a JSON array file, whose elements may share a line."""
        return self.line if self.element is None else (self.line, self.element)

    def precompute(self, counter) -> Precomputed:
        """Every Precomputed value of this example (what a worker sends for its line)."""
        from ftlint.rules._chat import plain_shape

        return Precomputed(self.tokens(counter), plain_shape(self), self.digest, self.input_digest,
                           self.target_digest)

    def tokens(self, counter) -> "Counts":
        """(total, trained) tokens by ``counter`` (a TokenCounter), counted once per example.

        The counter is the same for a whole file, so the first caller's result
        is shared by every token rule and the stats collector.
        """
        counts = self._tokens
        if counts is UNSET:
            counts = self._tokens = counter.example(*self.counted_as())
        return counts

    def counted_as(self) -> tuple[str | None, object]:
        """(format, record) whose counting formula gives this example's tokens: the record itself
        for chat, completion and preference lines, else the OpenAI record it converts to."""
        if self.reading is not None:  # the user's trainer config names the fields
            return self.reading.counted_as(self.format, self.data)
        fmt = _REGISTRY.get(self.format)
        if fmt is not None and fmt.counted_as is not None:
            return fmt.counted_as(self.data)
        return self.format, self.data

    @property
    def digest(self) -> int:
        """64-bit hash of the canonical JSON (key order and whitespace ignored).

        When the input and the target make up the whole example (see
        _SPLIT_IS_WHOLE), it is a hash of their two digests: FT404 needs those
        anyway, so the example is serialized and hashed once, not twice.
        """
        value = self._digest
        if value is UNSET:
            whole = _SPLIT_IS_WHOLE.get(self.format)
            if whole is not None and self.input_digest is not None and whole(self.data):
                # Both are already 64-bit hashes: the hash of the pair (one C call)
                # combines them without serializing the example again.
                value = hash((self.input_digest, self.target_digest))
            else:
                value = _digest(self.data)
            self._digest = value
        return value

    @property
    def split(self) -> tuple[object, object]:
        """(input, target): what the model sees and what it is trained to produce."""
        value = self._split
        if value is UNSET:
            split = _SPLITS.get(self.format)
            value = self._split = _no_split(self.data) if split is None else split(self.data)
        return value

    @property
    def input_digest(self) -> int | None:
        value = self._input_digest
        if value is UNSET:
            inp, target = self.split
            # No target, or a format without an input (language-modeling text): nothing to compare on.
            # _digest's string case inline: the legacy input and target are strings.
            value = self._input_digest = (None if target is None or inp is None
                                          else hash((inp,)) if type(inp) is str else _digest(inp))
        return value

    @property
    def target_digest(self) -> int | None:
        value = self._target_digest
        if value is UNSET:
            target = self.split[1]
            value = self._target_digest = (None if target is None
                                           else hash((target,)) if type(target) is str else _digest(target))
        return value

    @property
    def target_text(self) -> str | None:
        """The trained output as text when it is plain text (the class label, for classifiers)."""
        value = self._target_text
        if value is UNSET:
            value = self._target_text = _text_of(self.split[1])
        return value


def _chat_split_is_whole(d: dict) -> bool:
    messages = d["messages"]  # a list, or there would be no target
    last = messages[-1]
    return type(last) is dict and last.get("role") == "assistant" and "weight" not in last


#: Formats whose (input, target) determine the whole record, when this says so:
#: equal inputs and targets then mean equal examples (FT403 = FT404's pair).
_SPLIT_IS_WHOLE = {
    CHAT: _chat_split_is_whole,  # context + messages before the last, which is the target
    COMPLETION: lambda d: len(d) == 2,  # exactly prompt and completion
}


def _split(fmt: str | None, d: dict) -> tuple[object, object]:
    declared = _REGISTRY.get(fmt)
    return _no_split(d) if declared is None else declared.split(d)


def _text_of(target: object) -> str | None:
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        content = target.get("content")
        if isinstance(content, str) and not target.get("tool_calls") and not target.get("function_call"):
            return content
        if isinstance(content, list):
            texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
            if texts and all(isinstance(t, str) for t in texts):
                return "".join(texts)
    return None


# The open-trainer formats (TRL, Axolotl, LLaMA-Factory) declare themselves to the registry above.
from ftlint import trainer_formats  # noqa: E402,F401
