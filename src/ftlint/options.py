"""The run's options: the command line layered over the configuration, built once.

``RunOptions`` is what the rest of a run reads (check-jsonschema's ``ParseResult``):
argparse's namespace is parsed, merged with the config file by :meth:`RunOptions.from_cli`
and then never looked at again, so no module rewrites another's view of the options.
Options that other modules add to the parser with their own argument group (``--submit``'s
``--suffix``, ``--seed``...) are kept by name in ``extra`` and read as attributes.
"""

from __future__ import annotations

import argparse
import os
from types import MappingProxyType
from typing import Any, Mapping

from ftlint.config import Config
from ftlint.record import Record, field, fields, replace


#: Options of the chat-template argument group that a config file may set too.
TRAINER_SETTINGS = ("trainer_config", "chat_template", "max_seq_length", "response_marker")


class RunOptions(Record, frozen=True):
    """Everything a run needs to know, typed and immutable (``ftlint.record.replace`` makes a variant)."""

    config: Config = field(factory=Config)  # the config file in force (path None: defaults)
    files: tuple[str, ...] = ()
    validation: tuple[str, ...] = ()
    # dataset: command line first, then the config file
    provider: str | None = None
    model: str | None = None
    tokenizer: str | None = None  # --tokenizer: defines the --model's tokenizer
    max_tokens: int | None = None  # --max-tokens: defines the --model's per-example cap
    method: str | None = None
    epochs: int | None = None
    rate: float | None = None  # USD per 1M training tokens
    n_evals: int | None = None  # evaluations on the validation file (billed by Together AI)
    stats: str | None = None  # --stats FILE
    # rule selection as given on the command line (the config's is in ``config``)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # fixing
    fix: bool = False
    fix_only: bool = False  # fix, print "Fixing <file>", no lint report (the pre-commit fixer)
    unsafe_fixes: bool = False
    diff: bool = False
    # output
    format: str = "text"
    output_file: str | None = None
    also_output: tuple[tuple[str, str], ...] = ()  # --also-output FORMAT:PATH: more reports of the same run
    statistics: bool = False
    strict: bool = False
    exit_zero: bool = False
    quiet: bool = False
    show_all: bool = False
    verbose: bool = False
    baseline: str | None = None  # --baseline FILE: report only problems it does not hold
    write_baseline: str | None = None  # --write-baseline FILE: record today's problems
    color: str = "auto"  # auto | always | never
    submit: bool = False
    # performance
    jobs: int | None = None  # --jobs: worker processes for large files (None: as many as pay)
    no_cache: bool = False  # --no-cache: lint every file, even one the result cache knows
    cache_dir: str | None = None  # --cache-dir (None: FTLINT_CACHE_DIR or .ftlint_cache)
    #: options of argument groups other modules add to the parser, by argparse ``dest``
    extra: Mapping[str, Any] = field(factory=dict)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not fields: the other modules' options.
        if name == "extra" or name.startswith("__"):
            raise AttributeError(name)  # not set yet (construction, unpickling): no recursion
        try:
            return self.extra[name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def from_cli(cls, args: argparse.Namespace, config: Config) -> "RunOptions":
        """The command line over ``config``: a value given on the command line wins."""
        given = dict(vars(args))
        if given.get("model") is not None:  # an explicit --model applies to every file
            config = replace(config, per_file_model={})
        own = set(fields(cls)) - {"config", "extra"}
        values: dict[str, Any] = {name: given.pop(name) for name in own if name in given}
        for name in ("provider", "model", "epochs", "rate", "n_evals", "method", "format"):
            if values.get(name) is None:
                values[name] = getattr(config, name)
        values["format"] = values["format"] or "text"
        values["fix"] = bool(values.get("fix") or values.get("fix_only"))
        values["strict"] = bool(values.get("strict") or config.strict)
        values["also_output"] = tuple(values.get("also_output") or ())
        values["files"] = tuple(values.get("files") or ())
        values["validation"] = tuple(values.get("validation") or ())
        for name in ("extend_select", "ignore"):
            values[name] = tuple(_split_list(values.get(name)))
        select = _split_list(values.get("select"))
        values["select"] = tuple(select) if select else None
        for name in ("config_path", "isolated"):  # consumed by discovery
            given.pop(name, None)
        for name in TRAINER_SETTINGS:  # the open-trainer options' argument group (ftlint.chat_template)
            if given.get(name) is None:
                given[name] = getattr(config, name)
        return cls(config=config, extra=MappingProxyType(given), **values)


class FileSelection(Record, frozen=True):
    """The files a run lints, each once and in one role, and the ones it leaves out (for ``-v``)."""

    training: tuple[str, ...]
    validation: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (file, why)
    empty_directories: tuple[str, ...] = ()  # directories given that hold no data file (a warning)
    #: Files given only as the training files and also as --validation: linted as training (a warning).
    training_and_validation: tuple[str, ...] = ()


#: What a directory argument expands to (ruff's ``ruff check DIR`` finds the Python files below).
DATA_SUFFIXES = (".jsonl", ".jsonl.gz")
#: Directories never searched for data files (the config's exclude still applies to what is found).
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox",
                          ".ftlint_cache"})


