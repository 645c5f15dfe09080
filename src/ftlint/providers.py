"""Providers: who trains on the data, and the facts ftlint checks it against.

A provider is one data file, ``rules/providers/<id>.toml`` (shipped as
``ftlint/_data/providers/``; the format is in docs/providers.md, "Profile
format"). This module reads and validates it into a frozen :class:`Provider`
that reaches rules as ``ctx.run.provider``: its status and dates, file policy,
methods and the formats each takes, roles and their order, example counts,
images, weights, tools, pricing and epochs, and its model catalog
(:class:`ftlint.catalog.Catalog`), which resolves the model names users type.

Every fact carries ``source`` and ``as_of`` (and ``confirmed`` where it can be
doubted). A table's ``source``/``as_of``/``confirmed`` apply to each of its
keys; a key written as ``{ value = ..., source = ..., as_of = ... }`` has its
own. :meth:`Provider.fact` returns where any fact comes from.

A profile that is missing, not TOML, or has a missing, unknown or mistyped key
is a :class:`ProfileError` naming the file and the key (exit 2).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ftlint import clock, toml_data
from ftlint import formats as fmts
from ftlint.catalog import Catalog, CatalogError, Model, Provenance, UnknownModel, closest, parse_catalog
from ftlint.custom_models import define
from ftlint.data import data_path
from ftlint.record import Record, field, fields, replace

#: The provider a run uses when neither --provider nor a model name picks one.
DEFAULT_PROVIDER = "openai"

STATUSES = ("active", "no new jobs", "shut down")
BOM_POLICIES = ("forbidden", "allowed", "required")
ALTERNATIONS = ("none", "user-assistant")
SYSTEM_POSITIONS = ("anywhere", "first", "none")
IMAGE_TRANSPORTS = ("https", "data-url", "s3", "gs")
#: The official SDKs ``--submit`` drives (``[submit] sdk``).
SUBMIT_SDKS = ("openai", "together", "fireworks")
PRICING_FORMULAS = ("epochs * train_tokens", "epochs * train_tokens + evals * val_tokens", "none")

#: The keys each table may hold (besides source, as_of, confirmed).
_TOP_KEYS = ("schema_version", "id", "provider_aliases", "title", "default_model", "fine_tuned_names", "sources", "status", "files",
             "methods", "validation", "roles", "images", "weights", "tools", "pricing", "epochs", "aliases", "model", "checks",
             "submit")
_PROVENANCE = ("source", "as_of", "confirmed")


class ProfileError(CatalogError):
    """A provider profile is missing, not TOML, or has a missing, unknown or mistyped key."""


def way_out(name: str) -> str:
    """How to lint for a model no profile lists: the end of the unknown-model message."""
    return (f"see --list-models; to lint for a model ftlint does not know, define it: --tokenizer NAME "
            f'--max-tokens N, or [tool.ftlint.models."{name}"] with tokenizer, max-tokens and rate in the config')


class UnknownProvider(LookupError):
    def __init__(self, name: str, known: list[str], names: dict[str, str] | None = None) -> None:
        """``known``: the ids; ``names``: every name a provider answers to (ids and aliases) -> its id."""
        self.name = name
        names = names or {i: i for i in known}
        import difflib  # only for this message (2-4 ms of every run otherwise)

        close = difflib.get_close_matches(name.lower(), list(names), n=len(names), cutoff=0.4)
        best = {}  # provider id -> its closest name
        for n in close:
            best.setdefault(names[n], n)
        shown = [n if i == n else f"{n} (= {i})" for i, n in list(best.items())[:3]]
        hint = f"; closest: {', '.join(shown)}" if shown else ""
        super().__init__(f'unknown provider "{name}"{hint} (known: {", ".join(known)}; see --list-providers)')


class FilePolicy(Record, frozen=True):
    extensions: tuple[str, ...]  # e.g. (".jsonl",); a file may also be gzip-compressed (".jsonl.gz")
    encoding: str
    bom: str  # forbidden | allowed | required
    max_bytes_training: int | None
    max_bytes_validation: int | None


class MethodPolicy(Record, frozen=True):
    name: str  # supervised | dpo | reinforcement
    formats: tuple[str, ...]
    min_examples: int | None
    max_examples: int | None
    min_validation_examples: int | None = None
    max_validation_examples: int | None = None
    #: The training examples the provider advises starting with (FT402); None: it states no figure.
    recommended_examples: int | None = None


class RolePolicy(Record, frozen=True):
    allowed: tuple[str, ...]
    first: tuple[str, ...]  # () = any role may come first
    last: tuple[str, ...]  # () = any role may come last
    alternation: str  # none | user-assistant (after an optional first system message)
    system: str  # anywhere | first | none


class ImagePolicy(Record, frozen=True):
    max_per_example: int | None
    max_bytes: int | None
    types: tuple[str, ...]  # jpeg, png, webp, ...
    transports: tuple[str, ...]  # https, data-url
    max_examples_with_images: int | None = None


class SubmitPolicy(Record, frozen=True):
    """``[submit]``: how ``ftlint --submit`` reaches the provider's fine-tuning API."""

    sdk: str  # the official SDK's import name: openai | together
    extra: str  # pip install 'ftlint[<extra>]' installs it
    key_variable: str  # the environment variable holding the API key
    base_url: str | None  # None: the user must name the endpoint (Azure resources)
    base_url_variable: str | None  # the environment variable that overrides base_url
    account_variable: str | None = None  # the environment variable naming the account (Fireworks)
    direct_upload_max_bytes: int | None = None  # larger files go through a signed URL (Fireworks)
    suffix_max_chars: int | None = None
    #: The job's defaults where the provider documents them (None: not sent, the service decides).
    default_learning_rate: float | None = None
    default_lora: bool | None = None
    default_n_evals: int | None = None
    #: ftlint's method name -> the name the provider's API takes (``[methods.X] submit_as``).
    method_names: Mapping[str, str] = field(factory=dict)


