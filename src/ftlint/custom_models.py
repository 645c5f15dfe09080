"""Models the user defines: ``[tool.ftlint.models."<name>"]`` and ``--tokenizer`` / ``--max-tokens``.

A model no provider profile lists can still be linted: the user names its
tokenizer (a name ``ftlint.tokenizer`` knows, e.g. ``o200k_base``, ``llama3``),
its per-example token cap and its price per 1M training tokens, in the config
or on the command line. Any of them may be missing: without a tokenizer the
token checks are skipped, without a cap the cap checks, without a rate the
dollar figure, and the report says so. For a model a profile does list, the
values given override the profile's.
"""

from __future__ import annotations

from typing import Any, Mapping

from ftlint import clock
from ftlint import formats as fmts
from ftlint.catalog import Model, Provenance
from ftlint.record import replace
from ftlint.limits import MAX_RATE_USD, MAX_TOKENS, number_error, whole_number_error
from ftlint.token_facts import unknown_tokenizer

#: key -> (type, description for errors)
MODEL_KEYS: dict[str, tuple[type, str]] = {
    "tokenizer": (str, "a tokenizer name (e.g. o200k_base, llama3)"),
    "max-tokens": (int, "a whole number of tokens per example"),
    "rate": (float, "a price in USD per 1M training tokens"),
}
#: The methods a model the user defines takes: all (no rule has facts to object with).
ALL_METHODS = ("supervised", "dpo", "reinforcement", "vision")


class ModelDefinitionError(ValueError):
    """A ``[models."<name>"]`` table with an unknown key or a mistyped value."""


def check_definitions(table: Any, where: str) -> dict[str, dict]:
    """Validate the config's ``models`` table: name -> {tokenizer, max-tokens, rate}."""
    if not isinstance(table, dict):
        raise ModelDefinitionError(f'"models" in {where} must be a table of [models."<name>"] tables')
    checked: dict[str, dict] = {}
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise ModelDefinitionError(f'"models.{name}" in {where} must be a table (tokenizer, max-tokens, rate)')
        for key, value in spec.items():
            if key not in MODEL_KEYS:
                raise ModelDefinitionError(f'unknown key "{key}" in [models."{name}"] of {where} '
                                           f"(keys: {', '.join(MODEL_KEYS)})")
            kind, what = MODEL_KEYS[key]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ModelDefinitionError(f'"models.{name}.{key}" in {where} must be {what}, not {value!r}')
            why = (whole_number_error(value, 1, MAX_TOKENS) if key == "max-tokens"
                   else number_error(value, 0, MAX_RATE_USD) if key == "rate" else None)
            if why is not None:
                raise ModelDefinitionError(f'"models.{name}.{key}" in {where} {why}, not {value!r}')
            if key == "tokenizer" and unknown_tokenizer(value) is not None:
                raise ModelDefinitionError(f'"models.{name}.tokenizer" in {where}: {unknown_tokenizer(value)}')
        checked[name] = dict(spec)
    return checked


def define(name: str, spec: Mapping[str, Any], base: Model | None, origin: str) -> Model:
    """The Model for ``name`` from the user's ``spec`` over ``base`` (the profile's model, or None).

    ``origin`` says where the values were given ("--max-tokens", "ftlint.toml"); reports cite it.
    """
    given = Provenance(source=f"defined by the user ({origin})", as_of=clock.today(), confirmed=True)
    tokenizer = spec.get("tokenizer")
    cap = spec.get("max-tokens")
    rate = spec.get("rate")
    if base is not None:
        sources = dict(base.sources)
        changes: dict[str, Any] = {}
        if tokenizer is not None:
            changes["encoding"] = tokenizer
        if cap is not None:
            changes.update(token_cap=cap, token_cap_confirmed=True)
            sources["token_cap"] = given
        if rate is not None:
            changes.update(training_price_usd=float(rate), training_price_per="1M tokens",
                           training_price_confirmed=True)
            sources["training_price"] = given
        return replace(base, sources=sources, **changes)
    sources = {}
    if cap is not None:
        sources["token_cap"] = given
    if rate is not None:
        sources["training_price"] = given
    return Model(
        id=name,
        encoding=tokenizer,
        formats=fmts.ids(),
        methods=ALL_METHODS,
        status="active",
        token_cap=cap,
        token_cap_confirmed=cap is not None,
        training_price_usd=float(rate) if rate is not None else None,
        training_price_per="1M tokens",
        training_price_confirmed=rate is not None,
        shutdown_date=None,
        shutdown_confirmed=False,
        sources=sources,
    )
