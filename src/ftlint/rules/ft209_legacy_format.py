"""Prompt/completion format is obsolete.

## What it does
Notes once per file that it uses the legacy prompt/completion format, and names
the models in the catalog that accept it.

## Why it matters
Only babbage-002 and davinci-002 took this format, and OpenAI stopped new
training on them on 2024-10-28. Current models train on chat `messages`.

## Example
    {"prompt": "Great product ->", "completion": " positive"}

## Fix
Convert each example to chat:
`{"messages": [{"role": "user", "content": PROMPT}, {"role": "assistant", "content": COMPLETION}]}`
(without the separator, leading space and stop sequence).
"""

from ftlint.problem import Finding

CODE = "FT209"
NAME = "legacy-format"
SCOPE = "dataset"
LEVEL = "info"
FORMATS = ("completion",)
PROVIDERS = ("openai",)  # obsolete at OpenAI; Together AI trains prompt/completion files today


def begin(conf, ctx):
    return None


def _accepting_models() -> str:
    try:
        from ftlint.catalog import load_catalog

        names = [m.id for m in load_catalog().models if "completion" in m.formats]
    except Exception:  # catalog unavailable: the doc above still says it
        names = []
    return ", ".join(names) or "babbage-002, davinci-002"


def finish(conf, ctx, state):
    if ctx.examples:
        yield Finding(
            f"prompt/completion is the legacy format, accepted only by {_accepting_models()} "
            "(new training on them ended 2024-10-28); current models train on chat messages"
        )
