"""Preference example contains images.

## What it does
Reports `image_url` content parts in a preference (DPO) example.

## Why it matters
OpenAI's DPO guide: preference fine-tuning is "currently only supported for
text inputs and outputs".

## Example
    {"input": {"messages": [{"role": "user", "content": [{"type": "image_url", ...}]}]}, ...}

## Fix
Remove the images (describe them in text if the answer depends on them), or
train on this data with supervised vision fine-tuning instead.
"""

from ftlint.problem import Finding
from ftlint.rules._vision import has_images, image_parts

CODE = "FT707"
NAME = "preference-not-text"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)
GUARD = has_images


def check(example, conf, ctx):
    for where, _ in image_parts(example):
        yield Finding("image part in a preference example, but DPO supports text only; remove it", where)
