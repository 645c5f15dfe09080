"""The model does not train on this file's format or method.

## What it does
Reports, once per file, when the model (`--model`, or the default model) does
not take the file's format (chat, prompt/completion, preference) or training
method (supervised, DPO, reinforcement), and names the models that do. Both
come from the model catalog (`rules/providers/openai.toml`, `formats` and `methods`).
When ftlint's converters write a format the model takes, the message leads
with the command (`ftlint data.jsonl --convert-to chat -o data.chat.jsonl` for a
prompt/completion file and a chat model): the models that take the file as it
is may all be shut down.

When this rule reports, FT805 (the same fact for reinforcement fine-tuning)
does not. When it tells to convert the file, the legacy marker advice does not
run on the file either: FT204-FT208 (add a separator, a stop sequence, a leading
space) and FT209 (the format is legacy) would have the user edit markers that
the conversion strips (`--convert-to chat` removes them and says so), so the
file gets one action, the conversion, as a fatal finding in ruff or eslint
stands alone. Under a model that takes the format as it is (babbage-002), or
with no converter to offer, they report as usual.

## Why it matters
The API rejects the job: prompt/completion files are only for the legacy
babbage-002/davinci-002 models, DPO needs a model with `dpo` among its methods,
reinforcement fine-tuning needs a reasoning model.

## Example
A `{"prompt", "completion"}` file checked with `--model gpt-4o-mini`.

## Fix
Convert the file as the message says (prompt/completion -> chat messages) or
pick a model that takes it (`ftlint --list-models`).
"""

from ftlint.formats import DEFAULT_METHOD, FORMAT_TITLES
from ftlint.problem import Finding
from ftlint.rules._tokens import model_list

CODE = "FT301"
NAME = "format-not-for-model"
SCOPE = "dataset"
LEVEL = "error"
#: FT805 says "the model does not support reinforcement fine-tuning" too: one problem, this one (it names every model).
#: The legacy marker rules advise on a file this rule tells to convert (see supersedes_file).
LEGACY_MARKER_ADVICE = ("FT204", "FT205", "FT206", "FT207", "FT208", "FT209")
SUPERSEDES = ("FT805", *LEGACY_MARKER_ADVICE)


def begin(conf, ctx):
    return None


def _judged(ctx) -> bool:
    """True when the file's format and model are known and the provider takes the format at all."""
    # A provider that takes no such file at all: FT914 says so once, with what to do.
    return ctx.model is not None and ctx.format is not None and ctx.run.provider.takes_format(ctx.format)


def _conversion(ctx) -> str | None:
    """The --convert-to target this rule will tell the file to take (None: no converter writes one it takes)."""
    from ftlint import converters  # only for a file of a format the model does not take: not on every run

    return converters.target_for(ctx.format, ctx.method or DEFAULT_METHOD.get(ctx.format), ctx.model.formats)


def supersedes_file(conf, ctx):
    # A legacy file this rule tells to convert: advice on its separator, stop sequence and leading space
    # would be one more thing to do that the conversion undoes (it strips those markers).
    if _judged(ctx) and ctx.format not in ctx.model.formats and _conversion(ctx) is not None:
        return LEGACY_MARKER_ADVICE
    return ()


def finish(conf, ctx, state):
    model = ctx.model
    if not _judged(ctx):
        return
    catalog = ctx.run.provider.catalog
    if ctx.format not in model.formats:
        from ftlint import converters  # only to word this finding: not imported on every run

        title = FORMAT_TITLES.get(ctx.format, ctx.format)
        target = _conversion(ctx)
        convert = f"convert it: {converters.command(target, ctx.path)}; " if target else ""
        yield Finding(
            f"{model.id} does not train on {title} files (it takes: {', '.join(model.formats)}); "
            f"{convert}models that {'take it as it is' if target else 'do'}: "
            f"{model_list(catalog.models_taking(fmt=ctx.format))}"
        )
    elif ctx.method and ctx.method not in model.methods:
        yield Finding(
            f"{model.id} does not support {ctx.method} fine-tuning (it supports: {', '.join(model.methods)}); "
            f"models that do: {model_list(catalog.models_taking(method=ctx.method))}"
        )