class PriceTier(Record, frozen=True):
    """One size bracket of a provider that prices training by model size: models of at most
    ``max_params_b`` billion parameters (and more than the previous tier's) train at ``usd``."""

    name: str  # as the provider writes it: "up to 16B", "16.1B - 80B"
    max_params_b: float
    usd: float | None  # per 1M training tokens; None: the bracket is published, its rate not recorded


class AutoEpochs(Record, frozen=True):
    """``[epochs.auto]``: how a provider picks the epochs from the example count when the job names none
    (OpenAI's ``n_epochs = "auto"``): ``target`` epochs, unless examples x epochs would fall below
    ``min_example_passes`` (then as many epochs as reach it, at most ``max_epochs``) or rise above
    ``max_example_passes`` (then as many as stay under it, at least ``min_epochs``); integer division."""

    target: int
    min_example_passes: int
    max_example_passes: int
    min_epochs: int
    max_epochs: int

    def epochs(self, examples: int) -> int:
        if examples <= 0:
            return self.target
        if examples * self.target < self.min_example_passes:
            return min(self.max_epochs, self.min_example_passes // examples)
        if examples * self.target > self.max_example_passes:
            return max(self.min_epochs, self.max_example_passes // examples)
        return self.target


#: The profile whose ``[epochs.auto]`` states the rule ``default = "openai-auto"`` names.
OPENAI_AUTO_PROFILE = "openai"


class Provider(Record, frozen=True):
    id: str
    title: str
    status: str  # active | no new jobs | shut down
    no_new_jobs_after: dt.date | None
    files: FilePolicy
    methods: Mapping[str, MethodPolicy]
    roles: RolePolicy
    catalog: Catalog = field(repr=False)
    # The provider that becomes the default once this one takes no new jobs ([status] successor).
    successor: str | None = None
    #: Other names --provider and the config take for it (``provider_aliases``; any case).
    aliases: tuple[str, ...] = ()
    images: ImagePolicy | None = None  # None: the provider takes no images
    weights: tuple[int, ...] = ()  # values `weight` may take; (): no weight key
    tools_supported: bool = False
    max_functions: int | None = None
    pricing_formula: str = "none"  # "none": the report shows tokens and no dollars
    # The job object's field that reports the billed tokens (OpenAI: trained_tokens), for the cost line.
    billed_tokens_field: str | None = None
    price_tiers: tuple[PriceTier, ...] = ()  # by max_params_b, ascending
    default_epochs: str | int | None = None  # "openai-auto", a number, or None (unknown)
    auto_epochs: AutoEpochs | None = None  # [epochs.auto]: the numbers of the "openai-auto" rule
    #: [epochs] allowed: the (least, most) epochs a job may ask for, where the provider states them.
    epochs_allowed: tuple[int, int] | None = None
    source_urls: Mapping[str, str] = field(factory=dict)  # tag -> URL
    path: str = ""
    submit: SubmitPolicy | None = None  # None: --submit cannot create jobs here
    #: ``[checks]``: facts single rules read (ftlint.rules._profile.fact), by key.
    checks: Mapping[str, Any] = field(factory=dict, compare=False)
    # "files.bom", "methods.supervised.min_examples", "checks.<key>", ... -> Provenance
    provenance: Mapping[str, Provenance] = field(factory=dict, compare=False, repr=False)

    # -- models ------------------------------------------------------------

    @property
    def models(self) -> tuple[Model, ...]:
        return self.catalog.models

    @property
    def default_model(self) -> Model:
        return self.catalog.default

    def resolve(self, name: str) -> Model:
        """A snapshot, alias or fine-tuned name -> its base Model; UnknownModel lists the closest."""
        return self.catalog.resolve(name)

    def knows(self, name: str) -> bool:
        return self.catalog.knows(name)

    # -- facts -------------------------------------------------------------

    def source_of(self, key: str) -> Provenance | None:
        """Where a fact comes from: ``source_of("files.bom")``, ``source_of("methods.dpo.min_examples")``."""
        return self.provenance.get(key)

    def cite(self, key: str) -> str:
        """A short "source" text for messages: the fact's source, marked when unconfirmed."""
        fact = self.source_of(key)
        if fact is None:
            return f"{self.title} profile"
        return fact.source if fact.confirmed else f"{fact.source}; unconfirmed"

    def method(self, name: str | None) -> MethodPolicy | None:
        return self.methods.get(name) if name else None

    def epochs_for(self, examples: int) -> int | None:
        """The epochs a job of ``examples`` examples runs when it names none: the profile's number, else
        the "openai-auto" rule from the example count (a profile that names the rule without stating its
        numbers, Azure OpenAI's: the same API, takes OpenAI's [epochs.auto]); None for a profile with no
        [epochs] (Vertex AI: ftlint has no sourced figure, so the cost asks for --epochs rather than
        borrowing another provider's rule)."""
        if isinstance(self.default_epochs, int):
            return self.default_epochs
        if self.default_epochs is None:
            return None
        rule = self.auto_epochs or _load_shipped(OPENAI_AUTO_PROFILE).auto_epochs
        return rule.epochs(examples)

    def takes_format(self, fmt: str | None) -> bool:
        """Some method of this provider takes files of format ``fmt`` (an unknown format: not judged, True)."""
        return fmt is None or any(fmt in m.formats for m in self.methods.values())

    def is_another_service(self, base_url: str | None) -> bool:
        """True when ``base_url`` (--base-url) names a host other than this provider's own API: an
        OpenAI-compatible service, whose models and dates are not this provider's."""
        if not base_url or self.submit is None or not self.submit.base_url:
            return False
        from urllib.parse import urlsplit

        return urlsplit(base_url).hostname != urlsplit(self.submit.base_url).hostname

    def takes_new_jobs(self, today: dt.date) -> bool:
        if self.status == "shut down":
            return False
        return self.no_new_jobs_after is None or today <= self.no_new_jobs_after

    def sources_cited(self) -> list[str]:
        """The URLs of the tags this profile cites (for --list-providers)."""
        return list(dict.fromkeys(self.source_urls.values()))


# -- the shipped profiles ------------------------------------------------------------


def profile_dir() -> Path:
    return data_path("providers")


@functools.lru_cache(maxsize=1)
def shipped_ids() -> tuple[str, ...]:
    """The ids of the shipped profiles, the default provider first, then by name."""
    ids = sorted(p.stem for p in profile_dir().glob("*.toml"))
    return tuple(sorted(ids, key=lambda i: (i != DEFAULT_PROVIDER, i)))


@functools.lru_cache(maxsize=None)
def get_provider(name: str) -> Provider:
    """The shipped provider with id or alias ``name`` (any case), read once per process; UnknownProvider when none."""
    provider_id = name if name in shipped_ids() else provider_names().get(name.strip().lower())
    if provider_id is None:
        raise UnknownProvider(name, list(shipped_ids()), provider_names())
    return _load_shipped(provider_id)


@functools.lru_cache(maxsize=None)
def _load_shipped(provider_id: str) -> Provider:
    return load_profile(profile_dir() / f"{provider_id}.toml")


@functools.lru_cache(maxsize=1)
def provider_names() -> dict[str, str]:
    """Every name a shipped provider answers to, lower-cased: its id and its aliases -> its id.

    Read only for a name that is not an id (every profile is parsed then). An
    alias two profiles claim, or one that is another's id, is a ProfileError.
    """
    names = {i.lower(): i for i in shipped_ids()}
    for provider_id in shipped_ids():
        for alias in _load_shipped(provider_id).aliases:
            owner = names.setdefault(alias, provider_id)
            if owner != provider_id:
                raise ProfileError(f'provider alias "{alias}" of {provider_id} is also a name of {owner}')
    return names


def all_providers() -> list[Provider]:
    return [get_provider(i) for i in shipped_ids()]


def default_provider() -> Provider:
    return get_provider(DEFAULT_PROVIDER)


def providers_knowing(name: str) -> list[Provider]:
    """The shipped providers whose catalogs resolve ``name``."""
    return [p for p in all_providers() if p.knows(name)]


def default_for(today: dt.date | None = None) -> tuple[Provider, str]:
    """The provider of a run that names neither provider nor model, and why when it is not the usual one.

    Once the default provider takes no new jobs (OpenAI after 2027-01-06; the
    date is its profile's, today is clock.today()), its ``successor`` takes over.
    """
    default = default_provider()
    today = today or clock.today()
    if default.takes_new_jobs(today) or not default.successor:
        return default, ""
    successor = get_provider(default.successor)
    if not successor.takes_new_jobs(today):
        return default, ""
    return successor, (f"{default.title} takes no new fine-tuning jobs after {default.no_new_jobs_after.isoformat()}, "
                       f"so ftlint lints for {successor.title}")


#: A model the user defines: name -> (its values, where they were given).
Definitions = Mapping[str, "tuple[Mapping[str, Any], str]"]


def select(provider: str | None, model: str | None, defined: Definitions | None = None) -> tuple[Provider, Model | None]:
    """The run's provider and model from --provider / --model (either may be None).

    Without --provider, a model name picks the provider: the default provider
    when it knows the name, else the one provider that does; with no model
    either, :func:`default_for`. A model the user defines (``defined``) is
    built over the profile's model of that name, if any. An unknown model is
    UnknownModel listing the closest names and how to define it.
    """
    defined = defined or {}
    if provider is not None:
        chosen: Provider | None = get_provider(provider)
    elif model is None:
        chosen = default_for()[0]
    elif default_provider().knows(model):
        chosen = default_provider()
    else:
        knowing = providers_knowing(model)
        if len(knowing) > 1 and model not in defined:
            ids = ", ".join(p.id for p in knowing)
            raise UnknownModel(model, [], f"several providers know it ({ids}): name one with --provider")
        chosen = knowing[0] if knowing else None
    if model is None:
        return chosen, None
    if model in defined:
        values, origin = defined[model]
        base = chosen.resolve(model) if chosen is not None and chosen.knows(model) else None
        return chosen or default_for()[0], define(model, values, base, origin)
    if chosen is not None and chosen.knows(model):
        return chosen, chosen.resolve(model)
    if chosen is not None:
        _refuse_another_providers_model(chosen, model)
    candidates = [chosen] if chosen is not None else all_providers()
    names = [n for candidate in candidates for n in candidate.catalog.names()]
    # The base model's name when a catalog's fine-tuned pattern matches (ft:gpt-4o-mni:org::x -> gpt-4o-mni).
    bases = [c.catalog.base_name(model.strip()) for c in candidates]
    base = next((b for b in bases if b != model.strip()), model.strip())
    raise UnknownModel(model, closest(base, names), way_out(model))


#: Models named when a provider is told another provider's model (the rest: --list-models).
SHOWN_MODELS = 6


def _refuse_another_providers_model(chosen: Provider, model: str) -> None:
    """``--provider together --model gpt-4o-mini``: say whose model it is and which models the chosen
    provider has, never "unknown ... define it" (the model is known, only not there)."""
    owners = [p.id for p in providers_knowing(model) if p.id != chosen.id]
    if not owners:
        return
    ids = [m.id for m in chosen.models]
    cut = SHOWN_MODELS if len(ids) > SHOWN_MODELS + 1 else len(ids)  # never "and 1 more"
    shown = ", ".join(ids[:cut]) + (f" and {len(ids) - cut} more" if len(ids) > cut else "")
    raise UnknownModel(model, [], message=(
        f'"{model}" is a model of {" and ".join(owners)}, not of {chosen.title} (--provider {chosen.id}); '
        f"{chosen.title}'s models: {shown} (--list-models --provider {chosen.id}); "
        f"to lint for {model} use --provider {owners[0]}"))


# -- reading a profile -----------------------------------------------------------------


def load_profile(path: Path | str) -> Provider:
    """Read and validate one provider profile."""
    path = Path(path)
    try:
        raw = toml_data.load(path)  # tomllib's parse, from the derived cache when the bytes are the same
    except OSError as exc:
        raise ProfileError(f"cannot read provider profile {path}: {exc.strerror}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError, or not UTF-8
        raise ProfileError(f"provider profile {path} is not valid TOML: {exc}") from None
    try:
        return _parse(raw, path)
    except ProfileError:
        raise
    except CatalogError as exc:  # the catalog part's errors, with the same wording
        raise ProfileError(str(exc)) from None


class _Reader:
    """Reads the keys of one profile, recording where each fact comes from."""

    def __init__(self, path: Path):
        self.where = f"provider profile {path}"
        self.recorded: dict[str, Provenance] = {}

    def fail(self, key: str, message: str) -> ProfileError:
        return ProfileError(f'{self.where}: "{key}" {message}')

    def table(self, raw: dict, key: str, required: bool = True) -> dict | None:
        table = raw.get(key.rsplit(".", 1)[-1])
        if table is None:
            if required:
                raise ProfileError(f"{self.where}: missing table [{key}]")
            return None
        if not isinstance(table, dict):
            raise self.fail(key, "must be a table")
        return table

    def provenance(self, table: dict, key: str, allowed: tuple[str, ...]) -> Provenance:
        unknown = sorted(set(table) - set(allowed) - set(_PROVENANCE))
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"is not a key of [{key}] (keys: {', '.join(allowed)})")
        source, as_of = table.get("source"), table.get("as_of")
        if not isinstance(source, str) or not source:
            raise self.fail(f"{key}.source", "must be a non-empty string: where the facts of this table come from")
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise self.fail(f"{key}.as_of", "must be a date (YYYY-MM-DD): when they were last checked")
        confirmed = table.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise self.fail(f"{key}.confirmed", "must be true or false")
        return Provenance(source=source, as_of=as_of, confirmed=confirmed)

    def value(self, table: dict, section: str, name: str, kind: Any, base: Provenance,
              required: bool = False, choices: tuple = ()) -> Any:
        """``table[name]``, plain or as ``{value, source, as_of, confirmed}``; records its provenance."""
        key = f"{section}.{name}"
        if name not in table:
            if required:
                raise self.fail(key, "is missing")
            return None
        value = table[name]
        provenance = base
        if isinstance(value, dict):
            if "value" not in value:
                raise self.fail(key, "is a table without a value")
            provenance = self.provenance({k: v for k, v in value.items() if k != "value"}, key, ())
            value = value["value"]
        if not _matches(value, kind):
            raise self.fail(key, f"must be {_describe(kind)}, not {value!r}")
        items = value if isinstance(value, list) else [value]
        if choices:
            for item in items:
                if item not in choices:
                    raise self.fail(key, f"has {item!r}; use one of {', '.join(map(str, choices))}")
        self.recorded[key] = provenance
        return tuple(value) if isinstance(value, list) else value


#: The kind of a ``[checks]`` value: any TOML value but a table.
_ANY = object


def _matches(value: Any, kind: Any) -> bool:
    if kind is _ANY:
        return not isinstance(value, dict)
    if isinstance(kind, list):  # a list of kind[0]
        return isinstance(value, list) and all(_matches(v, kind[0]) for v in value)
    if isinstance(value, bool) and kind is not bool:
        return False
    if isinstance(value, dt.datetime):
        return False
    return isinstance(value, kind)


def _describe(kind: Any) -> str:
    if isinstance(kind, list):
        return f"a list of {_describe(kind[0]).removeprefix('a ').removeprefix('an ')}s"
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             dt.date: "a date (YYYY-MM-DD)"}
    return names.get(kind, "a value")


def _auto_epochs(r: _Reader, epochs_table: dict) -> AutoEpochs | None:
    table = r.table(epochs_table, "epochs.auto", required=False)
    if table is None:
        return None
    names = fields(AutoEpochs)
    base = r.provenance(table, "epochs.auto", names)
    values = {name: r.value(table, "epochs.auto", name, int, base, required=True) for name in names}
    rule = AutoEpochs(**values)
    if not 1 <= rule.min_epochs <= rule.target <= rule.max_epochs or not 0 < rule.min_example_passes <= rule.max_example_passes:
        raise r.fail("epochs.auto", "must have 1 <= min_epochs <= target <= max_epochs and "
                     "0 < min_example_passes <= max_example_passes")
    return rule


def known_formats() -> tuple[str, ...]:
    """The format ids a profile may name: those of the format registry (ftlint.formats)."""
    return fmts.ids()


def _parse(raw: dict, path: Path) -> Provider:
    r = _Reader(path)
    unknown = sorted(set(raw) - set(_TOP_KEYS))
    if unknown:
        raise r.fail(unknown[0], f"is not a profile key (keys: {', '.join(_TOP_KEYS)})")
    if raw.get("schema_version") != 1:
        raise r.fail("schema_version", f"must be 1, not {raw.get('schema_version')!r}")
    provider_id = raw.get("id")
    if provider_id != path.stem:
        raise r.fail("id", f"must be the file's name {path.stem!r}, not {provider_id!r}")
    title = raw.get("title")
    if not isinstance(title, str) or not title:
        raise r.fail("title", "must be a non-empty string")
    aliases = raw.get("provider_aliases", [])
    if not _matches(aliases, [str]) or any(not a or a != a.strip().lower() for a in aliases):
        raise r.fail("provider_aliases", f"must be a list of lower-case names, not {aliases!r}")

    sources = r.table(raw, "sources", required=False) or {}
    for tag, url in sources.items():
        if not isinstance(url, str) or not url:
            raise r.fail(f"sources.{tag}", "must be a string: the URL (or file) the tag stands for")

    status_table = r.table(raw, "status")
    base = r.provenance(status_table, "status", ("value", "no_new_jobs_after", "successor"))
    status = r.value(status_table, "status", "value", str, base, required=True, choices=STATUSES)
    no_new_jobs_after = r.value(status_table, "status", "no_new_jobs_after", dt.date, base)
    successor = r.value(status_table, "status", "successor", str, base)

    files_table = r.table(raw, "files")
    keys = ("extensions", "encoding", "bom", "max_bytes_training", "max_bytes_validation")
    base = r.provenance(files_table, "files", keys)
    files = FilePolicy(
        extensions=r.value(files_table, "files", "extensions", [str], base, required=True),
        encoding=r.value(files_table, "files", "encoding", str, base, required=True, choices=("utf-8",)),
        bom=r.value(files_table, "files", "bom", str, base, required=True, choices=BOM_POLICIES),
        max_bytes_training=r.value(files_table, "files", "max_bytes_training", int, base),
        max_bytes_validation=r.value(files_table, "files", "max_bytes_validation", int, base),
    )

    methods_table = r.table(raw, "methods")
    methods: dict[str, MethodPolicy] = {}
    keys = ("formats", "min_examples", "max_examples", "min_validation_examples", "max_validation_examples",
            "recommended_examples", "submit_as")
    method_names: dict[str, str] = {}
    for name, table in methods_table.items():
        section = f"methods.{name}"
        if name not in fmts.METHODS:
            raise r.fail(section, f"is not a method; use {', '.join(fmts.METHODS)}")
        if not isinstance(table, dict):
            raise r.fail(section, "must be a table")
        base = r.provenance(table, section, keys)
        methods[name] = MethodPolicy(
            name=name,
            formats=r.value(table, section, "formats", [str], base, required=True, choices=known_formats()),
            **{k: r.value(table, section, k, int, base) for k in keys[1:-1]},
        )
        method_names[name] = r.value(table, section, "submit_as", str, base) or name
    if not methods:
        raise r.fail("methods", "must name at least one method")

    roles_table = r.table(raw, "roles")
    keys = ("allowed", "first", "last", "alternation", "system")
    base = r.provenance(roles_table, "roles", keys)
    allowed = r.value(roles_table, "roles", "allowed", [str], base, required=True)
    roles = RolePolicy(
        allowed=allowed,
        first=r.value(roles_table, "roles", "first", [str], base, choices=allowed) or (),
        last=r.value(roles_table, "roles", "last", [str], base, choices=allowed) or (),
        alternation=r.value(roles_table, "roles", "alternation", str, base, choices=ALTERNATIONS) or "none",
        system=r.value(roles_table, "roles", "system", str, base, choices=SYSTEM_POSITIONS) or "anywhere",
    )

    images = None
    images_table = r.table(raw, "images", required=False)
    if images_table is not None:
        keys = ("max_per_example", "max_bytes", "types", "transports", "max_examples_with_images")
        base = r.provenance(images_table, "images", keys)
        images = ImagePolicy(
            max_per_example=r.value(images_table, "images", "max_per_example", int, base),
            max_bytes=r.value(images_table, "images", "max_bytes", int, base),
            types=r.value(images_table, "images", "types", [str], base, required=True),
            transports=r.value(images_table, "images", "transports", [str], base, required=True,
                               choices=IMAGE_TRANSPORTS),
            max_examples_with_images=r.value(images_table, "images", "max_examples_with_images", int, base),
        )

    weights: tuple[int, ...] = ()
    weights_table = r.table(raw, "weights", required=False)
    if weights_table is not None:
        base = r.provenance(weights_table, "weights", ("values",))
        weights = r.value(weights_table, "weights", "values", [int], base, required=True)

    tools_supported, max_functions = False, None
    tools_table = r.table(raw, "tools", required=False)
    if tools_table is not None:
        base = r.provenance(tools_table, "tools", ("supported", "max_functions"))
        tools_supported = r.value(tools_table, "tools", "supported", bool, base, required=True)
        max_functions = r.value(tools_table, "tools", "max_functions", int, base)

    formula, billed_tokens_field, tiers = "none", None, ()
    pricing_table = r.table(raw, "pricing", required=False)
    if pricing_table is not None:
        base = r.provenance(pricing_table, "pricing", ("formula", "billed_tokens_field", "tiers"))
        formula = r.value(pricing_table, "pricing", "formula", str, base, required=True, choices=PRICING_FORMULAS)
        billed_tokens_field = r.value(pricing_table, "pricing", "billed_tokens_field", str, base)
        tiers = _price_tiers(r, r.value(pricing_table, "pricing", "tiers", [dict], base) or ())

    default_epochs, auto_epochs, epochs_allowed = None, None, None
    epochs_table = r.table(raw, "epochs", required=False)
    if epochs_table is not None:
        base = r.provenance(epochs_table, "epochs", ("default", "auto", "allowed"))
        default_epochs = r.value(epochs_table, "epochs", "default", (str, int), base, required=True)
        epochs_allowed = r.value(epochs_table, "epochs", "allowed", [int], base)
        if epochs_allowed is not None and (len(epochs_allowed) != 2 or not 1 <= epochs_allowed[0] <= epochs_allowed[1]):
            raise r.fail("epochs.allowed", f"must be [least, most] with 1 <= least <= most, not {list(epochs_allowed)}")
        if isinstance(default_epochs, str) and default_epochs != "openai-auto":
            raise r.fail("epochs.default", f'must be a whole number or "openai-auto", not {default_epochs!r}')
        auto_epochs = _auto_epochs(r, epochs_table)
        if auto_epochs is not None and default_epochs != "openai-auto":
            raise r.fail("epochs.auto", 'goes with default = "openai-auto" (a fixed default needs no rule)')
    if provider_id == OPENAI_AUTO_PROFILE and auto_epochs is None:
        raise r.fail("epochs.auto", 'is missing: it states the numbers of the "openai-auto" rule')

    # Facts single rules read (Bedrock's reserved strings, Gemini's multimodal cap...): any key, each with provenance.
    checks: dict[str, Any] = {}
    checks_table = r.table(raw, "checks", required=False)
    if checks_table is not None:
        names = tuple(k for k in checks_table if k not in _PROVENANCE)
        base = r.provenance(checks_table, "checks", names)
        for name in names:
            checks[name] = r.value(checks_table, "checks", name, _ANY, base, required=True)

    submit = None
    submit_table = r.table(raw, "submit", required=False)
    if submit_table is not None:
        keys = ("sdk", "extra", "key_variable", "base_url", "base_url_variable", "account_variable",
                "direct_upload_max_bytes", "suffix_max_chars", "default_learning_rate", "default_lora",
                "default_n_evals")
        base = r.provenance(submit_table, "submit", keys)
        submit = SubmitPolicy(
            sdk=r.value(submit_table, "submit", "sdk", str, base, required=True, choices=SUBMIT_SDKS),
            extra=r.value(submit_table, "submit", "extra", str, base, required=True),
            key_variable=r.value(submit_table, "submit", "key_variable", str, base, required=True),
            base_url=r.value(submit_table, "submit", "base_url", str, base),
            base_url_variable=r.value(submit_table, "submit", "base_url_variable", str, base),
            account_variable=r.value(submit_table, "submit", "account_variable", str, base),
            direct_upload_max_bytes=r.value(submit_table, "submit", "direct_upload_max_bytes", int, base),
            suffix_max_chars=r.value(submit_table, "submit", "suffix_max_chars", int, base),
            default_learning_rate=r.value(submit_table, "submit", "default_learning_rate", float, base),
            default_lora=r.value(submit_table, "submit", "default_lora", bool, base),
            default_n_evals=r.value(submit_table, "submit", "default_n_evals", int, base),
            method_names=MappingProxyType(method_names),
        )

    catalog = parse_catalog(raw, r.where)
    if tiers:
        catalog = _priced_by_tier(catalog, tiers, r.recorded["pricing.tiers"])
    for model in catalog.models:
        for fmt in model.formats:
            if not any(fmt in m.formats for m in methods.values()):
                raise r.fail(f"model {model.id}", f"takes format {fmt!r}, which no method of [methods] takes")

    return Provider(
        id=provider_id,
        title=title,
        status=status,
        no_new_jobs_after=no_new_jobs_after,
        successor=successor,
        aliases=tuple(aliases),
        files=files,
        methods=methods,
        roles=roles,
        catalog=catalog,
        images=images,
        weights=weights,
        tools_supported=tools_supported,
        max_functions=max_functions,
        pricing_formula=formula,
        billed_tokens_field=billed_tokens_field,
        price_tiers=tiers,
        default_epochs=default_epochs,
        auto_epochs=auto_epochs,
        epochs_allowed=epochs_allowed,
        source_urls=dict(sources),
        path=str(path),
        checks=MappingProxyType(checks),
        submit=submit,
        provenance=r.recorded,
    )


def _price_tiers(r: _Reader, tables: tuple) -> tuple[PriceTier, ...]:
    """``[pricing] tiers``: ``{ name, max_params_b, usd }`` tables, smallest bracket first."""
    tiers: list[PriceTier] = []
    for i, table in enumerate(tables):
        key = f"pricing.tiers[{i}]"
        unknown = sorted(set(table) - {"name", "max_params_b", "usd"})
        if unknown:
            raise r.fail(f"{key}.{unknown[0]}", "is not a key of a price tier (keys: name, max_params_b, usd)")
        name, top, usd = table.get("name"), table.get("max_params_b"), table.get("usd")
        if not isinstance(name, str) or not name:
            raise r.fail(f"{key}.name", "must be a non-empty string: the bracket as the provider names it")
        if not _matches(top, (int, float)) or top <= 0:
            raise r.fail(f"{key}.max_params_b", f"must be a positive number (billions of parameters), not {top!r}")
        if usd is not None and (not _matches(usd, (int, float)) or usd < 0):
            raise r.fail(f"{key}.usd", f"must be a number >= 0 (USD per 1M training tokens), not {usd!r}")
        if tiers and top <= tiers[-1].max_params_b:
            raise r.fail(f"{key}.max_params_b", "must be larger than the previous tier's: list the tiers smallest first")
        tiers.append(PriceTier(name, float(top), float(usd) if usd is not None else None))
    return tuple(tiers)


def _priced_by_tier(catalog: Catalog, tiers: tuple[PriceTier, ...], provenance: Provenance) -> Catalog:
    """Each model that states its size (``params_b``) and no price of its own gets its tier's rate."""
    models = []
    for model in catalog.models:
        tier = next((t for t in tiers if model.params_b is not None and model.params_b <= t.max_params_b), None)
        if tier is None or model.training_price_usd is not None:
            models.append(model)
            continue
        sources = {**model.sources, "training_price": provenance}
        models.append(replace(
            model, price_tier=tier.name, training_price_usd=tier.usd, training_price_per="1M tokens",
            training_price_confirmed=provenance.confirmed, sources=sources))
    return replace(catalog, models=tuple(models))
