"""Grader key present in some RFT examples but missing in others.

## What it does
With `--method reinforcement`, counts the top-level keys other than
`messages` and `tools` (the grader's `{{item.<key>}}` data) and warns, per key,
when some examples lack it, with the number of examples that have it and the
first line without it. The keys and their counts are listed in the file's
statistics (`grader_keys` in the JSON report).

## Why it matters
A grader that reads `{{item.answer}}` gets nothing for an example without
`answer`: that example is graded against an empty reference and its reward is
noise. Extra keys are legal in RFT data, so only the inconsistency is reported.

## Example
    {"messages": [...], "answer": "C"}
    {"messages": [...]}

## Fix
Add the key to every example (or drop it everywhere if the grader does not
read it).
"""

from ftlint.grader_keys import GraderKeyCounts
from ftlint.problem import Finding

CODE = "FT803"
NAME = "grader-key-inconsistent"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("reinforcement",)


def begin(conf, ctx):
    return GraderKeyCounts()


def check(example, conf, ctx, counts):
    counts.add(example.data, example.line)
    return ()


def finish(conf, ctx, counts):
    for key, have in sorted(counts.counts.items()):
        if have < counts.examples:
            yield Finding(
                f'grader key "{key}" is in {have:,} of {counts.examples:,} examples (first missing on line '
                f"{counts.first_missing.get(key, '?')}); examples without it are graded against nothing",
                f"$.{key}",
            )
