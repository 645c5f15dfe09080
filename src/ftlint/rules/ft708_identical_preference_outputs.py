"""Preferred and non-preferred outputs are the same.

## What it does
Warns when a preference pair's two answers are equal: `preferred_output` and
`non_preferred_output` (OpenAI), `chosen` and `rejected` (TRL, ShareGPT
preference), `chosen_messages` and `rejected_messages` (LLaMA-Factory v1),
or the columns a `--trainer-config` names for them (LLaMA-Factory's
`columns: {"chosen": ..., "rejected": ...}`).

## Why it matters
DPO learns from the difference between the two answers. Identical answers
teach nothing and usually mean the pair was built from the wrong columns.

## Example
    "preferred_output": [{"role": "assistant", "content": "Paris"}],
    "non_preferred_output": [{"role": "assistant", "content": "Paris"}]

## Fix
Put the worse answer in the non-preferred (rejected) field, or drop the example.
"""

from ftlint.formats import PREFERENCE
from ftlint.problem import Finding
from ftlint.trainer_formats import LF_V1, SHAREGPT_PREFERENCE, TRL_PREFERENCE, mapping_of

CODE = "FT708"
NAME = "identical-preference-outputs"
SCOPE = "record"
LEVEL = "warning"
#: Each preference format's (preferred, rejected) keys.
PAIRS = {
    PREFERENCE: ("preferred_output", "non_preferred_output"),
    TRL_PREFERENCE: ("chosen", "rejected"),
    SHAREGPT_PREFERENCE: ("chosen", "rejected"),
    LF_V1: ("chosen_messages", "rejected_messages"),  # its SFT records have neither: nothing to compare
}
FORMATS = tuple(PAIRS)


def check(example, conf, ctx):
    preferred_key, rejected_key = PAIRS[example.format]
    if example.format != PREFERENCE:  # a trainer config may name the columns (dataset_info "columns")
        mapping = mapping_of(ctx, example.format)
        if mapping is not None and mapping.chosen and mapping.rejected:
            preferred_key, rejected_key = mapping.chosen, mapping.rejected
    preferred, rejected = example.data.get(preferred_key), example.data.get(rejected_key)
    # == alone says True == 1 and 1 == 1.0: the answers must also be the same JSON.
    if preferred and preferred == rejected and _json(preferred) == _json(rejected):
        if example.format == PREFERENCE:
            yield Finding("preferred and non-preferred outputs are identical, so the pair teaches nothing; "
                          "make the non-preferred output the worse answer or drop the pair", "$.non_preferred_output")
        else:
            yield Finding(f"{preferred_key} and {rejected_key} are identical, so the pair teaches nothing; put the "
                          f"worse answer in {rejected_key} or drop the pair", f"$.{rejected_key}")


def _json(value) -> bytes:
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):  # (a value that is not JSON: compare it as it is)
        return repr(value).encode()
