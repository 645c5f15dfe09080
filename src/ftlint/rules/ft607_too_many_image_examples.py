"""File has more examples with images than the provider allows.

## What it does
Counts the examples that contain at least one image and reports a file with
more than the run's provider allows (`max_examples_with_images` of `[images]`
in `rules/providers/<id>.toml`: OpenAI 50,000); the option `max` overrides it.
Text-only examples do not count.

## Why it matters
OpenAI's vision fine-tuning guide caps a training file at 50,000 examples that
contain images.

## Example
A file with 60,000 image questions.

## Fix
Split the data, or sample it down to 50,000 image examples.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._vision import image_parts

CODE = "FT607"
NAME = "too-many-image-examples"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("chat",)
OPTIONS = {"max": int}
#: None: the provider's limit (rules/providers/<id>.toml).
DEFAULTS = {"max": None}


class _Count:
    __slots__ = ("examples", "first_over", "limit")

    def __init__(self):
        self.examples = 0
        self.first_over = None  # line of the first image example over the limit
        self.limit = None  # the _limits.Limit enforced (None: nothing to check)


def begin(conf, ctx):
    count = _Count()
    images = ctx.run.provider.images
    count.limit = limit(ctx, "images.max_examples_with_images", images.max_examples_with_images if images else None,
                        conf["max"])
    return count


def check(example, conf, ctx, count):
    if count.limit is not None and image_parts(example):
        count.examples += 1
        if count.examples == count.limit.value + 1:
            count.first_over = example.line
    return ()


def finish(conf, ctx, count):
    most = count.limit
    if most is not None and count.examples > most.value:
        yield Finding(f"file has {count.examples:,} examples with images (the first over the limit is on line "
                      f"{count.first_over}); at most {most.value:,} are allowed{most.cited()}",
                      unconfirmed=not most.confirmed)
