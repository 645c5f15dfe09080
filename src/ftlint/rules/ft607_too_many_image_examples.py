"""File has more than 50,000 examples with images.

## What it does
Counts the examples that contain at least one image and reports a file with
more than `max` (default 50,000). Text-only examples do not count.

## Why it matters
OpenAI's vision fine-tuning guide caps a training file at 50,000 examples that
contain images.

## Example
A file with 60,000 image questions.

## Fix
Split the data, or sample it down to 50,000 image examples.
"""

from ftlint.problem import Finding
from ftlint.rules._vision import image_parts

CODE = "FT607"
NAME = "too-many-image-examples"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("chat",)
OPTIONS = {"max": int}
DEFAULTS = {"max": 50_000}


class _Count:
    __slots__ = ("examples", "first_over")

    def __init__(self):
        self.examples = 0
        self.first_over = None  # line of the first image example over the limit


def begin(conf, ctx):
    return _Count()


def check(example, conf, ctx, count):
    if image_parts(example):
        count.examples += 1
        if count.examples == conf["max"] + 1:
            count.first_over = example.line
    return ()


def finish(conf, ctx, count):
    if count.examples > conf["max"]:
        yield Finding(f"file has {count.examples:,} examples with images (the first over the limit is on line "
                      f"{count.first_over}); at most {conf['max']:,} are allowed")
