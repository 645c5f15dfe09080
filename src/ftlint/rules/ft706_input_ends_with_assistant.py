"""Preference input ends with an assistant message.

## What it does
Reports a preference example whose `input.messages` ends with an assistant
message.

## Why it matters
DPO trains on one turn: the preferred and non-preferred outputs are the
assistant's answer to the input's last message ("we only train on one-turn
conversations for each example"). An input ending with the assistant leaves
the outputs answering nothing, or means the answer was left in the input.

## Example
    {"input": {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}, ...}

## Fix
End the input with the user (or tool) message the outputs answer; move a
trailing assistant answer into the outputs.
"""

from ftlint.problem import Finding

CODE = "FT706"
NAME = "input-ends-with-assistant"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)


def check(example, conf, ctx):
    inp = example.data.get("input")
    messages = inp.get("messages") if isinstance(inp, dict) else None
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
        if messages[-1].get("role") == "assistant":
            yield Finding("input ends with an assistant message; the outputs must be the answer to the input's last "
                          "message, so end the input with the user turn", f"$.input.messages[{len(messages) - 1}]")
