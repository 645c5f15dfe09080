"""Render a chat example the way an open trainer will, and measure what it trains on.

A *chat template* turns a list of messages into the exact token sequence a
model trains on. Templates are data (``rules/chat_templates/<id>.toml``, each
with its source and license): a family is rendered by its own code where a
package ships it (``llama_models``' ChatFormat for Llama 3.x, ``mistral_common``'s
finetuning validator and instruct tokenizer for Mistral), otherwise by the
template text in jinja2's *sandboxed* environment (a template is untrusted
data: ``--chat-template FILE`` takes any Jinja file or tokenizer_config.json).

A :class:`Rendering` says which token spans are trained (assistant turns,
from after the turn header to the end-of-turn token, as TRL's assistant-only
loss, Axolotl's ``roles_to_train`` and LLaMA-Factory's masking do), which
messages the template did not write, and whether the token counts are exact
(the family's own vocabulary) or approximate (Gemma: no package ships it).
Rules FT901-FT906 read it; the engine names none of this.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ftlint.data import data_path
from ftlint.formats import listed

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TEMPLATE_DIR = "chat_templates"

#: The extra to install for the renderers and vocabularies.
EXTRA = "ftlint[templates]"


class TemplateError(ValueError):
    """A chat template cannot be loaded (unknown name, unreadable or invalid file, missing package): exit 2."""


class Rejected(Exception):
    """The template refuses this conversation (its own error text); ``advice``: what to do, when it is
    not the usual "change the conversation" (a template that asks for gigabytes is itself at fault)."""

    def __init__(self, message: str, advice: str | None = None):
        super().__init__(message)
        self.advice = advice


@dataclass(frozen=True)
class TemplateSpec:
    """One chat template: how to render it and what it does with special cases."""

    id: str
    title: str
    renderer: str  # "jinja" | "llama-models" | "mistral-common"
    tokenizer: str  # an ftlint.tokenizer registry name (its vocabulary, sha256-checked there)
    template: str = ""  # Jinja source (renderer "jinja")
    bos: str = ""
    eos: tuple[str, ...] = ()
    end_of_turn: str = ""
    response_marker: str = ""
    adds_bos: bool = False
    system: str = "allowed"  # allowed | rejected | merged
    tool_arguments: str = "unknown"  # object | string | any | none | unknown
    source: str = ""
    license: str = ""
    aliases: tuple[str, ...] = ()
    #: How the text was checked against a vendor's or a trainer package's file; "" when it was not.
    verified: str = ""

    @property
    def label(self) -> str:
        """The template's name in findings: says when its text is ftlint's own, unverified statement."""
        if self.verified:
            return self.title
        return f"{self.title} (ftlint's unverified statement of its format)"

    @property
    def exact(self) -> bool:
        from ftlint.tokenizer import is_exact

        return is_exact(self.tokenizer)


@dataclass
class Turn:
    """An assistant message as rendered: its trained token span [start, end)."""

    index: int  # position in the example's messages
    start: int
    end: int
    trained: bool = True  # False: weight 0 (the trainer masks it)


@dataclass
class Rendering:
    text: str
    tokens: int
    turns: list[Turn] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # messages the template did not write
    exact: bool = True
    #: (char start, char end) of each turn's trained text, for marker-based masks
    char_spans: list[tuple[int, int]] = field(default_factory=list)
    token_at: object = None  # char offset -> token index, for marker-based masks


# -- loading ---------------------------------------------------------------


def shipped_ids() -> list[str]:
    return sorted(p.stem for p in data_path(TEMPLATE_DIR).glob("*.toml"))


@lru_cache(maxsize=None)
def _shipped() -> dict[str, TemplateSpec]:
    from ftlint.tokenizer import tokenizer_spec

    by_name: dict[str, TemplateSpec] = {}
    for path in sorted(data_path(TEMPLATE_DIR).glob("*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        template = ""
        if raw.get("template"):
            template = (path.parent / raw["template"]).read_text(encoding="utf-8")
        spec = TemplateSpec(
            id=raw["id"], title=raw["title"], renderer=raw["renderer"], tokenizer=raw["tokenizer"],
            template=template, bos=raw.get("bos", ""), eos=tuple(raw.get("eos", ())),
            end_of_turn=raw.get("end_of_turn", ""), response_marker=raw.get("response_marker", ""),
            adds_bos=bool(raw.get("adds_bos", False)), system=raw.get("system", "allowed"),
            tool_arguments=raw.get("tool_arguments", "unknown"), source=raw.get("source", ""),
            license=raw.get("license", ""), aliases=tuple(raw.get("aliases", ())),
            verified=raw.get("verified", "") if raw["renderer"] == "jinja" else "rendered by the family's own package",
        )
        tokenizer_spec(spec.tokenizer)  # a registry name, or the shipped data is broken (a test loads every one)
        for name in (spec.id, *spec.aliases):
            by_name[name.lower()] = spec
    return by_name


def is_family(name: str) -> bool:
    """Whether ``name`` is a shipped family (an id or alias), not a file."""
    return name.lower() in _shipped()


#: The package each renderer imports (module, distribution): all in the "templates" extra.
RENDERER_PACKAGES = {"jinja": ("jinja2", "jinja2"), "llama-models": ("llama_models", "llama-models"),
                     "mistral-common": ("mistral_common", "mistral-common")}


def load(name_or_path: str) -> TemplateSpec:
    """A shipped family by id or alias, or a Jinja file / tokenizer_config.json; a TemplateError (exit 2, one
    line naming the extra) when the package that renders it is not installed."""
    spec = _shipped().get(name_or_path.lower())
    if spec is None:
        path = Path(name_or_path)
        if not path.is_file():
            raise TemplateError(f'unknown chat template "{name_or_path}": give a family '
                                f'({", ".join(shipped_ids())}) or a Jinja file or tokenizer_config.json')
        _renderer_installed("jinja", f"the chat template {path.name}")  # (reading the file compiles it)
        return _from_file(path)
    _renderer_installed(spec.renderer, f"the {spec.title} chat template")
    return spec


def _renderer_installed(renderer: str, what: str) -> None:
    # Asked before any example is rendered: a missing package was an internal error (ModuleNotFoundError)
    # at the first example, where the install command belongs at the start.
    import importlib.util

    module, distribution = RENDERER_PACKAGES[renderer]
    if importlib.util.find_spec(module) is None:
        raise TemplateError(f"{what} is rendered with {distribution}, which is not installed: pip install '{EXTRA}'")


def _from_file(path: Path) -> TemplateSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read chat template {path}: {exc}") from None
    bos = eos = ""
    if path.suffix == ".json":
        try:
            config = json.loads(text)
        except ValueError as exc:
            raise TemplateError(f"{path} is not valid JSON: {exc}") from None
        template = config.get("chat_template") if isinstance(config, dict) else None
        if isinstance(template, list):  # [{"name": "default", "template": ...}, ...]
            named = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
            template = named.get("default") or next(iter(named.values()), None)
        if not isinstance(template, str):
            raise TemplateError(f"{path} has no chat_template (a tokenizer_config.json with one, or a Jinja file)")
        bos, eos = _token_text(config.get("bos_token")), _token_text(config.get("eos_token"))
        text = template
    compiled_check(text, str(path))
    return TemplateSpec(
        id=path.name, title=path.name, renderer="jinja", tokenizer="approximate",  # "the t.jinja template"
        template=text, bos=bos, eos=(eos,) if eos else (), end_of_turn=eos,
        adds_bos=bool(bos), tool_arguments=_arguments_type_of(text), source=str(path), license="the user's file",
        verified="the user's own file",
    )


def _token_text(value) -> str:
    if isinstance(value, dict):  # {"content": "<s>", ...} (AddedToken)
        value = value.get("content")
    return value if isinstance(value, str) else ""


def _arguments_type_of(template: str) -> str:
    """What a template does with tool-call arguments, read from its text."""
    compact = template.replace(" ", "")
    if "arguments" not in compact:
        return "none" if "tool_calls" not in compact else "unknown"
    if "argumentsisstring" in compact or "argumentsismapping" in compact:
        return "any"
    if "arguments|tojson" in compact or "arguments|to_json" in compact:
        return "object"
    return "unknown"


# -- Jinja -------------------------------------------------------------------


def _raise(message):
    raise Rejected(str(message))


#: The widest indent tojson takes in a template (transformers' templates use 2 or 4).
MAX_JSON_INDENT = 256


def _tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # As transformers' chat-template environment defines it, with an indent a rendering can hold
    # (each nested line repeats it: tojson(indent=100000000) asked for gigabytes).
    from ftlint import template_sandbox

    width = indent if isinstance(indent, int) else len(indent) if isinstance(indent, str) else 0
    if width > MAX_JSON_INDENT:
        raise template_sandbox.TooLarge(f"tojson(indent={width:,}) indents by more than {MAX_JSON_INDENT} characters")
    template_sandbox.check_text_size("the tojson filter", value)  # a list of huge texts: refused before json.dumps
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


@lru_cache(maxsize=1)
def _environment():
    try:
        from jinja2.exceptions import TemplateError as JinjaError  # noqa: F401

        from ftlint.template_sandbox import (bounded_filters, bounded_globals, charged_filters, environment_class,
                                             finalize)
    except ImportError:
        raise TemplateError(f"the chat-template check needs jinja2: pip install '{EXTRA}'") from None
    # jinja2's immutable sandbox, bounded in the memory a template may ask for (ftlint.template_sandbox).
    env = environment_class()(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"],
                              finalize=finalize)
    env.filters.update(bounded_filters(env.filters))
    env.globals.update(bounded_globals())
    env.filters["tojson"] = _tojson
    env.filters.update(charged_filters(env.filters))  # last: every filter, the bounded ones included
    env.globals["raise_exception"] = _raise
    env.globals["strftime_now"] = lambda fmt: "26 Jul 2024"  # deterministic: the date Llama 3.1 templates default to
    return env


@lru_cache(maxsize=16)
def _compiled(source: str):
    from ftlint.template_sandbox import bounded_template

    return bounded_template(_environment(), source)


def compiled_check(source: str, where: str) -> None:
    from jinja2.exceptions import TemplateSyntaxError

    try:
        _compiled(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: the chat template is not valid Jinja (line {exc.lineno}: {exc.message})") from None


# -- vocabularies: ftlint.tokenizer's registry (one loader, one sha256 check) --------


def _verified(name: str):
    """Run a registry call, turning a missing or mismatched vocabulary into a TemplateError (exit 2)."""
    from ftlint import tokenizer

    try:
        return tokenizer.verified_vocabulary(name)
    except tokenizer.TokenizerDataError as exc:
        raise TemplateError(str(exc)) from None


def _encoding(name: str):
    from ftlint import tokenizer

    try:
        return tokenizer.control_encoding(name)
    except tokenizer.TokenizerDataError as exc:
        raise TemplateError(str(exc)) from None


def _sentencepiece(name: str):
    from ftlint import tokenizer

    try:
        return tokenizer.sentencepiece_processor(name)
    except tokenizer.TokenizerDataError as exc:
        raise TemplateError(str(exc)) from None


class _Offsets:
    """Char offset -> token index for one encoded text (tiktoken: exact, from byte lengths)."""

    def __init__(self, text: str, byte_ends: list[int]):
        self.text = text
        self.byte_ends = byte_ends
        self._char = self._byte = 0  # the last offset asked for, and its byte offset

    def __call__(self, char: int) -> int:
        """The number of tokens that end at or before ``char`` (a token straddling it counts after)."""
        # Offsets are asked for in increasing order (message by message): only the text since the last one is
        # encoded. Encoding text[:char] each time was quadratic: one conversation of 100,000 messages (15 MB)
        # took 549.5 s under --chat-template qwen3, 2.84 s this way.
        # (A lone surrogate is 3 bytes, as tiktoken's replacement character is.)
        if char >= self._char:
            byte = self._byte + len(self.text[self._char:char].encode("utf-8", "surrogatepass"))
        else:
            byte = len(self.text[:char].encode("utf-8", "surrogatepass"))
        self._char, self._byte = char, byte
        return bisect.bisect_right(self.byte_ends, byte)


def _tokenize(spec: TemplateSpec, text: str) -> tuple[int, object]:
    """(token count, char -> token map) for rendered text, control tokens parsed as the trainer's tokenizer does."""
    from ftlint.tokenizer import tokenizer_spec

    if tokenizer_spec(spec.tokenizer).kind == "sentencepiece":
        return _tokenize_sentencepiece(spec, text)
    enc = _encoding(spec.tokenizer)
    ids = enc.encode(text, allowed_special="all")
    ends, total = [], 0
    for length in map(len, map(enc.decode_single_token_bytes, ids)):
        total += length
        ends.append(total)
    return len(ids), _Offsets(text, ends)


