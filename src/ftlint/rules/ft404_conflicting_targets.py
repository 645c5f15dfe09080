"""Same input, different trained output.

## What it does
Reports an example whose input (everything before the final assistant message;
the prompt; the DPO input) equals an earlier example's while its target (the
final assistant message; the completion; the preferred output) differs.

Preference data is not checked: several pairs for one prompt, each with its
own preferred answer, are how preference datasets are built.

## Why it matters
The model is taught two answers to one question, which averages them or
picks one at random; often a labelling error.

## Example
    line 3: "Is this spam? Win $$$" -> "spam"
    line 9: "Is this spam? Win $$$" -> "ham"

## Fix
Decide on one answer and fix or drop the other example.
"""

from ftlint.problem import Finding, where

CODE = "FT404"
NAME = "conflicting-targets"
SCOPE = "dataset"
LEVEL = "warning"
METHODS = ("supervised", "reinforcement")  # DPO files hold several pairs per prompt by design


def begin(conf, ctx):
    return {}


def check(example, conf, ctx, first_seen):
    # A plain function, not a generator: it is called for every example and finds nothing in nearly all.
    input_digest = example.input_digest
    if input_digest is None:
        return None
    target_digest = example.target_digest
    seen = first_seen.get(input_digest)
    if seen is None:
        first_seen[input_digest] = (example.position, target_digest)
        return None
    if seen[1] != target_digest:
        return (Finding(f"same input as {where(seen[0])} but a different target, so the model is taught two answers; "
                        "keep one"),)
    return None


def finish(conf, ctx, state):
    return ()
