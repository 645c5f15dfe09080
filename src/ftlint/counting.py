"""Token counts of fine-tuning examples: chat, legacy prompt/completion and DPO.

The formulas reproduce what the OpenAI API reports as ``prompt_tokens``; their
agreement with 143 API measurements (fixtures/token_vectors.json) is tested and
written up in docs/token-counting.md. In short:

* Chat: 3 per message + tokens of every string value of role, content and name,
  +1 per ``name``, +3 per conversation (the reply primer). List content counts
  its text (and refusal) parts and images.
* Tool/function definitions: rendered as the TypeScript ``namespace functions``
  block the model sees, + 9; when the conversation has a system message, "\\n"
  is appended to the first one and 4 are subtracted (the block merges into it).
* An assistant ``function_call`` adds name + arguments + 3; a ``function``
  result message costs 2 less than the chat rule.
* ``tool_calls``: the assistant message is 3 + content + tokens of
  ``" to=functions.NAME"`` + arguments per call; a ``tool`` message replaces its
  role by ``"functions.NAME"`` of the call it answers. Parallel calls (2 or
  more) add a flat 25 + 3 per call beyond two (a fit to 6 measurements).
* Images: ``detail: "low"`` costs the model's image base; high/auto costs base
  + per_tile per 512-px tile after resizing. Sizes come from the data URL header.

Nothing here raises on malformed input: values of the wrong type are skipped.

Open-model tokenizers frame chat with their family's template instead of this
formula: :func:`counter_for` picks the counter (ftlint.chat_framing).
"""

from __future__ import annotations

import binascii
import copy
import math
import struct
from typing import Any, Callable, NamedTuple

from ftlint.tokenizer import get_encoding, is_exact, tokenizer_spec

# Cookbook chat formula [CB-TOK].
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
# A training example is not primed for a reply: OpenAI's trained_tokens is the
# cookbook count without REPLY_PRIMING, plus this many per example (measured on a
# published gpt-4o-mini job; docs/token-counting.md, tests/test_counting.py).
TRAINING_EXAMPLE_END = 1

# Tool definitions (fitted to fixtures/token_vectors.json, see docs).
FUNCTIONS_BLOCK_EXTRA = 9
SYSTEM_MERGE_DISCOUNT = 4
FUNCTION_ROLE_DISCOUNT = 2
FUNCTION_CALL_EXTRA = 3
PARALLEL_CALLS_BASE = 25
PARALLEL_CALLS_PER_EXTRA_CALL = 3

# Image cost defaults: gpt-4o's published figures. Per-model values come from
# the catalog (TokenCounter.for_model); gpt-4o-mini differs a lot.
DEFAULT_IMAGE_BASE = 85
DEFAULT_IMAGE_PER_TILE = 170
# When an image's size cannot be read (remote URL, broken data), assume a square
# image of at least 768 px: after resizing that is 768x768, i.e. 2x2 tiles.
ASSUMED_IMAGE_TILES = 4

# The memo of string -> token count is cleared when the strings it holds reach
# this many characters, which bounds its memory (roughly 1-4 bytes per char
# plus ~100 bytes per entry) while keeping repeated strings (system prompts,
# shared conversation prefixes) cheap.
DEFAULT_MEMO_CHAR_BUDGET = 32_000_000


#: Formats (as named in ftlint.formats) that TokenCounter.example counts.
COUNTED_FORMATS = frozenset({"chat", "completion", "preference"})


class Counts(NamedTuple):
    """Tokens of one example. ``trained`` is the part the model is trained on (the targets:
    assistant replies, completions); it is not OpenAI's ``trained_tokens``, which is
    ``total`` of every example (see :meth:`TokenCounter.example`) times epochs."""

    total: int
    trained: int


_ZERO = Counts(0, 0)
#: Counts(total, trained) without the Python-level __new__ of a NamedTuple (a C call): made once per example.
_new_counts = tuple.__new__