def _tokenize_sentencepiece(spec: TemplateSpec, text: str) -> tuple[int, object]:
    """Pieces between control tokens, each encoded alone (as Llama-2-style tokenizers do): approximate at joins."""
    import re

    sp = _sentencepiece(spec.tokenizer)
    specials = [t for t in (spec.bos, *spec.eos) if t]
    pattern = re.compile("(" + "|".join(map(re.escape, specials)) + ")") if specials else None
    parts = pattern.split(text) if pattern else [text]
    char_ends, token_ends, chars, tokens = [], [], 0, 0
    for part in parts:
        if not part:
            continue
        tokens += 1 if part in specials else len(sp.encode(part))
        chars += len(part)
        char_ends.append(chars)
        token_ends.append(tokens)

    def token_at(char: int) -> int:
        i = bisect.bisect_right(char_ends, char)
        return token_ends[i - 1] if i else 0

    return tokens, token_at


# -- rendering ---------------------------------------------------------------


def content_text(content) -> str | None:
    """A message's text: the string, or its text parts joined; None when there is none to find."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text") if isinstance(p.get("text"), str) else p.get("value")
                 for p in content if isinstance(p, dict) and p.get("type") in ("text", None)]
        texts = [t for t in texts if isinstance(t, str)]
        return "".join(texts) if texts else None
    return None


def _trained(message: dict) -> bool:
    for key in ("weight", "loss_weight"):
        value = message.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
            return False
    return True


def render(spec: TemplateSpec, messages: list, tools: list | None = None) -> Rendering:
    """Render one conversation; raises :class:`Rejected` when the template refuses it."""
    if spec.renderer == "llama-models":
        return _render_llama(spec, messages, tools)
    if spec.renderer == "mistral-common":
        return _render_mistral(spec, messages, tools)
    return _render_jinja(spec, messages, tools)


#: FT901's advice where the template's own code failed on this conversation: either may be at fault (the
#: template's raise_exception, a deliberate refusal, keeps "change the conversation").
_EITHER = "the trainer stops on it; fix the template, or change the conversation to fit it"


def _render_jinja(spec: TemplateSpec, messages: list, tools: list | None) -> Rendering:
    from jinja2.exceptions import TemplateError as JinjaError

    from ftlint.template_sandbox import TooLarge, render_bounded

    eos = spec.eos[0] if spec.eos else ""
    try:
        text = render_bounded(_compiled(spec.template), messages=messages, tools=tools or None, bos_token=spec.bos,
                              eos_token=eos, add_generation_prompt=False)
    except Rejected:
        raise
    except TooLarge as exc:
        raise Rejected(f"the template failed: {exc}", advice=f"{exc.consequence}; check the template (or this "
                       "conversation's size)") from None
    except JinjaError as exc:  # an undefined name, {% include %} (no loader), a sandbox refusal: the template's
        raise Rejected(f"the template failed: {exc}", advice=_EITHER) from None
    except RecursionError:  # a macro calling itself without end, or data nested too deep for it
        raise Rejected("the template failed: it went past Python's recursion limit (a macro that calls itself "
                       "without end, or this conversation's data nested too deep for the template)",
                       advice="check the template's macros, or the nesting of this conversation") from None
    except MemoryError:  # a value no check above foresaw (the bounds are on the usual builders, not every one)
        raise Rejected("the template failed: it ran out of memory building a value",
                       advice="a trainer rendering it runs out of memory too; check the template") from None
    # ArithmeticError: 1 / 0, 10.0 ** 1000, the sandbox's range() over 100,000 (OverflowError); LookupError: an
    # unknown codec in str.encode() (0.3.0: internal error)
    except (TypeError, LookupError, AttributeError, ValueError, ArithmeticError) as exc:
        raise Rejected(f"the template cannot render it ({type(exc).__name__}: {exc})", advice=_EITHER) from None
    tokens, token_at = _tokenize(spec, text)
    rendering = Rendering(text=text, tokens=tokens, exact=spec.exact, token_at=token_at)
    cursor = 0
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        written = _find_message(spec, message, text, cursor)
        if written is None:
            rendering.missing.append(i)
            continue
        start, end = written
        cursor = end
        if message.get("role") == "assistant":
            rendering.char_spans.append((start, end))
            rendering.turns.append(Turn(i, token_at(start), token_at(end), _trained(message)))
    return rendering


def _find_message(spec: TemplateSpec, message: dict, text: str, cursor: int) -> tuple[int, int] | None:
    """(start, end) of the text a message became, searched from ``cursor``; None when it is not there.

    An assistant turn runs from its content (or tool calls) to the end-of-turn
    token after it: what assistant-only loss trains on.
    """
    needles = []
    body = content_text(message.get("content"))
    if body and body.strip():
        needles.append(body.strip())
    for call in listed(message.get("tool_calls")):
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            needles.append(function["name"])
    if not needles:
        return (cursor, cursor) if message.get("role") != "assistant" else _empty_turn(spec, text, cursor)
    found = text.find(needles[0], cursor)
    if found < 0:
        return None
    end = found + len(needles[0])
    for needle in needles[1:]:
        at = text.find(needle, end)
        if at < 0:
            return None
        end = at + len(needle)
    if message.get("role") == "assistant":
        if spec.response_marker:  # the turn starts after its header, tool-call tags included
            header = text.rfind(spec.response_marker, cursor, found)
            if header >= 0:
                found = header + len(spec.response_marker)
        if spec.end_of_turn:
            close = text.find(spec.end_of_turn, end)
            if close >= 0:
                end = close + len(spec.end_of_turn)
    return found, end


def _empty_turn(spec: TemplateSpec, text: str, cursor: int) -> tuple[int, int] | None:
    if not spec.response_marker:
        return None
    at = text.find(spec.response_marker, cursor)
    if at < 0:
        return None
    start = at + len(spec.response_marker)
    close = text.find(spec.end_of_turn, start) if spec.end_of_turn else -1
    return start, (close + len(spec.end_of_turn)) if close >= 0 else start


@lru_cache(maxsize=1)
def _llama():
    from llama_models.llama3.chat_format import ChatFormat
    from llama_models.llama3.tokenizer import Tokenizer

    _verified("llama3")  # the package's own file, the one the registry checks
    return ChatFormat(Tokenizer.get_instance())


def _render_llama(spec: TemplateSpec, messages: list, tools: list | None) -> Rendering:
    from llama_models.datatypes import RawMessage, ToolCall, ToolPromptFormat
    from pydantic import ValidationError

    chat = _llama()
    tokens = 1  # <|begin_of_text|>
    header = len(chat._encode_header("assistant"))
    rendering = Rendering(text="", tokens=0, exact=True)
    pieces = [spec.bos]
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        calls = []
        for n, call in enumerate(listed(message.get("tool_calls"))):
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                calls.append(ToolCall(call_id=str(call.get("id") or n), tool_name=str(function.get("name")),
                                      arguments=function.get("arguments", {})))
        text = content_text(message.get("content"))
        try:
            raw = RawMessage(role=role, content=text or "", tool_calls=calls)
        except ValidationError:
            raise Rejected(f'the Llama 3 format has no role "{role}" (it takes system, user, assistant and tool)') from None
        ids, _ = chat.encode_message(raw, ToolPromptFormat.json)
        if role == "assistant":
            rendering.turns.append(Turn(i, tokens + header, tokens + len(ids), _trained(message)))
        tokens += len(ids)
        pieces.append(chat.tokenizer.decode(ids))
    rendering.tokens = tokens
    rendering.text = "".join(pieces)
    return rendering


@lru_cache(maxsize=1)
def _mistral():
    from mistral_common.protocol.instruct.validator import ValidationMode
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    _verified("mistral-v3")  # the vocabulary MistralTokenizer.v3() reads, checked by the registry
    tokenizer = MistralTokenizer.v3()
    validator = type(tokenizer._chat_completion_request_validator)(ValidationMode.finetuning)
    return tokenizer, validator


def _render_mistral(spec: TemplateSpec, messages: list, tools: list | None) -> Rendering:
    from mistral_common.exceptions import MistralCommonException
    from mistral_common.protocol.instruct.messages import AssistantMessage, SystemMessage, ToolMessage, UserMessage
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from pydantic import ValidationError

    tokenizer, validator = _mistral()
    instruct = tokenizer.instruct_tokenizer
    try:
        request = ChatCompletionRequest(messages=[_mistral_message(m) for m in messages], tools=tools or None)
        normalized = tokenizer._instruct_request_normalizer.from_chat_completion_request(
            validator.validate_request(request))
    except (MistralCommonException, ValidationError, ValueError, TypeError) as exc:
        raise Rejected(f"mistral-common: {_first_line(exc)}") from None
    assistants = [i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "assistant"]
    first_user, last_user = instruct.find_first_last_user(normalized)
    tokens = len(instruct.start())
    rendering = Rendering(text="", tokens=0, exact=True)
    n_assistant = 0
    try:
        for idx, msg in enumerate(normalized.messages):
            if isinstance(msg, UserMessage):
                ids = instruct.encode_user_message(msg, normalized.available_tools, idx == last_user,
                                                   idx == first_user, system_prompt=normalized.system_prompt,
                                                   force_img_first=True, settings=normalized.settings)[0]
            elif isinstance(msg, ToolMessage):
                ids = instruct.encode_tool_message(msg, idx < last_user)[0]
            elif isinstance(msg, AssistantMessage):
                ids = instruct.encode_assistant_message(msg, idx < last_user)
                source = assistants[n_assistant] if n_assistant < len(assistants) else -1
                n_assistant += 1
                trained = _trained(messages[source]) if source >= 0 else True
                rendering.turns.append(Turn(source, tokens, tokens + len(ids), trained))
            elif isinstance(msg, SystemMessage):
                ids = instruct.encode_system_message(msg)[0]
            else:
                ids = []
            tokens += len(ids or ())
    except (MistralCommonException, ValueError, TypeError) as exc:
        raise Rejected(f"mistral-common: {_first_line(exc)}") from None
    rendering.tokens = tokens
    return rendering


def _mistral_message(message) -> dict:
    """An OpenAI-style message as mistral-common's request model takes it (text parts joined)."""
    if not isinstance(message, dict):
        raise ValueError("a message is not an object")
    out = {k: v for k, v in message.items() if k in ("role", "content", "tool_calls", "tool_call_id", "name")}
    if isinstance(out.get("content"), list):
        out["content"] = content_text(out["content"]) or ""
    if out.get("content") is None:
        out["content"] = ""
    return out


