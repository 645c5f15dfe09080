"""Fewer examples than the API's minimum.

## What it does
Reports a training file with fewer examples than the run's provider requires
for the file's method (`min_examples` of `[methods.<method>]` in
`rules/providers/<id>.toml`: OpenAI and Azure OpenAI 10, Fireworks AI 3); the
option `min` overrides it. Validation files are exempt, and so is a file with
lines but no example (FT010 reports that it is not JSONL). FT402 counts from
the same minimum.

## Why it matters
The job fails at validation: "Training file has 7 example(s), but must have at
least 10 examples" (code `invalid_n_examples`).

## Example
A training file with 7 lines.

## Fix
Add examples; OpenAI suggests starting with 50 well-crafted ones.
"""

from ftlint.problem import Finding, plural
from ftlint.rules._limits import method_limit

CODE = "FT401"
NAME = "too-few-examples"
SCOPE = "dataset"
LEVEL = "error"
OPTIONS = {"min": int}
#: None: the provider's minimum for the method (rules/providers/<id>.toml).
DEFAULTS = {"min": None}


def minimum(conf, ctx):
    """The minimum FT401 enforces for this file: the configured ``min`` or the provider's (FT402 asks too)."""
    return method_limit(ctx, "min_examples", conf["min"])


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    rule = minimum(conf, ctx)
    if rule is None or ctx.role != "training" or ctx.examples >= rule.value:
        return
    if ctx.lines and not ctx.examples:
        return  # lines but no example: not JSONL at all (FT010 says so)
    has = "is empty" if not ctx.lines else f"has only {plural(ctx.examples, 'example')}"
    if rule.configured:
        yield Finding(f"training file {has}; the configured minimum is {rule.value}")
        return
    yield Finding(f"training file {has}; the API requires at least {rule.value}{rule.cited()} and fails the job "
                  "otherwise", unconfirmed=not rule.confirmed)
