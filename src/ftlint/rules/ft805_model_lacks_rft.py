"""Reinforcement fine-tuning for a model that does not support it.

## What it does
With `--method reinforcement` and `--model`, reports (once, for the file) a
model the catalog does not list for reinforcement fine-tuning. Without a known
model the rule is silent.

## Why it matters
RFT is for reasoning models only (those with `reinforcement` among their
methods in the model catalog); the job is rejected for any other model. The
message names the catalog's models that can still be trained with it, or says
that none can (a shut-down model is no advice). FT301 says the same with the
format and replaces this problem when it reports.

## Example
    ftlint --method reinforcement --model gpt-4o-mini-2024-07-18 train.jsonl

## Fix
Use an RFT model, or train with `--method supervised` on chat data with
assistant answers.
"""

from ftlint.problem import Finding
from ftlint.retirement import still_trainable
from ftlint.rules._tokens import model_list

CODE = "FT805"
NAME = "model-lacks-rft"
SCOPE = "dataset"
LEVEL = "error"
METHODS = ("reinforcement",)


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    model = ctx.model
    if model is not None and "reinforcement" not in getattr(model, "methods", ()):
        name = getattr(model, "id", None) or "the model"
        takers = ctx.run.provider.catalog.models_taking(method="reinforcement")
        usable = still_trainable(takers, ctx.run.provider)
        if usable:
            advice = f"use a model that does: {model_list(usable)}"
        else:
            advice = (f"no model in the catalog can still be trained with it ({model_list(takers)}); "
                      "train with --method supervised on chat data with assistant answers")
        yield Finding(f"{name} does not support reinforcement fine-tuning; {advice}")