def _first_line(exc: Exception) -> str:
    """What the package says is wrong, in one line. A pydantic ValidationError's first line only counts
    its errors ("1 validation error for ChatCompletionRequest"): its first error is said instead, with
    where it is ("messages.0: Input tag 'humn' found using 'role' does not match ...")."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            where = ".".join(map(str, first.get("loc", ()))) or "the request"
            more = len(errors()) - 1
            return f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")
        except (TypeError, KeyError, IndexError, AttributeError):
            pass
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- the per-run check -------------------------------------------------------


@dataclass(frozen=True)
class CheckSettings:
    """What the user asked for, from run options (--chat-template, --max-seq-length, --response-marker)."""

    spec: TemplateSpec
    max_seq_length: int | None = None
    response_marker: str | None = None


def settings_of(ctx) -> CheckSettings | None:
    """The run's chat-template settings, or None when no --chat-template was given."""
    options = ctx.run.options
    name = options.get("chat_template")
    if not name:
        return None
    cached = options.get("_chat_template_settings")
    if cached is None or cached.spec.id != name and name.lower() not in (cached.spec.id, *cached.spec.aliases):
        cached = CheckSettings(load(name), options.get("max_seq_length"), options.get("response_marker"))
        options["_chat_template_settings"] = cached
    return cached


