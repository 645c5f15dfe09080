"""Validation example also occurs in the training file.

## What it does
With `--validation FILE`, reports each validation example that is identical
(ignoring key order and whitespace) to a training example. Training files keep
one 64-bit hash per example for this.

## Why it matters
"The same data should not be present in both": validation loss on examples the
model trained on says nothing about generalisation.

## Example
The validation file's line 4 equals the training file's line 120.

## Fix
Remove the overlapping examples from the validation file.
"""

from ftlint.problem import Finding, where

CODE = "FT405"
NAME = "validation-overlap"
SCOPE = "dataset"
LEVEL = "warning"


def begin(conf, ctx):
    if not ctx.run.options.get("has_validation"):
        return None  # nothing to compare against: keep no hashes
    return ctx.run.shared.setdefault(CODE, {})


def checks_examples(conf, ctx):
    return bool(ctx.run.options.get("has_validation"))  # nothing to compare against: no hashes kept


def check(example, conf, ctx, training):
    if training is None:
        return
    if ctx.role == "training":
        training.setdefault(example.digest, (ctx.path, example.position))
    elif ctx.role == "validation":
        hit = training.get(example.digest)
        if hit is not None:
            yield Finding(f"also in the training file {hit[0]} ({where(hit[1])}); remove it from the validation file")


def finish(conf, ctx, state):
    return ()
