"""Example has more than 10 images.

## What it does
Counts the `image_url` parts of an example and reports more than `max`
(default 10, OpenAI's limit; Azure OpenAI documents 64, so raise the option
there).

## Why it matters
OpenAI's vision fine-tuning guide allows at most 10 images per example.

## Example
A user message with 12 image parts.

## Fix
Split the example, or keep the images that matter.
"""

from ftlint.problem import Finding
from ftlint.rules._vision import has_images, image_parts

CODE = "FT606"
NAME = "too-many-images"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
OPTIONS = {"max": int}
DEFAULTS = {"max": 10}
GUARD = has_images


def check(example, conf, ctx):
    count = len(image_parts(example))
    if count > conf["max"]:
        yield Finding(f"example has {count} images; at most {conf['max']} are allowed per example", "$.messages")
