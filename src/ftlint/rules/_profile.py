"""Provider facts that single rules read (the ``[checks]`` table of rules/providers/<id>.toml).

A rule never carries a provider's limit as a constant: it asks the run's
provider, and when the provider states nothing the rule has nothing to check.
"""

from __future__ import annotations


def fact(ctx, key: str, default=None):
    """The value of ``key`` in the run's provider's ``[checks]``, or ``default``."""
    provider = getattr(ctx.run, "provider", None)
    checks = getattr(provider, "checks", None) or {}
    return checks.get(key, default)


def source(ctx, key: str) -> str:
    """Where the provider's fact comes from, for messages ("" when it is not recorded)."""
    provider = getattr(ctx.run, "provider", None)
    cite = getattr(provider, "cite", None)
    if cite is None:
        return ""
    try:
        return cite(f"checks.{key}")
    except (KeyError, LookupError):
        return ""


def model_id(ctx) -> str:
    model = ctx.model if ctx.model is not None else getattr(ctx.run, "model", None)
    return getattr(model, "id", "") or ""
