"""Provider limits for rules: a value the user configured wins, else the run's provider profile.

Rules never hold a provider's number: they ask :func:`limit` for it, with the
rule's option (None when the user did not set it) and the profile key. The
answer says where the number comes from, so messages can name it, and whether
the profile confirms it: a finding about an unconfirmed fact is at most a
warning and says so (``Finding(unconfirmed=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ftlint.formats import SUPERVISED
from ftlint.providers import DEFAULT_PROVIDER


@dataclass(frozen=True)
class Limit:
    value: Any
    source: str  # "configured", or the fact's source in the profile
    confirmed: bool
    provider: str  # the provider's title ("" when configured)
    default_provider: bool  # the run's provider is ftlint's default (OpenAI)

    @property
    def configured(self) -> bool:
        return self.source == "configured"

    def cited(self) -> str:
        """`` (Fireworks AI's documentation)`` after a limit in a message; "" for the default provider's
        confirmed facts (messages stay as they were) and for configured values. Words, not the
        profile's source tags: ``--list-providers`` lists the sources."""
        if self.configured or (self.default_provider and self.confirmed):
            return ""
        mark = "" if self.confirmed else ", unconfirmed"
        return f" ({self.provider}'s documentation{mark})"


def limit(ctx, key: str, value: Any, configured: Any = None) -> Limit | None:
    """The limit a rule enforces: ``configured`` (the rule's option) or the profile's ``value`` at ``key``.

    None when neither says anything: the rule then has nothing to check.
    """
    if configured is not None:
        return Limit(configured, "configured", True, "", False)
    if value is None:
        return None
    provider = ctx.run.provider
    fact = provider.source_of(key)
    return Limit(
        value=value,
        source=fact.source if fact is not None else f"{provider.title} profile",
        confirmed=fact.confirmed if fact is not None else False,
        provider=provider.title,
        default_provider=provider.id == DEFAULT_PROVIDER,
    )


def method_limit(ctx, field: str, configured: Any = None, method: str | None = None) -> Limit | None:
    """A per-method count of the profile (``min_examples``...) for the file's method.

    A file whose format (and so method) is unknown, e.g. an empty one, is held
    to supervised fine-tuning's counts.
    """
    name = method or ctx.method or SUPERVISED
    policy = ctx.run.provider.method(name)
    value = getattr(policy, field) if policy is not None else None
    return limit(ctx, f"methods.{name}.{field}", value, configured)