def conversation(example, ctx=None) -> tuple[list, list | None] | None:
    """(messages, tools) of an example in OpenAI chat shape (any conversational format), or None.

    Trainer formats are read with the field names and role tags of the
    --trainer-config entry naming the file (ftlint.trainer_formats), computed once.
    """
    from ftlint.formats import UNSET

    found = example.conversation  # an Example slot
    if found is UNSET:
        from ftlint.trainer_formats import conversation as read, mapping_of

        mapping = mapping_of(ctx, example.format) if ctx is not None else None
        found = example.conversation = read(example, mapping)
    return found


def message_path(example, suffix: str = "") -> str | None:
    """The JSON path of the messages (``suffix``: e.g. ``[2].content``) where the file has them as messages."""
    return f"$.messages{suffix}" if example.format == "chat" else None


def rendering_of(example, settings: CheckSettings, ctx=None):
    """The example's Rendering (or the Rejected error), computed once and shared by FT901-FT906.

    Kept in the example's ``rendering`` slot (ftlint.formats.Example).
    """
    from ftlint.formats import UNSET

    found = example.rendering
    if found is UNSET:
        conv = conversation(example, ctx)
        if conv is None:
            found = None
        else:
            try:
                found = render(settings.spec, *conv)
            except Rejected as exc:
                found = exc
        example.rendering = found
    return found


