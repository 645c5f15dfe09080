"""Rule registry.

A rule is a plain module (as in yamllint) that declares::

    CODE = "FT105"                 # FT + 3 digits, stable forever, never renumbered
    NAME = "empty-content"         # kebab-case; --select/--ignore accept it too
    SCOPE = "record"               # "line" | "record" | "dataset"
    LEVEL = "error"                # default level: error | warning | info
    FORMATS = ("chat",)            # formats it applies to (see ftlint.formats); () = all
    METHODS = ()                   # methods it applies to; () = all
    PROVIDERS = ()                 # provider ids it applies to (rules/providers/<id>.toml); () = all
    EVENTS = ()                    # line scope only: reader events it handles
    OPTIONS = {"max": int}         # option name -> type
    DEFAULTS = {"max": 10}
    ENABLED = True                 # False: opt-in with --select (costly or opinionated)
    FIXABLE = None                 # None | "safe" | "unsafe"
    GUARD = None                   # record scope: a cheap, shared test guard(example, ctx); False = check() would find nothing
    SUPERSEDES = ()                # dataset scope: codes of rules whose problems its findings replace
    READER_OPTIONS = {}            # option name -> ReaderSettings field it sets (FT009: max-bytes)
    TOKENS = False                 # True: counts tokens (ctx.counter); runs that select none build no tokenizer
    STATEFUL = False               # record scope: True if check() reads or writes per-file state (ctx.once,
                                   # ctx.shared, the line number): it then runs in the main process only
    ONCE_PER_RUN = False           # True: a finding the run already reported for an earlier file is not repeated

and functions, by scope::

    line:    check(line, conf, ctx)            -> Iterable[Finding] | None
    record:  check(example, conf, ctx)         -> Iterable[Finding] | None
    dataset: begin(conf, ctx) -> state
             check(example, conf, ctx, state)  -> Iterable[Finding] | None   (optional)
             finish(conf, ctx, state)          -> Iterable[Finding]
             whole_file(conf, ctx)             -> Finding | None       (optional)
             supersedes_file(conf, ctx)        -> Iterable[code]       (optional)
    record and dataset:
             checks_examples(conf, ctx)        -> bool                 (optional)

A check that runs for every example and nearly always finds nothing may be a
plain function returning None (no findings) instead of a generator: a
generator is an object made and run out per call. Callers treat None as no
findings (``check(...) or ()``).
``whole_file`` is asked before any line is linted when the file's first
non-blank line opens a JSON object or array it does not close (how a
pretty-printed JSON file starts); a finding is then the file's only problem.
While no line of a file has parsed, the line problems of the codes a rule
``SUPERSEDES`` are held back (up to a bound), and dropped if its ``finish``
reports: one "this file is not JSONL" instead of a syntax error per line.
A dataset rule that reports also replaces the file findings of the dataset
rules it ``SUPERSEDES`` (a model's own minimum of 200 examples and the
provider's 8: one problem, the stricter one).
``supersedes_file`` is asked once the file's format and method are known,
before any line is linted: the codes it returns (of those it SUPERSEDES) do not
run on the file at all, because its finish will say it once for the whole file
(FT914: a format the provider does not take; the role order of each line would
only restate that).
A record rule's ``check`` is a function of the example and the file's
context as it stands once the format is known, so worker processes
(ftlint.parallel) run it on their byte ranges and ship its findings; a rule
that keeps per-file state or needs the example's line number declares
``STATEFUL = True`` and runs in the main process. A third-party record rule is
taken to be stateful unless it declares ``STATEFUL = False``.
``checks_examples`` is asked once per file, when its format, method,
conventions and token counter are known: False means check() would find
nothing in any example of the file (no separator to look for), so it is not
called for the file's examples (a dataset rule's begin and finish still run).
Rules sharing a ``GUARD`` function form a group: the engine calls the guard
once per example and skips the whole group when it returns False.
``READER_OPTIONS`` lets a rule's option configure the reader for every file
of the run, whether or not the rule is selected (the line bound must hold).
``ONCE_PER_RUN`` marks findings about the run rather than the file (FT302:
the model is retired): the runner shows such a finding for the first file
that draws it, and later files drop the same message (and its count). Each
file's result, and so its cache entry, keeps its own finding: a run of cached
files says it once too.

The module docstring is the rule's documentation: a one-line summary, then the
sections ``## What it does``, ``## Why it matters``, ``## Example`` and
``## Fix``. Record rules see one example at a time; dataset rules keep compact
state (hashes, counters), never the examples.

Third-party rules register modules (or a module with a ``RULES`` tuple of
modules) in the entry-point group ``ftlint.rules``. A code or name used twice
is a :class:`RegistryError` naming both owners: never a silent drop.
"""