def data_files_below(directory: str) -> list[str]:
    """Every ``*.jsonl`` and ``*.jsonl.gz`` file below ``directory``, in sorted order (symlinked
    directories are not followed, so a link loop cannot hang the walk)."""
    found: list[str] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        found += [os.path.join(root, n) for n in sorted(names) if n.endswith(DATA_SUFFIXES)]
    return found


def select_files(options: RunOptions) -> FileSelection:
    """Each file once, in one role: a validation file also given as a positional file (what pre-commit
    does with ``args: [--validation, FILE]``) is linted once, as validation; config excludes apply."""
    skipped: list[tuple[str, str]] = []
    seen: dict[str, str] = {}  # real path -> role
    # LLaMA-Factory keeps dataset_info.json beside the data: `data/*.json` names it too.
    trainer_config = getattr(options, "trainer_config", None)
    if trainer_config:
        seen[os.path.realpath(trainer_config)] = "trainer config"
    empty: list[str] = []

    def expanded(names: tuple[str, ...]) -> list[str]:
        """Directories replaced by the data files below them; files (and ``-``) as given."""
        found: list[str] = []
        for name in names:
            if name != "-" and os.path.isdir(name):
                below = data_files_below(name)
                if not below:
                    empty.append(name)
                found += below
            else:
                found.append(name)
        return found

    def keep(name: str, role: str) -> bool:
        key = name if name == "-" else os.path.realpath(name)
        if seen.get(key) == "trainer config":
            skipped.append((name, "the --trainer-config file, not data"))
            return False
        if key in seen:
            skipped.append((name, f"also given as a {seen[key]} file; linted once, as {seen[key]}"))
            return False
        pattern = options.config.excluded(name) if name != "-" else None
        if pattern is not None:
            skipped.append((name, f"excluded by {pattern!r}"))
            return False
        seen[key] = role
        return True

    validation_names = expanded(options.validation)
    training_names = expanded(options.files)
    # `ftlint big.jsonl --validation big.jsonl`: the file is the training file and cannot validate it (every
    # example would be in both). A validation file among other training files (`ftlint data/*.jsonl
    # --validation data/valid.jsonl`), or a pre-commit hook's (which passes each staged file, here only the
    # validation file, with `args: [--validation, FILE]`), stays validation.
    both = ()
    if training_names and not os.environ.get("PRE_COMMIT") and "-" not in training_names:
        validation_ids = {_identity(n) for n in validation_names if n != "-"}
        if all(_identity(n) in validation_ids for n in training_names):
            both = tuple(training_names)
            validation_names = [n for n in validation_names if n == "-" or _identity(n) not in
                                {_identity(t) for t in training_names}]
    validation = tuple(name for name in validation_names if keep(name, "validation"))
    training = tuple(name for name in training_names if keep(name, "training"))
    return FileSelection(training, validation, tuple(skipped), tuple(empty), both)


def _identity(name: str) -> tuple | str:
    """What makes two names one file: device and inode (hard links, symlinks, ./x and x), else the real path."""
    try:
        st = os.stat(name)
    except (OSError, ValueError):
        return os.path.realpath(name)
    return st.st_dev, st.st_ino


def _split_list(values: list[str] | None) -> list[str]:
    """``--select A,B --select C`` -> ["A", "B", "C"]."""
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def settings_document(options: RunOptions, enabled: Mapping[str, Any], levels: Mapping[str, Any]) -> dict:
    """``--show-settings``: which config file was read and the settings in force (after the command line)."""
    config = options.config
    return {
        "config_files": [str(config.path)] if config.path is not None else [],
        "provider": options.provider,
        "model": options.model,
        "method": options.method,
        "epochs": options.epochs,
        "rate": options.rate,
        "n_evals": options.n_evals,
        "format": options.format,
        "strict": options.strict,
        "exit_zero": options.exit_zero,
        **{name: getattr(options, name, None) for name in TRAINER_SETTINGS},
        "rules": {code: str(levels[code]) for code in enabled},
        "rule_options": {code: dict(values) for code, values in config.options.items()},
        "exclude": [*config.exclude, *config.extend_exclude],
        "per_file_ignores": {glob: list(codes) for glob, codes in config.per_file_ignores.items()},
        "per_file_model": dict(config.per_file_model),
        "files": list(options.files),
        "validation": list(options.validation),
    }
