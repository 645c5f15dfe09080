"""Example has no trained tokens.

## What it does
Reports an example with a target whose trained part counts 0 tokens: every
assistant message has `"weight": 0` (chat), or the trained output counts
nothing. Trained tokens are the assistant messages with weight != 0 (chat),
the completion (prompt/completion) and both outputs (preference); see
docs/token-counting.md. Examples without any target, or with an empty one,
are left to FT106 / FT105 / FT203.

## Why it matters
The example costs its full token count every epoch but teaches nothing: the
loss only covers trained tokens.

## Example
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "weight": 0}]}

## Fix
Set `"weight": 1` on the assistant message(s) to learn from, or drop the example.
"""

from ftlint.problem import Finding

CODE = "FT305"
NAME = "no-trained-tokens"
SCOPE = "record"
LEVEL = "warning"
TOKENS = True  # reads ctx.counter
FORMATS = ("chat", "completion", "preference")


def checks_examples(conf, ctx):
    return ctx.counter is not None


def check(example, conf, ctx):
    counter = ctx.counter
    if counter is None:
        return
    counts = example.tokens(counter)  # counted once per example (FT303 and the token stats share it)
    if counts.trained:
        return None  # the common case, decided first (a plain function, not a generator: called per example)
    return _findings(example, counts)


def _findings(example, counts):
    target = example.split[1]
    if target is None or target == "" or example.target_text == "":
        return
    if example.format == "completion" and not isinstance(target, str):
        return  # FT201 reports a completion that is not a string
    if counts.trained == 0:
        fix = ("give it a text completion" if example.format == "completion"
               else "train on an assistant reply (weight 1)")
        yield Finding(f"no trained tokens: all {counts.total:,} tokens are billed but none is learned from; "
                      f"{fix} or drop the example")
