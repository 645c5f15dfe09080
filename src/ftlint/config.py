"""Configuration files: discovery, validation, and merging with the command line.

Discovery (ruff-style), unless ``--isolated``:

1. ``--config PATH`` (a ``ftlint.toml``-style file, or a ``pyproject.toml``);
2. otherwise, from the current directory upward, the first directory holding
   ``ftlint.toml``, ``.ftlint.toml`` or a ``pyproject.toml`` with a
   ``[tool.ftlint]`` table (in that order within one directory).

Keys (top level of ``ftlint.toml``, or under ``[tool.ftlint]``)::

    provider = "openai"                   # who trains on the data (rules/providers/<id>.toml)
    model = "gpt-4.1-mini-2025-04-14"     # model the data is for
    epochs = 3                            # training epochs (cost estimates)
    rate = 5.0                            # USD per 1M training tokens (overrides the catalog)
    n-evals = 10                          # evaluations on the validation file (Together AI bills them)
    method = "supervised"                 # supervised | dpo | reinforcement
    select = ["FT0", "FT1"]               # codes, prefixes or names
    extend-select = ["FT403"]
    ignore = ["FT209"]
    strict = true                         # exit 1 on warnings too
    format = "github"                     # output format
    exclude = [".git/**", "eval/**"]     # files never linted, even when named (default below)
    extend-exclude = ["logs/*.jsonl"]     # added to exclude
    [per-file-ignores]                    # glob -> codes
    "data/legacy/*.jsonl" = ["FT2"]
    [per-file-model]                      # glob -> model
    "data/mini/**" = "gpt-4.1-mini-2025-04-14"
    [models."my-llama"]                   # a model no provider profile lists
    tokenizer = "llama3"                  # (any of the three may be left out)
    max-tokens = 8192
    rate = 0.48
    [rules.FT009]                         # code or name: level and the rule's options
    level = "warning"
    max-bytes = 1000000
    # open trainers (as the options of the same names; paths relative to the config file)
    trainer-config = "data/dataset_info.json"   # or an Axolotl YAML
    chat-template = "qwen2.5"             # a family, or a Jinja file / tokenizer_config.json
    max-seq-length = 2048
    response-marker = "<|im_start|>assistant\n"

Globs are matched against the file's path relative to the config file's
directory (``**`` spans directories); a glob without ``/`` also matches the
file name alone. Anything unknown or mistyped is a :class:`ConfigError` naming
the key and the file.

The command line wins: ``--select`` replaces the configured select,
extend-select and ignore; ``--extend-select`` and ``--ignore`` add to them;
an ignored rule does not run, however specific the select that names it
(``--select FT105 --ignore FT1`` runs no FT1 rule; ruff would keep FT105),
and the command line says so (:func:`ignored_selections`);
``--model``, ``--method``, ``--format`` replace, ``--strict`` turns strictness on.
"""

from __future__ import annotations

import os
from pathlib import Path

from ftlint.custom_models import ModelDefinitionError, check_definitions
from ftlint.formats import METHODS
from ftlint.globs import GlobError, compile_glob, glob_match
from ftlint.record import Record, field
from ftlint.toml_data import toml_module
from ftlint.limits import MAX_EPOCHS, MAX_EVALS, MAX_RATE_USD, MAX_TOKENS, number_error, whole_number_error
from ftlint.rules import Rule
from ftlint.settings import ConfigError, Selection, match_selector, resolve_rule

CONFIG_NAMES = ("ftlint.toml", ".ftlint.toml")
PYPROJECT = "pyproject.toml"

#: key -> (type or tuple of allowed values, description used in error messages)
_SCALARS: dict[str, tuple[object, str]] = {
    "provider": (str, "a string"),
    "model": (str, "a string"),
    "epochs": (int, "an integer"),
    "rate": (float, "a number"),
    "n-evals": (int, "an integer"),
    "method": (METHODS, "one of " + ", ".join(METHODS)),
    "strict": (bool, "true or false"),
    "format": (str, "a string"),
}
#: The open-trainer settings (as --trainer-config etc.), checked by _trainer_setting.
_TRAINER_KEYS = ("trainer-config", "chat-template", "max-seq-length", "response-marker")
_LISTS = ("select", "extend-select", "ignore")
_GLOB_LISTS = ("exclude", "extend-exclude")
_TABLES = ("per-file-ignores", "per-file-model", "models", "rules")
KNOWN_KEYS = tuple(_SCALARS) + _TRAINER_KEYS + _LISTS + _GLOB_LISTS + _TABLES

#: Files under these are never training data (ruff excludes them by default too).
DEFAULT_EXCLUDE = (".git/**", ".venv/**", "venv/**", "node_modules/**")