from __future__ import annotations

import re
from importlib import import_module
from types import ModuleType
from typing import Callable

from ftlint.plugins import ENTRY_POINT_GROUP
from ftlint.plugins import may_be_installed as _plugins_may_be_installed
from ftlint import rule_index as _rule_index
from ftlint.problem import Level

#: The built-in rule modules, by module name (one module per rule, named
#: after its code). Listed explicitly, as yamllint does: easy to grep, and a
#: new rule is one line here.
BUILTIN_MODULES: tuple[str, ...] = (
    "ft001_invalid_json",
    "ft002_invalid_utf8",
    "ft003_utf8_bom",
    "ft004_blank_line",
    "ft005_crlf_line_ending",
    "ft006_not_an_object",
    "ft007_non_finite_number",
    "ft008_duplicate_key",
    "ft009_line_too_long",
    "ft010_not_jsonl",
    "ft011_missing_final_newline",
    "ft012_file_extension",
    "ft013_newlines_escaped_twice",
    "ft014_file_too_large",
    "ft020_unknown_record_format",
    "ft021_mixed_formats",
    "ft022_mixed_record_kinds",
    "ft101_messages_invalid",
    "ft102_role_invalid",
    "ft103_unknown_message_key",
    "ft104_content_type",
    "ft105_empty_content",
    "ft106_missing_assistant",
    "ft107_invalid_name",
    "ft108_unknown_top_level_key",
    "ft109_ends_without_assistant",
    "ft110_system_not_first",
    "ft111_consecutive_same_role",
    "ft112_reserved_special_token",
    "ft113_missing_user_message",
    "ft114_role_order",
    "ft115_reply_edge_whitespace",
    "ft150_gemini_example_invalid",
    "ft151_gemini_turn_order",
    "ft152_gemini_multimodal_examples",
    "ft160_bedrock_example_invalid",
    "ft161_bedrock_turn_order",
    "ft162_bedrock_media",
    "ft163_bedrock_reserved_text",
    "ft164_bedrock_images_and_video",
    "ft165_bedrock_model_example_count",
    "ft201_prompt_completion_types",
    "ft202_extra_key",
    "ft203_empty_completion",
    "ft204_missing_separator",
    "ft205_separator_in_prompt",
    "ft206_missing_stop_sequence",
    "ft207_stop_in_completion",
    "ft208_completion_leading_space",
    "ft209_legacy_format",
    "ft301_format_not_for_model",
    "ft302_model_retired",
    "ft303_over_token_cap",
    "ft304_near_token_cap",
    "ft305_no_trained_tokens",
    "ft306_multi_token_label",
    "ft307_class_imbalance",
    "ft308_few_examples_per_class",
    "ft401_too_few_examples",
    "ft402_few_examples",
    "ft403_duplicate_example",
    "ft404_conflicting_targets",
    "ft405_validation_overlap",
    "ft406_too_many_examples",
    "ft407_inconsistent_system_prompt",
    "ft501_tools_invalid",
    "ft502_tool_parameters_schema",
    "ft503_duplicate_tool_name",
    "ft504_functions_invalid",
    "ft505_tool_call_invalid",
    "ft506_tool_arguments_invalid",
    "ft507_unknown_tool_called",
    "ft508_parallel_calls_disabled",
    "ft509_tool_response_mismatch",
    "ft510_custom_tool_call",
    "ft601_weight_invalid",
    "ft602_nothing_trained",
    "ft603_image_url_invalid",
    "ft604_image_unsupported",
    "ft605_image_detail_invalid",
    "ft606_too_many_images",
    "ft607_too_many_image_examples",
    "ft608_model_lacks_vision",
    "ft701_method_format_mismatch",
    "ft702_preference_shape",
    "ft703_misnamed_preference_key",
    "ft704_unknown_preference_key",
    "ft705_preference_message_invalid",
    "ft706_input_ends_with_assistant",
    "ft707_preference_not_text",
    "ft708_identical_preference_outputs",
    "ft801_rft_role_invalid",
    "ft802_developer_role_outside_rft",
    "ft803_grader_key_inconsistent",
    "ft804_rft_too_many_examples",
    "ft805_model_lacks_rft",
    "ft806_rft_ends_with_assistant",
    "ft901_template_rejects",
    "ft902_template_tool_arguments",
    "ft903_message_dropped_by_template",
    "ft904_template_nothing_trained",
    "ft905_answer_truncated",
    "ft906_doubled_special_token",
    "ft910_trainer_record_schema",
    "ft911_trainer_column_missing",
    "ft912_trainer_role_tag_unknown",
    "ft913_trainer_turn_order",
    "ft914_format_not_for_provider",
    "ft915_file_not_in_trainer_config",
)

