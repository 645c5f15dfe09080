"""File name does not end in .jsonl.

## What it does
Warns when a linted file's name does not end in an extension the run's
provider accepts (`extensions` of `[files]` in `rules/providers/<id>.toml`:
`.jsonl` for the services; `.json` too for the open trainers, and `.csv` for
LLaMA-Factory), or that extension plus `.gz`, which ftlint reads compressed.
The message names the provider whose fact it is. Standard input is exempt,
and so is any path that is not a regular file or is the system's name of a
stream: `/dev/stdin`, a named pipe, bash's process substitution
`<(zcat data.jsonl.gz)` (`/dev/fd/63`). Such a name is not the file that is
uploaded, and there is nothing to rename.

## Why it matters
The OpenAI Files API accepts fine-tuning data only as `.jsonl` files; a
`data.json` or `train.txt` is rejected at upload, after the lint passed.
An open trainer picks its file reader by the extension (LLaMA-Factory:
JSON, JSON Lines, CSV, Parquet, Arrow, text), so a `.tsv` is not read at all.

## Example
    ftlint train.json

## Fix
Rename the file to `train.jsonl` (its content must be one JSON object per line).
"""

import os
import stat

from ftlint.problem import Finding
from ftlint.rules._limits import limit

CODE = "FT012"
NAME = "file-extension"
SCOPE = "dataset"
LEVEL = "warning"


#: Where the system names streams, not files: /dev/stdin, /dev/fd/63 (bash's <(zcat ...)), /proc/self/fd/0.
STREAM_DIRECTORIES = ("/dev/", "/proc/")


def is_stream(name: str) -> bool:
    """Whether ``name`` is a pipe, a device or a stream's system name: it has no file name to rename, and
    what is uploaded later is another file."""
    if name.startswith(STREAM_DIRECTORIES):
        return True
    try:
        return not stat.S_ISREG(os.stat(name).st_mode)
    except (OSError, ValueError):
        return False  # unreadable: the file's own problem is reported


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    rule = limit(ctx, "files.extensions", ctx.run.provider.files.extensions)
    accepted = tuple(rule.value) + tuple(ext + ".gz" for ext in rule.value)
    if ctx.source_name == "-" or ctx.path.endswith(accepted) or is_stream(ctx.source_name):
        return
    names = ", ".join(rule.value[:-1]) + f" or {rule.value[-1]}" if len(rule.value) > 1 else rule.value[0]
    from ftlint import tables  # a table is converted, not renamed (FT010 says how)

    fix = "convert it: FT010 says how" if tables.table_kind(ctx.path) else "rename it"
    yield Finding(f"file name does not end in {names}; {ctx.run.provider.title} takes fine-tuning data only as "
                  f"{names} files ({fix}){rule.cited()}", unconfirmed=not rule.confirmed)