class Config(Record):
    """The resolved configuration (file values; the CLI merges on top of it)."""

    path: Path | None = None  # the file it was read from; None: no config file
    provider: str | None = None
    model: str | None = None
    epochs: int | None = None
    rate: float | None = None  # USD per 1M training tokens
    n_evals: int | None = None  # evaluations on the validation file (billed by Together AI)
    method: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(factory=list)
    ignore: list[str] = field(factory=list)
    exclude: list[str] = field(factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(factory=list)
    per_file_ignores: dict[str, list[str]] = field(factory=dict)
    per_file_model: dict[str, str] = field(factory=dict)
    # Models the user defines: name -> {tokenizer, max-tokens, rate} (see ftlint.custom_models)
    models: dict[str, dict] = field(factory=dict)
    strict: bool | None = None
    format: str | None = None
    levels: dict[str, str] = field(factory=dict)  # rule code or name -> level
    options: dict[str, dict] = field(factory=dict)  # rule code or name -> {option: value}
    # open trainers: a path resolved against the config file's directory, a family or a path, two values
    trainer_config: str | None = None
    chat_template: str | None = None
    max_seq_length: int | None = None
    response_marker: str | None = None

    @property
    def root(self) -> Path:
        """The directory per-file globs are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """Extra codes to ignore for ``path`` (from per-file-ignores, in config order)."""
        codes: list[str] = []
        for pattern, selectors in self.per_file_ignores.items():
            if glob_matches(pattern, path, self.root):
                codes.extend(selectors)
        return tuple(codes)

    def excluded(self, path: str) -> str | None:
        """The exclude glob that matches ``path`` or one of its directories, or None."""
        for pattern in (*self.exclude, *self.extend_exclude):
            if glob_matches(pattern, path, self.root) or any(
                glob_matches(pattern.rstrip("/"), str(parent), self.root)
                for parent in Path(path).parents if parent.name
            ):
                return pattern
        return None

    def model_for(self, path: str) -> str | None:
        """The per-file model for ``path``; the last matching glob wins (None: no match)."""
        found = None
        for pattern, model in self.per_file_model.items():
            if glob_matches(pattern, path, self.root):
                found = model
        return found


# -- globs -------------------------------------------------------------------


def glob_matches(pattern: str, path: str, root: Path) -> bool:
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root.resolve() if root.exists() else root).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    pattern = pattern.removeprefix("./")
    if glob_match(pattern, relative):
        return True
    return "/" not in pattern and glob_match(pattern, absolute.name)


def _check_glob(key: str, pattern: object) -> None:
    try:
        compile_glob(str(pattern).removeprefix("./"))
    except GlobError as exc:
        raise ConfigError(f'"{key}": bad glob "{pattern}": {exc}') from None


# -- discovery ---------------------------------------------------------------


def _has_tool_table(pyproject: Path) -> bool:
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    if b"ftlint" not in raw and b"\\u" not in raw and b"\\U" not in raw:
        return False  # no key spells "ftlint", not even with escapes: nothing to parse (nor tomllib to import)
    tomllib = toml_module()
    try:
        data = tomllib.loads(raw.decode("utf-8", "replace"))
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        # A broken pyproject.toml without our table is not ours to report; one
        # that mentions it is the user's ftlint config, broken: say so (exit 2).
        if b"tool.ftlint" in raw:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
        return False
    return isinstance(data.get("tool"), dict) and "ftlint" in data["tool"]


def find_config(start: Path) -> Path | None:
    """The nearest config file from ``start`` upward, or None."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        candidate = directory / PYPROJECT
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def _table_of(path: Path) -> dict:
    tomllib = toml_module()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("ftlint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: no [tool.ftlint] table")
        if not isinstance(table, dict):
            raise ConfigError(f'{path}: "tool.ftlint" must be a table ([tool.ftlint]), not {_type_name(table)}')
        return table
    tool = data.get("tool")
    if isinstance(tool, dict) and "ftlint" in tool:
        # ruff's choice for ruff.toml: the standalone file holds the keys themselves, and the
        # pyproject.toml form is refused with the fix rather than half-read.
        raise ConfigError(f"{path}: [tool.ftlint] is the pyproject.toml form; in {path.name} drop the "
                          "\"tool.ftlint\" prefix and write the keys at top level ([tool.ftlint.rules.FT402] "
                          "becomes [rules.FT402])")
    return data


def load_config(path: Path, rules: dict[str, Rule]) -> Config:
    """Read and validate one config file."""
    table = _table_of(path)
    prefix = "tool.ftlint." if path.name == PYPROJECT else ""  # how the user's tables are named
    where = "[tool.ftlint]" if prefix else "top level"
    config = Config(path=path)
    try:
        _fill(config, table, rules, where, prefix)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return config


def discover(rules: dict[str, Rule], config_path: str | None = None, isolated: bool = False,
             cwd: Path | None = None) -> Config:
    """The configuration in force: ``--config``, else the nearest file, else defaults."""
    if config_path is not None:
        return load_config(Path(config_path), rules)
    if isolated:
        return Config()
    found = find_config(cwd or Path.cwd())
    return load_config(found, rules) if found is not None else Config()


# -- validation --------------------------------------------------------------


def _type_name(value: object) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "table"}.get(type(value), type(value).__name__)


