"""A Bedrock Nova example's messages do not alternate user then assistant.

## What it does
Checks that `messages` holds at least two messages, starts with a user
message, alternates user and assistant, and ends with an assistant message
(for DPO, the final assistant message holding `candidates`).

## Why it matters
Nova's validator rejects any other order, and the job fails before training.

## Example
    {"schemaVersion": "bedrock-conversation-2024",
     "messages": [{"role": "user", "content": [{"text": "Hi"}]}, {"role": "user", "content": [{"text": "?"}]}]}

## Fix
Merge consecutive messages of one role, and end with the assistant's answer.
"""

from ftlint.problem import Finding

CODE = "FT161"
NAME = "bedrock-turn-order"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("bedrock",)
PROVIDERS = ("bedrock-nova",)


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list):
        return  # FT160's
    roles = [m.get("role") if isinstance(m, dict) else None for m in messages]
    if len(roles) < 2:
        yield Finding(f"an example needs at least 2 messages for Bedrock (a user message and the assistant's answer); "
                      f"this example has {len(roles)}", json_path="$.messages")
        return
    for i, role in enumerate(roles):
        expected = "user" if i % 2 == 0 else "assistant"
        if role != expected:
            yield Finding(f"message {i + 1} is {str(role)[:20]!r} but must be {expected}: messages alternate user "
                          "then assistant", json_path=f"$.messages[{i}].role")
            return
    if roles[-1] != "assistant":
        yield Finding("the example ends with a user message; end it with the assistant's answer",
                      json_path=f"$.messages[{len(roles) - 1}]")