def checked(example, ctx) -> tuple[CheckSettings, "Rendering | Rejected"] | None:
    """(settings, the example's Rendering or the template's refusal) under --chat-template; None without
    the option or for an example that is not a conversation. The shared start of FT901-FT905."""
    settings = settings_of(ctx)
    if settings is None:
        return None
    rendering = rendering_of(example, settings, ctx)
    return None if rendering is None else (settings, rendering)


def rendered(example, ctx) -> tuple[CheckSettings, Rendering] | None:
    """:func:`checked` when the template rendered the example (FT901 reports a refusal), else None."""
    found = checked(example, ctx)
    return None if found is None or isinstance(found[1], Rejected) else found


def trained_spans(rendering: Rendering, settings: CheckSettings) -> list[tuple[int, int]]:
    """Token spans the trainer's loss covers: trained assistant turns, or the text after each response marker."""
    marker = settings.response_marker
    if marker is None:
        return [(t.start, t.end) for t in rendering.turns if t.trained]
    if rendering.token_at is None:
        return [(t.start, t.end) for t in rendering.turns if t.trained]
    spans, at = [], rendering.text.find(marker)
    while at >= 0:
        start = at + len(marker)
        nxt = rendering.text.find(marker, start)
        stop = rendering.text.find(settings.spec.end_of_turn, start) if settings.spec.end_of_turn else -1
        end = stop + len(settings.spec.end_of_turn) if stop >= 0 else (nxt if nxt >= 0 else len(rendering.text))
        spans.append((rendering.token_at(start), rendering.token_at(end)))
        at = nxt
    return spans


