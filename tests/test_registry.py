"""The rule registry: contract checks, plugins, and loud clashes."""

from __future__ import annotations

import io
import re
import types

import pytest

from ftlint import cli, rules
from ftlint.rules import DOC_SECTIONS, RegistryError, load_rules


def plugin(code="ACM001", name="acme-no-lorem", **extra):
    module = types.ModuleType("acme_rules")
    module.__doc__ = "No lorem ipsum.\n\n## What it does\nx\n## Why it matters\nx\n## Example\nx\n## Fix\nx\n"
    module.CODE, module.NAME, module.SCOPE, module.LEVEL = code, name, "record", "warning"

    def check(example, conf, ctx):
        if "lorem" in str(example.data):
            from ftlint.problem import Finding

            yield Finding("placeholder text")

    module.check = check
    for key, value in extra.items():
        setattr(module, key, value)
    return module


def test_builtin_rules_follow_the_contract():
    loaded = load_rules(plugins=False)
    assert len(loaded) == len(rules.BUILTIN)
    for code, rule in loaded.items():
        assert re.fullmatch(r"FT\d{3}", code)
        assert rule.module.__name__.split(".")[-1].startswith(code.lower() + "_"), "module named after its code"
        for section in DOC_SECTIONS:
            assert f"## {section}" in rule.doc, (code, section)


def test_plugin_rule_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "_plugin_modules", lambda: [(plugin(), "acme-ftlint")])
    path = tmp_path / "d.jsonl"
    path.write_text('{"prompt": "lorem ipsum ->", "completion": " x"}\n')
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(path), "--select", "ACM"], stdout=out, stderr=err)
    assert code == 0
    assert f"{path}:1:1: ACM001 [warning] placeholder text" in out.getvalue()


@pytest.mark.parametrize("clash", [dict(code="FT001"), dict(name="invalid-json")])
def test_clashing_plugin_is_a_loud_error(monkeypatch, tmp_path, clash):
    monkeypatch.setattr(rules, "_plugin_modules", lambda: [(plugin(**clash), "acme-ftlint")])
    out, err = io.StringIO(), io.StringIO()
    assert cli.main([str(tmp_path / "x.jsonl")], stdout=out, stderr=err) == 2
    message = err.getvalue()
    assert message.count("\n") == 1 and "defined twice" in message and "acme-ftlint" in message and "ftlint" in message


@pytest.mark.parametrize("bad, words", [
    (dict(code="ft1"), "does not match"),
    (dict(name="No_Kebab"), "kebab-case"),
    (dict(SCOPE="file"), "scope"),
    (dict(LEVEL="fatal"), "unknown level"),
    (dict(OPTIONS={"max": int}), "OPTIONS and DEFAULTS"),
])
def test_malformed_rule_modules_are_rejected(bad, words):
    module = plugin()
    for key, value in bad.items():
        setattr(module, key.upper() if key in ("code", "name") else key, value)
    with pytest.raises(RegistryError, match=words):
        load_rules(plugins=False, extra=[(module, "acme")])
