"""Reinforcement fine-tuning file has too many examples.

## What it does
With `--method reinforcement`, reports a training file with more examples than
the run's provider allows (`max_examples` of `[methods.reinforcement]` in
`rules/providers/<id>.toml`; OpenAI: 50,000) and a validation file with more
than `max_validation_examples` (OpenAI: 1,000). The options `max-training` and
`max-validation` override them.

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
from ftlint.rules._limits import method_limit

CODE = "FT804"
NAME = "rft-too-many-examples"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("chat",)
METHODS = ("reinforcement",)
OPTIONS = {"max-training": int, "max-validation": int}
#: None: the provider's limits for reinforcement (rules/providers/<id>.toml).
DEFAULTS = {"max-training": None, "max-validation": None}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    if ctx.role == "validation":
        most = method_limit(ctx, "max_validation_examples", conf["max-validation"])
    else:
        most = method_limit(ctx, "max_examples", conf["max-training"])
    if most is not None and ctx.examples > most.value:
        yield Finding(f"{ctx.role} file has {ctx.examples:,} examples; reinforcement fine-tuning allows at most "
                      f"{most.value:,} in a {ctx.role} file{most.cited()}", unconfirmed=not most.confirmed)
