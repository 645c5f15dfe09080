"""The field names and role tags an open trainer reads a dataset with, from the user's own configuration.

``--trainer-config FILE`` points at LLaMA-Factory's ``dataset_info.json`` or an
Axolotl YAML config. The entry that names the linted file (by its file name)
says which column holds the conversation, which keys hold a message's role and
content, and which role values mean user, assistant, system, tool call and
tool result. Rules FT911-FT913 lint with those names, as the trainer will read
the file; without a config, each trainer format is read with the trainer's
defaults (:data:`SHAREGPT_DEFAULTS`, :data:`ALPACA_DEFAULTS`, :data:`AXOLOTL_DEFAULTS`).
"""

from __future__ import annotations


import json
from functools import lru_cache
from pathlib import Path, PurePath

from ftlint.escape import terminal
from ftlint.record import Record, field, replace

#: Canonical roles a mapping translates role values into.
USER, ASSISTANT, SYSTEM, TOOL_CALL, TOOL_RESULT = "user", "assistant", "system", "function_call", "observation"


class TrainerConfigError(Exception):
    """The trainer configuration cannot be read (exit 2, one line)."""


class DatasetMapping(Record, frozen=True):
    """How one trainer reads one dataset file."""

    trainer: str  # "llama-factory" | "axolotl"
    name: str  # the dataset's name in the config ("" for defaults)
    source: str  # the config file, or "defaults"
    formatting: str  # "sharegpt" | "alpaca" | "chat_template"
    messages: str = "conversations"
    role_key: str = "from"
    content_key: str = "value"
    #: role value -> canonical role
    roles: dict = field(factory=dict)
    system: str | None = None
    tools: str | None = None
    chosen: str | None = None
    rejected: str | None = None
    kto_tag: str | None = None
    ranking: bool = False
    # alpaca columns
    prompt: str = "instruction"
    query: str = "input"
    response: str = "output"
    history: str | None = None
    #: for messages: which setting a wrong name comes from (for the message)
    setting_names: dict = field(factory=dict)

    @property
    def where(self) -> str:
        if self.source == "defaults":
            return f"{self.trainer}'s defaults"
        return f'the "{self.name}" entry of {PurePath(self.source).name}' if self.name else PurePath(self.source).name

    def tag_list(self) -> str:
        by_role: dict[str, list[str]] = {}
        for tag, role in self.roles.items():
            by_role.setdefault(role, []).append(tag)
        return ", ".join(f"{role} {'/'.join(map(repr, tags))}" for role, tags in by_role.items())


#: LLaMA-Factory's DatasetAttr defaults (src/llamafactory/data/parser.py) for sharegpt data.
SHAREGPT_DEFAULTS = DatasetMapping(
    trainer="llama-factory", name="", source="defaults", formatting="sharegpt",
    roles={"human": USER, "gpt": ASSISTANT, "system": SYSTEM, "function_call": TOOL_CALL, "observation": TOOL_RESULT},
    setting_names={"messages": 'columns "messages"', "role_key": 'tags "role_tag"', "content_key": 'tags "content_tag"'},
)
ALPACA_DEFAULTS = replace(SHAREGPT_DEFAULTS, formatting="alpaca", roles={})
#: Axolotl's chat_template defaults (field_messages "messages" since PR #3070, Aug 2025; "conversations" before).
AXOLOTL_DEFAULTS = DatasetMapping(
    trainer="axolotl", name="", source="defaults", formatting="chat_template", messages="messages",
    role_key="role", content_key="content",
    roles={"user": USER, "human": USER, "assistant": ASSISTANT, "gpt": ASSISTANT, "system": SYSTEM, "tool": TOOL_RESULT},
    setting_names={"messages": "field_messages", "role_key": "message_property_mappings.role",
                   "content_key": "message_property_mappings.content"},
)

_LF_TAGS = {"user_tag": USER, "assistant_tag": ASSISTANT, "observation_tag": TOOL_RESULT,
            "function_tag": TOOL_CALL, "system_tag": SYSTEM}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a NUL in the name ("embedded null byte")
        raise TrainerConfigError(f"cannot read trainer config {terminal(path)}: {exc}") from None


