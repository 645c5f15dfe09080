"""Example is longer than the model's token cap; training truncates it.

## What it does
Counts each example's tokens with the model's encoding (offline tiktoken) and
reports one over the model's per-example cap, naming the model, the cap and
its source (catalog `token_cap`: 65,536 for gpt-4o, gpt-4o-mini and gpt-4.1
per the best-practices table [BP]; 16,385 for gpt-3.5-turbo-0125/1106 and
4,096 for gpt-3.5-turbo-0613 per the guide [FT-2024]), how many tokens
truncation removes from the end, and whether that cuts into the trained
(assistant, weight != 0) tokens or removes every one of them.

Every format whose examples the token report counts is checked: Gemini,
Bedrock Nova, Alpaca, ShareGPT and the other trainer formats are counted as
the OpenAI chat or preference record they convert to, with the model's
tokenizer. Where no package ships the model's tokenizer (Gemini, Nova) the
count is an estimate and the message says "approx." and how it was made.
Only OpenAI documents that it truncates; for other providers and trainers the
message says what truncation would remove if they truncate rather than reject.

Counts follow docs/token-counting.md; measured against 143 API responses they
are exact for 55 of 57 plain chats and 8 of 8 images, 38 of 47 requests with
tool definitions (mean error 0.47 tokens) and 19 of 31 with tool calls (mean
error 1.65).

A string so long that its UTF-8 length alone proves the example over the cap
(no token of the encoding spans more bytes than its vocabulary's longest token)
is not encoded: the message then says "at least N tokens (counting stopped:
...)", and the token report counts that example as a lower bound. Encoding
one 60 MB string took 406 s and 3 GB; the exact count would change nothing.

## Why it matters
OpenAI truncates examples over the cap to the first cap tokens. What is cut
is usually the end of the conversation, i.e. the assistant answer: an example
whose trained tokens are all cut away teaches nothing but is still billed.

## Example
A 90,000-token transcript with `--model gpt-4o-mini`: 24,464 tokens are cut,
including the final assistant message.

## Fix
Shorten the example (drop early turns, trim documents) or split it into
several examples that each end with an assistant answer.
"""

from ftlint.problem import Finding, plural
from ftlint.providers import DEFAULT_PROVIDER
from ftlint.rules._tokens import cap_phrase, count_phrase

CODE = "FT303"
NAME = "over-token-cap"
SCOPE = "record"
LEVEL = "error"
TOKENS = True  # reads ctx.counter
FORMATS = ()  # every format whose examples are counted (Example.counted_as); the others count 0 tokens


def checks_examples(conf, ctx):
    return ctx.counter is not None and ctx.model is not None and ctx.model.token_cap is not None


def check(example, conf, ctx):
    counter, model = ctx.counter, ctx.model
    if counter is None or model is None or model.token_cap is None:
        return  # no tokenizer or no cap: the report says the check was skipped
    counts = example.tokens(counter)
    total, cap = counts.total, model.token_cap
    if total <= cap:
        return None  # a plain function, not a generator: called for every example
    return (_finding(example, counter, model, counts, total, cap, ctx),)


def _finding(example, counter, model, counts, total: int, cap: int, ctx) -> Finding:
    stopped = getattr(counts, "stopped", None)  # counting.CountsAtLeast: total is a lower bound
    at_least = "at least " if stopped else ""
    span = counter.trained_span(*example.counted_as())
    if span is None:
        effect = "the example has no trained tokens"
    elif span[0] >= cap:
        effect = "that removes every trained token, so the example teaches nothing"
    elif span[1] > cap:
        effect = f"that cuts into the trained tokens ({at_least}{span[1] - cap:,} of them fall past the cap)"
    else:
        effect = "the trained tokens are kept"
    provider = ctx.run.provider
    # OpenAI documents truncation; other providers and trainers may reject, drop or truncate such an example.
    hedge = "" if provider.id == DEFAULT_PROVIDER else f"if {provider.title} truncates it rather than rejecting it, "
    return Finding(
        f"{count_phrase(counter, total, stopped, example)}, over {cap_phrase(model)}; {hedge}truncation removes {at_least}the "
        f"last {plural(total - cap, 'token')} and {effect}",
        unconfirmed=not model.token_cap_confirmed,
    )
