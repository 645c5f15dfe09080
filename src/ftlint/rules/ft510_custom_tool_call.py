"""Custom (non-function) tool call in training data.

## What it does
Warns about assistant tool calls of type `custom`
(`{"id": ..., "type": "custom", "custom": {"name": ..., "input": ...}}`).

## Why it matters
The 2025 API spec lists custom tool calls in the fine-tuning input schema, but
whether fine-tuning jobs accept and train on them is UNCONFIRMED (no
documentation or observed job says so). That is why this is a warning, not an
error.

## Example
    {"role": "assistant",
     "tool_calls": [{"id": "c1", "type": "custom", "custom": {"name": "sql", "input": "SELECT 1"}}]}

## Fix
If the job rejects the file, rewrite the calls as function calls
(`"type": "function"`, with JSON `arguments`) and define the tools as functions.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import all_messages
from ftlint.rules._tools import may_use_tools, tool_calls_of

CODE = "FT510"
NAME = "custom-tool-call"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    for where, m in all_messages(example):
        if m.get("role") != "assistant":
            continue
        for at, call in tool_calls_of(m, where):
            if call.get("type") == "custom":
                yield Finding("custom tool call: fine-tuning support for custom tool calls is unconfirmed; "
                              "use a function call if the job rejects it", at + ".type")
