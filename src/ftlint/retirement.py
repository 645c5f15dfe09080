"""Can a model still be fine-tuned today, and if not, what replaces it?

The verdict follows the dates in the model catalog (a model's shut-down date,
the date its fine-tuning ended, the provider's last day for new jobs) and
today's date from :func:`ftlint.clock.today`, so it changes by itself when a
date passes, and tests pin it with ``FTLINT_TODAY``. The catalog's ``status``
field is only a fallback for a model that has no date.

:func:`can_train` is the one question other parts ask (``--submit`` refuses a
model that cannot be trained before it reads any key); FT302 and the cost
estimate use :func:`verdict` for the wording.
"""

from __future__ import annotations

import datetime as dt

from ftlint import clock
from ftlint.catalog import Catalog, Model, shipped_catalog
from ftlint.record import Record

#: How the catalog's provider is named in messages when the catalog does not say.
DEFAULT_PROVIDER = "OpenAI"
METHOD_WORDS = {"dpo": "DPO"}


class Verdict(Record, frozen=True):
    """Whether ``model`` takes new fine-tuning jobs on ``today``, and why not."""

    model: Model
    today: dt.date
    trainable: bool
    #: Why not, as a clause: "OpenAI shut it down on 2026-10-23". Empty when trainable.
    reason: str = ""
    #: Models of the same provider that still take jobs for one of this model's methods
    #: (those that also take this model's data format first).
    successors: tuple[Model, ...] = ()
    provider: str = DEFAULT_PROVIDER
    #: (id, title) of the provider that takes this one's data once it takes no jobs ([status] successor).
    next_provider: tuple[str, str] | None = None

    def message(self) -> str:
        """The FT302 sentence: what happened and what to use instead, in words."""
        if self.trainable:
            return f"{self.model.id} can be fine-tuned"
        methods = " or ".join(METHOD_WORDS.get(m, m) for m in self.model.methods) or "fine-tuning"
        same_format = [m for m in self.successors if set(m.formats) & set(self.model.formats)]
        if same_format:
            names = _and_list([m.id for m in same_format])
            instead = (f"{self.provider}'s models that still take {methods} jobs are {names}; "
                       f"lint with --model {same_format[0].id}")
        elif self.successors:
            names = _and_list([m.id for m in self.successors])
            formats = " or ".join(sorted({f for m in self.successors for f in m.formats}))
            instead = (f"{self.provider}'s models that still take {methods} jobs ({names}) train on {formats} data "
                       f"only; convert the data and lint with --model {self.successors[0].id}")
        elif self.next_provider is not None:
            ident, title = self.next_provider
            instead = (f"no {self.provider} model takes new {methods} jobs now; lint for {title} "
                       f"(--provider {ident}; its models: ftlint --list-models --provider {ident})")
        else:
            instead = (f"no {self.provider} model takes new {methods} jobs now; "
                       f"lint for a model of another provider (ftlint --list-providers)")
        return f"{self.model.id} can no longer be fine-tuned: {self.reason}; {instead}"


def _why_not(model: Model, catalog: Catalog, today: dt.date, provider: str, provider_status: str = "active") -> str:
    """The reason ``model`` takes no new jobs on ``today``, or "" when it does."""
    if provider_status == "shut down":
        return f"{provider} has shut down fine-tuning"
    if model.shutdown_date is not None and today >= model.shutdown_date:
        return f"{provider} shut it down on {model.shutdown_date.isoformat()}"
    if model.training_ended_date is not None and today >= model.training_ended_date:
        return f"{provider} stopped taking fine-tuning jobs for it on {model.training_ended_date.isoformat()}"
    ends = catalog.job_creation_ends
    if ends is not None and today > ends:
        return f"{provider} accepts no new fine-tuning jobs for any model after {ends.isoformat()}"
    if model.status != "active" and model.shutdown_date is None and model.training_ended_date is None:
        return f"the model catalog lists it as {model.status} (no date known)"
    return ""


def verdict(model: Model, provider=None, today: dt.date | None = None, catalog: Catalog | None = None) -> Verdict:
    """Whether ``model`` of ``provider`` (a providers.Provider; default: OpenAI's catalog) takes
    new fine-tuning jobs today (``FTLINT_TODAY`` pins today)."""
    if provider is None:
        from ftlint.providers import get_provider

        provider = get_provider("openai") if catalog is None else None
    if provider is not None:
        catalog, name, status = provider.catalog, provider.title, provider.status
    else:
        catalog, name, status = catalog or shipped_catalog(), DEFAULT_PROVIDER, "active"
    today = today or clock.today()
    reason = _why_not(model, catalog, today, name, status)
    if not reason:
        return Verdict(model, today, True, provider=name)
    successors = sorted(
        (m for m in catalog.models
         if m.id != model.id and set(m.methods) & set(model.methods) and not _why_not(m, catalog, today, name, status)),
        key=lambda m: not set(m.formats) & set(model.formats),
    )
    return Verdict(model, today, False, reason, tuple(successors), name, _next_provider(provider))


def _next_provider(provider) -> tuple[str, str] | None:
    successor = getattr(provider, "successor", None)
    if not successor:
        return None
    from ftlint.providers import get_provider

    nxt = get_provider(successor)
    return nxt.id, nxt.title


def can_train(model: Model, provider=None, today: dt.date | None = None) -> bool:
    """True when ``model`` (a catalog Model of ``provider``; default OpenAI) takes new fine-tuning jobs today."""
    return verdict(model, provider, today).trainable


def still_trainable(models, provider, today: dt.date | None = None) -> list[Model]:
    """The models of ``models`` (of ``provider``) that take new fine-tuning jobs today: what advice may name."""
    return [m for m in models if verdict(m, provider, today).trainable]


def can_still_train(provider, fmt: str, today: dt.date | None = None) -> bool:
    """Whether ``provider`` takes ``fmt`` files and has a model that can still be trained on them today.

    The models whose catalog entry names the format count (OpenAI's legacy prompt/completion: only
    babbage-002 and davinci-002, both shut down); where none names it (a trainer's catalog lists
    example models, not every format it reads), any model the provider can still train counts.
    """
    if not provider.takes_format(fmt):
        return False
    models = provider.catalog.models
    named = [m for m in models if fmt in m.formats]
    return bool(still_trainable(named or models, provider, today))


def _and_list(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
