"""A Bedrock dataset mixes images and videos.

## What it does
Reports the first example holding a video in a file that already has images,
or an image in a file that already has videos.

## Why it matters
Nova takes either image or video examples in one dataset, never both; the job
fails validation.

## Example
    line 1: an example with an image
    line 2: an example with a video

## Fix
Split the data into an image dataset and a video dataset and train them as
separate jobs.
"""

from ftlint.problem import Finding
from ftlint.rules._profile import fact
from ftlint.rules.ft162_bedrock_media import media_blocks

CODE = "FT164"
NAME = "bedrock-images-and-video"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("bedrock",)
PROVIDERS = ("bedrock-nova",)


def begin(conf, ctx):
    # state: {kind: line of its first example}, and whether the mix was reported
    return {"first": {}, "reported": False, "applies": bool(fact(ctx, "images_and_video_in_one_dataset") is False)}


def check(example, conf, ctx, state):
    if not state["applies"] or state["reported"]:
        return
    first = state["first"]
    for kind in sorted({k for _, _, k in media_blocks(example.data) if k in ("image", "video")}):
        first.setdefault(kind, example.line)
    if len(first) < 2:
        return
    state["reported"] = True
    if first["image"] == first["video"]:
        mix = "this example holds an image and a video"
    elif first["image"] < first["video"]:
        mix = f"this example holds a video but line {first['image']} holds an image"
    else:
        mix = f"this example holds an image but line {first['video']} holds a video"
    yield Finding(f"{mix}: Bedrock takes image or video examples in one dataset, never both; split the file")


def finish(conf, ctx, state):
    return ()
