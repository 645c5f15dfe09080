"""Image `detail` is not low, high or auto.

## What it does
Checks that `image_url.detail`, when present, is one of `low`, `high` or
`auto`.

## Why it matters
Any other value fails validation. `low` resizes the image to 512x512 and costs
85 tokens, which makes training cheaper when fine detail does not matter.

## Example
    {"type": "image_url", "image_url": {"url": "https://...", "detail": "medium"}}

## Fix
Use `"detail": "low"`, `"high"` or `"auto"`, or leave it out.
"""

import json

from ftlint.problem import Finding
from ftlint.rules._vision import DETAILS, has_images, image_parts

CODE = "FT605"
NAME = "image-detail-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = has_images


def check(example, conf, ctx):
    for where, part in image_parts(example):
        spec = part.get("image_url")
        if isinstance(spec, dict) and "detail" in spec and spec["detail"] not in DETAILS:
            shown = json.dumps(spec["detail"])[:40]
            yield Finding(f"detail must be low, high or auto, not {shown}", where + ".image_url.detail")
