"""The provider or trainer takes no file in this format.

## What it does
Reports, once per file, a file whose format none of the provider's methods
takes (`--provider`; the profile's `[methods.*] formats`), names the providers
and trainers that do take it, and says how to convert it where a mapping is
known (ShareGPT to messages, Alpaca to messages, OpenAI DPO to TRL preference
and back).

## Why it matters
One clear sentence instead of an error on every line: a ShareGPT file given to
TRL, or OpenAI's `input`/`preferred_output` DPO file given to TRL's
DPOTrainer, fails the dataset step with a KeyError.

## Example
    ftlint --provider trl data.jsonl     (a ShareGPT file)

## Fix
Lint it for the provider that takes it (`--provider NAME`), or convert it as
the message says.
"""

from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Finding
from ftlint.trainer_formats import conversion_hint

CODE = "FT914"
NAME = "format-not-for-provider"
SCOPE = "dataset"
LEVEL = "error"


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    provider = getattr(ctx.run, "provider", None)
    fmt = ctx.format
    if provider is None or fmt is None or any(fmt in m.formats for m in provider.methods.values()):
        return
    from ftlint.providers import all_providers

    title = FORMAT_TITLES.get(fmt, fmt)
    takes = sorted({f for m in provider.methods.values() for f in m.formats}, key=list(FORMAT_TITLES).index)
    others = [p.id for p in all_providers() if p.id != provider.id and any(fmt in m.formats for m in p.methods.values())]
    where = f"--provider {' or '.join(others)} takes it" if others else "no provider ftlint knows takes it"
    hint = conversion_hint(fmt, takes)
    yield Finding(f"no method of {provider.title} takes {title} files (it takes: {', '.join(FORMAT_TITLES[f] for f in takes)}); "
                  f"{where}{'; ' + hint if hint else ''}")
