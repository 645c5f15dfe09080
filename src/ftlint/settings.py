"""Which rules run, at what level, with which options.

Selectors (``--select``, ``--ignore``) accept a full code (``FT105``), a code
prefix (``FT1``) or a rule name (``empty-content``), as in ruff. A selector
that matches no rule is an error, never silently ignored.
"""

from __future__ import annotations

import math

from ftlint.problem import Level
from ftlint.record import Record, field
from ftlint.rules import Rule


class ConfigError(Exception):
    """Bad selection, option or level (exit 2, one line)."""


def match_selector(selector: str, rules: dict[str, Rule]) -> list[Rule]:
    sel = selector.strip()
    if not sel:
        raise ConfigError("empty rule selector")
    if sel.upper() == "ALL":
        return list(rules.values())
    by_name = [r for r in rules.values() if r.name == sel]
    if by_name:
        return by_name
    matched = [r for code, r in rules.items() if code.startswith(sel.upper())]
    if not matched:
        raise ConfigError(f'no rule matches "{selector}" (see ftlint --list-rules)')
    return matched


def resolve_rule(selector: str, rules: dict[str, Rule]) -> Rule:
    """One rule by exact code or name (for --explain and per-rule options)."""
    sel = selector.strip()
    rule = rules.get(sel.upper()) or next((r for r in rules.values() if r.name == sel), None)
    if rule is None:
        raise ConfigError(f'no such rule: "{selector}" (see ftlint --list-rules)')
    return rule


#: Numeric options with a minimum above 0 (a line bound of 0 bytes would make every line oversized).
OPTION_MINIMUM = {"max-bytes": 1}


def _check_option(rule: Rule, key: str, value: object) -> object:
    if key not in rule.options:
        known = ", ".join(sorted(rule.options)) or "none"
        raise ConfigError(f'unknown option "{key}" for rule {rule.code} ({rule.name}); its options: {known}')
    kind = rule.options[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(kind, tuple):  # a set of allowed values
        if value not in kind:
            raise ConfigError(f'option "{key}" of rule {rule.code} must be one of {", ".join(map(str, kind))}')
        return value
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(
            f'option "{key}" of rule {rule.code} ({rule.name}) must be {kind.__name__}, not {type(value).__name__}'
        )
    if kind in (int, float):
        # Every numeric rule option is a count, a size, a ratio or a fraction.
        least = OPTION_MINIMUM.get(key, 0)
        if not least <= value < math.inf:  # also rejects nan
            raise ConfigError(f'option "{key}" of rule {rule.code} ({rule.name}) must be a finite number '
                              f">= {least}, not {value}")
    return value


class Selection(Record):
    rules: dict[str, Rule]
    select: list[str] | None = None  # None: the default set
    extend_select: list[str] = field(factory=list)
    ignore: list[str] = field(factory=list)
    levels: dict[str, str] = field(factory=dict)  # selector -> level
    options: dict[str, dict] = field(factory=dict)  # code or name -> {option: value}

    def enabled(self) -> dict[str, Rule]:
        if self.select is None:
            chosen = {c: r for c, r in self.rules.items() if r.enabled}
        else:
            chosen = {r.code: r for s in self.select for r in match_selector(s, self.rules)}
        for s in self.extend_select:
            chosen.update((r.code, r) for r in match_selector(s, self.rules))
        for s in self.ignore:
            for r in match_selector(s, self.rules):
                chosen.pop(r.code, None)
        return dict(sorted(chosen.items()))

    def level_of(self) -> dict[str, Level]:
        levels = {c: r.level for c, r in self.rules.items()}
        for selector, text in self.levels.items():
            try:
                level = Level.parse(text)
            except ValueError as exc:
                raise ConfigError(f"{selector}: {exc}") from None
            for r in match_selector(selector, self.rules):
                levels[r.code] = level
        return levels

    def conf_of(self) -> dict[str, dict]:
        confs = {c: dict(r.defaults) for c, r in self.rules.items()}
        for selector, values in self.options.items():
            rule = resolve_rule(selector, self.rules)
            if not isinstance(values, dict):
                raise ConfigError(f"options for rule {rule.code} must be a table of option = value")
            for key, value in values.items():
                confs[rule.code][key] = _check_option(rule, key, value)
        return confs