#: The fingerprint of ftlint's modules (rule_index.fingerprint) when this package was imported, so an index
#: is read and written for the code this process runs. Taken later, a process that outlived an upgrade (a
#: notebook using ftlint.api, a test run while modules were edited) wrote its old rule list under the new
#: code's fingerprint, and every later run trusted that stale index: rules added by the upgrade went missing.
_CODE_STAMP = _rule_index.fingerprint()


def builtin_modules() -> tuple[ModuleType, ...]:
    """The built-in rule modules, imported on first use (``--version`` and ``--help`` need none)."""
    return tuple(import_module(f"ftlint.rules.{name}") for name in BUILTIN_MODULES)


def __getattr__(name: str):
    if name == "BUILTIN":  # kept for callers of the former module constant
        return builtin_modules()
    raise AttributeError(f"module 'ftlint.rules' has no attribute {name!r}")

SCOPES = ("line", "record", "dataset")
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix")
BUILTIN_CODE = re.compile(r"^FT[0-9]{3}$")
PLUGIN_CODE = re.compile(r"^[A-Z]{1,3}[0-9]{3}$")
NAME_SHAPE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RegistryError(Exception):
    """A rule module is malformed or clashes with another (exit 2)."""


#: The functions a rule module may define, as Rule attributes (the module's GUARD is ``guard``).
HOOKS = ("check", "guard", "begin", "finish", "whole_file", "supersedes_file", "checks_examples")
#: Everything else a Rule holds, in its constructor's order.
DECLARED = ("code", "name", "scope", "level", "formats", "methods", "providers", "events", "options", "defaults",
            "enabled", "fixable", "doc", "supersedes", "reader_options", "tokens", "stateful", "owner", "once_per_run")


def _hook(name: str) -> property:
    def get(self):
        hooks = self._hooks
        if hooks is None:  # an indexed rule whose module is not imported yet
            if name not in self._declared_hooks:
                return None
            hooks = self._import()
        return hooks[name]

    return property(get, doc=f"The rule module's {name} (GUARD for guard), or None.")


