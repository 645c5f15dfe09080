r"""Prompt does not end with the file's separator.

## What it does
Learns the separator from the first 1,000 prompts: a marker nearly all of them
end with and almost none contains before its end, such as ` ->` or
`\n\n###\n\n` (a full stop most prompts happen to end with before it is not
part of it; end punctuation, spaces and words alone are no separator). Reports
each prompt that does not end with it. When the prompts share no separator,
reports that once for the file, as the legacy `prepare_data` tool did, and
offers no fix. Skipped when every prompt is empty (open-ended generation).

## Why it matters
Legacy completion models need a fixed marker to know where the prompt ends and
the completion begins; at inference you append the same separator. Prompts
without it train a different boundary.

## Example
    {"prompt": "Great product ->", "completion": " positive"}
    {"prompt": "Terrible", "completion": " negative"}

## Fix
Append the separator to every prompt (`ftlint --fix` does it).
"""

from ftlint.problem import Finding

CODE = "FT204"
NAME = "missing-separator"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("completion",)
PROVIDERS = ("openai",)  # OpenAI's legacy completion models; other trainers template the prompt
FIXABLE = "safe"


def begin(conf, ctx):
    return {"missing": 0}


def checks_examples(conf, ctx):
    return ctx.conventions.get("separator") is not None  # no separator: finish says so once


def check(example, conf, ctx, state):
    separator = ctx.conventions.get("separator")
    prompt = example.data.get("prompt")
    if separator is None or not isinstance(prompt, str) or prompt.endswith(separator):
        return
    state["missing"] += 1
    yield Finding(f"prompt does not end with the separator {separator!r} that the other prompts end with; "
                  f"append it{ctx.fix_hint()}", "$.prompt")


def finish(conf, ctx, state):
    conv = ctx.conventions
    if conv.get("prompts") and conv.get("separator") is None and not conv.get("open_ended"):
        yield Finding(
            "prompts share no common separator, so the fine-tuned model cannot tell where a prompt ends and the "
            "completion begins; end every prompt with a fixed marker that never occurs inside one, such as "
            "'\\n\\n###\\n\\n' or ' ->' (or leave every prompt empty for open-ended generation)"
        )
