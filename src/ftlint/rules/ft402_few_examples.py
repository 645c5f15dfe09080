"""Fewer examples than the provider recommends.

## What it does
Warns when a training file has at least the minimum (FT401's: the configured
`min`, else the provider's) but fewer examples than the run's provider
recommends starting with for the file's method (`recommended_examples` of
`[methods.<method>]` in `rules/providers/<id>.toml`: OpenAI and its
supervised fine-tuning, 50, from its fine-tuning guide); the option
`recommended` sets the figure for every provider.

A provider whose profile states no recommendation (Azure OpenAI, Together AI,
Fireworks AI, Bedrock, Vertex AI, the open trainers; OpenAI's DPO and RFT)
gets no FT402 unless `recommended` is configured: a figure with no source
would be a guess, and another vendor's advice is not this provider's. FT401
still holds every file to the provider's minimum.

## Why it matters
OpenAI's guide: "start with 50 well-crafted demonstrations"; improvements are
typical from 50 to 100 examples. Fewer usually wastes the job.

## Example
A training file with 20 examples, linted for OpenAI.

## Fix
Add examples before paying for a job.
"""

from ftlint.problem import Finding, plural
from ftlint.rules import ft401_too_few_examples as ft401
from ftlint.rules._limits import method_limit

CODE = "FT402"
NAME = "few-examples"
SCOPE = "dataset"
LEVEL = "warning"
OPTIONS = {"recommended": int}
#: None: the provider's recommendation for the file's method; a provider that states none gets no FT402.
DEFAULTS = {"recommended": None}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    recommended = method_limit(ctx, "recommended_examples", conf["recommended"])
    if recommended is None or ctx.role != "training":
        return
    # FT401's minimum, configured or the provider's, whether FT401 runs or not.
    rule = ft401.minimum(ctx.confs.get(ft401.CODE, ft401.DEFAULTS), ctx)
    minimum = rule.value if rule is not None else 1
    if minimum <= ctx.examples < recommended.value:
        if recommended.configured:
            # A recommendation, not the minimum (FT401's: a job below that fails; below this one it is advised against).
            floor = f"the configured recommendation of {recommended.value} (the option recommended)"
        else:
            floor = f"the {recommended.value} {recommended.provider} recommends{recommended.cited()}"
        yield Finding(f"training file has only {plural(ctx.examples, 'example')}, fewer than {floor}; "
                      "add examples before paying for a job", unconfirmed=not recommended.confirmed)
