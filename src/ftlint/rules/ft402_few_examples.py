"""Fewer examples than recommended.

## What it does
Warns when a training file has at least the minimum (FT401's: the configured
`min`, else the provider's) but fewer than `recommended` examples (default 50).

## Why it matters
OpenAI's guide: "start with 50 well-crafted demonstrations"; improvements are
typical from 50 to 100 examples. Fewer usually wastes the job.

## Example
A training file with 20 examples.

## Fix
Add examples before paying for a job.
"""

from ftlint.providers import DEFAULT_PROVIDER
from ftlint.problem import Finding, plural
from ftlint.rules import ft401_too_few_examples as ft401

CODE = "FT402"
NAME = "few-examples"
SCOPE = "dataset"
LEVEL = "warning"
OPTIONS = {"recommended": int}
DEFAULTS = {"recommended": 50}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    # FT401's minimum, configured or the provider's, whether FT401 runs or not.
    rule = ft401.minimum(ctx.confs.get(ft401.CODE, ft401.DEFAULTS), ctx)
    minimum = rule.value if rule is not None else 1
    if ctx.role == "training" and minimum <= ctx.examples < conf["recommended"]:
        wanted = conf["recommended"]
        if wanted != DEFAULTS["recommended"]:
            floor = f"the configured minimum of {wanted}"
        elif ctx.run.provider.id == DEFAULT_PROVIDER:
            floor = f"the {wanted} OpenAI recommends"
        else:  # the figure is OpenAI's guidance; other providers publish none
            floor = f"the {wanted} OpenAI's fine-tuning guide recommends as a start"
        yield Finding(f"training file has only {plural(ctx.examples, 'example')}, fewer than {floor}; "
                      "add examples before paying for a job")
