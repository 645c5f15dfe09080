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
    (dict(SUPERSEDES=("FT001",)), "only dataset rules supersede"),
    (dict(SCOPE="dataset", begin=lambda c, x: None, finish=lambda c, x, s: (), SUPERSEDES="FT001"),
     "tuple of rule codes"),
    (dict(whole_file=lambda conf, ctx: None), "only dataset rules have one"),
    (dict(READER_OPTIONS={"max": "max_line_bytes"}), "not in OPTIONS"),
    (dict(OPTIONS={"max": int}, DEFAULTS={"max": 1}, READER_OPTIONS={"max": "depth"}), 'no setting "depth"'),
])
def test_malformed_rule_modules_are_rejected(bad, words):
    module = plugin()
    for key, value in bad.items():
        setattr(module, key.upper() if key in ("code", "name") else key, value)
    with pytest.raises(RegistryError, match=words):
        load_rules(plugins=False, extra=[(module, "acme")])


def test_plugins_use_the_declared_hooks_the_engine_offers(tmp_path, monkeypatch):
    """The engine calls a plugin's whole_file, SUPERSEDES and READER_OPTIONS as it calls FT010's and FT009's."""
    from ftlint.problem import Finding

    module = plugin(code="ACM002", name="acme-whole", SCOPE="dataset", SUPERSEDES=("FT004",),
                    OPTIONS={"bound": int}, DEFAULTS={"bound": 40}, READER_OPTIONS={"bound": "max_line_bytes"})
    module.begin = lambda conf, ctx: None
    module.finish = lambda conf, ctx, state: [Finding("acme: nothing parsed")] if not ctx.examples else []
    module.whole_file = lambda conf, ctx: Finding("acme: one document") if "whole" in ctx.path else None
    del module.check
    monkeypatch.setattr(rules, "_plugin_modules", lambda: [(module, "acme-ftlint")])

    def run(name, text, *args):
        path = tmp_path / name
        path.write_text(text)
        out = io.StringIO()
        cli.main([str(path), "--isolated", "--select", "ACM,FT004,FT009", *args], stdout=out, stderr=io.StringIO())
        return out.getvalue()

    assert "acme: one document" in run("whole.jsonl", '{\n  "a": 1\n}\n')
    blank_only = run("blank.jsonl", "\n\n")
    assert "acme: nothing parsed" in blank_only and "FT004" not in blank_only  # superseded, dropped
    long_line = run("long.jsonl", '{"prompt": "' + "x" * 60 + '", "completion": " y"}\n')
    assert "FT009" in long_line and "40-byte bound" in long_line  # the plugin's option bounds the reader


def _install_plugin(site, monkeypatch, group="ftlint.rules"):
    """A distribution on sys.path whose entry point names a one-rule plugin module."""
    package = site / "acme_rules.py"
    package.write_text(
        '"""Acme\'s rule."""\nCODE = "ACM001"\nNAME = "acme-rule"\nSCOPE = "record"\n'
        'LEVEL = "warning"\nSUMMARY = "an acme rule"\n\ndef check(example, ctx):\n    return ()\n'
    )
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\nacme = acme_rules\n")
    monkeypatch.syspath_prepend(str(site))


def test_an_installed_plugin_is_found(tmp_path, monkeypatch):
    _install_plugin(tmp_path, monkeypatch)
    assert rules._plugins_may_be_installed()
    assert [m.__name__ for m, owner in rules._plugin_modules()] == ["acme_rules"]


def test_no_plugin_group_means_no_metadata_scan(tmp_path, monkeypatch):
    _install_plugin(tmp_path, monkeypatch, group="console_scripts")
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    assert not rules._plugins_may_be_installed()
    assert rules._plugin_modules() == []
