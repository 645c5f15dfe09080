"""A provider's model catalog: fine-tunable models, their tokenizers, caps, prices and status.

The models are part of each provider profile (``rules/providers/<id>.toml``,
shipped as ``ftlint/_data/providers/``; see :mod:`ftlint.providers`). This
module reads and validates the model part of a profile and resolves the names
users type: dated snapshots, aliases (``gpt-4o-mini``) and fine-tuned model
names, whose shapes the profile declares as ``fine_tuned_names`` patterns
(OpenAI: ``ft:<base>:<org>:<suffix>:<id>``, optionally ``:ckpt-step-<n>``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Mapping

from ftlint import formats as fmts
from ftlint import toml_data
from ftlint.data import data_path
from ftlint.record import Record, field
from ftlint.tokenizer import TOKENIZER_NAMES

#: The tiktoken encodings an ``encoding`` key may name; other tokenizers are
#: named with the ``tokenizer`` key (see ftlint.tokenizer for what ships).
ENCODINGS = ("cl100k_base", "o200k_base")
METHODS = ("supervised", "dpo", "reinforcement", "vision")
STATUSES = ("active", "training ended", "shut down")
PRICE_UNITS = ("1M tokens", "hour")


class CatalogError(Exception):
    """The catalog file is missing, not TOML, or has a missing or mistyped field."""


class UnknownModel(LookupError):
    """A model name that is neither a snapshot, an alias nor a fine-tuned name of one."""

    def __init__(self, name: str, suggestions: list[str], way_out: str = "see --list-models",
                 message: str | None = None) -> None:
        """``message``: the whole text, when something better than "unknown" is known (another provider's model)."""
        self.name = name
        self.suggestions = suggestions
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(message or f'unknown model "{name}"{hint} ({way_out})')


class Provenance(Record, frozen=True):
    """Where a catalog value comes from and when it was last checked."""

    source: str
    as_of: dt.date
    confirmed: bool


class Model(Record, frozen=True):
    """One fine-tunable base snapshot."""

    id: str
    encoding: str  # the tokenizer's name (a tiktoken encoding for OpenAI models)
    formats: tuple[str, ...]
    methods: tuple[str, ...]
    status: str
    token_cap: int
    token_cap_confirmed: bool
    # None when unknown. The unit matters: RFT is billed per hour, not per token.
    training_price_usd: float | None
    training_price_per: str
    training_price_confirmed: bool
    shutdown_date: dt.date | None
    shutdown_confirmed: bool
    training_ended_date: dt.date | None = None
    # Image cost for high/auto detail is base + per_tile * tiles; low detail is base.
    # None: the catalog has no figure for this model (counting falls back to gpt-4o's).
    image_tokens_base: int | None = None
    image_tokens_per_tile: int | None = None
    # Parameters in billions, for providers that price by model size ([pricing] tiers); None: not stated.
    params_b: float | None = None
    # The provider's price tier the model falls in ("up to 16B"), when it prices by size.
    price_tier: str | None = None
    # "token_cap", "training_price", "shutdown", ... -> Provenance
    sources: Mapping[str, Provenance] = field(factory=dict, compare=False)

    @property
    def usd_per_1m_tokens(self) -> float | None:
        """Training price per 1M tokens, or None when unknown or not billed per token."""
        return self.training_price_usd if self.training_price_per == "1M tokens" else None

    @property
    def tokenizer(self) -> str:
        """The tokenizer's name (``encoding`` in OpenAI's terms)."""
        return self.encoding


#: OpenAI's fine-tuned names, for catalogs built in code without a profile.
OPENAI_FINE_TUNED = re.compile(r"^ft:(?P<base>[^:]*)")


class Catalog(Record, frozen=True):
    models: tuple[Model, ...]  # in catalog order, for --list-models
    aliases: Mapping[str, str]
    default_model: str
    # The provider's last date for new fine-tuning jobs (profile [status] no_new_jobs_after).
    job_creation_ends: dt.date | None = None
    job_creation_ends_source: str | None = None
    # Patterns of fine-tuned model names; group "base" is the base model's name.
    fine_tuned: tuple[re.Pattern, ...] = (OPENAI_FINE_TUNED,)
    __slots__ = ("_by_id",)  # model id -> Model, derived from the fields

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {m.id: m for m in self.models})

    @property
    def default(self) -> Model:
        return self.resolve(self.default_model)

    def get(self, model_id: str) -> Model | None:
        return self._by_id.get(model_id)  # type: ignore[attr-defined]

    def resolve(self, name: str) -> Model:
        """Map a snapshot, alias or ``ft:`` name to its base snapshot.

        ``ft:gpt-4.1-2025-04-14:org::abc`` resolves to gpt-4.1-2025-04-14 and so
        to o200k_base. (tiktoken 0.14's prefix table maps every ``ft:gpt-4``
        name to cl100k_base, which is wrong for gpt-4.1, so ftlint does not use
        ``tiktoken.encoding_for_model``.)
        """
        text = name.strip() if isinstance(name, str) else ""
        base = self.base_name(text)
        by_id = self._by_id  # type: ignore[attr-defined]
        model = by_id.get(base) or by_id.get(self.aliases.get(base, ""))
        if model is None:
            raise UnknownModel(str(name), self.suggest(base))
        return model

    def base_name(self, name: str) -> str:
        """The base model's name inside a fine-tuned model's name (else the name itself)."""
        for pattern in self.fine_tuned:
            match = pattern.match(name)
            if match:
                return match.group("base")
        return name

    def knows(self, name: str) -> bool:
        """True when ``name`` resolves to a model of this catalog."""
        try:
            self.resolve(name)
        except UnknownModel:
            return False
        return True

    def models_taking(self, fmt: str | None = None, method: str | None = None) -> list[Model]:
        """Models that train on files of ``fmt`` with ``method`` (either may be None: any)."""
        return [
            m for m in self.models
            if (fmt is None or fmt in m.formats) and (method is None or method in m.methods)
        ]

    def names(self) -> list[str]:
        """Every name the catalog resolves without a fine-tuned pattern: ids, then aliases."""
        return [m.id for m in self.models] + list(self.aliases)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The known names closest to ``name``."""
        return closest(name, self.names(), limit)


def _squashed(name: str) -> str:
    return name.replace("-", "").replace(".", "").lower()


def closest(name: str, names: list[str], limit: int = 3) -> list[str]:
    """The names in ``names`` closest to ``name``, best first.

    Compared case-insensitively, each name whole and by its part after the last
    "/" (``llama-3-8b`` finds ``meta-llama/Llama-3.1-8B-Instruct``): one difflib
    ratio per name and key, a few dozen names, so cheap.
    """
    wanted = name.strip().lower()
    if not wanted:
        return []
    keys = [wanted, wanted.rsplit("/", 1)[-1]]
    scored: dict[str, float] = {}
    import difflib  # only for "did you mean" (2-4 ms of every run otherwise)

    matcher = difflib.SequenceMatcher()
    for known in dict.fromkeys(names):
        lowered = known.lower()
        best = 0.0
        for candidate in {lowered, lowered.rsplit("/", 1)[-1]}:
            matcher.set_seq2(candidate)
            for key in keys:
                matcher.set_seq1(key)
                if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5:
                    best = max(best, matcher.ratio())
        if best >= 0.5:
            scored[known] = best
    close = sorted(scored, key=lambda n: -scored[n])  # stable: ties keep catalog order
    if not close:
        # difflib misses short prefixes such as "gpt4"; prefix matches help there.
        squashed = _squashed(keys[-1])
        close = [n for n in dict.fromkeys(names) if _squashed(n.rsplit("/", 1)[-1]).startswith(squashed)]
    return close[:limit]


def shipped_catalog() -> Catalog:
    """The OpenAI profile's catalog, read once per process (rules and the CLI share it)."""
    from ftlint.providers import get_provider

    return get_provider("openai").catalog


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Read and validate the model catalog of a profile (default: the shipped OpenAI profile)."""
    path = Path(path) if path is not None else data_path("providers", "openai.toml")
    try:
        raw = toml_data.load(path)
    except OSError as exc:
        raise CatalogError(f"cannot read model catalog {path}: {exc.strerror}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError, or not UTF-8
        raise CatalogError(f"model catalog {path} is not valid TOML: {exc}") from None
    return _parse_catalog(raw, path)


# -- validation ---------------------------------------------------------------


def _parse_catalog(raw: dict[str, Any], path: Path) -> Catalog:
    where = f"model catalog {path}"
    return parse_catalog(raw, where)


def parse_catalog(raw: dict[str, Any], where: str) -> Catalog:
    """The models, aliases, default model and fine-tuned name patterns of one profile."""
    entries = raw.get("model")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{where}: no [[model]] entries")
    models: list[Model] = []
    for index, entry in enumerate(entries):
        label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{index + 1}"
        models.append(_parse_model(entry, f'{where}: model "{label}"'))

    ids = [m.id for m in models]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogError(f"{where}: duplicate model ids {', '.join(duplicates)}")

    aliases = raw.get("aliases", {})
    if not isinstance(aliases, dict):
        raise CatalogError(f"{where}: [aliases] must be a table")
    for alias, target in aliases.items():
        if not isinstance(target, str) or target not in ids:
            raise CatalogError(f'{where}: alias "{alias}" points to unknown model {target!r}')

    default_model = raw.get("default_model")
    if not isinstance(default_model, str) or (default_model not in ids and default_model not in aliases):
        raise CatalogError(f"{where}: default_model {default_model!r} is not a model in the catalog")

    status = raw.get("status", {})
    if not isinstance(status, dict):
        raise CatalogError(f"{where}: [status] must be a table")
    job_creation_ends = _optional(status, "no_new_jobs_after", dt.date, f"{where}: [status]")
    status_source = _optional(status, "source", str, f"{where}: [status]")

    patterns = _optional(raw, "fine_tuned_names", list, where) or []
    fine_tuned = []
    for text in patterns:
        try:
            pattern = re.compile(text) if isinstance(text, str) else None
        except re.error as exc:
            raise CatalogError(f"{where}: fine_tuned_names pattern {text!r} is not a regular expression: {exc}") from None
        if pattern is None or "base" not in pattern.groupindex:
            raise CatalogError(f'{where}: fine_tuned_names entries must be regular expressions with a (?P<base>...) group, '
                               f"not {text!r}")
        fine_tuned.append(pattern)

    return Catalog(
        models=tuple(models),
        aliases=dict(aliases),
        default_model=default_model,
        job_creation_ends=job_creation_ends,
        job_creation_ends_source=status_source,
        fine_tuned=tuple(fine_tuned),
    )


def _parse_model(entry: Any, where: str) -> Model:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: must be a table")
    model_id = _required(entry, "id", str, where)
    if "tokenizer" in entry:
        # A name of ftlint's tokenizer registry (ftlint.tokenizer, docs/tokenizers.md).
        encoding = _choice(entry, "tokenizer", TOKENIZER_NAMES, where)
    else:
        encoding = _choice(entry, "encoding", ENCODINGS, where)
    formats = _choices(entry, "formats", fmts.ids(), where)
    methods = _choices(entry, "methods", METHODS, where)
    status = _choice(entry, "status", STATUSES, where)

    sources: dict[str, Provenance] = {}
    cap = _sourced(entry, "token_cap", where, sources)
    token_cap = _required(cap, "value", int, f"{where}: token_cap")
    if token_cap <= 0:
        raise CatalogError(f"{where}: token_cap.value must be positive")

    price = _sourced(entry, "training_price", where, sources)
    price_usd = _optional(price, "usd", (int, float), f"{where}: training_price")
    price_per = _choice(price, "per", PRICE_UNITS, f"{where}: training_price")

    shutdown = _sourced(entry, "shutdown", where, sources)
    shutdown_date = _optional(shutdown, "date", dt.date, f"{where}: shutdown")

    training_ended_date = None
    if "training_ended" in entry:
        ended = _sourced(entry, "training_ended", where, sources)
        training_ended_date = _required(ended, "date", dt.date, f"{where}: training_ended")

    params_b = _optional(entry, "params_b", (int, float), where)
    if params_b is not None and params_b <= 0:
        raise CatalogError(f"{where}: params_b must be positive")

    image_base = image_per_tile = None
    if "image_tokens" in entry:
        image = entry["image_tokens"]
        if not isinstance(image, dict):
            raise CatalogError(f"{where}: image_tokens must be a table")
        image_base = _required(image, "base", int, f"{where}: image_tokens")
        image_per_tile = _required(image, "per_tile", int, f"{where}: image_tokens")
        sources["image_tokens"] = Provenance(
            source=_required(image, "source", str, f"{where}: image_tokens"),
            as_of=_required(image, "as_of", dt.date, f"{where}: image_tokens"),
            confirmed=True,  # measured values
        )

    return Model(
        id=model_id,
        encoding=encoding,
        formats=formats,
        methods=methods,
        status=status,
        token_cap=token_cap,
        token_cap_confirmed=sources["token_cap"].confirmed,
        training_price_usd=float(price_usd) if price_usd is not None else None,
        training_price_per=price_per,
        training_price_confirmed=sources["training_price"].confirmed,
        shutdown_date=shutdown_date,
        shutdown_confirmed=sources["shutdown"].confirmed,
        training_ended_date=training_ended_date,
        image_tokens_base=image_base,
        image_tokens_per_tile=image_per_tile,
        params_b=float(params_b) if params_b is not None else None,
        sources=sources,
    )


_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dt.date: "a date (YYYY-MM-DD)"}


def _type_name(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "a number"
    return _TYPE_NAMES.get(kind, kind.__name__)


def _is(value: Any, kind: Any) -> bool:
    # bool is an int subclass and datetime a date subclass; neither is acceptable here.
    if isinstance(value, bool) and kind is not bool:
        return False
    if isinstance(value, dt.datetime):
        return False
    return isinstance(value, kind)


def _required(table: dict[str, Any], key: str, kind: Any, where: str) -> Any:
    if key not in table:
        raise CatalogError(f'{where}: missing field "{key}"')
    value = table[key]
    if not _is(value, kind):
        raise CatalogError(f'{where}: field "{key}" must be {_type_name(kind)}, not {value!r}')
    return value


def _optional(table: dict[str, Any], key: str, kind: Any, where: str) -> Any:
    return _required(table, key, kind, where) if key in table else None


def _choice(table: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = _required(table, key, str, where)
    if value not in allowed:
        raise CatalogError(f'{where}: field "{key}" is {value!r}; use one of {", ".join(allowed)}')
    return value


def _choices(table: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> tuple[str, ...]:
    values = _required(table, key, list, where)
    for value in values:
        if value not in allowed:
            raise CatalogError(f'{where}: field "{key}" has {value!r}; use {", ".join(allowed)}')
    return tuple(values)


def _sourced(entry: dict[str, Any], key: str, where: str, sources: dict[str, Provenance]) -> dict[str, Any]:
    """A value table that must say where its number comes from."""
    table = _required(entry, key, dict, where)
    inner = f"{where}: {key}"
    sources[key] = Provenance(
        source=_required(table, "source", str, inner),
        as_of=_required(table, "as_of", dt.date, inner),
        confirmed=_required(table, "confirmed", bool, inner),
    )
    return table
