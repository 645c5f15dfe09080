"""Class labels that are more than one token.

## What it does
When the file is a classification set (its trained targets — the legacy
completion, or the final assistant message's text — take at most
`max-labels` distinct values, default 50, covering 90% of the examples with
3 or more examples per label; see ftlint.labels), counts each label's tokens
with the model's encoding and reports the labels that are more than one
token, with their counts. Legacy labels are counted with their leading space
(and without the stop sequence), as the model produces them. Token counts of
single strings are exact (the tokenizer is tiktoken's own).

## Why it matters
OpenAI's classification advice is to choose labels that are a single token:
the answer can then be read with `max_tokens=1` and its logprob is the class
probability. Multi-token labels need longer generations and can be produced
partially.

## Example
MBTI types `" INTJ"`, `" ENFP"`: 2 tokens each in o200k_base.

## Fix
Map each class to a single-token label (e.g. a short word or a letter), and
map it back after inference.
"""

from ftlint import labels
from ftlint.labels import DEFAULT_MAX_LABELS
from ftlint.problem import Finding

CODE = "FT306"
NAME = "multi-token-label"
SCOPE = "dataset"
LEVEL = "warning"
TOKENS = True  # reads ctx.counter
FORMATS = ("chat", "completion")
OPTIONS = {"max-labels": int}
DEFAULTS = {"max-labels": DEFAULT_MAX_LABELS}
#: Labels named in the message; the rest are counted.
SHOWN = 10


# One shared tally per file, filled once however many label rules run.
begin = labels.begin  # the tally is filled by its collector (labels.collector), once per example


def finish(conf, ctx, tally):
    counter = ctx.counter
    classes = tally.classes(conf["max-labels"])
    if counter is None or classes is None:
        return
    multi = []
    for label in classes:
        tokens = counter.text(tally.token_form(label))
        if tokens > 1:
            multi.append((label, tokens))
    if not multi:
        return
    shown = ", ".join(f"{tally.token_form(label)!r} ({tokens} tokens)" for label, tokens in multi[:SHOWN])
    more = f" and {len(multi) - SHOWN} more" if len(multi) > SHOWN else ""
    yield Finding(
        f"{len(multi)} of {len(classes)} class labels are more than one {counter.encoding_name} token: "
        f"{shown}{more}"
    )
