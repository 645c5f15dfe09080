"""Per-file settings: one Linter per distinct (extra ignores, model), built on demand.

``per-file-ignores`` and ``per-file-model`` make the selection and the model
vary by file. Rather than teaching the engine about globs, each file is mapped
to the key of its effective settings and linted by the Linter built for that
key; files with the same settings share one Linter (and its validated
selection). :class:`PerFileLinter` has Linter's ``lint_file`` signature, so the
run loop does not know the difference.
"""

from __future__ import annotations

from typing import Callable

from ftlint.config import Config
from ftlint.engine import TRAINING, FileResult, Linter, RunContext, Sink
from ftlint.catalog import UnknownModel
from ftlint.record import replace
from ftlint.providers import Definitions, Provider, UnknownProvider, default_for, default_provider, select
from ftlint.settings import ConfigError, Selection
from ftlint.token_stats import token_hooks
from ftlint import token_facts
from ftlint.token_facts import unknown_tokenizer

#: (selection, model name or None) -> Linter; the CLI and the Python API each pass theirs.
LinterFactory = Callable[[Selection, "str | None"], Linter]


class PerFileLinter:
    def __init__(self, config: Config, base: Selection, make_linter: LinterFactory, default_model: str | None = None):
        self.config = config
        self.base = base
        self.make_linter = make_linter
        self.default_model = default_model
        self._linters: dict[tuple, Linter] = {}
        self.default = self._linter((), default_model)  # validates the base selection up front

    def _linter(self, extra_ignores: tuple[str, ...], model: str | None) -> Linter:
        key = (extra_ignores, model)
        linter = self._linters.get(key)
        if linter is None:
            selection = replace(self.base, ignore=[*self.base.ignore, *extra_ignores])
            linter = self._linters[key] = self.make_linter(selection, model)
        return linter

    def linter_for(self, name: str) -> Linter:
        if name == "-":
            return self.default
        model = self.config.model_for(name) or self.default_model
        return self._linter(self.config.ignores_for(name), model)

    def lint_file(self, name: str, sink: Sink, role: str = TRAINING, display: str | None = None) -> FileResult:
        return self.linter_for(name).lint_file(name, sink, role=role, display=display)


def resolve_model(name: str | None, provider: Provider | None = None, defined: Definitions | None = None) -> object:
    """What a Linter's files see as ``ctx.model`` for a model name (per-file-model, --model).

    The single seam where a model name becomes the provider's Model object (or
    the one the user defines); None leaves the run's model. An unknown name is
    a ConfigError (exit 2) listing the closest names and how to define it.
    """
    if name is None:
        return None
    return select_provider((provider or default_provider()).id, name, defined)[1]


def select_provider(provider: str | None, model: str | None,
                    defined: Definitions | None = None) -> tuple[Provider, object]:
    """The run's provider and model (None: the provider's default) from their names; ConfigError if unknown."""
    try:
        return select(provider, model, defined)
    except (UnknownModel, UnknownProvider) as exc:
        raise ConfigError(str(exc)) from None


def counts_tokens(selection: Selection) -> bool:
    """True when a rule of the selection counts tokens (declares TOKENS)."""
    return any(rule.tokens for rule in selection.enabled().values())


def definitions(config: Config, model: str | None, tokenizer: str | None = None,
                max_tokens: int | None = None) -> dict:
    """The models the user defines: the config's ``[models."<name>"]``, and --tokenizer/--max-tokens for --model."""
    where = str(config.path) if config.path is not None else "the config"
    defined = {name: (values, where) for name, values in config.models.items()}
    given = {k: v for k, v in (("tokenizer", tokenizer), ("max-tokens", max_tokens)) if v is not None}
    if tokenizer is not None and unknown_tokenizer(tokenizer) is not None:
        raise ConfigError(f"--tokenizer: {unknown_tokenizer(tokenizer)}")
    if given:
        if model is None:
            raise ConfigError("--tokenizer and --max-tokens describe the model of --model NAME; name it")
        values = {**(defined[model][0] if model in defined else {}), **given}
        defined[model] = (values, " ".join(f"--{k} {v}" for k, v in given.items()))
    return defined


def linter_pool(config: Config, selection: Selection, *, validation: bool, method: str | None = None,
                model: str | None = None, epochs: int | None = None, rate: float | None = None,
                stats_writer=None, progress=None, provider: str | None = None, tokenizer: str | None = None,
                max_tokens: int | None = None, run_options: dict | None = None, jobs: int | None = None) -> PerFileLinter:
    """The per-file linters of one run, with token counting (shared by the CLI and the Python API).

    ``provider`` and ``model`` are the names given (--provider/--model or
    config); a model name alone picks its provider (see providers.select).
    No model means the provider's default, which the report then names.
    Tokens are counted (and the token report made) when a selected rule
    declares TOKENS or --stats asks for counts. The vocabulary is loaded and
    verified when the first file needs it (a broken one is one clear error,
    exit 2): a run that counts no tokens, or whose files the result cache
    answers, builds no tokenizer (0.25 s of a pre-commit run).
    ``tokenizer`` and ``max_tokens`` define (or override) the facts of
    ``model`` (see ftlint.custom_models).
    """
    defined = definitions(config, model, tokenizer, max_tokens)
    chosen, named = select_provider(provider, model, defined)
    default = named or chosen.default_model
    options = {"has_validation": validation, "model_is_default": model is None, "provider_is_default": provider is None,
               "epochs": epochs, "rate": rate,
               **(run_options or {})}
    if provider is None and model is None:
        moved = default_for()[1]
        if moved:  # the usual default provider takes no new jobs: say which one the run is for
            options["default_note"] = f" (default; {moved}; pass --provider or --model)"
    run = RunContext(model=default, options=options, provider=chosen)
    hooks = token_hooks(stats_writer, jobs)

    def make_linter(sel: Selection, model_name: str | None) -> Linter:
        counting = hooks if stats_writer is not None or counts_tokens(sel) else {}
        if counting:  # the report says which token checks a model without a usable tokenizer skipped
            counting = {**counting, "collectors": [*counting["collectors"],
                                                   token_facts.collector_factory(sel.enabled().values())]}
        return Linter(sel, method=method, run=run, model=resolve_model(model_name, chosen, defined), progress=progress,
                      **counting)

    return PerFileLinter(config, selection, make_linter, default_model=model)
