"""A BOS or EOS token is doubled: the text holds it and the template or trainer adds it again.

## What it does
With `--chat-template`, reports a message whose text already holds the
model's begin- or end-of-sequence token (`<|begin_of_text|>`, `<s>`, `</s>`,
`<|eot_id|>`, `<|im_end|>`, `<end_of_turn>`...), where the template writes
the same token next to it, so the rendered text has it twice in a row.

## Why it matters
Hugging Face tokenizers parse those strings as control tokens: the model is
trained on two BOS at the start, or to end a turn twice, and stops early or
emits a stray token at inference.

## Example
    --chat-template mistral-v0.1
    {"role": "assistant", "content": "Paris.</s>"}

## Fix
Strip the special tokens from the text: the template adds them.
"""

import re

from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check
from ftlint.problem import Finding

CODE = "FT906"
NAME = "doubled-special-token"
SCOPE = "record"
LEVEL = "error"
FORMATS = CONVERSATIONAL


def _doubled(text: str, token: str, bos: str) -> bool:
    """Two BOS anywhere (a sequence has one), or an end token right after another (blanks between)."""
    if token == bos:
        return text.count(token) >= 2
    return re.search(re.escape(token) + r"\s*" + re.escape(token), text) is not None


def check(example, conf, ctx):
    from ftlint.chat_template import Rejected, content_text, conversation, message_path, rendering_of, settings_of

    settings = settings_of(ctx)
    if settings is None:
        return
    spec = settings.spec
    specials = [t for t in (spec.bos, *spec.eos) if t]
    conv = conversation(example, ctx) if specials else None
    if conv is None:
        return
    messages = conv[0]
    for i, m in enumerate(messages):
        text = content_text(m.get("content")) if isinstance(m, dict) else None
        if not text:
            continue
        held = [t for t in specials if text.lstrip().startswith(t) or text.rstrip().endswith(t)]
        if not held:
            continue
        rendering = rendering_of(example, settings, ctx)
        if rendering is None or isinstance(rendering, Rejected):
            return
        if spec.renderer == "jinja":
            doubled = [t for t in held if _doubled(rendering.text, t, spec.bos)]
        else:
            # The family's own code writes text as text; the trainer's Hugging Face
            # tokenizer would read the token and the template adds its own.
            doubled = [t for t in held if t in (spec.bos, spec.end_of_turn)]
        if doubled:
            yield Finding(f"message {i} holds {doubled[0]!r} and the {spec.label} template writes it too, so the "
                          "model trains on it twice in a row; strip special tokens from the text",
                          message_path(example, f"[{i}].content"))
            return
