"""Pricing as profile data: per-model rates, size-bracket rates, per-hour models, and Together AI's
``n_epochs x train_tokens + n_evals x val_tokens`` (the evaluations term, --n-evals / ``n-evals``).

The expected figures are worked out by hand in the comments: llama3 encodes
"The quick brown fox jumps over the lazy dog." as 10 tokens, and a language-modeling
(``{"text": ...}``) line is billed for exactly its text's tokens.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from ftlint.cli import main
from ftlint.providers import ProfileError, get_provider, load_profile

FOX = "The quick brown fox jumps over the lazy dog."  # 10 llama3 tokens
LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct-Reference"
LLAMA_8B = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _text_files(tmp_path, training_lines=3, validation_lines=2):
    train, val = tmp_path / "train.jsonl", tmp_path / "val.jsonl"
    train.write_text("".join(json.dumps({"text": f"{FOX}"}) + "\n" for _ in range(training_lines)))
    val.write_text("".join(json.dumps({"text": f"{FOX}"}) + "\n" for _ in range(validation_lines)))
    return train, val


def _chat_file(tmp_path, question="Hi", answer="Hello.", name="t.jsonl"):
    path = tmp_path / name
    path.write_text(json.dumps({"messages": [{"role": "user", "content": question},
                                             {"role": "assistant", "content": answer}]}) + "\n")
    return path


def _json_costs(out):
    files = json.loads(out)["files"]
    return {f["role"]: f["cost"] for f in files}


def test_together_bills_epochs_times_training_plus_evals_times_validation(tmp_path, capsys):
    train, val = _text_files(tmp_path)
    args = ["--isolated", "--provider", "together", "--model", LLAMA_70B, "--rate", "25000", "--epochs", "3",
            "--n-evals", "5", str(train), "--validation", str(val)]
    code, out, err = run(args, capsys)
    assert code == 0, err
    # training: 3 lines x 10 tokens = 30 per epoch; x 3 epochs = 90 tokens; x $25,000/1M = $2.25
    assert ("cost: 30 billed tokens per epoch x 3 epochs = 90 billed tokens x $25,000.00/1M = $2.25 (estimate)"
            in out)
    # evaluations: 2 lines x 10 tokens = 20 per evaluation; x 5 evaluations = 100 tokens; x $25,000/1M = $2.50
    assert ("cost: validation file, 20 billed tokens per evaluation x 5 evaluations = 100 billed tokens "
            "x $25,000.00/1M = $2.50 (estimate)") in out
    assert "Estimated job cost: $2.25 training (1 training file) + $2.50 evaluations (1 validation file) = $4.75" in out

    code, out, err = run([*args, "--format", "json"], capsys)
    costs = _json_costs(out)
    assert costs["training"] == {"model": LLAMA_70B, "epochs": 3, "billed_tokens": 90, "rate_per_1m": 25000.0,
                                 "usd": 2.25}
    assert costs["validation"] == {"model": LLAMA_70B, "epochs": None, "billed_tokens": 100, "rate_per_1m": 25000.0,
                                   "usd": 2.5, "evals": 5}


def test_together_evaluations_default_to_none_and_the_line_says_so(tmp_path, capsys):
    train, val = _text_files(tmp_path)
    code, out, err = run(["--isolated", "--provider", "together", "--model", LLAMA_70B, "--rate", "25000",
                          str(train), "--validation", str(val)], capsys)
    assert code == 0, err
    # Together's n_evals defaults to 0: the validation file adds nothing, and the line says how to change that.
    assert ("cost: validation file, 20 billed tokens per evaluation x 0 evaluations (Together AI's default; "
            "pass --n-evals N) = 0 billed tokens\n") in out
    # 30 tokens x 1 epoch (Together's default) x $25,000/1M = $0.75; no evaluations term, so no job-cost line.
    assert "= 30 billed tokens x $25,000.00/1M = $0.75 (estimate)" in out
    assert "Estimated job cost" not in out


def test_n_evals_from_the_config(tmp_path, capsys, monkeypatch):
    train, val = _text_files(tmp_path)
    (tmp_path / "ftlint.toml").write_text('provider = "together"\nn-evals = 2\nrate = 50000\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["--model", LLAMA_70B, "train.jsonl", "--validation", "val.jsonl"], capsys)
    assert code == 0, err
    # 20 tokens x 2 evaluations = 40 tokens x $50,000/1M = $2.00; training 30 x 1 x $50,000/1M = $1.50
    assert "20 billed tokens per evaluation x 2 evaluations = 40 billed tokens x $50,000.00/1M = $2.00" in out
    assert "Estimated job cost: $1.50 training (1 training file) + $2.00 evaluations (1 validation file) = $3.50" in out


@pytest.mark.parametrize("value", ["-1", '"ten"'])
def test_bad_n_evals_in_the_config_is_a_config_error(tmp_path, capsys, monkeypatch, value):
    (tmp_path / "ftlint.toml").write_text(f"n-evals = {value}\n")
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": FOX}) + "\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["d.jsonl"], capsys)
    assert code == 2 and err.startswith("ftlint: error:") and '"n-evals"' in err


def test_validation_file_is_not_billed_where_the_formula_has_no_evaluations_term(tmp_path, capsys):
    train, val = _chat_file(tmp_path), _chat_file(tmp_path, name="v.jsonl")
    code, out, err = run(["--isolated", "--provider", "fireworks", "--n-evals", "4", str(train), "--validation",
                          str(val), "--format", "json"], capsys)
    costs = _json_costs(out)
    assert costs["validation"]["billed_tokens"] == 0 and costs["validation"]["usd"] == 0.0
    assert "evals" not in costs["validation"]


def test_fireworks_rate_comes_from_the_models_size_bracket(tmp_path, capsys):
    data = _chat_file(tmp_path, FOX, FOX)
    for model, rate, tier in [("accounts/fireworks/models/qwen3-8b", 0.5, "up to 16B"),
                              ("accounts/fireworks/models/llama-v3p3-70b-instruct", 3.0, "16.1B - 80B")]:
        code, out, err = run(["--isolated", "--provider", "fireworks", "--model", model, "--epochs", "2", str(data),
                              "--format", "json"], capsys)
        document = json.loads(out)["files"][0]
        cost, billed = document["cost"], document["tokens"]["billed"]
        assert cost["rate_per_1m"] == rate
        assert cost["billed_tokens"] == billed * 2
        assert cost["usd"] == billed * 2 * rate / 1_000_000
        code, out, err = run(["--isolated", "--provider", "fireworks", "--model", model, str(data)], capsys)
        assert f"x ${rate:,.2f}/1M = $0.00 (estimate, Fireworks AI's '{tier}' rate, unconfirmed price)" in out


def test_a_rate_given_on_the_command_line_wins_over_the_bracket(tmp_path, capsys):
    data = _chat_file(tmp_path)
    code, out, err = run(["--isolated", "--provider", "fireworks", "--rate", "7", str(data), "--format", "json"], capsys)
    assert _json_costs(out)["training"]["rate_per_1m"] == 7.0
    code, out, err = run(["--isolated", "--provider", "fireworks", "--rate", "7", str(data)], capsys)
    assert "x $7.00/1M" in out and "'up to 16B' rate" not in out and "unconfirmed price" not in out


def test_together_bracket_without_a_rate_and_a_model_outside_the_brackets(tmp_path, capsys):
    train, _ = _text_files(tmp_path)
    code, out, err = run(["--isolated", "--provider", "together", "--model", LLAMA_8B, str(train)], capsys)
    assert ("cost: 30 billed tokens per epoch x 1 epoch (Together AI's default) = 30 billed tokens; price unknown for "
            f"{LLAMA_8B}: Together AI prices its 'Up to 16B' size bracket, and ftlint has no rate for it "
            "(pass --rate USD_PER_1M)") in out
    code, out, err = run(["--isolated", "--provider", "together", "--model", LLAMA_70B, str(train)], capsys)
    assert f"= 30 billed tokens; price unknown for {LLAMA_70B} (pass --rate USD_PER_1M)" in out


def test_azure_per_token_and_per_hour_models(tmp_path, capsys):
    data = _chat_file(tmp_path)
    code, out, err = run(["--isolated", "--provider", "azure-openai", "--model", "gpt-4.1", "--epochs", "2", str(data),
                          "--format", "json"], capsys)
    document = json.loads(out)["files"][0]
    billed = document["tokens"]["billed"]
    assert document["cost"] == {"model": "gpt-4.1-2025-04-14", "epochs": 2, "billed_tokens": billed * 2,
                                "rate_per_1m": 2.0, "usd": billed * 2 * 2.0 / 1_000_000}
    code, out, err = run(["--isolated", "--provider", "azure-openai", "--model", "gpt-4.1", str(data)], capsys)
    assert "billed tokens (Azure OpenAI's trained_tokens, unconfirmed) x $2.00/1M" in out
    assert "(estimate, unconfirmed price)" in out
    code, out, err = run(["--isolated", "--provider", "azure-openai", "--model", "o4-mini", str(data)], capsys)
    assert ("o4-mini-2025-04-16 is billed per hour of training ($100.00/hour, unconfirmed), not per token: "
            "no estimate") in out


def test_openai_names_its_trained_tokens_and_others_name_nothing(tmp_path, capsys):
    data = _chat_file(tmp_path)
    code, out, err = run(["--isolated", str(data)], capsys)
    assert "billed tokens (OpenAI's trained_tokens) x $" in out
    code, out, err = run(["--isolated", "--provider", "fireworks", str(data)], capsys)
    assert "trained_tokens" not in out


def test_tier_facts_and_their_source():
    fireworks = get_provider("fireworks")
    assert [(t.name, t.max_params_b, t.usd) for t in fireworks.price_tiers] == [
        ("up to 16B", 16.0, 0.5), ("16.1B - 80B", 80.0, 3.0)]
    assert fireworks.source_of("pricing.tiers").confirmed is False
    assert fireworks.resolve("accounts/fireworks/models/llama-v3p1-8b-instruct").price_tier == "up to 16B"
    together = get_provider("together")
    assert together.submit.default_n_evals == 0  # the job's default, which the cost estimate uses too
    assert [t.usd for t in together.price_tiers] == [None, None]
    assert together.resolve(LLAMA_70B).price_tier is None  # 70B is past the brackets the docs name


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        (r'\{ name = "up to 16B", max_params_b = 16, usd = 0.50 \}', '{ name = "up to 16B", max_params_b = 99, usd = 0.5 }',
         r'"pricing.tiers\[1\].max_params_b" must be larger than the previous tier\'s'),
        (r'usd = 0.50 \}', 'usd = -1 }', r'"pricing.tiers\[0\].usd" must be a number >= 0'),
        (r'usd = 0.50 \}', 'usd = 0.5, lora = true }', r'"pricing.tiers\[0\].lora" is not a key of a price tier'),
        (r'^params_b = 8$', 'params_b = "8"', r'field "params_b" must be a number'),
    ],
)
def test_bad_price_tiers_name_the_key(edited_profile, pattern, replacement, message):
    with pytest.raises(ProfileError, match=message):
        load_profile(edited_profile(pattern, replacement, provider="fireworks"))


def test_job_summary_html_and_step_outputs_carry_both_terms(tmp_path, capsys, monkeypatch):
    train, val = _text_files(tmp_path)
    args = ["--isolated", "--provider", "together", "--model", LLAMA_70B, "--rate", "25000", "--epochs", "3",
            "--n-evals", "5", str(train), "--validation", str(val)]
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    run([*args, "--format", "github"], capsys)
    markdown = summary.read_text()
    # $2.25 training (90 tokens) + $2.50 evaluations (100 tokens) = $4.75, as in the text report
    assert ("Estimated job cost: $2.25 training (1 training file) + $2.50 evaluations (1 validation file) = $4.75 "
            "(as in the text report: billed tokens x epochs x rate, plus validation tokens x evaluations).") in markdown
    assert "| **$4.75** |" in markdown and "| $2.50 |" in markdown
    assert "cost=4.75\n" in outputs.read_text()
    report = tmp_path / "report.html"
    run([*args, "--format", "html", "--output-file", str(report)], capsys)
    assert ('<p class="cost">Estimated job cost: $2.25 training (1 training file) + $2.50 evaluations '
            "(1 validation file) = $4.75</p>") in report.read_text()


def test_negative_n_evals_on_the_command_line_is_a_usage_error(tmp_path, capsys):
    train, _ = _text_files(tmp_path)
    code, out, err = run(["--isolated", "--provider", "together", "--n-evals", "-1", str(train)], capsys)
    assert code == 2 and out == ""
    assert err == 'ftlint: error: argument --n-evals: must be from 0 to 1,000, got "-1"\n'


def test_a_provider_without_sourced_default_epochs_asks_for_them(tmp_path, capsys):
    """Vertex AI's profile states no default epochs (providers.md has no figure): the cost gives the tokens
    per epoch and asks for --epochs, where it used to borrow OpenAI's auto rule and call it "(auto)"."""
    assert get_provider("vertex").epochs_for(5) is None
    assert get_provider("openai").epochs_for(5) == 20 and get_provider("azure-openai").epochs_for(5) == 20
    data = tmp_path / "g.jsonl"
    data.write_text(((FIXTURES / "FT150" / "pass" / "gemini.jsonl").read_text().splitlines()[0] + "\n") * 3)
    code, out, _ = run([str(data), "--provider", "vertex", "--no-cache", "--isolated"], capsys)
    cost = next(line for line in out.splitlines() if line.strip().startswith("cost:"))
    assert cost.strip().endswith("billed tokens per epoch; no estimate: the default number of epochs of Google "
                                 "Vertex AI (Gemini tuning) is not in ftlint's profile (pass --epochs N)")
    assert "(auto)" not in out
    code, out, _ = run([str(data), "--provider", "vertex", "--no-cache", "--isolated", "--format", "json"], capsys)
    cost = json.loads(out)["files"][0]["cost"]
    assert (cost["epochs"], cost["billed_tokens"], cost["usd"]) == (None, None, None)
    code, out, _ = run([str(data), "--provider", "vertex", "--no-cache", "--isolated", "--epochs", "2"], capsys)
    assert " x 2 epochs = " in out
