"""Conversation ends after the last assistant message.

## What it does
Warns when the last message of an example is not an assistant message (and the
example has one). The message says what the run's provider states about the
last message (`roles.last` in `rules/providers/<id>.toml`): a provider that
states that the conversation ends with certain roles (OpenAI, Azure OpenAI:
assistant) is named with its source; for a provider that states no last-role
rule (Together AI, Fireworks AI) the warning says so, and is only about the
tokens that train nothing.

## Why it matters
Messages after the last assistant turn are never trained on: the user turn at
the end only costs tokens. It is often a sign the conversation was cut at the
wrong place. A warning, not an error: the providers' guides show examples
ending with the assistant reply, but none of the sources ftlint has says a job
fails on one that does not (the message says "expects", not "requires").

## Example
    [user, assistant, user]

## Fix
End each example with the assistant reply to learn, or drop the trailing turns.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import article, path
from ftlint.rules._limits import limit

CODE = "FT109"
NAME = "ends-without-assistant"
SCOPE = "record"
LEVEL = "warning"
FORMATS = ("chat",)
METHODS = ("supervised",)


def check(example, conf, ctx):
    messages = example.data.get("messages")
    if not isinstance(messages, list) or not messages:
        return
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") == "assistant":
        return
    roles = [m.get("role") for m in messages if isinstance(m, dict)]
    if "assistant" not in roles:
        return  # FT106
    trailing = len(messages) - 1 - max(i for i, r in enumerate(roles) if r == "assistant")
    role = str(last.get("role"))
    after, them = ("the message", "it") if trailing == 1 else (f"the {trailing} messages", "them")
    untrained = (f"{after} after the last assistant reply {'is' if trailing == 1 else 'are'} never trained, "
                 f"so end it with the reply or remove {them}")
    allowed_last = ctx.run.provider.roles.last
    if not allowed_last:
        title = ctx.run.provider.title
        yield Finding(f"example ends with {article(role)} {role} message; {title} states no rule for the last "
                      f"message, but {untrained}", path(len(messages) - 1))
        return
    rule = limit(ctx, "roles.last", allowed_last)
    if role in allowed_last:  # the provider lets it end here; the trailing turns still train nothing
        yield Finding(f"example ends with {article(role)} {role} message; {untrained}", path(len(messages) - 1))
        return
    required = f"{rule.provider} expects the last message to be {' or '.join(allowed_last)}{rule.cited()}"
    yield Finding(f"example ends with {article(role)} {role} message; {untrained}; {required}",
                  path(len(messages) - 1), unconfirmed=not rule.confirmed)
