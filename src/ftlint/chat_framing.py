"""Token counts of chat examples framed by an open model family's chat template.

OpenAI bills chat by a formula (ftlint.counting.TokenCounter); open models are
trained on the conversation rendered by their family's template, so the count
is the length of that rendering. Each counter here reproduces the family
package's own chat encoder for the message shapes fine-tuning files use
(system/user/assistant/tool messages with text content, tool calls):

* ``llama3`` -- llama_models.llama3.chat_format.ChatFormat: ``<|begin_of_text|>``,
  then per message ``<|start_header_id|>ROLE<|end_header_id|>`` + "\\n\\n" +
  content + ``<|eot_id|>`` (the tool role is written "ipython"; a tool call is
  the JSON ``{"type": "function", "name", "parameters"}``).
* ``llama4`` -- the same with ``<|header_start|>``/``<|header_end|>``/``<|eot|>``.
* ``mistral`` -- mistral_common's v3 instruct encoder (what
  ``encode_chat_completion`` renders for Mistral NeMo, Ministral, Mistral 7B
  v0.3, Mixtral): ``<s>``, ``[INST]`` user ``[/INST]`` per user turn, the
  assistant reply (trailing spaces dropped) + ``</s>``; system messages are joined with "\\n\\n" and
  prepended to the *last* user message.
* ``mistral-v1`` -- mistral_common's v1 instruct encoder (Mistral 7B v0.1/v0.2):
  ``<s>``, ``[INST] user [/INST]`` as text, the reply + ``</s>``; system messages
  joined and put before the *first* user message.
* ``chatml`` -- Qwen's ChatML: ``<|im_start|>ROLE\\nCONTENT<|im_end|>\\n`` per
  message (no package ships Qwen's chat encoder, so this framing is from
  Qwen's published template; the vocabulary itself is checked against dashscope).

``trained`` is the framed length of the assistant messages whose ``weight`` is
not 0. Agreement with the packages' encoders on the real corpus is measured by
scripts/token_agreement.py and tested on a sample (tests/test_chat_framing.py).

Not reproduced exactly (documented in docs/tokenizers.md): tool *definitions*
(``tools``) are counted as their JSON text, since the templates that render
them differ per model version; images in content lists are not counted. An
example holding either gets an approximate count, and says so
(:meth:`_FramedCounter.left_approximate`: the report's token lines, FT303/FT304, --stats).
"""

from __future__ import annotations

import json
from typing import Any

from ftlint.counting import Approximation, Counts, TokenCounter, _function_definitions

_ZERO = Counts(0, 0)


def _text_parts(content: Any) -> list[str]:
    """The text of a message's content: the string, or the text parts of a list."""
    if type(content) is str:
        return [content]
    if type(content) is list:
        return [
            part["text"] for part in content
            if type(part) is dict and type(part.get("text")) is str and part.get("type", "text") == "text"
        ]
    return []


def _system_and_users(messages: Any) -> tuple[list[dict], list[str], list[int]]:
    """(the message objects, the system messages' texts, the user messages' positions): what Mistral's
    encoders need to place the system prompt (before the last user turn in v3, the first in v1)."""
    messages = [m for m in messages if type(m) is dict] if type(messages) is list else []
    system = [part for m in messages if m.get("role") == "system" for part in _text_parts(m.get("content"))]
    return messages, system, [i for i, m in enumerate(messages) if m.get("role") == "user"]


def _call_json(call: Any) -> str | None:
    """A tool call as llama-models' JSON tool-call format writes it."""
    if type(call) is not dict or type(call.get("function")) is not dict:
        return None
    function = call["function"]
    arguments = function.get("arguments")
    if type(arguments) is str:
        try:
            arguments = json.loads(arguments)
        except ValueError:
            pass
    return json.dumps({"type": "function", "name": function.get("name"), "parameters": arguments})


#: What a framed count leaves approximate (see the module doc).
TOOL_DEFINITIONS = Approximation(
    "tool definitions, counted as their JSON text: each model's chat template writes them its own way", False)