class CountsAtLeast(Counts):
    """Counts of an example whose counting stopped early: ``total`` and ``trained`` are lower bounds.

    A string whose UTF-8 length alone proves the example over the token cap is not encoded
    (:meth:`TokenCounter.text`); ``stopped`` says why, for the message that reports the example.
    """

    # No __slots__: the instance dict holds ``stopped`` (a NamedTuple has no room for a third value that
    # unpacking ``total, trained = counts`` would not see).
    def __new__(cls, total: int, trained: int, stopped: str):
        made = super().__new__(cls, total, trained)
        made.stopped = stopped
        return made

    def __reduce__(self):  # worker processes send counts back pickled
        return (CountsAtLeast, (self.total, self.trained, self.stopped))


#: The longest token of each encoding, in UTF-8 bytes (derived from its vocabulary once per process).
_LONGEST_TOKEN: dict[str, int | None] = {}


def longest_token_bytes(encoding_name: str, encoding: Any) -> int | None:
    """The byte length of the encoding's longest token, or None when its vocabulary cannot be listed.

    No token spans more bytes than this, so a string of B bytes needs at least ceil(B / longest) tokens.
    """
    if encoding_name not in _LONGEST_TOKEN:
        try:
            _LONGEST_TOKEN[encoding_name] = max(map(len, encoding.token_byte_values()))
        except (AttributeError, TypeError, ValueError):  # an encoding that does not list its tokens' bytes
            _LONGEST_TOKEN[encoding_name] = None
    return _LONGEST_TOKEN[encoding_name]


class Approximation(NamedTuple):
    """Something in an example a counter counts only approximately, as the report and FT303/FT304 say it:
    "approx. N tokens (the example has TEXT)". ``lower_bound``: the count leaves it out, so the real
    count is at least the one given ("at least N tokens")."""

    text: str
    lower_bound: bool