def _scalar(key: str, value: object) -> object:
    kind, expected = _SCALARS[key]
    if isinstance(kind, tuple):
        if value not in kind:
            raise ConfigError(f'"{key}" must be {expected}, not {value!r}')
        return value
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f'"{key}" must be {expected}, not {_type_name(value)}')
    if key == "rate" and number_error(value, 0, MAX_RATE_USD) is not None:  # (ftlint.limits, as --rate; no NaN)
        raise ConfigError(f'"rate" {number_error(value, 0, MAX_RATE_USD)}, not {value}')
    if key == "epochs" and not 1 <= value <= MAX_EPOCHS:
        raise ConfigError(f'"epochs" must be from 1 to {MAX_EPOCHS:,}, not {value}')
    if key == "n-evals" and not 0 <= value <= MAX_EVALS:  # (ftlint.limits, as --n-evals)
        raise ConfigError(f'"n-evals" must be from 0 to {MAX_EVALS:,}, not {value}')
    return value


def _trainer_setting(key: str, value: object, root: Path) -> object:
    """One open-trainer setting, checked as its command-line option is (files read now: a bad one is exit 2)."""
    from ftlint import chat_template, trainer_config

    if key == "max-seq-length":
        why = whole_number_error(value, 1, MAX_TOKENS)  # (ftlint.limits, as --max-seq-length)
        if why is not None:
            shown = value if isinstance(value, int) and not isinstance(value, bool) else _type_name(value)
            raise ConfigError(f'"max-seq-length" {why}, not {shown}')
        return value
    if not isinstance(value, str) or not value:
        raise ConfigError(f'"{key}" must be a non-empty string, not {_type_name(value) if not isinstance(value, str) else "an empty one"}')
    if key == "response-marker":
        return value
    if key == "chat-template" and chat_template.is_family(value):
        return value
    path = str(root / value)  # relative to the config file (an absolute value stays as it is)
    try:
        if key == "chat-template":
            chat_template.load(path)
        else:
            trainer_config.load(path)
    except (chat_template.TemplateError, trainer_config.TrainerConfigError) as exc:
        from ftlint.escape import terminal  # the path is the user's text: "trainer-config = '\\n'" made a two-line error

        raise ConfigError(f'"{key}": {terminal(str(exc))}') from None
    return path


def _selectors(key: str, value: object, rules: dict[str, Rule]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'"{key}" must be an array of rule codes, prefixes or names')
    for selector in value:
        match_selector(selector, rules)  # names an unknown selector
    return list(value)


def _fill(config: Config, table: dict, rules: dict[str, Rule], where: str, prefix: str = "") -> None:
    from ftlint.reporters import REPORTER_NAMES

    for key, value in table.items():
        if key not in KNOWN_KEYS:
            raise ConfigError(f'unknown key "{key}" in {where} (known keys: {", ".join(KNOWN_KEYS)})')
        attr = key.replace("-", "_")
        if key in _SCALARS:
            setattr(config, attr, _scalar(key, value))
        elif key in _TRAINER_KEYS:
            setattr(config, attr, _trainer_setting(key, value, config.root))
        elif key in _LISTS:
            setattr(config, attr, _selectors(key, value, rules))
        elif key in _GLOB_LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f'"{key}" must be an array of file globs')
            setattr(config, attr, list(value))
        elif not isinstance(value, dict):
            raise ConfigError(f'"{key}" must be a table, not {_type_name(value)}')
        elif key == "per-file-ignores":
            for glob in value:
                _check_glob("per-file-ignores", glob)
            config.per_file_ignores = {g: _selectors(f"per-file-ignores.{g}", v, rules) for g, v in value.items()}
        elif key == "per-file-model":
            for glob, model in value.items():
                _check_glob("per-file-model", glob)
                if not isinstance(model, str):
                    raise ConfigError(f'"per-file-model.{glob}" must be a string, not {_type_name(model)}')
            config.per_file_model = dict(value)
        elif key == "models":
            try:
                config.models = check_definitions(value, where)
            except ModelDefinitionError as exc:
                raise ConfigError(str(exc)) from None
        else:
            _fill_rules(config, value, rules, f"{prefix}rules")
    _check_contradictions(config, rules)
    if config.chat_template is None:
        for key in ("max-seq-length", "response-marker"):
            if key in table:
                raise ConfigError(f'"{key}" needs "chat-template" (it says how that template\'s training is checked)')
    if config.format is not None and config.format not in REPORTER_NAMES:
        raise ConfigError(f'"format" must be one of {", ".join(REPORTER_NAMES)}, not {config.format!r}')


