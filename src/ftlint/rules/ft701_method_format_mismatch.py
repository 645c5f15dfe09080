"""The training method does not take the file's format.

## What it does
Compares `--method` with the file's format: supervised trains on chat (and
legacy prompt/completion) files, dpo on preference files, reinforcement on
chat files with grader keys. Reports a mismatch once, for the whole file.

## Why it matters
The server fails the job after upload. A chat file sent to a DPO job failed
with: "Input file file-… is in the fine-tune-chat format, but the specified
fine-tuning job is not using 'supervised' as the training method (provided
method=dpo)." (Dec 2024).

## Example
    ftlint --method dpo chat_train.jsonl

## Fix
Pick the method the data is written for, or convert the data: a preference
line is `{"input": {"messages": [...]}, "preferred_output": [assistant],
"non_preferred_output": [assistant]}`.
"""

from ftlint.formats import CHAT, DPO, FORMAT_TITLES, METHOD_FORMATS
from ftlint.problem import Finding

CODE = "FT701"
NAME = "method-format-mismatch"
SCOPE = "dataset"
LEVEL = "error"
FORMATS = ()  # checks the pairing itself, so it must run whatever the format and method
METHODS = ()

SERVER_REASON = ("Input file file-… is in the fine-tune-chat format, but the specified fine-tuning job is not using "
                 "'supervised' as the training method (provided method=dpo)")


def begin(conf, ctx):
    return None


def _method_formats(ctx) -> dict:
    """method -> formats: the provider's profile when the run has one, else every registered format's."""
    provider = getattr(ctx.run, "provider", None)
    if provider is None:
        return METHOD_FORMATS
    return {name: policy.formats for name, policy in provider.methods.items()}


def finish(conf, ctx, state):
    method_formats = _method_formats(ctx)
    if ctx.format is None or ctx.method not in method_formats or ctx.format in method_formats[ctx.method]:
        return
    if not any(ctx.format in fmts for fmts in method_formats.values()):
        return  # the provider takes no such file at all: FT914 says so once
    takes = " or ".join(FORMAT_TITLES[f] for f in method_formats[ctx.method])
    fits = [m for m, fmts in method_formats.items() if ctx.format in fmts]
    # The server's words are known for a chat file sent to a DPO job only.
    seen = f' (a chat file sent to a dpo job failed with "{SERVER_REASON}")' if (ctx.format, ctx.method) == (CHAT, DPO) else ""
    action = f'use --method {" or ".join(fits)}, or convert the file' if fits else "convert the file"
    yield Finding(
        f"this file is in the {FORMAT_TITLES[ctx.format]} format, but method {ctx.method} trains on {takes} data, "
        f"so the server fails the job{seen}; {action}"
    )