MEDIA = Approximation("images or videos, not counted: the count is of the text", True)
#: Where media travel: OpenAI's and TRL's content parts, LLaMA-Factory's and TRL's columns.
MEDIA_PART_TYPES = frozenset({"image_url", "image", "input_image", "video", "video_url"})
MEDIA_KEYS = ("images", "videos", "image", "video")
#: Bytes without which a line holds neither (a key written with escapes has a backslash-u).
APPROXIMATION_MARKERS = (b'"tools"', b'"functions"', b"image", b"video", b"\\u")


def _holds_media(data: Any) -> bool:
    """Whether an example, in any format, carries images or videos: a media column, or a media part in the
    content of any message list (messages, conversations, a DPO input and outputs, TRL's prompt/chosen)."""
    if type(data) is not dict:
        return False
    if any(data.get(key) for key in MEDIA_KEYS):
        return True
    source = data.get("input")
    lists = [value for value in data.values() if type(value) is list]
    if type(source) is dict and type(source.get("messages")) is list:
        lists.append(source["messages"])
    for messages in lists:
        for message in messages:
            content = message.get("content") if type(message) is dict else None
            if type(content) is list and any(type(part) is dict and part.get("type") in MEDIA_PART_TYPES
                                             for part in content):
                return True
    return False


class _FramedCounter(TokenCounter):
    """Shared walk over messages; subclasses say what one message costs."""

    reply_priming = 0
    #: Tokens before the first message (the beginning-of-sequence token).
    bos = 1
    may_approximate = True
    counts_images = False  # (MEDIA: the examples holding images say so)

    def left_approximate(self, example: Any) -> tuple[Approximation, ...]:
        raw = example.raw
        if raw is not None and not any(raw.find(marker) >= 0 for marker in APPROXIMATION_MARKERS):
            return ()  # the common line: five byte searches
        fmt, record = example.counted_as()
        found = []
        source = record.get("input") if fmt == "preference" and type(record) is dict else record
        if type(source) is dict and _function_definitions(source.get("tools"), source.get("functions")):
            found.append(TOOL_DEFINITIONS)
        if _holds_media(example.data) or (record is not example.data and _holds_media(record)):
            found.append(MEDIA)
        return tuple(found)

    def _conversation(self, example: dict, messages: Any) -> Counts:
        if type(messages) is not list:
            messages = []
        counts = self._messages(messages, None)
        total = self.bos + counts.total + self._definitions(example)
        return Counts(total, counts.trained)

    def _definitions(self, example: dict) -> int:
        tools, functions = example.get("tools"), example.get("functions")
        if not (tools or functions):
            return 0
        definitions = _function_definitions(tools, functions)
        return sum(self.text(json.dumps(d, ensure_ascii=False)) for d in definitions)

    def _messages(self, messages: list, call_names: dict | None, merge_system: bool = False) -> Counts:
        total = trained = 0
        for message in messages:
            if type(message) is not dict:
                continue
            tokens = self._message(message)
            total += tokens
            if message.get("role") == "assistant" and message.get("weight", 1) != 0:
                trained += tokens
        return Counts(total, trained)

    def _message(self, message: dict) -> int:  # pragma: no cover - abstract
        raise NotImplementedError


class Llama3Counter(_FramedCounter):
    """llama-models' Llama 3 ChatFormat (see the module doc)."""

    header_specials = 2  # <|start_header_id|>, <|end_header_id|>
    end_specials = 1  # <|eot_id|> (or <|eom_id|>)

    def _message(self, message: dict) -> int:
        text = self.text
        role = message.get("role")
        role = "ipython" if role == "tool" else role if type(role) is str else ""
        tokens = self.header_specials + text(role) + text("\n\n") + self.end_specials
        for part in _text_parts(message.get("content")):
            tokens += text(part)
        if role == "assistant":
            calls = message.get("tool_calls")
            if type(calls) is list:
                for call in calls:
                    rendered = _call_json(call)
                    if rendered is not None:
                        tokens += text(rendered)
        return tokens


class Llama4Counter(Llama3Counter):
    """llama-models' Llama 4 ChatFormat: same shape, <|header_start|>/<|header_end|>/<|eot|>."""


