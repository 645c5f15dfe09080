"""Preference pairs and supervised examples in one file.

## What it does
For the formats that hold both supervised examples and preference pairs in one
record shape (LLaMA-Factory v1: `messages` or `chosen_messages` /
`rejected_messages`; Amazon Bedrock: a final message with `candidates`),
reports each record of the other kind than the file's method: a pair in a
file linted as supervised, a supervised example in a file linted as DPO. The
method is `--method`, else what most of the file's first records are.

## Why it matters
A job trains with one method: LLaMA-Factory runs one stage (`sft` or `dpo`)
over a dataset, Bedrock one customization type. The records of the other kind
are rejected or read wrongly (a pair's answers as one conversation, or a plain
conversation as a pair with nothing to compare).

## Example
    {"messages": [...]}                                 (supervised)
    {"chosen_messages": [...], "rejected_messages": [...]}   (a pair, in the same file)

## Fix
Move the records of the other kind to a file of their own, and train each file
with its method.
"""

from ftlint import formats
from ftlint.formats import DPO, SUPERVISED
from ftlint.problem import Finding

CODE = "FT022"
NAME = "mixed-record-kinds"
SCOPE = "record"
LEVEL = "error"


def check(example, conf, ctx):
    # A plain function, not a generator: it is called for every example and finds nothing in nearly all.
    declared = formats.get(example.format)
    if declared is None or declared.preference_record is None or ctx.method not in (DPO, SUPERVISED):
        return None
    pair = bool(declared.preference_record(example.data))
    if pair == (ctx.method == DPO):
        return None
    if pair:
        return (Finding("record is a preference pair but this file is linted as supervised; a job trains with one "
                        "method: move the pairs to a file of their own (or lint the file with --method dpo)"),)
    return (Finding("record is a supervised example but this file is linted as DPO; a job trains with one method: "
                    "move the supervised examples to a file of their own"),)