class Rule:
    """A rule's declarations and functions.

    ``stateful``: a record rule the main process must run (per-file state); ``once_per_run``: a finding about
    the run rather than the file (FT302: the model is retired), said once per run (ftlint.runner) however many
    files draw it word for word; see the module doc for the rest.

    A plain class (not a dataclass: generating one costs a cold run more than
    anything it gives). A built-in rule read from the derived index
    (:mod:`ftlint.rule_index`) imports its module the first time one of its
    functions, or ``module``, is asked for; until then ``check is None`` and the
    like are answered from the index. Treat a Rule as immutable: ``replace``
    makes a variant.
    """

    __slots__ = (*DECLARED, "module_name", "indexed", "_hooks", "_declared_hooks", "_module")

    def __init__(self, code: str, name: str, scope: str, level: Level, formats: tuple[str, ...],
                 methods: tuple[str, ...], providers: tuple[str, ...], events: tuple[str, ...], options: dict,
                 defaults: dict, enabled: bool, fixable: str | None, doc: str, check: Callable | None,
                 guard: Callable | None, begin: Callable | None, finish: Callable | None,
                 whole_file: Callable | None = None, supersedes: tuple[str, ...] = (),
                 supersedes_file: Callable | None = None, checks_examples: Callable | None = None,
                 reader_options: dict | None = None, tokens: bool = False, stateful: bool = False,
                 owner: str = "ftlint", module: ModuleType | None = None, once_per_run: bool = False):
        self.code, self.name, self.scope, self.level = code, name, scope, level
        self.formats, self.methods, self.providers, self.events = formats, methods, providers, events
        self.options, self.defaults, self.enabled, self.fixable, self.doc = options, defaults, enabled, fixable, doc
        self.supersedes, self.reader_options = supersedes, {} if reader_options is None else reader_options
        self.tokens, self.stateful, self.owner, self.once_per_run = tokens, stateful, owner, once_per_run
        self._hooks = {"check": check, "guard": guard, "begin": begin, "finish": finish, "whole_file": whole_file,
                       "supersedes_file": supersedes_file, "checks_examples": checks_examples}
        self._declared_hooks = frozenset(h for h, fn in self._hooks.items() if fn is not None)
        self._module = module
        self.module_name = module.__name__ if module is not None else None
        #: Built from the index (a built-in module of the package, imported on first use).
        self.indexed = False

    check = _hook("check")
    guard = _hook("guard")
    begin = _hook("begin")
    finish = _hook("finish")
    whole_file = _hook("whole_file")
    supersedes_file = _hook("supersedes_file")
    checks_examples = _hook("checks_examples")

    @classmethod
    def from_index(cls, entry: dict) -> Rule:
        """A built-in rule from its index entry (:func:`index_entry`); its module is imported on first use."""
        from ftlint.rule_index import OPTION_TYPES

        rule = cls.__new__(cls)
        for attr in DECLARED:
            setattr(rule, attr, entry[attr])
        rule.level = Level.parse(entry["level"])
        rule.options = {option: OPTION_TYPES[kind] for option, kind in entry["options"].items()}
        rule.module_name = entry["module"]
        rule.indexed = True
        rule._hooks = None
        rule._declared_hooks = frozenset(entry["hooks"])
        rule._module = None
        return rule

    @property
    def module(self) -> ModuleType | None:
        if self._hooks is None:
            self._import()
        return self._module

    def _import(self) -> dict:
        module = import_module(self.module_name)
        if getattr(module, "CODE", None) != self.code:  # the fingerprint makes this impossible; never run a stranger
            raise RegistryError(f"{self.module_name}: the rule index says {self.code}, the module says "
                                f"{getattr(module, 'CODE', None)}; remove {self.module_name} or the index")
        hooks = {h: getattr(module, "GUARD" if h == "guard" else h, None) for h in HOOKS}
        self._module, self._hooks = module, hooks
        return hooks

    def _fields(self) -> dict:
        return {**{attr: getattr(self, attr) for attr in DECLARED}, **{h: getattr(self, h) for h in HOOKS}}

    def replace(self, **changes) -> Rule:
        """A copy with ``changes`` (what ``dataclasses.replace`` did when Rule was a dataclass)."""
        return Rule(**{**self._fields(), "module": self.module, **changes})

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # as the frozen dataclass with dict fields: not hashable

    def __repr__(self) -> str:
        shown = ", ".join(f"{attr}={getattr(self, attr)!r}" for attr in DECLARED[:4])
        return f"Rule({shown}, module={self.module_name!r})"

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def applies_to(self, fmt: str | None, method: str | None, provider: str | None = None) -> bool:
        if self.formats and fmt not in self.formats:
            return False
        if self.methods and method not in self.methods:
            return False
        if self.providers and provider is not None and provider not in self.providers:
            return False
        return True


