"""Provider profiles: the data files, their validation, model resolution and the --provider seam."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import types

import pytest

from ftlint.catalog import UnknownModel, shipped_catalog
from ftlint.cli import main
from ftlint.engine import RunContext
from ftlint.providers import (
    ProfileError,
    UnknownProvider,
    all_providers,
    default_provider,
    get_provider,
    load_profile,
    provider_names,
    select,
    shipped_ids,
)
from ftlint.rules import rule_from_module

from conftest import REPO, lint_lines, lint_paths


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
    fact = openai.source_of("methods.supervised.min_examples")
    assert fact.source == "[SFT] 2026" and fact.as_of == dt.date(2026, 11, 21) and fact.confirmed
    assert "https://developers.openai.com/api/docs/deprecations" in openai.sources_cited()


def test_every_shipped_profile_loads_and_every_fact_is_dated():
    for provider_id in shipped_ids():
        provider = get_provider(provider_id)
        assert provider.id == provider_id
        assert provider.provenance, provider_id
        for key, fact in provider.provenance.items():
            assert fact.source and isinstance(fact.as_of, dt.date), (provider_id, key)
        for model in provider.models:
            assert provider.resolve(model.id) is model


def test_the_auto_epochs_numbers_are_openai_profile_data(tmp_path):
    openai = get_provider("openai")
    rule = openai.auto_epochs
    assert (rule.target, rule.min_example_passes, rule.max_example_passes, rule.min_epochs, rule.max_epochs) == (
        3, 100, 25_000, 1, 25)
    fact = openai.source_of("epochs.auto.target")
    assert fact.source.startswith("[CB-PREP]") and fact.confirmed and fact.as_of == dt.date(2026, 12, 1)
    assert "https://github.com/openai/openai-cookbook/blob/main/examples/Chat_finetuning_data_prep.ipynb" in (
        openai.sources_cited())
    # The cost follows the data: other numbers in the profile, other epochs.
    text = (REPO / "rules" / "providers" / "openai.toml").read_text()
    changed = tmp_path / "openai.toml"
    changed.write_text(text.replace("target = 3\n", "target = 4\n").replace("max_epochs = 25\n", "max_epochs = 12\n"))
    edited = load_profile(changed)
    assert (edited.epochs_for(1000), edited.epochs_for(1)) == (4, 12)
    assert (openai.epochs_for(1000), openai.epochs_for(1)) == (3, 25)


@pytest.mark.parametrize("edit, message", [
    (("[epochs.auto]\n", "[epochs.nope]\n"), '"epochs.nope" is not a key of \\[epochs\\]'),
    (("min_example_passes = 100\n", ""), '"epochs.auto.min_example_passes" is missing'),
    (("target = 3\n", "target = 30\n"), '"epochs.auto" must have 1 <= min_epochs <= target <= max_epochs'),
    (('default = "openai-auto"\n', "default = 2\n"), '"epochs.auto" goes with default = "openai-auto"'),
])
def test_a_bad_auto_epochs_table_is_a_profile_error(tmp_path, edit, message):
    text = (REPO / "rules" / "providers" / "openai.toml").read_text()
    assert edit[0] in text
    bad = tmp_path / "openai.toml"
    bad.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(ProfileError, match=message):
        load_profile(bad)


def test_the_openai_profile_must_state_the_auto_epochs_numbers(tmp_path):
    text = (REPO / "rules" / "providers" / "openai.toml").read_text()
    start = text.index("[epochs.auto]")
    bad = tmp_path / "openai.toml"
    bad.write_text(text[:start] + text[text.index("\n\n", start):])
    with pytest.raises(ProfileError, match='"epochs.auto" is missing'):
        load_profile(bad)


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
    with pytest.raises(UnknownProvider) as info:
        get_provider("opneai")
    assert str(info.value).startswith('unknown provider "opneai"; closest: openai')
    assert f'(known: {", ".join(shipped_ids())}; see --list-providers)' in str(info.value)


@pytest.mark.parametrize("name, provider_id", [
    ("gemini", "vertex"), ("Gemini", "vertex"), ("vertex-ai", "vertex"), ("Together", "together"),
    ("TOGETHER", "together"), ("bedrock", "bedrock-nova"), ("nova", "bedrock-nova"), ("azure", "azure-openai"),
    ("OpenAI", "openai"),
])
def test_provider_ids_and_aliases_in_any_case(name, provider_id):
    assert get_provider(name) is get_provider(provider_id)


def test_unknown_provider_suggests_aliases_with_their_id():
    with pytest.raises(UnknownProvider) as info:
        get_provider("gemni")
    assert str(info.value).startswith('unknown provider "gemni"; closest: gemini (= vertex)')


def test_provider_aliases_are_lower_case_names(tmp_path):
    text = (REPO / "rules" / "providers" / "vertex.toml").read_text()
    bad = tmp_path / "vertex.toml"
    bad.write_text(text.replace('provider_aliases = ["gemini"', 'provider_aliases = ["Gemini"'))
    with pytest.raises(ProfileError, match='"provider_aliases" must be a list of lower-case names'):
        load_profile(bad)


def test_cli_takes_an_alias_and_lists_them(capsys, tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"contents": [{"role": "user", "parts": [{"text": "Hi"}]}, '
                    '{"role": "model", "parts": [{"text": "Hello"}]}]}\n')
    code, out, err = run(["--isolated", "--provider", "Gemini", str(data)], capsys)
    assert err == "" and "Gemini" in out and "gemini-2.5-flash" in out, out
    code, out, err = run(["--list-providers"], capsys)
    assert "Google Vertex AI (Gemini tuning) (active; also --provider gemini, vertex-ai, google-vertex)" in out


def test_no_alias_is_claimed_twice():
    names = provider_names()
    for provider in all_providers():
        assert all(names[alias] == provider.id for alias in provider.aliases)
        assert names[provider.id] == provider.id


@pytest.mark.parametrize("model, first", [
    ("llama-3-8b", "meta-llama/Llama-3.1-8B-Instruct"),  # the part after the last "/", any case
    ("Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
    ("qwen2.5-7b", "Qwen/Qwen2.5-7B-Instruct"),
    ("GPT-4o-mini", "gpt-4o-mini"),
])
def test_unknown_model_suggests_by_the_name_after_the_slash(model, first):
    with pytest.raises(UnknownModel) as info:
        select(None, model)
    assert str(info.value).startswith(f'unknown model "{model}"; closest: {first}')


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
        (r'^encoding = "o200k_base"\n', 'tokenizer = "lama3"\n', r'model "gpt-4o-mini-2024-07-18": field "tokenizer" is \'lama3\'; use one of'),
    ],
)
def test_bad_profile_names_file_and_key(edited_profile, pattern, replacement, message):
    path = edited_profile(pattern, replacement)
    with pytest.raises(ProfileError, match=message) as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_per_key_provenance_overrides_the_table(edited_profile):
    path = edited_profile(r"^max_bytes_training = 536870912",
                          'max_bytes_training = { value = 1000, source = "https://example.com/x", '
                          "as_of = 2026-11-30, confirmed = false }")
    provider = load_profile(path)
    assert provider.files.max_bytes_training == 1000
    assert provider.source_of("files.max_bytes_training").confirmed is False
    assert provider.cite("files.max_bytes_training") == "https://example.com/x; unconfirmed"
    assert provider.source_of("files.bom").source == "[SPEC] 2026, [APIREF] 2025"


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
    assert "OpenAI (active, no new jobs after 2027-01-06, then the default is azure-openai)" in first
    assert "facts checked 2024-08-07..2026-12-01, 10 unconfirmed" in first
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
    assert err.startswith('ftlint: error: unknown provider "openia"; closest: openai')
    assert err.endswith(f'(known: {", ".join(shipped_ids())}; see --list-providers)\n') and err.count("\n") == 1


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


# -- rules read their limits from the provider ------------------------------------------------------


def chat(i):
    return {"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}


def test_the_minimum_number_of_examples_comes_from_the_provider(tmp_path):
    lines = [chat(i) for i in range(5)]
    for provider, expected in (("openai", ["FT401"]), ("azure-openai", ["FT401"]), ("fireworks", []),
                               ("together", [])):
        problems, _ = lint_lines(tmp_path, lines, select=["FT401"], provider=provider)
        assert [p.code for p in problems] == expected, provider


def test_ft402_counts_from_ft401s_configured_minimum_even_when_ft401_is_off(tmp_path):
    lines = [chat(i) for i in range(12)]
    problems, _ = lint_lines(tmp_path, lines, select=["FT402"])
    assert [p.code for p in problems] == ["FT402"]
    problems, _ = lint_lines(tmp_path, lines, select=["FT402"], options={"FT401": {"min": 20}})
    assert problems == []  # below FT401's minimum: FT401's business, not a recommendation


def test_bom_policy_is_the_providers(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(chat(0)).encode() + b"\n")
    for provider, expected in (("openai", ["FT003"]), ("azure-openai", []), ("together", ["FT003"])):
        problems, _ = lint_paths([path], select=["FT003"], provider=provider)
        assert [p.code for p in problems] == expected, provider


def test_an_unconfirmed_fact_is_at_most_a_warning_and_says_so(tmp_path):
    png = "data:image/png;base64,iVBORw0KGgoAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    parts = [{"type": "text", "text": "What?"}] + [{"type": "image_url", "image_url": {"url": png}}] * 65
    line = {"messages": [{"role": "user", "content": parts}, {"role": "assistant", "content": "Cats."}]}
    problems, _ = lint_lines(tmp_path, [line], select=["FT606"], provider="azure-openai", model="gpt-4o")
    assert [(p.code, str(p.level)) for p in problems] == [("FT606", "warning")]
    assert problems[0].message.endswith("(Azure OpenAI's documentation, unconfirmed)")
    problems, _ = lint_lines(tmp_path, [line], select=["FT606"])  # OpenAI's 10 is confirmed: an error
    assert [(p.code, str(p.level)) for p in problems] == [("FT606", "error")]


def test_max_functions_comes_from_the_provider(tmp_path):
    functions = [{"name": f"f{i}", "parameters": {"type": "object", "properties": {}}} for i in range(129)]
    line = {"functions": functions, "messages": chat(0)["messages"]}
    problems, _ = lint_lines(tmp_path, [line], select=["FT504"])
    assert [p.message for p in problems] == [
        "functions has 129 items; the API accepts 1 to 128 (drop the key when there are none)"]
    problems, _ = lint_lines(tmp_path, [line], select=["FT504"], provider="together")
    assert problems == []  # Together states no number of functions


def test_model_without_a_usable_tokenizer_runs_every_other_rule_and_says_what_was_skipped(tmp_path, capsys,
                                                                                        monkeypatch):
    from ftlint import token_facts, tokenizer

    def not_installed(name):
        raise tokenizer.MissingTokenizerPackage(f'the "{name}" tokenizer needs pip install "ftlint[llama]"')

    monkeypatch.setattr(tokenizer, "get_encoding", not_installed)
    token_facts.missing_tokenizer.cache_clear()
    monkeypatch.setattr(token_facts, "missing_tokenizer", token_facts.missing_tokenizer)  # cleared again after
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"},
                                             {"role": "assistant", "content": "c"}]}) + "\n")
    try:
        code, out, err = run(["--isolated", "--provider", "together", str(data)], capsys)
    finally:
        token_facts.missing_tokenizer.cache_clear()
    assert code == 1, err
    assert "FT114 [error]" in out
    assert ("model: meta-llama/Meta-Llama-3.1-8B-Instruct-Reference (default; pass --model); token checks skipped "
            "(FT303 over-token-cap, FT304 near-token-cap, FT305 no-trained-tokens, FT306 multi-token-label, "
            'token statistics and cost): the "llama3" tokenizer needs pip install "ftlint[llama]"') in out


def test_an_unknown_tokenizer_name_is_an_error_not_a_skip(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    code, _, err = run(["--isolated", "--model", "m", "--tokenizer", "lama3", str(data)], capsys)
    assert code == 2 and err.startswith('ftlint: error: --tokenizer: unknown tokenizer "lama3" (ftlint knows ')


# -- any model, even one no profile lists -------------------------------------------------------------


def test_unknown_model_is_one_line_with_closest_names_and_the_way_out(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    code, out, err = run(["--isolated", "--model", "gpt-4o-mimi", str(data)], capsys)
    assert code == 2 and out == ""
    assert err == ('ftlint: error: unknown model "gpt-4o-mimi"; closest: gpt-4o-mini, gpt-4.1-mini, gpt-4o (see '
                   "--list-models; to lint for a model ftlint does not know, define it: --tokenizer NAME --max-tokens N, "
                   'or [tool.ftlint.models."gpt-4o-mimi"] with tokenizer, max-tokens and rate in the config)\n')


def test_another_providers_model_says_whose_it_is_and_lists_the_providers_models(tmp_path, capsys):
    """0.3.0 said 'unknown model "gpt-4o-mini" ... define it: --tokenizer NAME --max-tokens N', as if
    ftlint had never heard of it, and invited the user to invent its tokenizer and cap."""
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    code, out, err = run(["--isolated", "--provider", "together", "--model", "gpt-4o-mini", str(data)], capsys)
    assert code == 2 and out == ""
    assert err == ('ftlint: error: "gpt-4o-mini" is a model of openai and azure-openai, not of Together AI '
                   "(--provider together); Together AI's models: meta-llama/Meta-Llama-3.1-8B-Instruct-Reference, "
                   "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference, meta-llama/Llama-3.3-70B-Instruct-Reference, "
                   "meta-llama/Llama-3.2-3B-Instruct, Qwen/Qwen2.5-7B-Instruct, Qwen/Qwen2.5-72B-Instruct, "
                   "Qwen/Qwen3-8B (--list-models --provider together); to lint for gpt-4o-mini "
                   "use --provider openai\n")


@pytest.mark.parametrize("provider", [p.id for p in all_providers()])
def test_every_other_providers_model_is_named_as_theirs(provider):
    chosen = get_provider(provider)
    for other in all_providers():
        for model in other.models:
            if chosen.knows(model.id):
                continue
            with pytest.raises(UnknownModel) as info:
                select(provider, model.id)
            text = str(info.value)
            owners = [p.id for p in all_providers() if p.knows(model.id)]
            assert text.startswith(f'"{model.id}" is a model of {" and ".join(owners)}, not of {chosen.title} ')
            assert chosen.models[0].id in text and "define it" not in text, text


def test_model_defined_on_the_command_line(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(chat(i)) + "\n" for i in range(10)))
    code, out, err = run(["--isolated", "--model", "my-model", "--tokenizer", "o200k_base", "--max-tokens", "12",
                          "--rate", "2", str(data)], capsys)
    assert code == 1, err
    assert "FT303 [error]" in out
    assert "over the 12-token cap of my-model (defined by the user (--tokenizer o200k_base --max-tokens 12))" in out
    assert "model: my-model; o200k_base; cap 12 tokens" in out
    assert "x $2.00/1M = $0.00 (estimate)" in out


def test_model_defined_in_the_config_without_token_facts_runs_every_other_rule(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"messages": [{"role": "human", "content": "q"}, {"role": "assistant", "content": "a"}]})
                    + "\n")
    (tmp_path / "ftlint.toml").write_text('model = "house-model"\n[models."house-model"]\nrate = 1.5\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run([str(data)], capsys)
    assert code == 1, err
    assert "FT102 [error]" in out  # the other rules ran
    assert ("model: house-model; token checks skipped (FT303 over-token-cap, FT304 near-token-cap, "
            "FT305 no-trained-tokens, FT306 multi-token-label, token statistics and cost): no tokenizer is known "
            'for the model; name one with --tokenizer NAME or tokenizer = "..." in [tool.ftlint.models."house-model"]'
            ) in out


def test_a_defined_value_overrides_the_profile_for_a_known_model(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    from ftlint.perfile import definitions, select_provider
    from ftlint.config import Config

    provider, model = select_provider(None, "gpt-4o-mini", definitions(Config(), "gpt-4o-mini", max_tokens=100))
    assert (provider.id, model.id, model.token_cap, model.encoding) == ("openai", "gpt-4o-mini-2024-07-18", 100,
                                                                       "o200k_base")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[models."m"]\ntokenizer = 3\n', '"models.m.tokenizer" in top level must be a tokenizer name'),
        ('[models."m"]\nmax-tokens = 0\n', '"models.m.max-tokens" in top level must be from 1 to 1,000,000,000'),
        ('[models."m"]\ncap = 10\n', 'unknown key "cap" in [models."m"] of top level (keys: tokenizer, max-tokens, rate)'),
        ('models = 3\n', '"models" must be a table, not integer'),
    ],
)
def test_bad_model_definitions_are_config_errors(tmp_path, capsys, monkeypatch, toml, message):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    (tmp_path / "ftlint.toml").write_text(toml)
    monkeypatch.chdir(tmp_path)
    code, _, err = run([str(data)], capsys)
    assert code == 2 and message in err and str(tmp_path / "ftlint.toml") in err


def test_tokenizer_without_model_is_a_usage_error(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(chat(0)) + "\n")
    code, _, err = run(["--isolated", "--max-tokens", "100", str(data)], capsys)
    assert code == 2 and "--tokenizer and --max-tokens describe the model of --model NAME" in err


# -- the default provider after OpenAI's last day for new jobs --------------------------------------------


def test_default_moves_to_the_successor_after_the_last_day_and_the_report_says_so(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(chat(i)) + "\n" for i in range(10)))
    monkeypatch.setenv("FTLINT_TODAY", "2027-01-06")
    code, out, _ = run(["--isolated", str(data)], capsys)
    assert code == 0 and "model: gpt-4o-mini-2024-07-18 (default; pass --model); o200k_base" in out
    monkeypatch.setenv("FTLINT_TODAY", "2027-01-07")
    code, out, _ = run(["--isolated", str(data)], capsys)
    assert code == 0, out  # the default model never draws a retirement error
    assert ("model: gpt-4.1-mini-2025-04-14 (default; OpenAI takes no new fine-tuning jobs after 2027-01-06, "
            "so ftlint lints for Azure OpenAI; pass --provider or --model); o200k_base; cap 65,536 tokens") in out
    code, out, _ = run(["--isolated", "--model", "gpt-4o-mini", str(data)], capsys)
    assert code == 1 and "FT302 [error]" in out  # a model the user names still does


def test_retirement_names_the_runs_provider(tmp_path):
    problems, _ = lint_lines(tmp_path, [chat(i) for i in range(10)], select=["FT302"], provider="azure-openai",
                             model="gpt-35-turbo-0125")
    assert [p.message for p in problems] == [
        "gpt-35-turbo-0125 can no longer be fine-tuned: the model catalog lists it as training ended (no date known); "
        "Azure OpenAI's models that still take supervised jobs are gpt-4o-mini-2024-07-18, gpt-4o-2024-08-06, "
        "gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14 and gpt-4.1-nano-2025-04-14; lint with --model gpt-4o-mini-2024-07-18"
    ]


def test_list_models_of_together_shows_tokenizers_and_unconfirmed_caps(capsys):
    code, out, _ = run(["--list-models", "--provider", "together"], capsys)
    assert code == 0
    assert "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference (default)" in out
    row = next(line for line in out.splitlines() if line.startswith("Qwen/Qwen3-8B"))
    assert "qwen2" in row and "32,768?" in row
    assert "see rules/providers/together.toml" in out


def test_openai_legacy_completion_advice_is_openais_only(tmp_path):
    lines = [{"prompt": f"Q{i}", "completion": f"A{i}"} for i in range(10)]
    advice = ["FT204", "FT206", "FT208", "FT209"]
    problems, _ = lint_lines(tmp_path, lines, select=advice, model="babbage-002")
    assert sorted({p.code for p in problems}) == advice
    problems, _ = lint_lines(tmp_path, lines, select=advice, provider="together")
    assert problems == []


@pytest.mark.parametrize(
    ("provider", "name", "model_id", "cap"),
    [
        ("azure-openai", "gpt-4.1-nano-2025-04-14.ft-0e208cf33a6a466994aff31a08aba678", "gpt-4.1-nano-2025-04-14", 32768),
        ("azure-openai", "gpt-4o-mini-2024-07-18.ft-abc123-support", "gpt-4o-mini-2024-07-18", 65536),
        ("azure-openai", "gpt-35-turbo", "gpt-35-turbo-0125", 16385),
        ("openai", "gpt-4.1-nano", "gpt-4.1-nano-2025-04-14", 65536),
    ],
)
def test_provider_names_and_caps(provider, name, model_id, cap):
    model = get_provider(provider).resolve(name)
    assert (model.id, model.token_cap) == (model_id, cap)


def test_a_model_only_one_provider_knows_selects_it():
    assert select(None, "gpt-35-turbo-0125")[0].id == "azure-openai"
    assert select(None, "Qwen/Qwen3-8B")[0].id == "together"
    assert select(None, "accounts/fireworks/models/qwen3-8b")[0].id == "fireworks"


def test_python_api_takes_the_provider(tmp_path):
    from ftlint.api import lint

    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(json.dumps(chat(i)).encode() + b"\n" for i in range(10)))
    assert "FT003" in {d["code"] for f in lint(path).files for d in f.diagnostics}
    assert "FT003" not in {d["code"] for f in lint(path, provider="azure-openai").files for d in f.diagnostics}


# -- Together's generic text format ---------------------------------------------------------------------


def test_together_text_lines_are_counted_whole_and_held_to_the_cap(tmp_path, capsys):
    data = tmp_path / "text.jsonl"
    # llama3 encodes the first text as 10 tokens and the second as 4 ("A short one."); every token is trained.
    data.write_text(json.dumps({"text": "The quick brown fox jumps over the lazy dog."}) + "\n"
                    + json.dumps({"text": "A short one."}) + "\n")
    code, out, err = run(["--isolated", "--provider", "together", "--model", "meta-llama/Llama-3.3-70B-Instruct-Reference",
                          "--max-tokens", "8", str(data)], capsys)
    assert code == 1, err
    assert ("text.jsonl:1:1: FT303 [error] 10 tokens, over the 8-token cap of meta-llama/Llama-3.3-70B-Instruct-Reference"
            in out)
    assert "truncation removes the last 2 tokens and that cuts into the trained tokens (2 of them fall past the cap)" in out
    assert "tokens: 14 total, 14 in training targets" in out
    assert "FT914" not in out and "FT404" not in out  # Together takes text; texts have no input to conflict on


def test_text_file_under_openai_is_one_wrong_format_message_naming_together(tmp_path, capsys):
    data = tmp_path / "text.jsonl"
    data.write_text("".join(json.dumps({"text": f"document {i}"}) + "\n" for i in range(3)))
    code, out, err = run(["--isolated", "--select", "FT914", str(data)], capsys)
    assert code == 1, err
    assert out.count("FT914 [error]") == 1
    assert "no method of OpenAI takes language modeling (text) files" in out
    assert "--provider axolotl or llama-factory or together or trl takes it" in out
