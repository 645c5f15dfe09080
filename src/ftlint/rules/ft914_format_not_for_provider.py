"""The provider or trainer takes no file in this format.

## What it does
Reports, once per file, a file whose format none of the provider's methods
takes (`--provider`; the profile's `[methods.*] formats`), names the providers
and trainers that do take it and have a model that can still be trained on it
as of today (`FTLINT_TODAY` pins the date: OpenAI's legacy prompt/completion
models are shut down, so OpenAI is not named for such a file), and says how to
convert it: the `--convert-to`
command when ftlint's converters write a format the provider takes for the
file's method (a chat file for Vertex AI: `--convert-to gemini`; for Bedrock
Nova: `--convert-to bedrock`; an Alpaca JSON array for OpenAI:
`--convert-to chat`), else the mapping to write by hand where one is known.

For such a file it replaces the problems that would only restate the mismatch:
every example's roles and their order against the provider's (FT102, FT114), and,
when the converter applies (it reads JSON arrays and writes `OUT.jsonl`), the
`jq` advice for a JSON array (FT010) and the file extension (FT012).

## Why it matters
One clear sentence instead of an error on every line: a ShareGPT file given to
TRL, or OpenAI's `input`/`preferred_output` DPO file given to TRL's
DPOTrainer, fails the dataset step with a KeyError.

## Example
    ftlint --provider trl data.jsonl     (a ShareGPT file)
    ftlint --provider vertex data.jsonl  (an OpenAI chat file: convert it with
                                          ftlint data.jsonl --convert-to gemini -o data.gemini.jsonl)

## Fix
Lint it for the provider that takes it (`--provider NAME`), or convert it as
the message says.
"""

from ftlint import clock
from ftlint.formats import DEFAULT_METHOD, FORMAT_TITLES
from ftlint.problem import Finding, plural
from ftlint.retirement import can_still_train
from ftlint.sources import JSON_ARRAY, container_of_path
from ftlint.trainer_formats import conversion_hint

CODE = "FT914"
NAME = "format-not-for-provider"
SCOPE = "dataset"
LEVEL = "error"
#: What it says once for a file the provider does not take (see supersedes_file).
SUPERSEDES = ("FT102", "FT114", "FT010", "FT012")


def begin(conf, ctx):
    # Only for a file the provider does not take: whether each example converts exactly (counters only).
    target = convert_target(ctx) if _not_taken(ctx) else None
    return {"target": target, "inexact": 0, "first": None} if target else None


def checks_examples(conf, ctx):
    return _not_taken(ctx) and convert_target(ctx) is not None  # what begin keeps a state for


def check(example, conf, ctx, state):
    from ftlint import converters  # only for a file the provider does not take: not imported on every run

    if state is not None and not converters.converts_exactly(example.data, state["target"]):
        state["inexact"] += 1
        if state["first"] is None:
            state["first"] = example.line
    return ()


def _not_taken(ctx) -> bool:
    provider = getattr(ctx.run, "provider", None)
    return provider is not None and not provider.takes_format(ctx.format)


def convert_target(ctx) -> str | None:
    """The --convert-to name that writes the file in a format the provider takes for its method, or None."""
    from ftlint import converters

    method = ctx.method or DEFAULT_METHOD.get(ctx.format)
    policy = ctx.run.provider.methods.get(method)
    return converters.target_for(ctx.format, method, policy.formats if policy else ())


def supersedes_file(conf, ctx):
    if not _not_taken(ctx):
        return ()
    roles = ("FT102", "FT114")  # the provider's roles and their order, checked on a format it does not take
    if convert_target(ctx) is None:
        return roles
    # The converter reads a JSON array and writes OUT.jsonl: jq and renaming are not the way.
    return (*roles, "FT012", "FT010") if container_of_path(ctx.source_name) == JSON_ARRAY else (*roles, "FT012")


def finish(conf, ctx, state):
    if not _not_taken(ctx):
        return
    provider, fmt = ctx.run.provider, ctx.format
    from ftlint.providers import all_providers

    title = FORMAT_TITLES.get(fmt, fmt)
    takes = sorted({f for m in provider.methods.values() for f in m.formats}, key=list(FORMAT_TITLES).index)
    # Only where it can still be trained today (clock.today; OpenAI's legacy models are shut down).
    today = clock.today()
    others = [p.id for p in all_providers() if p.id != provider.id and can_still_train(p, fmt, today)]
    mismatch = f"no method of {provider.title} takes {title} files (it takes: {', '.join(FORMAT_TITLES[f] for f in takes)})"
    target = convert_target(ctx)
    if target is not None:
        from ftlint import converters

        where = f"; or lint it for --provider {' or '.join(others)}, which takes it" if others else ""
        inexact = ""
        if state and state["inexact"]:
            inexact = (f" ({state['inexact']} of {plural(ctx.examples, 'example')} will not convert exactly, the first "
                       f"on line {state['first']}: --convert-to names what each loses)")
        yield Finding(f"{mismatch}; convert it: {converters.command(target, ctx.path)}{inexact}{where}")
        return
    where = (f"--provider {' or '.join(others)} takes it" if others else
             f"no provider ftlint knows can still train on it as of {today.isoformat()}")
    hint = conversion_hint(fmt, takes)
    yield Finding(f"{mismatch}; {where}{'; ' + hint if hint else ''}")