class MistralCounter(_FramedCounter):
    """mistral-common's v3 instruct encoding (see the module doc)."""

    def _conversation(self, example: dict, messages: Any) -> Counts:
        messages, system, users = _system_and_users(messages)
        last_user = users[-1] if users else None
        text = self.text
        total = trained = 0
        for i, message in enumerate(messages):
            role = message.get("role")
            if role == "system":
                continue  # merged into the last user message
            if role == "user":
                content = "".join(_text_parts(message.get("content")))
                if i == last_user and system:
                    content = "\n\n".join(system) + "\n\n" + content
                tokens = 2 + text(content)  # [INST] ... [/INST]
            else:
                tokens = self._message(message)
            total += tokens
            if role == "assistant" and message.get("weight", 1) != 0:
                trained += tokens
        if last_user is None and system:
            total += 2 + text("\n\n".join(system) + "\n\n")  # an [INST] block of the system prompt alone
        return Counts(self.bos + total + self._definitions(example), trained)

    def _message(self, message: dict) -> int:
        text = self.text
        role = message.get("role")
        content = "".join(_text_parts(message.get("content")))
        if role == "assistant":
            tokens = 1  # </s>
            content = content.rstrip(" ")  # mistral-common drops the reply's trailing spaces
            if content:
                tokens += text(content)
            calls = message.get("tool_calls")
            if type(calls) is list and calls:
                rendered = [_call_json(c) for c in calls]
                tokens += 1 + text("[" + ", ".join(r for r in rendered if r) + "]")  # [TOOL_CALLS]
            return tokens
        if role == "user":
            return 2 + text(content)
        return 2 + text(content)  # tool results: [TOOL_RESULTS] ... [/TOOL_RESULTS]


class MistralV1Counter(_FramedCounter):
    """mistral-common's v1 instruct encoding (Mistral 7B Instruct v0.1/v0.2, SentencePiece v1): ``<s>``, then
    each user turn as the text ``[INST] CONTENT [/INST]`` (markers are text, not control tokens, in v1) with
    the system prompts joined and put before the *first* user message, each reply + ``</s>``."""

    def _conversation(self, example: dict, messages: Any) -> Counts:
        messages, system, users = _system_and_users(messages)
        first_user = users[0] if users else None
        text = self.text
        total = trained = 0
        for i, message in enumerate(messages):
            role = message.get("role")
            if role == "system":
                continue  # merged into the first user message
            content = "".join(_text_parts(message.get("content")))
            if role == "user":
                if i == first_user and system:
                    content = "\n\n".join(system) + "\n\n" + content
                tokens = text(f"[INST] {content} [/INST]")
            elif role == "assistant":
                tokens = (text(content) if content else 0) + 1  # </s> (v1 keeps trailing spaces; v3 drops them)
            else:
                tokens = text(content)  # v1 has no tool turns: what the text would cost
            total += tokens
            if role == "assistant" and message.get("weight", 1) != 0:
                trained += tokens
        if first_user is None and system:  # a user turn of the system prompt alone
            total += text("[INST] " + "\n\n".join(system) + "\n\n [/INST]")
        return Counts(self.bos + total + self._definitions(example), trained)


class ChatMLCounter(_FramedCounter):
    """Qwen's ChatML: <|im_start|>ROLE\\nCONTENT<|im_end|>\\n per message, no BOS."""

    bos = 0

    def _message(self, message: dict) -> int:
        role = message.get("role")
        role = role if type(role) is str else ""
        body = role + "\n" + "".join(_text_parts(message.get("content")))
        calls = message.get("tool_calls")
        if message.get("role") == "assistant" and type(calls) is list:
            for call in calls:
                rendered = _call_json(call)
                if rendered is not None:
                    body += "\n<tool_call>\n" + rendered + "\n</tool_call>"
        # <|im_start|> and <|im_end|> are one token each; the "\n" after <|im_end|> is one more.
        return 2 + self.text(body) + 1


#: Counter class per TokenizerSpec.framing (ftlint.counting.counter_for).
FRAMED_COUNTERS: dict[str, type[TokenCounter]] = {
    "llama3": Llama3Counter,
    "llama4": Llama4Counter,
    "mistral": MistralCounter,
    "mistral-v1": MistralV1Counter,
    "chatml": ChatMLCounter,
}
