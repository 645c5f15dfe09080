"""More multimodal examples than Vertex tunes on.

## What it does
Counts the examples of a Gemini training file that carry media (`fileData` or
`inlineData` parts) and reports when there are more than the provider's limit
for multimodal tuning (300,000 for Gemini 2.5; text-only data may have more).

## Why it matters
Vertex rejects a training set over the limit when the job starts.

## Example
    300,001 examples, each with an image part

## Fix
Split the data across jobs, or move the text-only examples to their own file.
The `max-examples` option overrides the provider's figure (0 keeps it).
"""

from ftlint.problem import Finding
from ftlint.rules._profile import fact, source

CODE = "FT152"
NAME = "gemini-multimodal-examples"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ("gemini",)
METHODS = ("supervised",)
PROVIDERS = ("vertex",)
OPTIONS = {"max-examples": int}
DEFAULTS = {"max-examples": 0}  # 0: the provider's figure

MEDIA_PARTS = ("fileData", "inlineData")


def begin(conf, ctx):
    limit = conf["max-examples"] or fact(ctx, "max_multimodal_examples")
    return {"count": 0, "limit": limit if ctx.role == "training" else None,
            "source": "max-examples option" if conf["max-examples"] else source(ctx, "max_multimodal_examples")}


def check(example, conf, ctx, state):
    if state["limit"] is None:
        return
    contents = example.data.get("contents")
    for turn in contents if isinstance(contents, list) else ():
        parts = turn.get("parts") if isinstance(turn, dict) else None
        if isinstance(parts, list) and any(isinstance(p, dict) and any(k in p for k in MEDIA_PARTS) for p in parts):
            state["count"] += 1
            return


def finish(conf, ctx, state):
    limit = state["limit"]
    if limit is not None and state["count"] > limit:
        yield Finding(f"{state['count']:,} examples carry media, but Vertex tunes on at most {limit:,} multimodal "
                      f"examples ({state['source']}); split the data across jobs")
