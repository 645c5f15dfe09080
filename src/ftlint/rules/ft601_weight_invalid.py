"""Assistant message `weight` is not 0 or 1.

## What it does
Checks that `weight` on an assistant message is a value the run's provider
accepts (`values` of `[weights]` in `rules/providers/<id>.toml`: 0 or 1 for
every shipped provider; a provider without `[weights]` takes no `weight`). Booleans,
fractions (0.5), strings ("1") and other numbers are reported. (`weight` on
other roles is FT103's business.) 1.0 and 0.0 are accepted, as JSON Schema
counts them as integers.

## Why it matters
`weight` is a switch, not a scale: 1 trains on the message, 0 skips it. The API
validates it strictly; a job failed with "Example 1 contains an extra
\"weight\"" when weights were not where and what the schema allows.

## Example
    {"role": "assistant", "content": "...", "weight": 0.5}
    {"role": "assistant", "content": "...", "weight": true}

## Fix
Use `"weight": 1` to train on the message and `"weight": 0` to skip it, or
leave it out (the default is 1).
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type, all_messages, has_weights
from ftlint.rules._limits import limit

CODE = "FT601"
NAME = "weight-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat", "preference")
GUARD = has_weights


def is_weight(value, allowed=(0, 1)) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value in allowed


def check(example, conf, ctx):
    provider = ctx.run.provider
    rule = limit(ctx, "weights.values", provider.weights or None)
    for where, m in all_messages(example):
        if m.get("role") != "assistant" or "weight" not in m:
            continue
        if rule is None:
            yield Finding(f"weight is not something {provider.title} takes on messages; remove it", where + ".weight")
        elif not is_weight(m["weight"], rule.value):
            value = m["weight"]
            shown = str(value).lower() if isinstance(value, (bool, int, float)) else f"{a_type(value)}"
            allowed = " or ".join(map(str, rule.value))
            yield Finding(f"weight must be {allowed}, not {shown}; 1 trains on the message, 0 skips it{rule.cited()}",
                          where + ".weight", unconfirmed=not rule.confirmed)
