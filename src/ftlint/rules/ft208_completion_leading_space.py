"""Completion does not start with a space.

## What it does
Checks that non-empty completions start with whitespace. When most of the
file's completions do (judged on the first 1,000), each one that does not is
reported on its line; when most do not, the file gets one report with the count.

## Why it matters
GPT tokenizers fold the space into the next word (` positive` is one token,
`positive` another). Legacy fine-tuning expects completions to start with a
space so the first trained token matches what the model produces after the
separator.

## Example
    {"prompt": "Great! ->", "completion": "positive"}

## Fix
Prepend a space: `" positive"` (`ftlint --fix` does it).
"""

from ftlint.problem import Finding

CODE = "FT208"
NAME = "completion-leading-space"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("completion",)
PROVIDERS = ("openai",)  # OpenAI legacy completion models' tokenization advice
FIXABLE = "safe"


def begin(conf, ctx):
    return {"without": 0, "first": None}


def check(example, conf, ctx, state):
    # A plain function, not a generator: it is called for every example.
    completion = example.data.get("completion")
    if not isinstance(completion, str) or not completion or completion[0].isspace():
        return None
    if ctx.conventions.get("leading_space"):
        return (Finding(f"completion {completion[:20]!r} does not start with a space like the others; add one"
                        f"{ctx.fix_hint()}", "$.completion"),)
    state["without"] += 1
    state["first"] = state["first"] or example.line
    return None


def finish(conf, ctx, state):
    if state["without"]:
        yield Finding(
            f"{state['without']:,} of {ctx.examples:,} completions do not start with a space (first on line "
            f"{state['first']}); start each completion with a space, e.g. \" positive\""
        )