def index_entry(rule: Rule) -> dict | None:
    """What the derived index keeps of a built-in rule (None: it cannot be indexed; then none is)."""
    from ftlint.rule_index import OPTION_TYPES

    kinds = {option: getattr(kind, "__name__", None) for option, kind in rule.options.items()}
    if any(OPTION_TYPES.get(name) is not rule.options[option] for option, name in kinds.items()):
        return None
    entry = {attr: getattr(rule, attr) for attr in DECLARED}
    entry.update(level=str(rule.level), options=kinds, module=rule.module_name,
                 hooks=tuple(h for h in HOOKS if getattr(rule, h) is not None))
    return entry


def rule_from_module(module: ModuleType, owner: str = "ftlint") -> Rule:
    where = f"{owner}: {module.__name__}"

    def need(attr):
        if not hasattr(module, attr):
            raise RegistryError(f"{where}: rule module lacks {attr}")
        return getattr(module, attr)

    code, name, scope = need("CODE"), need("NAME"), need("SCOPE")
    pattern = BUILTIN_CODE if owner == "ftlint" else PLUGIN_CODE
    if not isinstance(code, str) or not pattern.match(code):
        raise RegistryError(f'{where}: rule code "{code}" does not match {pattern.pattern}')
    if not isinstance(name, str) or not NAME_SHAPE.match(name):
        raise RegistryError(f'{where}: rule name "{name}" is not kebab-case')
    if scope not in SCOPES:
        raise RegistryError(f'{where}: scope "{scope}" is not one of {", ".join(SCOPES)}')
    try:
        level = Level.parse(need("LEVEL"))
    except ValueError as exc:
        raise RegistryError(f"{where}: {exc}") from None
    check = getattr(module, "check", None)
    begin = getattr(module, "begin", None)
    finish = getattr(module, "finish", None)
    if scope == "dataset":
        if begin is None or finish is None:
            raise RegistryError(f"{where}: dataset rules need begin() and finish()")
    elif check is None:
        raise RegistryError(f"{where}: {scope} rules need check()")
    if getattr(module, "GUARD", None) is not None and (scope != "record" or not callable(module.GUARD)):
        raise RegistryError(f"{where}: GUARD must be a function, and only record rules have one")
    options = dict(getattr(module, "OPTIONS", {}))
    defaults = dict(getattr(module, "DEFAULTS", {}))
    if set(options) != set(defaults):
        raise RegistryError(f"{where}: OPTIONS and DEFAULTS name different options")
    whole_file, supersedes, reader_options = _declared_extras(module, scope, options, where)
    supersedes_file = getattr(module, "supersedes_file", None)
    if supersedes_file is not None and (not supersedes or not callable(supersedes_file)):
        raise RegistryError(f"{where}: supersedes_file must be a function, and only rules that declare SUPERSEDES "
                            "have one")
    checks_examples = getattr(module, "checks_examples", None)
    if checks_examples is not None and (scope == "line" or not callable(checks_examples)):
        raise RegistryError(f"{where}: checks_examples must be a function, and only record and dataset rules have one")
    return Rule(
        code=code,
        name=name,
        scope=scope,
        level=level,
        formats=tuple(getattr(module, "FORMATS", ())),
        methods=tuple(getattr(module, "METHODS", ())),
        providers=tuple(getattr(module, "PROVIDERS", ())),
        events=tuple(getattr(module, "EVENTS", ())),
        options=options,
        defaults=defaults,
        enabled=bool(getattr(module, "ENABLED", True)),
        fixable=getattr(module, "FIXABLE", None),
        doc=module.__doc__ or "",
        check=check,
        guard=getattr(module, "GUARD", None),
        begin=begin,
        finish=finish,
        whole_file=whole_file,
        supersedes=supersedes,
        supersedes_file=supersedes_file,
        checks_examples=checks_examples,
        reader_options=reader_options,
        tokens=_flag(module, "TOKENS", where),
        stateful=scope == "record" and _flag(module, "STATEFUL", where, default=owner != "ftlint"),
        owner=owner,
        module=module,
        once_per_run=_flag(module, "ONCE_PER_RUN", where),
    )


