r"""Stop sequence also occurs inside the completion.

## What it does
Reports a completion that contains the file's stop sequence before its end.

## Why it matters
Generation stops at the first occurrence, so everything after it is trained but
never produced at inference.

## Example
With stop `\n`: `{"completion": " line one\nline two\n"}`

## Fix
Use a stop sequence that never occurs inside completions, such as ` END` or `###`.
"""

from ftlint.problem import Finding

CODE = "FT207"
NAME = "stop-in-completion"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("completion",)


def checks_examples(conf, ctx):
    return bool(ctx.conventions.get("stop")) and not ctx.conventions.get("classification")


def check(example, conf, ctx):
    stop = ctx.conventions.get("stop")
    completion = example.data.get("completion")
    if not stop or ctx.conventions.get("classification") or not isinstance(completion, str):
        return
    body = completion[: -len(stop)] if completion.endswith(stop) else completion
    at = body.find(stop)
    if at >= 0:
        yield Finding(
            f"stop sequence {stop!r} occurs inside the completion (at character {at}); generation would stop there, so remove it or pick another stop sequence",
            "$.completion",
        )
