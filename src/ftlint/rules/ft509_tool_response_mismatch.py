"""Tool calls and tool answers do not pair up.

## What it does
Follows the conversation and checks the tool loop: every `tool` message has a
`tool_call_id` that answers a call made by an earlier assistant message of the
same example; every call gets exactly one answer before the next assistant
message; and (legacy) every `function` message answers a preceding
`function_call` of the same name. An example may end on an assistant call with
no answer: that call is the training target.

## Why it matters
The model learns from the loop call → result → reply. An answer to no call, a
call answered twice, or a call whose result never comes teaches a conversation
that cannot happen; the chat API rejects such message lists outright.

## Example
    {"role": "assistant", "tool_calls": [{"id": "call_1", ...}]},
    {"role": "tool", "tool_call_id": "call_2", "content": "18°C"}

## Fix
Set each tool message's `tool_call_id` to the id of the call it answers, and
give every call its answer before the assistant speaks again.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import conversation
from ftlint.rules._tools import may_use_tools, tool_calls_of

CODE = "FT509"
NAME = "tool-response-mismatch"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = may_use_tools


def check(example, conf, ctx):
    pending: dict[str, str] = {}  # call id -> where the call is
    answered: set[str] = set()
    pending_function: tuple[str, str] | None = None  # (name, where) of a legacy function_call
    for where, m in conversation(example):
        role = m.get("role")
        if role == "assistant":
            for call_id, at in pending.items():
                yield Finding(f'tool call "{call_id}" ({at}) gets no tool message before the next assistant message',
                              where)
            if pending_function is not None:
                yield Finding(f'function_call "{pending_function[0]}" ({pending_function[1]}) gets no function '
                              "message before the next assistant message", where)
            pending, answered, pending_function = {}, set(), None
            for at, call in tool_calls_of(m, where):
                call_id = call.get("id")
                if not isinstance(call_id, str) or not call_id:
                    continue  # FT505
                if call_id in pending:
                    yield Finding(f'two calls in one message share the id "{call_id}"; each needs its own', at + ".id")
                pending[call_id] = at
            legacy = m.get("function_call")
            if isinstance(legacy, dict) and isinstance(legacy.get("name"), str):
                pending_function = (legacy["name"], where)
        elif role == "tool":
            call_id = m.get("tool_call_id")
            if not isinstance(call_id, str) or not call_id:
                yield Finding('tool message has no "tool_call_id"; set it to the id of the call it answers', where)
            elif call_id in pending:
                answered.add(call_id)
                del pending[call_id]
            elif call_id in answered:
                yield Finding(f'second answer to tool call "{call_id}"; each call gets exactly one tool message',
                              where + ".tool_call_id")
            else:
                yield Finding(f'tool message answers "{call_id}", but no earlier assistant message in this example '
                              "made a call with that id", where + ".tool_call_id")
        elif role == "function":
            name = m.get("name")
            if pending_function is None:
                yield Finding("function message answers no function_call of the preceding assistant message", where)
            elif isinstance(name, str) and name != pending_function[0]:
                yield Finding(f'function message is named "{name}" but answers a call to "{pending_function[0]}"',
                              where + ".name")
            pending_function = None
