"""Fewer examples than the API's minimum.

## What it does
Reports a training file with fewer than `min` examples (default 10, the API's
minimum). Validation files are exempt, and so is a file with lines but no
example (FT010 reports that it is not JSONL).

## Why it matters
The job fails at validation: "Training file has 7 example(s), but must have at
least 10 examples" (code `invalid_n_examples`).

## Example
A training file with 7 lines.

## Fix
Add examples; OpenAI suggests starting with 50 well-crafted ones.
"""

from ftlint.problem import Finding, plural

CODE = "FT401"
NAME = "too-few-examples"
SCOPE = "dataset"
LEVEL = "error"
OPTIONS = {"min": int}
DEFAULTS = {"min": 10}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    if ctx.role != "training" or ctx.examples >= conf["min"]:
        return
    if ctx.lines and not ctx.examples:
        return  # lines but no example: not JSONL at all (FT010 says so)
    has = "is empty" if not ctx.lines else f"has only {plural(ctx.examples, 'example')}"
    yield Finding(f"training file {has}; the API requires at least {conf['min']} and fails the job otherwise")
