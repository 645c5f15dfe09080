"""Text contains a reserved special token.

## What it does
Finds special-token markers such as `<|endoftext|>`, `<|fim_suffix|>`,
`<|im_start|>` or `<|endofprompt|>` in any string of an example, in every format.

## Why it matters
The server rejects them: "Example 6174 message contains an invalid token:
<|fim_suffix|>." (Feb 2026). They usually leak in from scraped model output or
a template meant for another trainer.

## Example
    {"role": "assistant", "content": "Done.<|endoftext|>"}

## Fix
Delete the marker, or break it up (e.g. `<| endoftext |>`) if the text is about
tokens.
"""

import re

from ftlint.problem import Finding
from ftlint.rules._walk import iter_strings

CODE = "FT112"
NAME = "reserved-special-token"
SCOPE = "record"
LEVEL = "error"

#: Special tokens of cl100k_base / o200k_base and the chat-format markers.
RESERVED = (
    "endoftext", "fim_prefix", "fim_middle", "fim_suffix", "endofprompt",
    "im_start", "im_end", "im_sep", "start", "end", "message", "channel",
    "return", "call", "constrain",
)
PATTERN = re.compile(r"<\|(" + "|".join(RESERVED) + r")\|>")


def check(example, conf, ctx):
    raw = example.raw
    # Fast path: the marker can only be there if "<|" is in the line, or an
    # escaped "<" / "|" (rare, hand-written JSON).
    # find, not ``in``: CPython's bytes ``in`` first tries the needle as an integer, and the
    # TypeError it raises and clears costs more than the search (3.11: ~0.7 us a test).
    if raw is not None and raw.find(b"<|") < 0 and raw.find(b"\\u00") < 0:
        return None  # a plain function, not a generator: called for every example
    return _findings(example.data)


def _findings(data):
    for where, text in iter_strings(data):
        for match in PATTERN.finditer(text):
            yield Finding(f"text contains the reserved token {match.group(0)}, which the API rejects; remove it", where)
