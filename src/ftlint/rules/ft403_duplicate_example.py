"""Example is an exact duplicate of an earlier one.

## What it does
Reports each example whose JSON content (ignoring key order and whitespace)
equals an earlier example in the same file, naming the first line. Keeps one
64-bit hash per example, not the examples.

## Why it matters
Duplicates overweight one example, cost tokens each time, and often come from
a concatenation bug.

## Example
Line 17 and line 342 hold the same conversation.

## Fix
Delete the later copies (`ftlint --fix --unsafe-fixes` drops them).
"""

from ftlint.problem import Finding, where

CODE = "FT403"
NAME = "duplicate-example"
SCOPE = "dataset"
LEVEL = "warning"
FIXABLE = "unsafe"


def begin(conf, ctx):
    return {}


def check(example, conf, ctx, first_at):
    digest = example.digest
    first = first_at.get(digest)
    if first is None:
        first_at[digest] = example.position
        return
    this = "" if example.element is None else f"array index {example.element} is a "
    yield Finding(f"{this}duplicate of the example on {where(first)}; delete the later copy"
                  f"{ctx.fix_hint('ftlint --fix --unsafe-fixes drops it')}")


def finish(conf, ctx, state):
    return ()
