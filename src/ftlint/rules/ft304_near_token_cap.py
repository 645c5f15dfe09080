"""Example is close to the model's token cap.

## What it does
Reports an example whose token count is at least `fraction` (default 0.9,
i.e. 90%) of the model's per-example cap (catalog `token_cap`, see FT303)
but not over it.

Counts follow docs/token-counting.md; measured against 143 API responses they
are exact for 55 of 57 plain chats and 8 of 8 images, 38 of 47 requests with
tool definitions (mean error 0.47 tokens) and 19 of 31 with tool calls (mean
error 1.65). A count a few tokens under the cap can therefore be a few tokens
over it for examples with tool definitions or calls.

## Why it matters
Small edits (a longer system prompt, an added turn) push such examples over
the cap, where they are truncated; at inference the same conversations leave
little room for the answer.

## Example
A 60,000-token example for gpt-4o-mini (cap 65,536).

## Fix
Nothing is required; consider shortening the longest examples.
"""

from ftlint.problem import Finding
from ftlint.rules._tokens import cap_phrase, count_phrase

CODE = "FT304"
NAME = "near-token-cap"
SCOPE = "record"
LEVEL = "info"
TOKENS = True  # reads ctx.counter
FORMATS = ()  # as FT303: every format whose examples are counted
OPTIONS = {"fraction": float}
DEFAULTS = {"fraction": 0.9}


def checks_examples(conf, ctx):
    return ctx.counter is not None and ctx.model is not None and ctx.model.token_cap is not None


def check(example, conf, ctx):
    counter, model = ctx.counter, ctx.model
    if counter is None or model is None or model.token_cap is None:
        return None  # no tokenizer or no cap: the report says the check was skipped
    total = example.tokens(counter).total
    cap = model.token_cap
    if conf["fraction"] * cap <= total <= cap:
        return (Finding(f"{count_phrase(counter, total, example=example)}, {total / cap:.0%} of {cap_phrase(model)}"),)
    return None  # a plain function, not a generator: called for every example
