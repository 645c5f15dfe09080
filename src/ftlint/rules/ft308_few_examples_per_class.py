"""Classes with few examples.

## What it does
When the file is a classification set (see FT306), reports the classes with
fewer than `min` examples (default 100: OpenAI's classification guidance asks
for at least ~100 examples per class).

## Why it matters
With a handful of examples a class is learned poorly or not at all, and a
validation split of it says little.

## Example
MBTI personality types: 16 classes, several with under 100 examples.

## Fix
Collect more examples for the named classes, or merge rare classes.
"""

from ftlint import labels
from ftlint.labels import DEFAULT_MAX_LABELS, training_classes
from ftlint.problem import Finding

CODE = "FT308"
NAME = "few-examples-per-class"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat", "completion")
OPTIONS = {"min": int, "max-labels": int}
DEFAULTS = {"min": 100, "max-labels": DEFAULT_MAX_LABELS}
SHOWN = 10


# One shared tally per file, filled once however many label rules run.
begin = labels.begin  # the tally is filled by its collector (labels.collector), once per example


def finish(conf, ctx, tally):
    classes = training_classes(ctx, tally, conf["max-labels"])
    if classes is None:
        return
    few = sorted(((n, label) for label, n in classes.items() if n < conf["min"]))
    if not few:
        return
    shown = ", ".join(f"{label!r} ({n:,})" for n, label in few[:SHOWN])
    more = f" and {len(few) - SHOWN} more" if len(few) > SHOWN else ""
    yield Finding(
        f"{len(few)} of {len(classes)} classes have fewer than {conf['min']:,} examples: {shown}{more}"
    )
