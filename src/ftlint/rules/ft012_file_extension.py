"""File name does not end in .jsonl.

## What it does
Warns when a linted file's name does not end in an extension the run's
provider accepts (`extensions` of `[files]` in `rules/providers/<id>.toml`:
`.jsonl` for every shipped provider), or that extension plus `.gz`, which
ftlint reads compressed. Standard input is exempt.

## Why it matters
The OpenAI Files API accepts fine-tuning data only as `.jsonl` files; a
`data.json` or `train.txt` is rejected at upload, after the lint passed.

## Example
    ftlint train.json

## Fix
Rename the file to `train.jsonl` (its content must be one JSON object per line).
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit

CODE = "FT012"
NAME = "file-extension"
SCOPE = "dataset"
LEVEL = "warning"


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    rule = limit(ctx, "files.extensions", ctx.run.provider.files.extensions)
    accepted = tuple(rule.value) + tuple(ext + ".gz" for ext in rule.value)
    if ctx.source_name == "-" or ctx.path.endswith(accepted):
        return
    names = " or ".join(rule.value)
    yield Finding(f"file name does not end in {names}; the Files API accepts fine-tuning data only as {names} "
                  f"(rename it){rule.cited()}", unconfirmed=not rule.confirmed)
