"""Provider profiles: the data files, their validation, model resolution and the --provider seam."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import types

import pytest

from ftlint.catalog import UnknownModel, shipped_catalog
from ftlint.cli import main
from ftlint.data import data_path
from ftlint.engine import RunContext
from ftlint.providers import (
    ProfileError,
    UnknownProvider,
    default_provider,
    get_provider,
    load_profile,
    select,
    shipped_ids,
)
from ftlint.rules import rule_from_module

from conftest import lint_lines


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# -- the openai profile ------------------------------------------------------------------


def test_openai_is_the_default_provider_and_carries_the_catalog():
    openai = default_provider()
    assert openai.id == "openai" and shipped_ids()[0] == "openai"
    assert openai.catalog is shipped_catalog()
    assert openai.no_new_jobs_after == dt.date(2027, 1, 6)
    assert shipped_catalog().job_creation_ends == dt.date(2027, 1, 6)  # the catalog API keeps the date
    assert openai.status == "active"
    assert openai.default_model.id == "gpt-4o-mini-2024-07-18"


def test_openai_facts_and_their_sources():
    openai = get_provider("openai")
    assert openai.files.bom == "forbidden" and openai.files.extensions == (".jsonl",)
    assert openai.files.max_bytes_training == 512 * 1024 * 1024
    assert openai.methods["supervised"].formats == ("chat", "completion")
    assert openai.methods["supervised"].min_examples == 10
    assert openai.methods["reinforcement"].max_examples == 50_000
    assert openai.methods["reinforcement"].max_validation_examples == 1_000
    assert openai.images.max_per_example == 10 and openai.images.max_bytes == 10 * 1024 * 1024
    assert openai.weights == (0, 1)
    assert openai.tools_supported and openai.max_functions == 128
    assert openai.pricing_formula == "epochs * train_tokens"
    assert openai.default_epochs == "openai-auto"
    fact = openai.fact("methods.supervised.min_examples")
    assert fact.source == "[SFT] 2026" and fact.as_of == dt.date(2026, 11, 21) and fact.confirmed
    assert "https://developers.openai.com/api/docs/deprecations" in openai.sources_cited()


def test_every_shipped_profile_loads_and_every_fact_is_dated():
    for provider_id in shipped_ids():
        provider = get_provider(provider_id)
        assert provider.id == provider_id
        assert provider.facts, provider_id
        for key, fact in provider.facts.items():
            assert fact.source and isinstance(fact.as_of, dt.date), (provider_id, key)
        for model in provider.models:
            assert provider.resolve(model.id) is model


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
        ("ft:gpt-4.1-2025-04-14:acme:support:abc123", "gpt-4.1-2025-04-14"),
        ("ft:gpt-4o-mini-2024-07-18:acme::x:ckpt-step-10", "gpt-4o-mini-2024-07-18"),
    ],
)
def test_resolve_names(name, model_id):
    assert get_provider("openai").resolve(name).id == model_id


def test_unknown_provider_lists_the_closest_and_the_known():
    with pytest.raises(UnknownProvider, match=r'unknown provider "opneai"; closest: openai \(known: openai'):
        get_provider("opneai")


# -- choosing the provider --------------------------------------------------------------------


def test_select_without_names_is_openai_and_its_default():
    provider, model = select(None, None)
    assert provider.id == "openai" and model is None


def test_select_model_known_to_openai_stays_openai():
    provider, model = select(None, "gpt-4o")
    assert (provider.id, model.id) == ("openai", "gpt-4o-2024-08-06")


def test_select_unknown_model_names_the_closest():
    with pytest.raises(UnknownModel, match='unknown model "gpt-4o-mimi"; closest: gpt-4o-mini'):
        select(None, "gpt-4o-mimi")


def test_select_named_provider_resolves_in_it():
    provider, model = select("openai", "gpt-4.1")
    assert (provider.id, model.id) == ("openai", "gpt-4.1-2025-04-14")


def test_run_context_defaults_to_openai():
    assert RunContext().provider.id == "openai"


# -- profile validation: the file and the key are named --------------------------------------------


def _edited_profile(tmp_path, pattern, replacement):
    text = data_path("providers", "openai.toml").read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    path = tmp_path / "openai.toml"
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        (r'^bom = "forbidden"', 'bom = "sometimes"', r'"files.bom" has \'sometimes\'; use one of forbidden, allowed, required'),
        (r"^min_examples = 10", 'min_examples = "10"', r'"methods.supervised.min_examples" must be an integer'),
        (r'^id = "openai"', 'id = "open-ai"', r"\"id\" must be the file's name 'openai'"),
        (r"^\[roles\]", "[roles]\nbogus = 1", r'"roles.bogus" is not a key of \[roles\]'),
        (r'^first = \[\]', 'first = ["bot"]', r'"roles.first" has \'bot\''),
        (r"^\[methods.dpo\]", "[methods.sft]", r'"methods.sft" is not a method'),
        (r'^source = "\[SPEC\] 2026, \[APIREF\] 2025"\n', "", r'"files.source" must be a non-empty string'),
        (r"^max_bytes_training = 536870912", 'max_bytes_training = { value = 1, source = "x" }',
         r'"files.max_bytes_training.as_of" must be a date'),
        (r'^fine_tuned_names = .*$', 'fine_tuned_names = ["^ft:"]', r"\(\?P<base>\.\.\.\) group"),
        (r"^\[status\]\nvalue = \"active\"", '[status]\nvalue = "retiring"', r'"status.value" has \'retiring\''),
        (r'^encoding = "o200k_base"\n', "", r'model "gpt-4o-mini-2024-07-18": missing field "encoding"'),
    ],
)
def test_bad_profile_names_file_and_key(tmp_path, pattern, replacement, message):
    path = _edited_profile(tmp_path, pattern, replacement)
    with pytest.raises(ProfileError, match=message) as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_per_key_provenance_overrides_the_table(tmp_path):
    path = _edited_profile(tmp_path, r"^max_bytes_training = 536870912",
                           'max_bytes_training = { value = 1000, source = "https://example.com/x", '
                           "as_of = 2026-11-30, confirmed = false }")
    provider = load_profile(path)
    assert provider.files.max_bytes_training == 1000
    assert provider.fact("files.max_bytes_training").confirmed is False
    assert provider.cite("files.max_bytes_training") == "https://example.com/x; unconfirmed"
    assert provider.fact("files.bom").source == "[SPEC] 2026, [APIREF] 2025"


def test_unreadable_and_invalid_profile(tmp_path):
    with pytest.raises(ProfileError, match="cannot read provider profile"):
        load_profile(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[status\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)


# -- rules declare PROVIDERS; the engine filters by it --------------------------------------------


def _rule_module(providers):
    module = types.ModuleType("ftlint_test_provider_rule")
    module.__doc__ = "Says hello to each example.\n"
    module.CODE, module.NAME, module.SCOPE, module.LEVEL = "XP001", "provider-hello", "record", "warning"
    module.PROVIDERS = providers

    def check(example, conf, ctx):
        from ftlint.problem import Finding

        yield Finding(f"hello from {ctx.run.provider.id}")

    module.check = check
    return module


def test_rule_providers_metadata():
    rule = rule_from_module(_rule_module(("together",)), owner="test")
    assert rule.providers == ("together",)
    assert rule.applies_to("chat", "supervised", "together")
    assert not rule.applies_to("chat", "supervised", "openai")
    assert rule_from_module(_rule_module(()), owner="test").applies_to("chat", "supervised", "openai")


def test_engine_runs_a_rule_only_for_its_providers(tmp_path, monkeypatch):
    import conftest
    from ftlint.rules import load_rules

    line = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}
    for providers, expected in ((("openai",), ["hello from openai"]), (("together",), [])):
        rules = load_rules(plugins=False, extra=((_rule_module(providers), "test"),))
        monkeypatch.setattr(conftest, "RULES", rules)
        problems, _ = lint_lines(tmp_path, [line], select=["XP001"])
        assert [p.message for p in problems] == expected


# -- command line and config ----------------------------------------------------------------------


def test_list_providers(capsys):
    code, out, err = run(["--list-providers"], capsys)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("openai")
    assert "OpenAI (active, no new jobs after 2027-01-06)" in first
    assert "default gpt-4o-mini-2024-07-18" in first
    assert "source: https://developers.openai.com/api/docs/deprecations" in out


def test_list_models_of_a_provider(capsys):
    code, out, _ = run(["--list-models", "--provider", "openai"], capsys)
    assert code == 0
    assert "gpt-4o-mini-2024-07-18 (default)" in out
    assert "see rules/providers/openai.toml" in out
    assert "OpenAI accepts no new fine-tuning jobs after 2027-01-06 ([DEP] 2026)" in out


def test_list_models_without_provider_is_unchanged(capsys):
    _, default, _ = run(["--list-models"], capsys)
    _, named, _ = run(["--list-models", "--provider", "openai"], capsys)
    assert default == named


def test_unknown_provider_is_exit_2_one_line(capsys, tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text("{}\n")
    code, out, err = run(["--provider", "openia", str(data)], capsys)
    assert code == 2 and out == ""
    assert err == ('ftlint: error: unknown provider "openia"; closest: openai (known: '
                   f'{", ".join(shipped_ids())}; see --list-providers)\n')


def test_config_provider_key(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d.jsonl"
    data.write_text("{}\n")
    (tmp_path / "ftlint.toml").write_text('provider = "nope"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run([str(data)], capsys)
    assert code == 2 and 'unknown provider "nope"' in err
    (tmp_path / "ftlint.toml").write_text("provider = 3\n")
    code, _, err = run([str(data)], capsys)
    assert code == 2 and '"provider"' in err


def test_explicit_openai_output_equals_the_default(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"messages": [{"role": "user", "content": "hi"}]}\n')
    base = [sys.executable, "-m", "ftlint", "--isolated", str(data)]
    plain = subprocess.run(base, capture_output=True, text=True)
    named = subprocess.run([*base, "--provider", "openai"], capture_output=True, text=True)
    assert plain.returncode == named.returncode == 1
    assert plain.stdout == named.stdout and "FT106" in plain.stdout
