"""File has more examples than the provider accepts for the method.

## What it does
Reports a training or validation file with more examples than the run's
provider accepts for the file's method: `max_examples` and
`max_validation_examples` of `[methods.<method>]` in
`rules/providers/<id>.toml` (Fireworks AI: 3,000,000 per dataset). The options
`max-training` and `max-validation` override the profile. Reinforcement
fine-tuning has its own rule, FT804.

## Why it matters
The provider rejects the dataset (or the job) when it has too many examples,
after the upload.

## Example
A Fireworks training file with 3,000,001 examples.

## Fix
Split the data, or sample it down to the limit.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import method_limit

CODE = "FT406"
NAME = "too-many-examples"
SCOPE = "dataset"
LEVEL = "error"
METHODS = ("supervised", "dpo")
OPTIONS = {"max-training": int, "max-validation": int}
#: None: the provider's limit (rules/providers/<id>.toml).
DEFAULTS = {"max-training": None, "max-validation": None}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    validation = ctx.role == "validation"
    if validation:
        rule = method_limit(ctx, "max_validation_examples", conf["max-validation"])
    else:
        rule = method_limit(ctx, "max_examples", conf["max-training"])
    if rule is None or ctx.examples <= rule.value:
        return
    who = "the configured limit is" if rule.configured else f"{rule.provider} accepts at most"
    yield Finding(f"{ctx.role} file has {ctx.examples:,} examples; {who} {rule.value:,} for {ctx.method} "
                  f"fine-tuning{rule.cited()}", unconfirmed=not rule.confirmed)
