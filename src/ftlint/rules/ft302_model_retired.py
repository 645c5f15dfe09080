"""The model can no longer be fine-tuned.

## What it does
Reports, once per file, a model whose status in the model catalog is
`training ended` or `shut down`, naming the date and its source (the
deprecations page, [DEP]). It also repeats the platform date from the
catalog's `[platform]` entry: OpenAI stops accepting new fine-tuning jobs
after `job_creation_ends` (2027-01-06 per [DEP] 2026).

## Why it matters
Job creation fails for a retired base model; a dataset prepared for it needs a
current model, whose cap, price and tokenizer may differ.

## Example
`ftlint data.jsonl --model gpt-3.5-turbo-0613`.

## Fix
Pick an active model (`ftlint --list-models`) and lint again with it.
"""

from ftlint.catalog import shipped_catalog
from ftlint.problem import Finding

CODE = "FT302"
NAME = "model-retired"
SCOPE = "dataset"
LEVEL = "warning"


def begin(conf, ctx):
    return None


def _dated(what: str, date, model, key: str) -> str:
    source = model.sources[key].source if key in model.sources else "catalog"
    when = f"on {date.isoformat()}" if date else "(date unknown)"
    return f"{what} {when} ({source})"


def finish(conf, ctx, state):
    model = ctx.model
    if model is None or model.status == "active":
        return
    parts = []
    if model.training_ended_date is not None:
        parts.append(_dated("fine-tuning ended", model.training_ended_date, model, "training_ended"))
    if model.status == "shut down":
        parts.append(_dated("it was shut down", model.shutdown_date, model, "shutdown"))
    if not parts:
        parts.append(f"its catalog status is {model.status}")
    catalog = shipped_catalog()
    platform = ""
    if catalog.job_creation_ends is not None:
        platform = (
            f"; OpenAI accepts no new fine-tuning jobs for any model after "
            f"{catalog.job_creation_ends.isoformat()} ({catalog.job_creation_ends_source})"
        )
    yield Finding(f"{model.id} can no longer be fine-tuned: {'; '.join(parts)}{platform}")
