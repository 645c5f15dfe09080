"""Images in data for a model that cannot be fine-tuned on images.

## What it does
With `--model`, reports (once per file, at the first image) a file with image
parts when the model catalog does not list vision fine-tuning for the model.
Without a known model the rule is silent.

## Why it matters
Only some snapshots take images in fine-tuning (OpenAI's guide names
gpt-4o-2024-08-06). For the others the job fails, or the images are dropped.

## Example
    ftlint --model gpt-4o-mini-2024-07-18 chart_questions.jsonl

## Fix
Fine-tune a vision-capable snapshot (the message names the catalog's models
with `vision` among their methods that can still be trained today), or remove
the images.
"""

from ftlint.problem import Finding
from ftlint.retirement import still_trainable
from ftlint.rules._tokens import model_list
from ftlint.rules._vision import image_parts

CODE = "FT608"
NAME = "model-lacks-vision"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
STATEFUL = True  # reports once per file (ctx.once)


def check(example, conf, ctx):
    model = ctx.model
    if model is None or "vision" in getattr(model, "methods", ()):
        return
    parts = image_parts(example)
    if parts and ctx.once(CODE):
        name = getattr(model, "id", None) or "the model"
        provider = ctx.run.provider
        usable = still_trainable([m for m in provider.catalog.models if "vision" in m.methods], provider)
        instead = (f"use a model that can be: {model_list(usable)}, or remove the images" if usable else
                   f"no {provider.title} model in the catalog can still be fine-tuned on images: remove them")
        yield Finding(f"{name} cannot be fine-tuned on images, but this file has image parts; {instead}",
                      parts[0][0])
