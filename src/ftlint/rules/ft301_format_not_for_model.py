"""The model does not train on this file's format or method.

## What it does
Reports, once per file, when the model (`--model`, or the default model) does
not take the file's format (chat, prompt/completion, preference) or training
method (supervised, DPO, reinforcement), and names the models that do. Both
come from the model catalog (`rules/providers/openai.toml`, `formats` and `methods`).

## Why it matters
The API rejects the job: prompt/completion files are only for the legacy
babbage-002/davinci-002 models, DPO needs a model with `dpo` among its methods,
reinforcement fine-tuning needs a reasoning model.

## Example
A `{"prompt", "completion"}` file checked with `--model gpt-4o-mini`.

## Fix
Convert the file (prompt/completion -> chat messages) or pick a model that
takes it (`ftlint --list-models`).
"""

from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Finding
from ftlint.rules._tokens import model_list

CODE = "FT301"
NAME = "format-not-for-model"
SCOPE = "dataset"
LEVEL = "error"


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    model = ctx.model
    if model is None or ctx.format is None:
        return
    provider = ctx.run.provider
    if not any(ctx.format in m.formats for m in provider.methods.values()):
        return  # the provider takes no such file at all: FT914 says so once, with what to do
    catalog = provider.catalog
    if ctx.format not in model.formats:
        title = FORMAT_TITLES.get(ctx.format, ctx.format)
        yield Finding(
            f"{model.id} does not train on {title} files (it takes: {', '.join(model.formats)}); "
            f"models that do: {model_list(catalog.models_taking(fmt=ctx.format))}"
        )
    elif ctx.method and ctx.method not in model.methods:
        yield Finding(
            f"{model.id} does not support {ctx.method} fine-tuning (it supports: {', '.join(model.methods)}); "
            f"models that do: {model_list(catalog.models_taking(method=ctx.method))}"
        )
