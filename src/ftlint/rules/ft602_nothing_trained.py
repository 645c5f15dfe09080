"""Every assistant message of the example has weight 0.

## What it does
Warns about a supervised chat example whose assistant messages all carry
`"weight": 0`.

## Why it matters
Weight 0 excludes a message from training. With all of them excluded the
example trains on nothing, yet its tokens are still billed.

## Example
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello", "weight": 0}]}

## Fix
Set `"weight": 1` (or remove `weight`) on the replies to learn, or drop the
example.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import has_weights, iter_messages

CODE = "FT602"
NAME = "nothing-trained"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("supervised",)
GUARD = has_weights


def check(example, conf, ctx):
    weights = [m.get("weight", 1) for _, m in iter_messages(example.data) if m["role"] == "assistant"]
    if weights and all(type(w) in (int, float) and w == 0 for w in weights):
        which = "the only assistant message has" if len(weights) == 1 else f"all {len(weights)} assistant messages have"
        yield Finding(f"{which} weight 0, so the example trains on nothing but is still billed; "
                      "set weight 1 on a reply to learn from or drop the example", "$.messages")