@lru_cache(maxsize=8)
def load(path_text: str) -> tuple[DatasetMapping, ...]:
    """Every dataset a trainer config declares, as mappings (with ``name`` and file names in ``file_of``)."""
    path = Path(path_text)
    text = _read(path)
    if path.suffix in (".yaml", ".yml"):
        return tuple(_axolotl(path, text))
    try:
        info = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrainerConfigError(f"{terminal(path)}:{exc.lineno}:{exc.colno}: neither JSON (dataset_info.json) nor "
                                 f"YAML (.yaml/.yml): {exc.msg}") from None
    except ValueError as exc:
        raise TrainerConfigError(f"{terminal(path)} is neither JSON (dataset_info.json) nor YAML (.yaml/.yml): {exc}") from None
    if not isinstance(info, dict):
        raise TrainerConfigError(f"{terminal(path)}: a dataset_info.json is an object of datasets by name")
    return tuple(_llama_factory(path, name, entry) for name, entry in info.items() if isinstance(entry, dict))


_FILES: dict[tuple[str, str], tuple[str, ...]] = {}  # (config, dataset name) -> the file or folder names it declares


def _declared_names(value) -> tuple[str, ...]:
    """The names a config's location value declares: a path, or each path of a list (Axolotl's data_files)."""
    values = value if isinstance(value, list) else [value]
    return tuple(PurePath(str(v)).name for v in values if isinstance(v, (str, int, float)) and str(v))

#: The keys with which a dataset_info.json entry names where its data is (LLaMA-Factory's DatasetAttr).
_LF_LOCATIONS = ("file_name", "hf_hub_url", "ms_hub_url", "om_hub_url", "script_url", "cloud_file_name")


def dataset_info_files(doc: object) -> list[str] | None:
    """The local data files a LLaMA-Factory dataset_info.json names, or None when ``doc`` is not one
    (an object of entries by dataset name, most of them naming where their data is)."""
    if not isinstance(doc, dict) or not doc or not all(isinstance(entry, dict) for entry in doc.values()):
        return None
    located = [entry for entry in doc.values() if any(key in entry for key in _LF_LOCATIONS)]
    if 2 * len(located) < len(doc):
        return None
    return [entry["file_name"] for entry in located if isinstance(entry.get("file_name"), str)]


def _llama_factory(path: Path, name: str, entry: dict) -> DatasetMapping:
    formatting = entry.get("formatting", "alpaca")
    base = SHAREGPT_DEFAULTS if formatting == "sharegpt" else ALPACA_DEFAULTS
    columns = entry.get("columns") if isinstance(entry.get("columns"), dict) else {}
    tags = entry.get("tags") if isinstance(entry.get("tags"), dict) else {}
    roles = dict(base.roles)
    if formatting == "sharegpt":
        roles = {}
        for key, role in _LF_TAGS.items():
            default = next(t for t, r in SHAREGPT_DEFAULTS.roles.items() if r == role)
            roles[str(tags.get(key, default))] = role
    file_name = entry.get("file_name") or entry.get("hf_hub_url") or entry.get("ms_hub_url") or ""
    _FILES[(str(path), name)] = _declared_names(file_name)
    return replace(
        base, name=name, source=str(path), formatting=formatting, roles=roles,
        messages=columns.get("messages", base.messages),
        role_key=tags.get("role_tag", base.role_key), content_key=tags.get("content_tag", base.content_key),
        system=columns.get("system"), tools=columns.get("tools"), chosen=columns.get("chosen"),
        rejected=columns.get("rejected"), kto_tag=columns.get("kto_tag"), ranking=bool(entry.get("ranking")),
        prompt=columns.get("prompt", base.prompt), query=columns.get("query", base.query),
        response=columns.get("response", base.response), history=columns.get("history"),
    )