def label(settings: CheckSettings) -> str:
    return settings.spec.label + ("" if settings.spec.exact else " (token counts approximate: no package ships its vocabulary)")


# -- command line ------------------------------------------------------------


def run_options(args) -> dict:
    """Run options for the rules, validated now: a bad template or config is one clear error before any file."""
    trainer = {}
    config = getattr(args, "trainer_config", None)
    if config:
        from ftlint import trainer_config

        try:
            trainer_config.load(config)
        except trainer_config.TrainerConfigError as exc:
            raise TemplateError(str(exc)) from None
        trainer = {"trainer_config": config}
    name = getattr(args, "chat_template", None)
    if not name:
        for flag in ("max_seq_length", "response_marker"):
            if getattr(args, flag, None) is not None:
                raise TemplateError(f"--{flag.replace('_', '-')} needs --chat-template")
        return trainer
    load(name)
    if args.max_seq_length is not None and args.max_seq_length < 1:
        raise TemplateError("--max-seq-length must be at least 1")
    marker = args.response_marker
    if marker is not None:
        marker = marker.replace("\\n", "\n").replace("\\t", "\t")
        if not marker:
            raise TemplateError("--response-marker must not be empty")
    return {**trainer, "chat_template": name, "max_seq_length": args.max_seq_length, "response_marker": marker}
