"""The turns are not in the order LLaMA-Factory takes ShareGPT data.

## What it does
For ShareGPT-formatted data read by LLaMA-Factory: after an optional leading
system turn, a user or observation turn must stand at every even position and
an assistant or function-call turn at every odd one, and the count must be
even (it ends on an answer). Reports the first turn out of place.

## Why it matters
LLaMA-Factory logs "Invalid role tag" and drops the example: the dataset
silently shrinks, possibly to nothing.

## Example
    {"conversations": [{"from": "human", "value": "hi"}, {"from": "human", "value": "again"}, {"from": "gpt", "value": "hello"}]}

## Fix
Merge consecutive turns of one side, and end every conversation on an answer.
"""

from ftlint.problem import Finding
from ftlint.trainer_config import ASSISTANT, SYSTEM, TOOL_CALL, TOOL_RESULT, USER
from ftlint.trainer_formats import SHAREGPT, SHAREGPT_PREFERENCE, mapping_of, turns_of

CODE = "FT913"
NAME = "trainer-turn-order"
SCOPE = "record"
LEVEL = "error"
FORMATS = (SHAREGPT, SHAREGPT_PREFERENCE, "chat")

_ASKS, _ANSWERS = (USER, TOOL_RESULT), (ASSISTANT, TOOL_CALL)


def check(example, conf, ctx):
    mapping = mapping_of(ctx, example.format)
    if mapping is None or mapping.trainer != "llama-factory" or mapping.formatting != "sharegpt":
        return
    turns = turns_of(example, mapping)
    if not turns or not all(isinstance(t, dict) for t in turns):
        return
    # A tag that is a list or an object tags nothing (and cannot be looked up: unhashable).
    roles = [mapping.roles.get(tag) if isinstance(tag := t.get(mapping.role_key), str) else None for t in turns]
    if None in roles:
        return  # FT912 names the unknown tag
    start = 1 if roles[0] == SYSTEM else 0
    body = roles[start:]
    for n, role in enumerate(body):
        wanted = _ASKS if n % 2 == 0 else _ANSWERS
        if role not in wanted:
            side = "a user or observation turn" if n % 2 == 0 else "an assistant or function-call turn"
            yield Finding(f"turn {start + n} is {role} where LLaMA-Factory expects {side}; it logs "
                          "\"Invalid role tag\" and drops the example: merge or reorder the turns",
                          f"$.{mapping.messages}[{start + n}]")
            return
    ranking = example.format == SHAREGPT_PREFERENCE or mapping.ranking
    if len(body) % 2 != (1 if ranking else 0):
        ends = "a user turn (the chosen and rejected answers follow it)" if ranking else "an answer"
        yield Finding(f"the conversation has {len(body)} turns after the system turn; LLaMA-Factory needs it to end "
                      f"on {ends} and drops the example otherwise", f"$.{mapping.messages}")
