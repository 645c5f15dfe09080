r"""Separator also occurs inside the prompt.

## What it does
Reports a prompt that contains the file's separator somewhere before its end.

## Why it matters
The model learns that the completion starts after the separator; an earlier
occurrence makes that boundary ambiguous.

## Example
With separator ` ->`: `{"prompt": "a -> b ->", "completion": " c"}`

## Fix
Choose a separator that never occurs inside prompts, such as `\n\n###\n\n`.
"""

from ftlint.problem import Finding

CODE = "FT205"
NAME = "separator-in-prompt"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("completion",)


def checks_examples(conf, ctx):
    return bool(ctx.conventions.get("separator"))


def check(example, conf, ctx):
    separator = ctx.conventions.get("separator")
    prompt = example.data.get("prompt")
    if not separator or not isinstance(prompt, str):
        return
    body = prompt[: -len(separator)] if prompt.endswith(separator) else prompt
    at = body.find(separator)
    if at >= 0:
        yield Finding(f"separator {separator!r} also occurs inside the prompt (at character {at}); the boundary is ambiguous, so remove it from the prompt or pick a separator that never occurs in prompts", "$.prompt")
