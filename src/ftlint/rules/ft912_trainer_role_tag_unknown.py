"""A message's role value matches none of the role tags the trainer is told.

## What it does
With the role key and tags of a `dataset_info.json` entry (`role_tag`,
`user_tag`, `assistant_tag`, `observation_tag`, `function_tag`, `system_tag`),
an Axolotl `roles` mapping, or the trainer's defaults, reports the first
message whose role value is none of them, or that has no role key at all.

## Why it matters
LLaMA-Factory raises `ValueError: Invalid role tag` or skips the example;
Axolotl trains on a turn it cannot place. OpenAI-style data (`role`/`content`,
`user`/`assistant`) read with ShareGPT's default tags (`from`/`value`,
`human`/`gpt`) is the common case.

## Example
    dataset_info.json: {"formatting": "sharegpt", "columns": {"messages": "messages"}}
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}

## Fix
Declare the tags the data uses (`"tags": {"role_tag": "role", "content_tag":
"content", "user_tag": "user", "assistant_tag": "assistant"}`) or map the roles
in Axolotl's `roles:`.
"""

from ftlint.problem import Finding
from ftlint.trainer_formats import CHAT_LIKE, mapping_of, turns_of

CODE = "FT912"
NAME = "trainer-role-tag-unknown"
SCOPE = "record"
LEVEL = "error"
FORMATS = CHAT_LIKE


def check(example, conf, ctx):
    mapping = mapping_of(ctx, example.format)
    turns = turns_of(example, mapping)
    if mapping is None or turns is None:
        return
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            continue
        if mapping.role_key not in turn:
            keys = ", ".join(sorted(map(str, turn)))
            yield Finding(f"message {i} has no {mapping.role_key!r} key, where {mapping.where} reads the role "
                          f"(it has: {keys}); declare the role key the data uses (role_tag) or rename it",
                          f"$.{mapping.messages}[{i}]")
            return
        value = turn[mapping.role_key]
        if isinstance(value, str) and value in mapping.roles:
            continue
        yield Finding(f"role {value!r} of message {i} matches none of the role tags of {mapping.where} "
                      f"({mapping.tag_list()}); the trainer stops with \"Invalid role tag\" or skips the example: "
                      "declare the tags the data uses", f"$.{mapping.messages}[{i}].{mapping.role_key}")
        return
