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


class FirstSeen:
    """Where each example was first seen (digest -> Example.position), and the file's advice for a duplicate."""

    __slots__ = ("at", "advice")

    def __init__(self) -> None:
        self.at: dict = {}
        #: "; delete the later copy (ftlint --fix ...)", made at the file's first duplicate: it is the
        #: same for every duplicate of the file, and a file of duplicates has one per example.
        self.advice: str | None = None


def begin(conf, ctx):
    return FirstSeen()


def check(example, conf, ctx, seen):
    # A plain function, not a generator: it is called for every example.
    digest = example.digest
    first_at = seen.at
    first = first_at.get(digest)
    if first is None:
        first_at[digest] = example.position
        return None
    advice = seen.advice
    if advice is None:
        advice = seen.advice = f"; delete the later copy{ctx.fix_hint('ftlint --fix --unsafe-fixes drops it')}"
    this = "" if example.element is None else f"array index {example.element} is a "
    return (Finding(f"{this}duplicate of the example on {where(first)}{advice}"),)


def finish(conf, ctx, state):
    return ()
