"""The column the trainer reads the conversation from is missing.

## What it does
Reports, once per file, an example without the column the trainer reads:
the `messages` column of a LLaMA-Factory `dataset_info.json` entry, Axolotl's
`field_messages` (default `messages` since August 2025, `conversations`
before), or the Alpaca instruction column, with the keys the example has.

## Why it matters
The trainer fails with `KeyError: 'messages'` while mapping the dataset, or
LLaMA-Factory builds an empty dataset, after the model has loaded.

## Example
    --trainer-config axolotl.yaml   (type: chat_template, no field_messages)
    {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]}

## Fix
Name the column in the config (`columns: {"messages": "conversations"}` in
dataset_info.json, `field_messages: conversations` in Axolotl), or rename it
in the data.
"""

from ftlint.problem import Finding
from ftlint.trainer_formats import CONVERSATIONAL, TRL_TEXT, mapping_of

CODE = "FT911"
NAME = "trainer-column-missing"
SCOPE = "record"
LEVEL = "error"
FORMATS = (*CONVERSATIONAL, TRL_TEXT)
STATEFUL = True  # reports each missing column once per file (ctx.once)


def check(example, conf, ctx):
    mapping = mapping_of(ctx, example.format)
    if mapping is None:
        return
    column = mapping.prompt if mapping.formatting == "alpaca" else mapping.messages
    setting = mapping.setting_names.get("messages", "the messages column")
    if mapping.formatting == "alpaca":
        setting = 'columns "prompt"'
    if column in example.data or not ctx.once(f"{CODE}:{column}"):
        return
    keys = ", ".join(sorted(map(str, example.data))) or "none"
    hint = ""
    if mapping.trainer == "axolotl" and column == "messages" and "conversations" in example.data:
        hint = (" (Axolotl's default field_messages became \"messages\" in August 2025; it was \"conversations\": "
                "set field_messages: conversations)")
    yield Finding(f"{mapping.where} reads the conversation from column {column!r} ({setting}), which this example "
                  f"lacks (it has: {keys}){hint}; the trainer fails with KeyError: {column!r}: name the column in "
                  "the config or in the data (reported once per file)")
