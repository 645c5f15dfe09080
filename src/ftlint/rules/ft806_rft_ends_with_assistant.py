"""Reinforcement fine-tuning example ends with an assistant message.

## What it does
With `--method reinforcement` (or a model that trains only with it), reports an
example whose last message is the assistant's.

## Why it matters
In reinforcement fine-tuning the model writes the next turn and the grader
scores it; `messages` is the prompt. An example that ends with an assistant
reply gives the model the answer as part of the prompt, and the grader scores
a turn after it. This is usually supervised data sent to an RFT job.

## Example
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}], "answer": "4"}

## Fix
End the example with the user (or tool) turn the model should answer, and
move the expected answer into a grader key (`"answer": "4"`, read by the grader
as `{{item.answer}}`).
"""

from ftlint.problem import Finding
from ftlint.rules._chat import iter_messages, path

CODE = "FT806"
NAME = "rft-ends-with-assistant"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("reinforcement",)


def check(example, conf, ctx):
    last = None
    for i, m in iter_messages(example.data):
        last = (i, m)
    if last is not None and last[1]["role"] == "assistant":
        yield Finding("the example ends with an assistant message, so the answer is part of the prompt the model "
                      "continues; end with the turn the model should answer and put the expected answer in a "
                      'grader key (e.g. "answer")', path(last[0], "role"))
