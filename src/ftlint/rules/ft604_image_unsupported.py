"""Embedded image is not JPEG, PNG or WEBP, or is larger than 10 MB.

## What it does
For base64 data URLs, checks the declared media type against the image types
the run's provider takes (`types` of `[images]` in `rules/providers/<id>.toml`;
OpenAI: image/jpeg, image/png or image/webp; Fireworks AI: PNG and JPEG), that
the payload's first bytes are an image of that type, and that the decoded size
is at most the provider's `max_bytes` (OpenAI: 10 MB, taken as 10 MiB); the
option `max-bytes` overrides it. The
size comes from the payload's length, so nothing large is decoded. Remote URLs
cannot be checked offline.

## Why it matters
Vision fine-tuning takes JPEG, PNG and WEBP images of at most 10 MB each.
Other images are skipped by the server, not rejected: the job runs and the
example silently trains without its image.

## Example
    {"type": "image_url", "image_url": {"url": "data:image/gif;base64,R0lGODlh..."}}

## Fix
Convert the image to PNG or JPEG (RGB or RGBA) and shrink it below 10 MB; use
the media type that matches the bytes.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._vision import DataURL, has_images, image_parts, IMAGE_TYPES, image_url, sniff_image_type

CODE = "FT604"
NAME = "image-unsupported"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
OPTIONS = {"max-bytes": int}
#: None: the provider's limit (rules/providers/<id>.toml).
DEFAULTS = {"max-bytes": None}
GUARD = has_images


def check(example, conf, ctx):
    images = ctx.run.provider.images
    if images is None:
        return  # the provider takes no images (FT608 says what the model lacks)
    types = limit(ctx, "images.types", images.types)
    largest = limit(ctx, "images.max_bytes", images.max_bytes, conf["max-bytes"])
    for where, part in image_parts(example):
        url = image_url(part)
        if url is None or url[:5].lower() != "data:":
            continue
        at = where + ".image_url.url"
        try:
            data = DataURL(url)
            head = data.head() if data.is_base64 else None
        except ValueError:
            continue  # FT603
        if head is None:
            continue
        declared = IMAGE_TYPES.get(data.media_type)
        if declared is None or declared.lower() not in types.value:
            yield Finding(f'image type "{data.media_type}" is not supported (use {_media_types(types.value)})'
                          f"{types.cited()}; the server skips such images", at, unconfirmed=not types.confirmed)
            continue
        actual = sniff_image_type(head)
        if actual != declared:
            what = f"a {actual} image" if actual else "not a known image format"
            yield Finding(f"data URL says {data.media_type} but its bytes are {what}; the server skips images in "
                          "an invalid format", at)
        size = data.decoded_size
        if largest is not None and size > largest.value:
            yield Finding(f"image is {size / 1048576:.1f} MB; the limit is {largest.value / 1048576:.0f} MB per "
                          f"image{largest.cited()} and larger ones are skipped", at, unconfirmed=not largest.confirmed)


def _media_types(types) -> str:
    """'image/jpeg, image/png or image/webp' for the profile's ("jpeg", "png", "webp")."""
    names = [f"image/{t}" for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
