"""Reinforcement fine-tuning file has too many examples.

## What it does
With `--method reinforcement`, reports a training file with more than
`max-training` examples (50,000) and a validation file with more than
`max-validation` examples (1,000).

## Why it matters
These are the RFT guide's limits; the job is rejected beyond them. RFT is also
billed by the hour, and validation runs the grader on every example.

## Example
    ftlint --method reinforcement train.jsonl --validation all_6150_questions.jsonl

## Fix
Sample the file down (a validation file of a few hundred examples is usually
enough).
"""

from ftlint.problem import Finding

CODE = "FT804"
NAME = "rft-too-many-examples"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("chat",)
METHODS = ("reinforcement",)
OPTIONS = {"max-training": int, "max-validation": int}
DEFAULTS = {"max-training": 50_000, "max-validation": 1_000}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    limit = conf["max-validation"] if ctx.role == "validation" else conf["max-training"]
    if ctx.examples > limit:
        yield Finding(f"{ctx.role} file has {ctx.examples:,} examples; reinforcement fine-tuning allows at most "
                      f"{limit:,} in a {ctx.role} file")
