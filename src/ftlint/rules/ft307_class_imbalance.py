"""Classes are badly imbalanced.

## What it does
When the file is a classification set (see FT306), reports when the largest
class has more than `ratio` times (default 10) the examples of the smallest.
The class distribution is in the report (`classes` in the JSON report).

## Why it matters
A fine-tuned classifier learns the label frequencies too: with a 10:1
imbalance it leans towards the large class, and the small class's errors are
hidden by a good overall accuracy.

## Example
SMS spam: 4,825 "ham" vs 747 "spam" is 6.5:1 (under the default); a 30:1 set
is reported.

## Fix
Collect more examples of the small classes, or down-sample the large ones.
"""

from ftlint import labels
from ftlint.labels import DEFAULT_MAX_LABELS, training_classes
from ftlint.problem import Finding

CODE = "FT307"
NAME = "class-imbalance"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat", "completion")
OPTIONS = {"ratio": float, "max-labels": int}
DEFAULTS = {"ratio": 10.0, "max-labels": DEFAULT_MAX_LABELS}


# One shared tally per file, filled once however many label rules run.
begin = labels.begin  # the tally is filled by its collector (labels.collector), once per example


def finish(conf, ctx, tally):
    classes = training_classes(ctx, tally, conf["max-labels"])
    if classes is None:
        return
    (largest, most), *_ = classes.most_common(1)
    smallest, fewest = min(classes.items(), key=lambda item: item[1])
    if most > conf["ratio"] * fewest:
        yield Finding(
            f"class {largest!r} has {most:,} examples, {most / fewest:.1f} times class {smallest!r} "
            f"({fewest:,}), more than {conf['ratio']:g}x; add examples of the smaller classes or downsample the larger"
        )
