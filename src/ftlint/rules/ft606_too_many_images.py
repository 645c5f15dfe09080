"""Example has more images than the provider allows.

## What it does
Counts the `image_url` parts of an example and reports more than the run's
provider allows (`max_per_example` of `[images]` in
`rules/providers/<id>.toml`: OpenAI and Together AI 10; Azure OpenAI documents
64, unconfirmed); the option `max` overrides it.

## Why it matters
OpenAI's vision fine-tuning guide allows at most 10 images per example.

## Example
A user message with 12 image parts.

## Fix
Split the example, or keep the images that matter.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._vision import has_images, image_parts

CODE = "FT606"
NAME = "too-many-images"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
OPTIONS = {"max": int}
#: None: the provider's limit (rules/providers/<id>.toml).
DEFAULTS = {"max": None}
GUARD = has_images


def check(example, conf, ctx):
    images = ctx.run.provider.images
    most = limit(ctx, "images.max_per_example", images.max_per_example if images else None, conf["max"])
    if most is None:
        return
    count = len(image_parts(example))
    if count > most.value:
        yield Finding(f"example has {count} images; at most {most.value} are allowed per example{most.cited()}",
                      "$.messages", unconfirmed=not most.confirmed)
