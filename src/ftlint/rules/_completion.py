"""Shared test for the legacy prompt/completion record rules (FT201-FT203).

Their guard (GUARD in the rule contract): most records of a prompt/completion
file have exactly the two keys, both strings, and a completion with text, so
one test per example lets the engine skip the whole group.
"""

from __future__ import annotations


def unusual(example, ctx) -> bool:
    """False for an ordinary record: exactly "prompt" and "completion", both strings, and a completion
    that has text other than the file's stop sequence. FT201, FT202 and FT203 find nothing in one."""
    data = example.data
    if len(data) != 2:
        return True
    prompt, completion = data.get("prompt"), data.get("completion")
    if type(prompt) is not str or type(completion) is not str:
        return True
    if not completion or completion.isspace():  # no text (isspace: a scan, no copy)
        return True
    stop = ctx.conventions.get("stop")
    return bool(stop) and completion.strip() == stop.strip()
