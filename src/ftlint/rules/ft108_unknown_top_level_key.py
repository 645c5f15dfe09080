"""Chat example has an unknown top-level key.

## What it does
Reports top-level keys other than `messages`, `tools`, `parallel_tool_calls`
and `functions` in supervised chat data.

## Why it matters
An unknown top-level key was observed to fail the whole job ("Example 1
contains an extra ..."). IDs, sources and scores must be kept outside the
training file. (Reinforcement data is different: extra keys there are grader
inputs, so this rule does not apply to it.)

It applies to the services that validate the file (OpenAI, Azure OpenAI,
Together, Fireworks). The open trainers (TRL, Axolotl, LLaMA-Factory) load the
file with `datasets`, where other columns are kept aside (the Trainer's
`remove_unused_columns`), and LLaMA-Factory's `images`, `videos`, `audios`,
`system` and `tools` columns are data: an `images` key beside `messages` is
its multimodal format, not an error.

## Example
    {"id": 17, "messages": [...]}

## Fix
Remove the key from the training file; keep metadata in a side file keyed by
line number.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import CHAT_TOP_LEVEL_KEYS

CODE = "FT108"
NAME = "unknown-top-level-key"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
METHODS = ("supervised",)
PROVIDERS = ("openai", "azure-openai", "together", "fireworks")

ALLOWED = CHAT_TOP_LEVEL_KEYS


def check(example, conf, ctx):
    for key in sorted(example.data.keys() - ALLOWED):
        yield Finding(
            f'unknown top-level key "{key}"; a chat example may only have {", ".join(sorted(ALLOWED))}', f"$.{key}"
        )
