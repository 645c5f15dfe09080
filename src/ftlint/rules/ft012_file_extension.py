"""File name does not end in .jsonl.

## What it does
Warns when a linted file's name does not end in `.jsonl` (or `.jsonl.gz`, which
ftlint reads compressed). Standard input is exempt.

## Why it matters
The OpenAI Files API accepts fine-tuning data only as `.jsonl` files; a
`data.json` or `train.txt` is rejected at upload, after the lint passed.

## Example
    ftlint train.json

## Fix
Rename the file to `train.jsonl` (its content must be one JSON object per line).
"""

from ftlint.problem import Finding

CODE = "FT012"
NAME = "file-extension"
SCOPE = "dataset"
LEVEL = "warning"


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    name = ctx.path
    if ctx.source_name == "-" or name.endswith((".jsonl", ".jsonl.gz")):
        return
    provider = getattr(ctx.run, "provider", None)
    taken = tuple(provider.files.extensions) if provider is not None else ()
    if taken and name.endswith(taken + tuple(e + ".gz" for e in taken)):
        return  # the provider's profile takes this extension (open trainers read .json too)
    yield Finding("file name does not end in .jsonl; the Files API accepts fine-tuning data only as .jsonl (rename it)")
