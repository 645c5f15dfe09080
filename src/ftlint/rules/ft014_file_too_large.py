"""File is larger than the provider accepts.

## What it does
Reports a training or validation file whose size on disk is over the run's
provider's limit: `max_bytes_training` / `max_bytes_validation` of `[files]`
in `rules/providers/<id>.toml` (OpenAI and Azure OpenAI: 512 MB). The option
`max-bytes` overrides the profile. Standard input has no size to check.

## Why it matters
The upload is refused (or the job fails) only after the whole file has been
sent.

## Example
A 600 MB training file for Azure OpenAI.

## Fix
Split the data into several jobs, drop duplicates and overlong examples, or
sample it down.
"""

import os

from ftlint.problem import Finding
from ftlint.rules._limits import limit

CODE = "FT014"
NAME = "file-too-large"
SCOPE = "dataset"
LEVEL = "error"
OPTIONS = {"max-bytes": int}
#: None: the provider's limit (rules/providers/<id>.toml).
DEFAULTS = {"max-bytes": None}


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    if ctx.source_name == "-":
        return
    files = ctx.run.provider.files
    if ctx.role == "validation":
        rule = limit(ctx, "files.max_bytes_validation", files.max_bytes_validation, conf["max-bytes"])
    else:
        rule = limit(ctx, "files.max_bytes_training", files.max_bytes_training, conf["max-bytes"])
    if rule is None:
        return
    try:
        size = os.stat(ctx.source_name).st_size
    except OSError:
        return  # the reader reports unreadable files
    if size <= rule.value:
        return
    who = "the configured limit is" if rule.configured else f"{rule.provider} accepts at most"
    yield Finding(f"{ctx.role} file is {_mb(size)} ({size:,} bytes); {who} {_mb(rule.value)} per file"
                  f"{rule.cited()}", unconfirmed=not rule.confirmed)


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size % (1 << 20) else f"{size >> 20:,} MB"