def _check_contradictions(config: Config, rules: dict[str, Rule]) -> None:
    """A selector in ignore that undoes one in select or extend-select exactly (the same selector, or
    the same single rule by code and by name) contradicts it: which was meant? A prefix and a rule
    under it (select FT1, ignore FT105) is the usual narrowing, not a contradiction."""
    def target(selector: str) -> str:
        matched = match_selector(selector, rules)
        return matched[0].code if len(matched) == 1 else selector.strip().upper()

    ignored = {target(s): s for s in config.ignore}
    for key in ("select", "extend-select"):
        for selector in getattr(config, key.replace("-", "_")) or ():
            other = ignored.get(target(selector))
            if other is not None:
                both = f'"{selector}"' if other == selector else f'"{selector}" and "{other}" (the same rule)'
                raise ConfigError(f'{both} in both "{key}" and "ignore"; keep one of them')


def _fill_rules(config: Config, tables: dict, rules: dict[str, Rule], name: str = "rules") -> None:
    """``name``: the table as the user wrote it ("rules", or "tool.ftlint.rules" in pyproject.toml)."""
    table_of: dict[str, str] = {}  # rule code -> the [rules.X] table that configures it
    for selector, values in tables.items():
        rule = resolve_rule(selector, rules)
        if rule.code in table_of:  # by code and by name (or FT101 and ft101): which one was meant?
            raise ConfigError(f"[{name}.{table_of[rule.code]}] and [{name}.{selector}] both configure rule "
                              f"{rule.code} ({rule.name}); keep one of them")
        table_of[rule.code] = selector
        if not isinstance(values, dict):
            raise ConfigError(f'"{name}.{selector}" must be a table, not {_type_name(values)}')
        options = dict(values)
        unknown = sorted(set(options) - {"level", *rule.options})
        if unknown:
            known = ", ".join(["level", *sorted(rule.options)])
            raise ConfigError(f'unknown key "{unknown[0]}" in [{name}.{selector}] for rule {rule.code} '
                              f"({rule.name}); valid keys: {known}")
        level = options.pop("level", None)
        if level is not None:
            if not isinstance(level, str):
                raise ConfigError(f'"{name}.{selector}.level" must be a string')
            config.levels[rule.code] = level
        if options:
            config.options[rule.code] = options
    # Validate levels and option names/types now, so errors name the config file.
    probe = Selection(rules=rules, levels=config.levels, options=config.options)
    probe.level_of()
    probe.conf_of()


# -- merging with the command line ---------------------------------------------


def ignored_selections(rules: dict[str, Rule], select: list[tuple[str, str]], ignore: list[str]) -> list[str]:
    """Warnings for command-line selectors that --ignore undoes whole: ``select`` holds (flag, selector)
    pairs of --select and --extend-select, ``ignore`` the --ignore selectors. --ignore wins over select,
    as in ruff when both name the same rules or the ignore is the more specific; unlike ruff, also
    when the select is the more specific (--select FT105 --ignore FT1 runs no FT1 rule). Narrowing a
    select (--select FT1 --ignore FT105) is what --ignore is for and draws nothing."""
    notes = []
    for flag, chosen in select:
        codes = {r.code for r in match_selector(chosen, rules)}
        for dropped in ignore:
            removed = {r.code for r in match_selector(dropped, rules)}
            if not codes <= removed:
                continue
            shown = (f"{', '.join(sorted(codes))} {'does' if len(codes) == 1 else 'do'} not run" if len(codes) <= 3
                     else f"its {len(codes)} rules do not run")
            if codes == removed:
                notes.append(f'{flag} "{chosen}" and --ignore "{dropped}" name the same rules: --ignore wins, '
                             f"as in ruff, so {shown}")
            else:
                notes.append(f'--ignore "{dropped}" wins over the more specific {flag} "{chosen}" (ruff would let '
                             f"the select win), so {shown}")
            break
    return notes


def merged_selection(config: Config, rules: dict[str, Rule], cli_select: list[str] | None,
                     cli_extend_select: list[str], cli_ignore: list[str]) -> Selection:
    """The run's base selection: the config's, with the command line layered on top."""
    if cli_select:
        select, extend, ignore = cli_select, list(cli_extend_select), list(cli_ignore)
    else:
        select = config.select
        extend = config.extend_select + list(cli_extend_select)
        ignore = config.ignore + list(cli_ignore)
    return Selection(rules=rules, select=select, extend_select=extend, ignore=ignore,
                     levels=dict(config.levels), options=dict(config.options))