def _flag(module: ModuleType, attr: str, where: str, default: bool = False) -> bool:
    value = getattr(module, attr, default)
    if not isinstance(value, bool):
        raise RegistryError(f"{where}: {attr} must be True or False")
    return value


def _declared_extras(module: ModuleType, scope: str, options: dict, where: str) -> tuple:
    """(whole_file, SUPERSEDES, READER_OPTIONS) of a rule module, validated."""
    from ftlint.reader import ReaderSettings

    whole_file = getattr(module, "whole_file", None)
    if whole_file is not None and (scope != "dataset" or not callable(whole_file)):
        raise RegistryError(f"{where}: whole_file must be a function, and only dataset rules have one")
    supersedes = getattr(module, "SUPERSEDES", ())
    if isinstance(supersedes, str) or not all(isinstance(c, str) and PLUGIN_CODE.match(c) for c in supersedes):
        raise RegistryError(f"{where}: SUPERSEDES must be a tuple of rule codes")
    if supersedes and scope != "dataset":
        raise RegistryError(f"{where}: only dataset rules supersede others (SUPERSEDES)")
    reader_options = dict(getattr(module, "READER_OPTIONS", {}))
    from ftlint.record import fields as record_fields

    fields = record_fields(ReaderSettings)
    for option, setting in reader_options.items():
        if option not in options:
            raise RegistryError(f'{where}: READER_OPTIONS names "{option}", which is not in OPTIONS')
        if setting not in fields:
            raise RegistryError(f'{where}: READER_OPTIONS: the reader has no setting "{setting}" '
                                f'(it has {", ".join(fields)})')
    return whole_file, tuple(supersedes), reader_options


def _plugin_modules() -> list[tuple[ModuleType, str]]:
    if not _plugins_may_be_installed():
        return []
    from importlib import metadata  # 30-50 ms to import: only when a plugin may be installed

    found = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        owner = ep.dist.name if ep.dist is not None else ep.value
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must be loud, not fatal to the traceback
            raise RegistryError(f'{owner}: cannot load rule plugin "{ep.name}" ({ep.value}): {exc}') from None
        modules = getattr(loaded, "RULES", None) or (loaded,)
        found.extend((m, owner) for m in modules)
    return found


def builtin_rules() -> list[Rule]:
    """The built-in rules, from the derived index when it matches this code (their modules are imported
    on first use), else from their modules (and the index is written for the next run)."""
    stamp = _CODE_STAMP  # the code this process imported, not the files as they are now
    entries = _rule_index.load(stamp)
    if entries is not None:
        try:
            return [Rule.from_index(entry) for entry in entries]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an index of another shape: import the modules and write it again
    built = [rule_from_module(module) for module in builtin_modules()]
    entries = [index_entry(rule) for rule in built]
    if None not in entries:
        _rule_index.store(stamp, entries)
    return built


def load_rules(plugins: bool = True, extra: tuple = ()) -> dict[str, Rule]:
    """All rules by code: built-ins, then entry-point plugins, then ``extra`` (module, owner) pairs."""
    rules: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    sources: list = list(builtin_rules())
    if plugins:
        sources += _plugin_modules()
    sources += list(extra)
    for source in sources:
        rule = source if isinstance(source, Rule) else rule_from_module(*source)
        owner, module_name = rule.owner, rule.module_name
        for taken, key in ((rules.get(rule.code), "code"), (by_name.get(rule.name), "name")):
            if taken is not None:
                value = rule.code if key == "code" else rule.name
                raise RegistryError(
                    f'rule {key} "{value}" is defined twice: by {taken.owner} ({taken.module_name}) '
                    f"and by {owner} ({module_name}); uninstall one of them"
                )
        rules[rule.code] = rule
        by_name[rule.name] = rule
    return rules
