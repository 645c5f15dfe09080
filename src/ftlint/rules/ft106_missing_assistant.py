"""Example has no assistant message.

## What it does
Reports a chat example without any message whose role is `assistant`. When no
example among the first 1,000 has one, the file looks like reinforcement
fine-tuning data, and the message says to lint it as such instead of offering
to drop the example. An example with a message whose role may be a misspelled
assistant (`"bot"`, `"gpt"`, or a missing or unknown role FT102 cannot place)
is left to FT102: the fix is that role, and `--fix --unsafe-fixes` must not
drop an example one word from valid. (A lone `"human"` message is a user's:
its example still lacks the assistant.)

## Why it matters
Supervised fine-tuning trains only on assistant messages; an example without
one contributes nothing but cost. (Reinforcement fine-tuning data has no
assistant answers by design; this rule does not apply to it.)

## Example
    {"messages": [{"role": "system", "content": "..."}, {"role": "user", "content": "Hi"}]}

## Fix
Add the assistant reply you want the model to learn, or drop the example
(`ftlint --fix --unsafe-fixes` drops it; it refuses to drop more than half of
a file). For reinforcement fine-tuning data, lint with `--method reinforcement`
and a model that takes it.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import iter_messages, may_be_misspelled

CODE = "FT106"
NAME = "missing-assistant-message"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
METHODS = ("supervised",)
FIXABLE = "unsafe"


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list) or not messages:
        return  # FT101
    if any(m["role"] == "assistant" for _, m in iter_messages(example.data)):
        return
    if may_be_misspelled(example.data, "assistant"):
        return  # a misspelled assistant role ("bot"): FT102 names it; dropping the example would lose it
    if ctx.conventions.get("no_assistant"):
        yield Finding("example has no assistant message, nor has any example at the start of this file: this looks "
                      "like reinforcement fine-tuning data, so lint it with --method reinforcement and a model that "
                      "takes it", "$.messages")
        return
    yield Finding("example has no assistant message, so nothing in it is trained; add the assistant reply or "
                  f"drop the example{ctx.fix_hint('ftlint --fix --unsafe-fixes drops it')}", "$.messages")
