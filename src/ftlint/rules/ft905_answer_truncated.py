"""The final assistant answer is cut by --max-seq-length truncation.

## What it does
With `--chat-template` and `--max-seq-length N`, renders the example and
reports when the last trained assistant turn ends beyond token N, with how
many of its tokens the trainer cuts (trainers truncate from the right, so the
answer, not the prompt, is lost). An answer cut entirely is FT904's.

## Why it matters
The model is trained on an answer that stops mid-sentence and never sees its
end-of-turn token, so it learns not to stop.

## Example
    --chat-template qwen2.5 --max-seq-length 2048
    (an example that renders to 2,300 tokens, the answer in the last 400)

## Fix
Raise --max-seq-length, shorten the prompt (system prompt, tool list), or
split the conversation.
"""

from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check
from ftlint.problem import Finding

CODE = "FT905"
NAME = "answer-truncated"
SCOPE = "record"
LEVEL = "warning"
FORMATS = CONVERSATIONAL


def check(example, conf, ctx):
    from ftlint.chat_template import message_path, rendered, settings_of, trained_spans

    settings = settings_of(ctx)
    found = rendered(example, ctx) if settings is not None and settings.max_seq_length is not None else None
    if found is None:
        return
    rendering = found[1]
    limit = settings.max_seq_length
    spans = trained_spans(rendering, settings)
    if not spans or rendering.tokens <= limit:
        return
    start, end = spans[-1]
    if end <= limit or start >= limit and all(s >= limit for s, _ in spans):
        return  # intact, or nothing trained at all (FT904)
    lost = end - max(start, limit)
    approx = "" if rendering.exact else " (approximate: no package ships this model's vocabulary)"
    yield Finding(f"--max-seq-length {limit:,} cuts {lost:,} of the final answer's {end - start:,} tokens"
                  f"{approx}: the example renders to {rendering.tokens:,} tokens with the {settings.spec.label} "
                  "template; shorten the prompt, split the conversation or raise the limit", message_path(example))
