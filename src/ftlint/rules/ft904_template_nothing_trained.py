"""Nothing is trained once the template is applied: the loss mask is empty.

## What it does
With `--chat-template`, reports an example whose assistant-only loss mask is
empty, and why: it has no assistant turn the template writes, every assistant
turn has weight 0, the `--response-marker` never appears in the rendered text
(Unsloth's `train_on_responses_only`), or every trained token lies beyond
`--max-seq-length`.

## Why it matters
"All labels in your dataset are -100": the example costs compute and teaches
nothing; when every example is like this the loss is 0 or the run crashes
with a division by zero.

## Example
    --chat-template llama3 --response-marker '<|im_start|>assistant\n'

## Fix
Use the response marker the template really writes (the message says it),
add or re-weight an assistant turn, or raise --max-seq-length.
"""

from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check
from ftlint.problem import Finding

CODE = "FT904"
NAME = "template-nothing-trained"
SCOPE = "record"
LEVEL = "error"
FORMATS = CONVERSATIONAL


def _reason(rendering, settings, messages) -> str | None:
    from ftlint.chat_template import trained_spans

    marker = settings.response_marker
    if marker is not None and marker not in rendering.text:
        wanted = settings.spec.response_marker
        hint = f" (the template writes {wanted!r})" if wanted else ""
        return f"the response marker {marker!r} never appears in the rendered text{hint}"
    if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages):
        return "it has no assistant message"
    if not rendering.turns:
        return "the template writes none of its assistant messages"
    spans = trained_spans(rendering, settings)
    if not spans:
        return "every assistant message has weight 0"
    limit = settings.max_seq_length
    if limit is not None and all(start >= limit for start, _ in spans):
        return (f"every trained token lies beyond --max-seq-length {limit:,} "
                f"(the example renders to {rendering.tokens:,} tokens)")
    return None


def check(example, conf, ctx):
    from ftlint.chat_template import conversation, message_path, rendered

    found = rendered(example, ctx)
    if found is None:
        return
    settings, rendering = found
    reason = _reason(rendering, settings, conversation(example, ctx)[0])
    if reason:
        yield Finding(f"nothing is trained with the {settings.spec.label} template: {reason}; "
                      "every label is -100, so the example costs compute and teaches nothing", message_path(example))
