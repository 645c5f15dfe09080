"""The chat template does not write a message (it is never seen in training).

## What it does
With `--chat-template`, reports messages whose content or tool calls do not
appear in the rendered text: tool calls of a template without tools (Gemma),
tool results of a template with no tool role, a role the template skips.

## Why it matters
The trainer silently trains on a different conversation than the file holds:
an assistant turn of only tool calls becomes an empty answer, a tool result
vanishes and the next answer seems to come from nowhere.

## Example
    --chat-template gemma3
    {"messages": [{"role": "user", "content": "weather?"}, {"role": "assistant", "tool_calls": [...]}]}

## Fix
Pick a template that writes tools (Qwen, Llama 3, Mistral), or convert the
tool turns into text the template writes.
"""

from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check
from ftlint.problem import Finding, plural

CODE = "FT903"
NAME = "message-dropped-by-template"
SCOPE = "record"
LEVEL = "warning"
FORMATS = CONVERSATIONAL


def check(example, conf, ctx):
    from ftlint.chat_template import conversation, message_path, rendered

    found = rendered(example, ctx)
    if found is None or not found[1].missing:
        return
    settings, rendering = found
    messages = conversation(example, ctx)[0]
    first = rendering.missing[0]
    roles = sorted({str(messages[i].get("role")) for i in rendering.missing})
    what = "its tool calls" if messages[first].get("tool_calls") else "its content"
    yield Finding(f"the {settings.spec.label} template does not write {plural(len(rendering.missing), 'message')} "
                  f"({', '.join(roles)}; the first at position {first}, {what}): the model never sees "
                  "them; use a template that writes them or rewrite those turns as text", message_path(example, f"[{first}]"))