class TokenCounter:
    """Counts tokens of examples for one encoding (and one model's image costs).

    This class applies OpenAI's chat formula; ftlint.chat_framing holds the
    counters for other families' chat templates (:func:`counter_for`).
    """

    #: Tokens added after the last message (OpenAI's reply primer); 0 for training templates.
    reply_priming = REPLY_PRIMING
    #: Whether some examples get only an approximate count (:meth:`left_approximate`); OpenAI's formula
    #: counts tool definitions and images as the API does (images of unknown size at an assumed size,
    #: which the report says apart), so not this counter.
    may_approximate = False
    #: Whether images count (OpenAI's image costs); the chat framings count text only.
    counts_images = True

    def __init__(
        self,
        encoding_name: str,
        *,
        image_base: int = DEFAULT_IMAGE_BASE,
        image_per_tile: int = DEFAULT_IMAGE_PER_TILE,
        memo_char_budget: int = DEFAULT_MEMO_CHAR_BUDGET,
        stop_above: int | None = None,
    ) -> None:
        self.encoding_name = encoding_name
        #: The model's token cap: a string that needs more tokens than this is not encoded (see :meth:`text`).
        self.stop_above = stop_above
        self._stopped: str | None = None  # why the current example's counting stopped early, if it did
        #: False when the counts are an estimate (every output then says "approximate").
        self.exact = is_exact(encoding_name)
        self.image_base = image_base
        self.image_per_tile = image_per_tile
        self._encoding = get_encoding(encoding_name)
        self._encode: Callable[[str], list[int]] = self._encoding.encode_ordinary
        self._memo: dict[str, int] = {}
        self._memo_chars = 0
        self._memo_char_budget = memo_char_budget

    def left_approximate(self, example: Any) -> tuple["Approximation", ...]:
        """What this counter counts only approximately in ``example`` (a formats.Example); () when nothing.

        Only counters with ``may_approximate`` find anything (ftlint.chat_framing's).
        """
        return ()

    @classmethod
    def for_model(cls, model: Any, **kwargs: Any) -> "TokenCounter":
        """A counter for a catalog ``Model`` (its tokenizer, framing and image costs)."""
        if getattr(model, "image_tokens_base", None) is not None:
            kwargs.setdefault("image_base", model.image_tokens_base)
            kwargs.setdefault("image_per_tile", model.image_tokens_per_tile)
        kwargs.setdefault("stop_above", getattr(model, "token_cap", None))
        return counter_for(model.encoding, **kwargs)

    def with_memo(self, memo_char_budget: int) -> "TokenCounter":
        """A counter that counts exactly as this one (encoding, framing, image costs, the cap stop) with its own
        empty memo of ``memo_char_budget`` characters (a worker process's, ftlint.parallel)."""
        twin = copy.copy(self)
        twin._memo = {}
        twin._memo_chars = 0
        twin._memo_char_budget = memo_char_budget
        twin._stopped = None
        return twin

    def encode_directly(self) -> None:
        """Call the built tokenizer itself from now on, where the encoding offers that (direct_encode): a
        large file's strings then cost one Python frame less each (about 3% of a run of tiny examples)."""
        direct = getattr(self._encoding, "direct_encode", None)
        if direct is not None:
            self._encode = direct

    # -- strings -----------------------------------------------------------

    def text(self, s: str) -> int:
        """Tokens of ``s`` as ordinary text (``<|endoftext|>`` is just text here)."""
        try:
            count = self._memo.get(s)
        except TypeError:  # unhashable, so not a string
            return 0
        if count is not None:
            return count
        if not isinstance(s, str):
            return 0
        return self._count_new(s)

    def _count_new(self, s: str) -> int:
        """:meth:`text` of a string the memo does not hold (the caller looked): no second lookup."""
        if self.stop_above is not None and len(s) > self.stop_above:
            at_least = self._at_least(s)
            if at_least is not None:
                return at_least  # not kept in the memo: a memo hit would not say it is a lower bound
        try:
            count = len(self._encode(s))
        except UnicodeEncodeError:  # lone surrogates (direct_encode): the encoding's wrapper replaces them
            count = len(self._encoding.encode_ordinary(s))
        size = len(s)
        if self._memo_chars + size > self._memo_char_budget:
            # Clearing is cheaper than LRU bookkeeping on every hit, and the
            # strings that matter (repeated ones) come back on their next use.
            self._memo.clear()
            self._memo_chars = 0
            if size > self._memo_char_budget:
                return count
        self._memo[s] = count
        self._memo_chars += size
        return count

    def _at_least(self, s: str) -> int | None:
        """A lower bound on the tokens of ``s`` when its length alone puts it over ``stop_above``, else None.

        Encoding one very long piece (60 MB of one letter) took tiktoken 406 s and 3 GB; the exact
        count of an example over the cap changes no verdict, so it is bounded instead.
        """
        longest = longest_token_bytes(self.encoding_name, self._encoding)
        if longest is None or len(s) * 4 <= self.stop_above * longest:  # UTF-8: at most 4 bytes a character
            return None
        size = len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))
        at_least = -(-size // longest)
        if at_least <= self.stop_above:
            return None
        self._stopped = (f"a string of {size:,} UTF-8 bytes needs at least {at_least:,} tokens, as no "
                         f"{self.encoding_name} token is longer than {longest} bytes")
        return at_least

    # -- formats -----------------------------------------------------------

    def chat(self, example: Any) -> Counts:
        """Tokens of a chat line ``{"messages": [...], "tools"?: [...], ...}``.

        ``trained`` sums the full count (3 framing tokens, role, content, calls)
        of every assistant message whose ``weight`` is not 0; the reply primer
        is not part of it.
        """
        if type(example) is not dict:
            return _ZERO
        return self._conversation(example, example.get("messages"))

    def completion(self, example: Any) -> Counts:
        """Tokens of a legacy ``{"prompt", "completion"}`` line; trained = completion."""
        if type(example) is not dict:
            return _ZERO
        prompt = example.get("prompt")
        completion = example.get("completion")
        # Memo hits are looked up inline (as in _messages): a file of tiny examples is two strings an example.
        memo_get = self._memo.get
        if type(prompt) is str:
            prompt_tokens = memo_get(prompt)
            if prompt_tokens is None:
                prompt_tokens = self._count_new(prompt)
        else:
            prompt_tokens = 0
        if type(completion) is str:
            completion_tokens = memo_get(completion)
            if completion_tokens is None:
                completion_tokens = self._count_new(completion)
        else:
            completion_tokens = 0
        return _new_counts(Counts, (prompt_tokens + completion_tokens, completion_tokens))

    def preference(self, example: Any) -> Counts:
        """Tokens of a DPO line: the input conversation plus both outputs.

        Assumption (how OpenAI bills DPO outputs is unconfirmed): both the
        preferred and the non-preferred output are billed, and both are trained
        on, so ``trained`` is the sum of both outputs' assistant messages.
        """
        if type(example) is not dict:
            return _ZERO
        source = example.get("input")
        if type(source) is not dict:
            source = {}
        total, _ = self._conversation(source, source.get("messages"))
        trained = 0
        for key in ("preferred_output", "non_preferred_output"):
            output = example.get(key)
            if type(output) is list:
                output_counts = self._messages(output, None)
                total += output_counts.total
                trained += output_counts.trained
        return Counts(total, trained)

    def example(self, fmt: str | None, data: Any) -> Counts:
        """Tokens of one training line of the given format ("chat", "completion", "preference").

        This is the count OpenAI bills per epoch (``trained_tokens`` / epochs)
        and the one the per-example cap applies to. For chat it is the
        cookbook count (:meth:`chat`, what an API request's ``prompt_tokens``
        is) without the 3-token reply primer, plus 1. Prompt/completion and
        DPO lines are counted as before: no billed job of those formats has
        been measured.
        """
        if fmt not in COUNTED_FORMATS:
            return _ZERO
        self._stopped = None
        # The format names are the names of the counting methods.
        counts = getattr(self, fmt)(data)
        if fmt == "chat":
            counts = Counts(counts.total - REPLY_PRIMING + TRAINING_EXAMPLE_END, counts.trained)
        if self._stopped is not None:
            counts, self._stopped = CountsAtLeast(counts.total, counts.trained, self._stopped), None
        return counts

    def trained_span(self, fmt: str | None, data: Any) -> tuple[int, int] | None:
        """(start, end) token offsets of the trained part, or None when nothing is trained.

        Offsets follow the counting formulas: tool definitions, then messages
        in order, then the reply primer. Truncation keeps the first ``cap``
        tokens, so it cuts into the trained part when ``end > cap`` and
        removes all of it when ``start >= cap``. Only over-cap examples need
        this, so it recounts prefixes rather than tracking offsets in the hot
        loop; repeated strings hit the memo.
        """
        if type(data) is not dict:
            return None
        if fmt == "completion":
            total, trained = self.completion(data)
            return (total - trained, total) if trained else None
        if fmt == "preference":
            total, trained = self.preference(data)
            return (total - trained, total) if trained else None  # outputs follow the input
        if fmt != "chat" or type(data.get("messages")) is not list:
            return None
        messages = data["messages"]
        trained_at = [
            i for i, m in enumerate(messages)
            if type(m) is dict and m.get("role") == "assistant" and m.get("weight", 1) != 0
        ]
        if not trained_at:
            return None

        def offset(n: int) -> int:  # tokens before message n
            return self._conversation(data, messages[:n]).total - self.reply_priming

        return offset(trained_at[0]), offset(trained_at[-1] + 1)

    # -- internals ---------------------------------------------------------

    def _conversation(self, example: dict, messages: Any) -> Counts:
        if type(messages) is not list:
            messages = []
        tools = example.get("tools")
        functions = example.get("functions")
        definitions = None
        if tools or functions:
            definitions = _function_definitions(tools, functions)
        if not definitions:
            counts = self._messages(messages, None)
            return Counts(counts.total + REPLY_PRIMING, counts.trained)

        try:
            rendered = _render_functions(definitions)
        except RecursionError:  # schemas nested hundreds of levels deep: skip them
            rendered = ""
        counts = self._messages(messages, None, merge_system=True)
        total = counts.total + REPLY_PRIMING
        total += self.text(rendered) + FUNCTIONS_BLOCK_EXTRA
        if any(type(m) is dict and m.get("role") == "system" for m in messages):
            total -= SYSTEM_MERGE_DISCOUNT
        total += self._forced_choice(example)
        return Counts(total, counts.trained)

    def _forced_choice(self, example: dict) -> int:
        """Request-level ``function_call`` / ``tool_choice`` (API requests; not in training files)."""
        choice = example.get("function_call")
        if choice == "none":
            return 1
        if type(choice) is dict and type(choice.get("name")) is str:
            return 4 + self.text(choice["name"])
        choice = example.get("tool_choice")
        if choice == "none":
            return 1
        if type(choice) is dict:
            function = choice.get("function")
            if type(function) is dict and type(function.get("name")) is str:
                return 7 + self.text(function["name"])
        return 0

    def _messages(self, messages: list, call_names: dict | None, merge_system: bool = False) -> Counts:
        """Sum the chat formula over ``messages``; the hot loop of the counter."""
        text = self.text
        count_new = self._count_new  # after a memo miss
        # Memo hits are looked up inline: a method call per string is a
        # measurable share of the time on files with repeated strings.
        memo_get = self._memo.get
        total = 0
        trained = 0
        parallel = 0
        for message in messages:
            if type(message) is not dict:
                continue
            tokens = TOKENS_PER_MESSAGE
            role = message.get("role")
            is_assistant = role == "assistant"  # before role is replaced below
            content = message.get("content")
            if type(content) is str:
                if merge_system and role == "system":
                    # The functions block is appended to the first system message.
                    content += "\n"
                    merge_system = False
                count = memo_get(content)
                tokens += count if count is not None else count_new(content)
            elif type(content) is list:
                tokens += self._parts(content)
            if len(message) > 2 or content is None:
                # Rare keys: name, tool_calls, tool_call_id, function_call, weight.
                name = message.get("name")
                if type(name) is str and role != "tool":
                    tokens += text(name) + TOKENS_PER_NAME
                calls = message.get("tool_calls")
                if type(calls) is list and calls:
                    if call_names is None:
                        call_names = {}
                    tokens += self._tool_calls(calls, call_names)
                    if len(calls) > 1:
                        parallel += PARALLEL_CALLS_BASE + PARALLEL_CALLS_PER_EXTRA_CALL * (len(calls) - 2)
                    role = None  # the role is replaced by " to=functions.NAME"
                elif role == "tool" and call_names:
                    call_id = message.get("tool_call_id")
                    called = call_names.get(call_id) if type(call_id) is str else None
                    if called is not None:
                        tokens += text("functions." + called)
                        role = None
                call = message.get("function_call")
                if type(call) is dict:
                    tokens += FUNCTION_CALL_EXTRA
                    for key in ("name", "arguments"):
                        value = call.get(key)
                        if type(value) is str:
                            tokens += text(value)
            if role == "function":
                tokens -= FUNCTION_ROLE_DISCOUNT
            if type(role) is str:
                count = memo_get(role)
                tokens += count if count is not None else text(role)
            total += tokens
            if is_assistant and message.get("weight", 1) != 0:
                trained += tokens
        return Counts(total + parallel, trained)

    def _tool_calls(self, calls: list, call_names: dict) -> int:
        text = self.text
        tokens = 0
        for call in calls:
            if type(call) is not dict:
                continue
            function = call.get("function")
            if type(function) is not dict:
                continue
            name = function.get("name")
            if type(name) is str:
                tokens += text(" to=functions." + name)
                call_id = call.get("id")
                if type(call_id) is str:
                    call_names[call_id] = name
            arguments = function.get("arguments")
            if type(arguments) is str:
                tokens += text(arguments)
        return tokens

    def _parts(self, parts: list) -> int:
        text = self.text
        tokens = 0
        for part in parts:
            if type(part) is not dict:
                continue
            kind = part.get("type")
            if kind == "text" or (kind is None and "text" in part):
                value = part.get("text")
                if type(value) is str:
                    tokens += text(value)
            elif kind == "image_url":
                tokens += self._image(part.get("image_url"))
            elif kind == "refusal":
                value = part.get("refusal")
                if type(value) is str:
                    tokens += text(value)
        return tokens

    def _image(self, image: Any) -> int:
        if type(image) is str:  # tolerated shorthand: the URL itself
            image = {"url": image}
        if type(image) is not dict:
            return 0
        if image.get("detail") == "low":
            return self.image_base
        url = image.get("url")
        size = image_size_from_data_url(url) if type(url) is str else None
        tiles = image_tiles(*size) if size else ASSUMED_IMAGE_TILES
        return self.image_base + self.image_per_tile * tiles


def counter_for(tokenizer_name: str, **kwargs: Any) -> TokenCounter:
    """The counter for a registry tokenizer: OpenAI's formula or the family's chat framing."""
    framing = tokenizer_spec(tokenizer_name).framing
    if framing == "openai":
        return TokenCounter(tokenizer_name, **kwargs)
    from ftlint.chat_framing import FRAMED_COUNTERS

    return FRAMED_COUNTERS[framing](tokenizer_name, **kwargs)


# -- tool and function definitions -------------------------------------------


def _function_definitions(tools: Any, functions: Any) -> list[dict]:
    """The function objects of ``tools`` (type function) and legacy ``functions``."""
    found: list[dict] = []
    if type(tools) is list:
        for tool in tools:
            if type(tool) is dict and type(tool.get("function")) is dict:
                found.append(tool["function"])
    if type(functions) is list:
        found.extend(f for f in functions if type(f) is dict)
    return found


def _render_functions(functions: list[dict]) -> str:
    """The ``namespace functions`` block, as the model sees tool definitions."""
    lines = ["namespace functions {", ""]
    for function in functions:
        description = function.get("description")
        if type(description) is str and description:
            lines.append("// " + description)
        name = function.get("name")
        name = name if type(name) is str else ""
        parameters = function.get("parameters")
        properties = parameters.get("properties") if type(parameters) is dict else None
        if type(properties) is dict and properties:
            lines.append(f"type {name} = (_: {{")
            lines.append(_render_properties(parameters, 0))
            lines.append("}) => any;")
        else:
            lines.append(f"type {name} = () => any;")
        lines.append("")
    lines.append("} // namespace functions")
    return "\n".join(lines)


def _render_properties(schema: dict, indent: int) -> str:
    properties = schema.get("properties")
    if type(properties) is not dict:
        return ""
    required = schema.get("required")
    if type(required) is not list:
        required = ()
    lines = []
    for key, prop in properties.items():
        if type(prop) is not dict:
            prop = {}
        description = prop.get("description")
        # Descriptions of properties nested two or more levels deep are dropped
        # (fits the measurements better than keeping them, see docs).
        if type(description) is str and description and indent < 2:
            lines.append("// " + description)
        marker = "" if key in required else "?"
        line = f"{key}{marker}: {_render_type(prop, indent)},"
        if "default" in prop:
            line += " // default: " + _render_literal(prop["default"])
        lines.append(line)
    pad = " " * indent
    return "\n".join(pad + line for line in lines)


def _render_type(schema: dict, indent: int) -> str:
    any_of = schema.get("anyOf")
    if type(any_of) is list:
        return " | ".join(_render_type(s if type(s) is dict else {}, indent) for s in any_of)
    kind = schema.get("type")
    enum = schema.get("enum")
    if type(enum) is list and kind in ("string", "number", "integer", None):
        return " | ".join(_render_literal(v) for v in enum)
    if kind == "string":
        return "string"
    if kind in ("number", "integer"):
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "null":
        return "null"
    if kind == "object":
        return "{\n" + _render_properties(schema, indent + 2) + "\n}"
    if kind == "array":
        items = schema.get("items")
        if type(items) is dict:
            return _render_type(items, indent) + "[]"
        return "any[]"
    return "any"


def _render_literal(value: Any) -> str:
    if type(value) is str:
        return f'"{value}"'
    if type(value) is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


# -- images ------------------------------------------------------------------


def _image_parts(data: Any):
    """The ``image_url`` values of every message of a chat or preference line."""
    if type(data) is not dict:
        return
    source = data.get("input")
    lists = [data.get("messages"), source.get("messages") if type(source) is dict else None,
             data.get("preferred_output"), data.get("non_preferred_output")]
    for messages in lists:
        if type(messages) is not list:
            continue
        for message in messages:
            content = message.get("content") if type(message) is dict else None
            if type(content) is not list:
                continue
            for part in content:
                if type(part) is dict and part.get("type") == "image_url":
                    yield part.get("image_url")


def image_counts(data: Any) -> tuple[int, int]:
    """(images, images whose size is unknown and so assumed: ASSUMED_IMAGE_TILES) in one line.

    Low-detail images cost the base whatever their size, so they are never assumed.
    """
    images = unsized = 0
    for image in _image_parts(data):
        images += 1
        if type(image) is str:
            image = {"url": image}
        if type(image) is not dict or image.get("detail") == "low":
            continue
        url = image.get("url")
        if not (type(url) is str and image_size_from_data_url(url)):
            unsized += 1
    return images, unsized



def image_tiles(width: int, height: int) -> int:
    """512-px tiles of a high/auto-detail image after OpenAI's resize rules.

    Fit within 2048x2048, then scale so the shorter side is at most 768 (images
    are not scaled up: a 1x1 image is one tile).
    """
    if width <= 0 or height <= 0:
        return ASSUMED_IMAGE_TILES
    scale = min(1.0, 2048 / max(width, height))
    width, height = width * scale, height * scale
    scale = min(1.0, 768 / min(width, height))
    width, height = width * scale, height * scale
    return math.ceil(width / 512) * math.ceil(height / 512)


# Base64 characters decoded to find the size; 64 KiB of base64 covers large
# JPEG EXIF blocks. If a JPEG frame header is further in, the whole image is decoded.
_HEADER_BASE64_CHARS = 65536


def image_size_from_data_url(url: str) -> tuple[int, int] | None:
    """(width, height) of a ``data:image/...;base64,`` URL, or None if unreadable."""
    if not url.startswith("data:"):
        return None
    comma = url.find(",", 0, 256)
    if comma < 0 or not url[:comma].endswith(";base64"):
        return None
    payload = url[comma + 1 :]
    head = _decode_base64(payload[:_HEADER_BASE64_CHARS])
    if head is None:
        return None
    size = image_size(head)
    if size is None and head[:2] == b"\xff\xd8" and len(payload) > _HEADER_BASE64_CHARS:
        whole = _decode_base64(payload)
        size = image_size(whole) if whole is not None else None
    return size


def _decode_base64(chunk: str) -> bytes | None:
    chunk = chunk[: len(chunk) // 4 * 4]
    try:
        return binascii.a2b_base64(chunk)
    except (binascii.Error, ValueError):
        return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, JPEG, GIF or WEBP image."""
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", data[6:10])
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data[:2] == b"\xff\xd8":
            return _jpeg_size(data)
    except struct.error:  # truncated header
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the frame tag and start code
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: 14-bit width-1 and height-1, bit-packed
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: 24-bit canvas width-1 and height-1
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    end = len(data)
    while index + 4 <= end:
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # no length field
            index += 2
            continue
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        index += 2 + length
    return None

