r"""Completion does not end with the file's stop sequence.

## What it does
Learns the stop sequence from the first 1,000 completions: a marker nearly all
of them end with and almost none contains before its end, such as `\n`, `###`
or ` END`. Ordinary end punctuation (`.`, `!`), closing quotes or brackets,
spaces and words are not stop sequences. Reports each completion without it.
When completions share no such marker, reports that once for the file, as the
legacy `prepare_data` tool did, and offers no fix. Skipped for classification
data (few distinct completions), which needs no stop sequence.

## Why it matters
At inference you pass the stop sequence as `stop`; a model trained on some
completions without it does not know where to end and runs on.

## Example
    {"prompt": "...", "completion": " Paris END"}
    {"prompt": "...", "completion": " Rome"}

## Fix
Append the stop sequence to every completion (`ftlint --fix` does it).
"""

from ftlint.problem import Finding

CODE = "FT206"
NAME = "missing-stop-sequence"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("completion",)
PROVIDERS = ("openai",)  # OpenAI's legacy completion models; other trainers template the prompt
FIXABLE = "safe"


def begin(conf, ctx):
    return None


def checks_examples(conf, ctx):
    return ctx.conventions.get("stop") is not None and not ctx.conventions.get("classification")


def check(example, conf, ctx, state):
    stop = ctx.conventions.get("stop")
    completion = example.data.get("completion")
    if stop is None or ctx.conventions.get("classification") or not isinstance(completion, str):
        return
    if completion.strip() and not completion.endswith(stop):
        yield Finding(f"completion does not end with the stop sequence {stop!r} that the other completions end "
                      f"with; append it{ctx.fix_hint()}", "$.completion")


def finish(conf, ctx, state):
    conv = ctx.conventions
    if conv.get("completions") and conv.get("stop") is None and not conv.get("classification"):
        yield Finding(
            "completions share no common ending (stop sequence), so the fine-tuned model cannot tell where a "
            "completion ends; end every completion with a fixed marker that never occurs inside one, such as "
            "'\\n', '###' or ' END', and pass it as stop at inference"
        )
