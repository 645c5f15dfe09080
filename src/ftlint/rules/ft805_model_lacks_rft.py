"""Reinforcement fine-tuning for a model that does not support it.

## What it does
With `--method reinforcement` and `--model`, reports (once, for the file) a
model the catalog does not list for reinforcement fine-tuning. Without a known
model the rule is silent.

## Why it matters
RFT is for reasoning models only (o4-mini-2025-04-16 in OpenAI's guide); the
job is rejected for any other model.

## Example
    ftlint --method reinforcement --model gpt-4o-mini-2024-07-18 train.jsonl

## Fix
Use an RFT model, or train with `--method supervised` on chat data with
assistant answers.
"""

from ftlint.problem import Finding

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
        name = getattr(model, "name", None) or "the model"
        yield Finding(f"{name} does not support reinforcement fine-tuning; use a reasoning model that does "
                      "(e.g. o4-mini-2025-04-16)")
