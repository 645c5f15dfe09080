"""Text contains a reserved special token.

## What it does
Finds special-token markers in any string of an example, in every format. For
OpenAI and Azure OpenAI: `<|endoftext|>`, `<|fim_suffix|>`, `<|im_start|>`,
`<|endofprompt|>` and the other markers of their vocabularies and chat formats.
For the other providers and trainers: the `<|...|>` control tokens of the
model's own tokenizer (Llama 3: `<|eot_id|>`, `<|start_header_id|>`...; Qwen:
`<|im_end|>`...), from ftlint's tokenizer registry; a model whose tokenizer
lists none (Mistral's SentencePiece, the estimates) gets no check here.

## Why it matters
OpenAI's server rejects them (`[checks] special_tokens_rejected` in its
profile; Azure OpenAI's says the same, unconfirmed, so there it warns):
"Example 6174 message contains an invalid token: <|fim_suffix|>." (Feb 2026). A trainer that tokenizes text with special tokens
on (Hugging Face tokenizers do by default) reads the marker as the control
token, not as text: a stray `<|eot_id|>` in a reply teaches the model to stop
there. They usually leak in from scraped model output or a template meant for
another trainer.

## Example
    {"role": "assistant", "content": "Done.<|endoftext|>"}

## Fix
Delete the marker, or break it up (e.g. `<| endoftext |>`) if the text is about
tokens.
"""

import re
from functools import lru_cache

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._profile import fact
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
    # Whether the provider's file check rejects the markers is its profile's fact ([checks]
    # special_tokens_rejected: OpenAI, and Azure OpenAI unconfirmed); elsewhere a marker is a control token
    # of the model's tokenizer.
    rejected = limit(ctx, "checks.special_tokens_rejected", fact(ctx, "special_tokens_rejected"))
    model = ctx.model
    said = rejected.cited() if rejected is not None and rejected.value is True else None  # "" for OpenAI's own
    pattern, why = _markers_for(said, model.encoding if model is not None else None,
                                model.id if model is not None else None)
    if pattern is None:
        return None
    return _findings(example.data, pattern, why, unconfirmed=rejected is not None and not rejected.confirmed)


@lru_cache(maxsize=16)  # a function of its arguments: the rule stays stateless (workers run it)
def _markers_for(rejected: str | None, encoding: str | None, model_id: str | None) -> tuple:
    """``rejected``: how the profile's fact is cited when the provider's server rejects the markers, else None."""
    if rejected is not None or encoding is None:
        return PATTERN, f"which the API rejects{rejected or ''}; remove it"
    from ftlint.tokenizer import TOKENIZERS

    spec = TOKENIZERS.get(encoding)
    # Only the delimited <|...|> tokens: Qwen's <think> and <tool_call> are also how reasoning and tool calls
    # are written as text in its data.
    markers = sorted((t for t in (spec.special_tokens if spec is not None else ()) if t.startswith("<|")),
                     key=len, reverse=True)
    if not markers:
        return None, ""
    return (re.compile("|".join(map(re.escape, markers))),
            f"a control token of {model_id}'s tokenizer ({spec.name}): a trainer that tokenizes with special "
            "tokens on (Hugging Face's default) reads it as that token, not as text; remove it or break it up")


def _findings(data, pattern, why, unconfirmed: bool = False):
    for where, text in iter_strings(data):
        for match in pattern.finditer(text):
            yield Finding(f"text contains the reserved token {match.group(0)}, {why}", where, unconfirmed=unconfirmed)
