"""Fewer training examples than the Bedrock model needs.

## What it does
Reports a training file with fewer examples than the model's own minimum where
the provider states one (Nova 2 Lite: 200 for supervised fine-tuning, where the
other Nova models take 8).

## Why it matters
Bedrock refuses to start the customization job. When this rule reports, the
provider-wide minimum (FT401) and recommendation (FT402), both lower, are not
reported as well.

## Example
    150 examples for amazon.nova-2-lite-v1:0, supervised

## Fix
Add examples, or pick a model with a lower minimum.
"""

from ftlint.problem import Finding, plural
from ftlint.rules._profile import fact, model_id, source

CODE = "FT165"
NAME = "bedrock-model-example-count"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("bedrock",)
METHODS = ("supervised",)
PROVIDERS = ("bedrock-nova",)
#: The provider-wide minimum (8) and recommendation are below this model's own minimum: this one problem says it.
SUPERSEDES = ("FT401", "FT402")


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    if ctx.role != "training" or ctx.examples == 0:
        return
    model = model_id(ctx)
    minimum = {m: n for m, n in fact(ctx, "min_supervised_examples_by_model") or ()}.get(model)
    if minimum is not None and ctx.examples < minimum:
        yield Finding(f"training file has {plural(ctx.examples, 'example')}; {model} needs at least {minimum:,} "
                      f"for supervised fine-tuning ({source(ctx, 'min_supervised_examples_by_model')})")