def _yaml_error(path: Path, text: str, exc) -> str:
    """PyYAML's several-line report as one line: ``FILE:LINE:COLUMN: problem (context)``.

    Its own text names the stream ("<unicode string>": ftlint parses the text it read) and draws a
    caret under a copy of the line; the file, line and column are what a user acts on.
    """
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    position = getattr(exc, "position", None)  # a ReaderError: a character YAML does not allow
    character = getattr(exc, "character", None)  # a code point (str when read from bytes)
    if mark is None and isinstance(position, int) and isinstance(character, (int, str)):
        code = character if isinstance(character, int) else ord(character[:1] or "\0")
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return (f"{terminal(path)}:{line}:{column}: not valid YAML: character U+{code:04X} "
                f"is not allowed ({terminal(exc.reason)})")
    if mark is None or not problem:
        return f"{terminal(path)}: not valid YAML: {terminal(' '.join(str(exc).split()))}"
    context = getattr(exc, "context", None)
    where = f"{terminal(path)}:{mark.line + 1}:{mark.column + 1}"
    return f"{where}: not valid YAML: {terminal(problem)}" + (f" ({terminal(context)})" if context else "")


def _axolotl(path: Path, text: str):
    try:
        import yaml
    except ImportError:
        raise TrainerConfigError("reading an Axolotl YAML config needs PyYAML: pip install 'ftlint[templates]'") from None
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TrainerConfigError(_yaml_error(path, text, exc)) from None
    datasets = config.get("datasets") if isinstance(config, dict) else None
    if not isinstance(datasets, list):
        raise TrainerConfigError(f"{terminal(path)}: an Axolotl config lists its data under datasets:")
    for n, entry in enumerate(d for d in datasets if isinstance(d, dict)):
        kind = str(entry.get("type", "chat_template"))
        name = str(entry.get("path") or entry.get("data_files") or f"datasets[{n}]")
        _FILES[(str(path), name)] = _declared_names(entry.get("data_files") or entry.get("path") or "")
        if kind == "sharegpt" or kind.startswith("sharegpt"):
            yield replace(SHAREGPT_DEFAULTS, trainer="axolotl", name=name, source=str(path))
            continue
        if kind.startswith("alpaca"):
            yield replace(ALPACA_DEFAULTS, trainer="axolotl", name=name, source=str(path))
            continue
        mappings = entry.get("message_property_mappings") or {}
        roles = dict(AXOLOTL_DEFAULTS.roles)
        if isinstance(entry.get("roles"), dict):  # replaces the defaults, as Axolotl does
            roles = {}
            for role, values in entry["roles"].items():
                canonical = {"tool": TOOL_RESULT}.get(role, role)
                for value in values if isinstance(values, list) else [values]:
                    roles[str(value)] = canonical
        yield replace(
            AXOLOTL_DEFAULTS, name=name, source=str(path),
            messages=str(entry.get("field_messages", AXOLOTL_DEFAULTS.messages)),
            role_key=str(mappings.get("role", entry.get("message_field_role", "role"))),
            content_key=str(mappings.get("content", entry.get("message_field_content", "content"))),
            roles=roles, tools=entry.get("field_tools"),
            chosen=entry.get("field_chosen"), rejected=entry.get("field_rejected"),
        )


def mapping_for(config_path: str, data_path: str) -> DatasetMapping | None:
    """The dataset entry that names ``data_path``: by its file name, one ending in the declared name after a
    separator ("team__train.jsonl" for "train.jsonl", not "oldtrain.jsonl"), or a folder it is in (a
    LLaMA-Factory file_name or Axolotl path that is a directory); the longest declared name wins."""
    mappings = load(config_path)
    path = PurePath(data_path)
    base, folders = path.name, path.parent.parts
    best, best_len = None, 0
    for m in mappings:
        for declared in _FILES.get((m.source, m.name), ()):
            named = (base == declared or base.endswith(("_" + declared, "-" + declared, "." + declared))
                     or declared in folders)
            if named and len(declared) > best_len:
                best, best_len = m, len(declared)
    return best


def dataset_count(config_path: str) -> int:
    """How many datasets the config declares (for messages when no entry names a file)."""
    return len(load(config_path))
