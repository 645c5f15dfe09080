"""The chat template refuses the conversation.

## What it does
With `--chat-template FAMILY|FILE`, renders each chat example the way the
trainer will (the family's own code, or the template text in a sandbox) and
reports an example the template refuses, with the template's own words:
roles that do not alternate, a system message the template has no place for
(Gemma 2), a role it does not know, content it cannot join. A user's template
renders in a sandbox bounded in memory: one that would build more than 16 M
characters (`{{ m.content * 100000000 }}`) is reported here, with what asked
for it, instead of exhausting memory.

## Why it matters
TRL, Axolotl and Unsloth apply the chat template while building the dataset;
one refused example stops the run with `TemplateError: Conversation roles
must alternate user/assistant/...`, often after the model has loaded.

## Example
    --chat-template gemma2
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}

## Fix
Fold the system message into the first user turn, merge consecutive turns of
one role, or pick the template of the model you really train.
"""

from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check
from ftlint.problem import Finding

CODE = "FT901"
NAME = "template-rejects-conversation"
SCOPE = "record"
LEVEL = "error"
FORMATS = CONVERSATIONAL


def check(example, conf, ctx):
    from ftlint.chat_template import Rejected, checked, message_path

    found = checked(example, ctx)
    if found is None:
        return
    settings, rendering = found
    if isinstance(rendering, Rejected):
        advice = rendering.advice or "the trainer stops on it; change the conversation to fit the template"
        yield Finding(f"the {settings.spec.label} chat template refuses this conversation: {rendering}; {advice}",
                      message_path(example))
