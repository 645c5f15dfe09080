"""Preference (DPO) example has the wrong shape.

## What it does
Checks that a preference example has an `input` object with a non-empty
`messages` array of objects, and that `preferred_output` and
`non_preferred_output` are arrays of exactly one assistant message each.

## Why it matters
DPO compares two answers to one prompt; the API takes at most one message per
output array, and the outputs are the assistant's final turn. Anything else
fails validation or gives nothing to compare.

## Example
    {"input": {"messages": [...]}, "preferred_output": {"role": "assistant", "content": "A"},
     "non_preferred_output": []}

## Fix
Write both outputs as one-item arrays:
`"preferred_output": [{"role": "assistant", "content": "A"}]`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import PREFERENCE_OUTPUTS, a_type
from ftlint.rules.ft703_misnamed_preference_key import OLD_NAMES

CODE = "FT702"
NAME = "preference-shape"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("preference",)


def _input_problems(data: dict) -> list[Finding]:
    if "input" not in data:
        return [Finding('preference example has no "input" object with the prompt messages', "$")]
    inp = data["input"]
    if not isinstance(inp, dict):
        return [Finding(f'input must be an object {{"messages": [...]}}, not {a_type(inp)}', "$.input")]
    messages = inp.get("messages")
    if "messages" not in inp:
        return [Finding('input has no "messages": the prompt the two outputs answer', "$.input")]
    if not isinstance(messages, list):
        return [Finding(f"input.messages must be an array of messages, not {a_type(messages)}",
                        "$.input.messages")]
    if not messages:
        return [Finding("input.messages is empty; it needs the prompt the outputs answer", "$.input.messages")]
    return [Finding(f"message {i} is {a_type(m)}, not an object", f"$.input.messages[{i}]")
            for i, m in enumerate(messages) if not isinstance(m, dict)]


def _output_problems(data: dict, key: str) -> list[Finding]:
    where = f"$.{key}"
    if key not in data:
        if OLD_NAMES.get(key) in data:
            return []  # FT703 names the right key
        return [Finding(f'preference example has no "{key}"; add [{{"role": "assistant", "content": ...}}]', "$")]
    output = data[key]
    if isinstance(output, dict):
        return [Finding(f"{key} must be an array holding the message, not the message itself; wrap it in [ ]", where)]
    if not isinstance(output, list):
        return [Finding(f"{key} must be an array with one assistant message, not {a_type(output)}", where)]
    if len(output) != 1:
        return [Finding(f"{key} must hold exactly one assistant message, not {len(output)}", where)]
    message = output[0]
    if not isinstance(message, dict):
        return [Finding(f"{key}[0] is {a_type(message)}, not a message object", where + "[0]")]
    role = message.get("role")
    if role != "assistant" and isinstance(role, str):
        return [Finding(f'{key}[0] must be an assistant message, not a {role} message', where + "[0].role")]
    return []


def check(example, conf, ctx):
    data = example.data
    yield from _input_problems(data)
    for key in PREFERENCE_OUTPUTS:
        yield from _output_problems(data, key)
