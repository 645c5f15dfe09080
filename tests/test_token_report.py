"""Token rules, the token/cost report, --model / --list-models / --stats through the CLI."""

from __future__ import annotations

import io
import json
import math

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, codes, lint_lines, lint_paths
from ftlint import tokenizer
from ftlint.cli import main
from ftlint.labels import MAX_LABEL_CHARS
from ftlint.tokenizer import get_encoding
from ftlint.providers import get_provider
from ftlint.token_stats import length_histogram_lines, percentile, training_cost_usd

REAL = FIXTURES / "real"
TOY_CHAT = REAL / "openai-cookbook__toy_chat_fine_tuning.jsonl"
GSM8K = REAL / "microsoft-foundry-fine-tuning__gsm8k_chat_train.head100.jsonl"


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def report(argv):
    code, out, err = run([*argv, "--format", "json"])
    return code, json.loads(out), err


def chat(user, assistant, **extra):
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant, **extra}]}


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


# -- cost arithmetic and the epochs heuristic ------------------------------------


def test_cost_of_the_guides_example():
    # 100,000 tokens x 3 epochs at $8 / 1M tokens = $2.40 (fine-tuning guide).
    assert training_cost_usd(100_000, 3, 8.0) == pytest.approx(2.40)
    assert training_cost_usd(100_000, 3, 3.0) == pytest.approx(0.90)  # gpt-4o-mini's $3 / 1M
    assert training_cost_usd(100_000, 3, None) is None


@pytest.mark.parametrize(
    "examples, epochs",
    [
        (1, 25),  # 100 // 1 = 100, capped at 25
        (4, 25),
        (5, 20),
        (10, 10),
        (33, 3),  # 99 passes < 100: 100 // 33 = 3
        (34, 3),  # 102 passes: the target 3
        (8_333, 3),  # 24,999 passes
        (8_334, 2),  # 25,002 passes > 25,000: 25,000 // 8,334 = 2
        (12_501, 1),
        (30_000, 1),  # 25,000 // 30,000 = 0, at least 1
    ],
)
def test_auto_epochs(examples, epochs):
    # OpenAI's rule, from the numbers of its profile ([epochs.auto] of rules/providers/openai.toml).
    assert get_provider("openai").epochs_for(examples) == epochs
    # Azure OpenAI names the same rule without numbers of its own and takes OpenAI's; Vertex AI states no
    # epochs and borrows none (its cost asks for --epochs: test_pricing).
    assert get_provider("azure-openai").epochs_for(examples) == epochs
    assert get_provider("vertex").epochs_for(examples) is None
    # A fixed default ignores the example count.
    assert get_provider("together").epochs_for(examples) == get_provider("fireworks").epochs_for(examples) == 1


def test_cli_cost_block_for_gpt_4o_mini(tmp_path):
    data = write(tmp_path / "d.jsonl", [chat(f"question {i}", f"answer {i}") for i in range(40)])
    code, doc, _ = report([str(data), "--model", "gpt-4o-mini"])
    entry = doc["files"][0]
    tokens, cost = entry["tokens"], entry["cost"]
    assert set(tokens) == {"total", "billed", "min", "p50", "p95", "max", "over_cap", "tokenizer", "exact",
                           "approximate_examples", "approximate", "lower_bounds"}
    assert (tokens["tokenizer"], tokens["exact"]) == ("o200k_base", True)
    assert set(cost) == {"model", "epochs", "rate_per_1m", "usd", "billed_tokens"}
    assert cost["model"] == "gpt-4o-mini-2024-07-18"
    assert cost["epochs"] == 3 and cost["rate_per_1m"] == 3.0
    assert tokens["billed"] == tokens["total"]
    assert cost["billed_tokens"] == tokens["billed"] * 3  # what OpenAI reports as trained_tokens
    assert cost["usd"] == pytest.approx(tokens["billed"] * 3 * 3.0 / 1e6)


def test_epochs_and_rate_options_and_per_hour_price(tmp_path):
    data = write(tmp_path / "d.jsonl", [chat(f"q{i}", f"a{i}") for i in range(20)])
    _, doc, _ = report([str(data), "--epochs", "2", "--rate", "8"])
    cost, billed = doc["files"][0]["cost"], doc["files"][0]["tokens"]["billed"]
    assert (cost["epochs"], cost["rate_per_1m"]) == (2, 8.0)
    assert cost["usd"] == pytest.approx(billed * 2 * 8 / 1e6)
    _, doc, _ = report([str(data), "--model", "o4-mini"])  # billed per hour: no token estimate
    assert doc["files"][0]["cost"]["usd"] is None


def test_validation_tokens_are_not_billed_and_several_files_get_a_total(tmp_path):
    train = write(tmp_path / "t.jsonl", [chat(f"q{i}", f"a{i}") for i in range(20)])
    train2 = write(tmp_path / "t2.jsonl", [chat(f"r{i}", f"b{i}") for i in range(20)])
    valid = write(tmp_path / "v.jsonl", [chat(f"x{i}", f"y{i}") for i in range(10)])
    _, doc, _ = report([str(train), "--validation", str(valid)])
    entry = doc["files"][1]
    assert entry["role"] == "validation"
    assert entry["tokens"]["billed"] == 0 and entry["tokens"]["total"] > 0 and entry["cost"]["usd"] == 0.0
    _, out, _ = run([str(train), str(train2), "--validation", str(valid)])
    assert "cost: validation file" in out and "not billed" in out
    assert "Estimated training cost of the 2 training files: $" in out


def test_no_cost_estimate_for_a_format_the_provider_does_not_take(tmp_path):
    # A ShareGPT file is no OpenAI job as it is: FT914 says how to convert it, and the cost line says why
    # there is no figure instead of pricing 25 auto epochs of a file the API would refuse.
    sharegpt = FIXTURES / "FT914" / "fail" / "sharegpt_for_openai.jsonl"
    reason = "OpenAI takes no ShareGPT (conversations of from/value) files (FT914 says which providers do)"
    code, out, _ = run([str(sharegpt), "--isolated"])
    assert code == 1 and "FT914" in out
    assert [line.strip() for line in out.splitlines() if line.strip().startswith("cost:")] == [
        f"cost: no estimate: {reason}"]
    _, doc, _ = report([str(sharegpt), "--isolated"])
    cost = doc["files"][0]["cost"]
    assert cost["usd"] is None and cost["no_estimate"] == reason
    page = tmp_path / "report.html"
    main(["--isolated", "--format", "html", "-o", str(page), str(sharegpt)], io.StringIO(), io.StringIO())
    html = page.read_text()
    assert f"cost: no estimate: {reason}" in html and "x $3.00/1M" not in html
    # The same file for a provider that takes it keeps its estimate.
    _, doc, _ = report([str(sharegpt), "--isolated", "--provider", "axolotl", "--rate", "1"])
    assert doc["files"][0]["cost"]["usd"] is not None and "no_estimate" not in doc["files"][0]["cost"]


def test_json_summary_has_the_cost_total_the_text_report_shows(tmp_path):
    train = write(tmp_path / "t.jsonl", [chat(f"q{i} " * 50, f"a{i} " * 80) for i in range(40)])
    train2 = write(tmp_path / "t2.jsonl", [chat(f"r{i} " * 60, f"b{i} " * 90) for i in range(30)])
    _, out, _ = run([str(train), str(train2), "--rate", "25"])
    shown = next(line for line in out.splitlines() if line.startswith("Estimated training cost of the 2 training files"))
    _, doc, _ = report([str(train), str(train2), "--rate", "25"])
    total = doc["summary"]["cost_usd"]
    assert total == pytest.approx(sum(f["cost"]["usd"] for f in doc["files"])) and total > 0
    assert shown.endswith(f"${total:,.2f}")
    # Unknown: no file has an estimate (billed per hour; a retired model), so null, not 0.
    assert report([str(train), "--model", "o4-mini"])[1]["summary"]["cost_usd"] is None
    assert report([str(train), "--model", "gpt-3.5-turbo-0613"])[1]["summary"]["cost_usd"] is None


# -- model resolution -----------------------------------------------------------------


def test_default_model_is_said_in_the_report(tmp_path):
    data = write(tmp_path / "d.jsonl", [chat("q", "a")] * 1)
    _, out, _ = run([str(data)])
    assert "model: gpt-4o-mini-2024-07-18 (default; pass --model)" in out
    _, out, _ = run([str(data), "--model", "gpt-4o-mini"])
    assert "(default" not in out


def test_unknown_model_is_exit_two_with_the_closest_names(tmp_path):
    data = write(tmp_path / "d.jsonl", [chat("q", "a")])
    code, out, err = run([str(data), "--model", "gpt-4o-mni"])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "gpt-4o-mini" in err and "closest" in err


@pytest.mark.parametrize(
    "name, model_id, cap",
    [
        ("gpt-4o-mini", "gpt-4o-mini-2024-07-18", 65_536),
        ("gpt-4o", "gpt-4o-2024-08-06", 65_536),
        ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini-2025-04-14", 65_536),
        ("ft:gpt-4.1-2025-04-14:acme:support:AbC123", "gpt-4.1-2025-04-14", 65_536),
        ("ft:gpt-3.5-turbo-0125:acme::xyz:ckpt-step-100", "gpt-3.5-turbo-0125", 16_385),
        ("gpt-3.5-turbo-1106", "gpt-3.5-turbo-1106", 16_385),
        ("gpt-3.5-turbo-0613", "gpt-3.5-turbo-0613", 4_096),
    ],
)
def test_caps_per_model_and_ft_names(tmp_path, name, model_id, cap):
    data = write(tmp_path / "d.jsonl", [chat("q", "a")])
    _, doc, _ = report([str(data), "--model", name])
    assert doc["files"][0]["cost"]["model"] == model_id
    _, out, _ = run([str(data), "--model", name])
    assert f"model: {model_id}; " in out and f"cap {cap:,} tokens" in out


def test_ft_gpt_4_1_name_counts_with_o200k(tmp_path):
    text = "Ünïcödé — façade naïve 東京"
    data = write(tmp_path / "d.jsonl", [{"prompt": "", "completion": text}])
    _, doc, _ = report([str(data), "--model", "ft:davinci-002:acme::x"])
    assert doc["files"][0]["tokens"]["total"] == len(get_encoding("cl100k_base").encode_ordinary(text))
    data = write(tmp_path / "c.jsonl", [chat(text, text)])
    _, doc, _ = report([str(data), "--model", "ft:gpt-4.1-2025-04-14:acme::x"])
    o200k = len(get_encoding("o200k_base").encode_ordinary(text))
    # Billed count: the messages + 1 (no 3-token reply primer in a training example).
    assert doc["files"][0]["tokens"]["total"] == 1 + 2 * (3 + 1 + o200k)


def test_list_models_marks_unconfirmed_values():
    code, out, _ = run(["--list-models"])
    assert code == 0
    assert "gpt-4o-mini-2024-07-18 (default)" in out
    assert "$3.00/1M" in out and "$100.00/hour" in out
    assert "65,536?" in out  # gpt-4.1-nano: OpenAI and Azure disagree
    assert "2027-01-06" in out


def test_broken_tokenizer_data_is_exit_two(tmp_path, monkeypatch):
    monkeypatch.setattr(tokenizer, "_cache", {})
    monkeypatch.setattr(tokenizer, "VOCAB_DIR", tmp_path / "missing")
    data = write(tmp_path / "d.jsonl", [chat("q", "a")])
    code, out, err = run([str(data)])
    assert code == 2 and err.count("\n") == 1 and "tokenizer vocabulary" in err


# -- rules ----------------------------------------------------------------------------


def test_over_cap_says_what_truncation_removes(tmp_path):
    long_text = " hello" * 4200  # one cl100k token each: over gpt-3.5-turbo-0613's 4,096
    problems, _ = lint_lines(
        tmp_path,
        [chat("summarise", long_text), chat(long_text, "short answer")],
        select=["FT303"],
        model="gpt-3.5-turbo-0613",
    )
    first, second = (p.message for p in problems)
    assert "4,096-token cap of gpt-3.5-turbo-0613 ([FT-2024])" in first
    assert "truncation removes the last" in first and "cuts into the trained tokens" in first
    assert "removes every trained token" in second


def test_format_and_method_the_model_does_not_take(tmp_path):
    problems, _ = lint_lines(tmp_path, [chat("q", "a")], select=["FT301"], method="reinforcement")
    (problem,) = problems
    assert "does not support reinforcement" in problem.message and "o4-mini-2025-04-16" in problem.message
    problems, _ = lint_paths([FIXTURES / "FT301/fail/legacy_for_default_model.jsonl"], select=["FT301"])
    assert "babbage-002" in problems[0].message and "davinci-002" in problems[0].message


def test_retired_model_names_the_date_and_the_successors_in_words(tmp_path):
    problems, _ = lint_lines(tmp_path, [chat("q", "a")], select=["FT302"], model="babbage-002")
    (message,) = (p.message for p in problems)
    assert message.startswith("babbage-002 can no longer be fine-tuned: OpenAI shut it down on 2026-10-23;")
    assert "gpt-4o-mini-2024-07-18" in message and "[" not in message  # no opaque source tags


def test_real_sms_spam_classes_in_the_report(real_corpus):
    sms = real_corpus / "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl"
    _, results = lint_paths([sms], select=["FT306", "FT307", "FT308"])
    assert results[0].stats["classes"] == {"ham": 4825, "spam": 747}


def test_real_mbti_has_16_multi_token_labels(real_corpus):
    mbti = real_corpus / "rgu855-MBTIPersonality__fine_tune_prepared_train.jsonl"
    problems, results = lint_paths([mbti], select=["FT306", "FT307", "FT308"])
    assert len(results[0].stats["classes"]) == 16
    by_code = {p.code: p.message for p in problems}
    assert by_code["FT306"].startswith("16 of 16 class labels are more than one o200k_base token")
    assert "FT307" in by_code and "FT308" in by_code


def test_free_text_chat_is_not_classification():
    _, results = lint_paths([GSM8K], select=["FT306"])
    assert "classes" not in results[0].stats


# -- statistics -----------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=70_000), min_size=1, max_size=200))
def test_histogram_percentiles_equal_nearest_rank_on_the_sorted_list(lengths):
    histogram: dict[int, int] = {}
    for n in lengths:
        histogram[n] = histogram.get(n, 0) + 1
    ordered = sorted(lengths)
    for fraction in (0.5, 0.95):
        assert percentile(histogram, fraction) == ordered[max(1, math.ceil(fraction * len(ordered))) - 1]
    assert len(length_histogram_lines(histogram, 65_536)) >= 1


@pytest.mark.parametrize("encoding_model", [("o200k_base", "gpt-4o-mini"), ("cl100k_base", "gpt-3.5-turbo")])
@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_stats_file_counts_equal_tiktoken(tmp_path, encoding_model, suffix):
    encoding_name, model = encoding_model
    encoding = get_encoding(encoding_name)
    out = tmp_path / f"stats{suffix}"
    code, doc, _ = report([str(TOY_CHAT), "--model", model, "--stats", str(out)])
    if suffix == ".parquet":
        rows = pq.read_table(out).to_pylist()
    elif suffix == ".csv":
        import csv

        rows = [
            {**r, "line": int(r["line"]), "tokens": int(r["tokens"]), "target_tokens": int(r["target_tokens"]),
             "messages": int(r["messages"]), "label": r["label"] or None}
            for r in csv.DictReader(out.open())
        ]
    else:
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    examples = [json.loads(line) for line in TOY_CHAT.read_text().splitlines() if line.strip()]
    assert len(rows) == len(examples)
    for row, example in zip(rows, examples):
        messages = example["messages"]
        # What OpenAI bills per example: the cookbook count without its reply primer (3), plus 1.
        direct = 1 + sum(3 + sum(len(encoding.encode_ordinary(m[k])) for k in ("role", "content")) for m in messages)
        trained = sum(
            3 + len(encoding.encode_ordinary("assistant")) + len(encoding.encode_ordinary(m["content"]))
            for m in messages if m["role"] == "assistant"
        )
        assert (row["tokens"], row["target_tokens"], row["messages"]) == (direct, trained, len(messages))
        assert row["file"] == str(TOY_CHAT)
        assert str(row["exact"]) == "True"  # tiktoken counts are exact
        target = messages[-1]["content"]  # the label column holds short targets only
        assert row["label"] == (target if len(target) <= MAX_LABEL_CHARS else None)
    assert doc["files"][0]["tokens"]["total"] == sum(r["tokens"] for r in rows)


def test_stats_file_with_a_bad_suffix_is_exit_two(tmp_path):
    code, _, err = run([str(TOY_CHAT), "--stats", str(tmp_path / "s.xlsx")])
    assert code == 2 and "--stats" in err


def test_parquet_is_written_in_row_groups(tmp_path, monkeypatch):
    from ftlint import stats_file

    monkeypatch.setattr(stats_file, "BATCH_ROWS", 4)
    out = tmp_path / "s.parquet"
    run([str(TOY_CHAT), "--stats", str(out)])
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == 5 and meta.num_row_groups == 2  # 4 + 1 rows


# -- robustness -----------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["role", "content", "weight", "messages", "prompt", "completion", "input", "preferred_output",
         "non_preferred_output", "tools", "tool_calls", "name", "type", "text"]), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_json, min_size=1, max_size=8), st.sampled_from([None, "gpt-3.5-turbo-0613", "babbage-002"]))
def test_token_rules_and_stats_never_crash(tmp_path, records, model):
    problems, results = lint_lines(tmp_path, [r if isinstance(r, dict) else {"messages": r} for r in records],
                                   select=["FT3"], model=model)
    assert results[0].error is None
    assert all(p.code.startswith("FT3") for p in problems)
    assert codes(problems) is not None



def test_report_says_how_many_images_were_assumed_at_the_default_size(tmp_path):
    """Remote-URL images (the real ChartQA file: 100 of 100) have no size to read: the report says so."""
    png_1x1 = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
               "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    rows = [{"messages": [{"role": "user", "content": [{"type": "text", "text": f"What is in chart {i}?"},
                                                       {"type": "image_url", "image_url": {"url": url}}]},
                          {"role": "assistant", "content": "A bar chart."}]}
            for i, url in enumerate(["https://example.com/chart.png", png_1x1, "https://example.com/c2.png"] * 4)]
    data = write(tmp_path / "v.jsonl", rows)
    _, doc, _ = report([str(data), "--model", "gpt-4o"])
    assert doc["files"][0]["images"] == {"total": 12, "size_assumed": 8, "assumed_tokens_each": 85 + 4 * 170}
    code, out, _ = run([str(data), "--model", "gpt-4o"])
    assert ("images: 8 of 12 counted at an assumed size (768x768, 4 tiles, 765 tokens each): their size is unknown "
            "(remote URLs), so the token count and cost are estimates") in out


def test_the_counting_label_names_approximation_once():
    from ftlint.token_stats import counting_label

    assert counting_label("o200k_base", True) == "o200k_base"
    assert counting_label("o200k_base", False) == "o200k_base, approximate counts"
    assert counting_label("approximate", False).count("approximate") == 1


def _cost_lines(out):
    return [line.strip() for line in out.splitlines() if line.strip().startswith("cost:")]


def test_no_cost_estimate_for_a_training_file_that_trains_nothing(tmp_path):
    """An RFT file linted as supervised (medmcq: 6,150 examples ending with a user turn): no trained token, so
    no price for a job that would teach nothing; linted for RFT (trained on what the model generates) it is
    not withheld for that."""
    rows = tmp_path / "rft.jsonl"
    rows.write_text("".join(json.dumps({"messages": [{"role": "user", "content": f"question {i}"}],
                                        "reference_answer": "A"}) + "\n" for i in range(12)))
    _, out, _ = run([str(rows), "--isolated"])
    assert _cost_lines(out) == ["cost: no estimate: no example of this file has a trained token (no assistant reply "
                                "to learn, or each one weighted 0), so a job would teach nothing"]
    _, out, _ = run([str(rows), "--isolated", "--method", "reinforcement", "--model", "o4-mini-2025-04-16"])
    assert "a job would teach nothing" not in out


def test_no_cost_estimate_for_a_job_the_model_or_the_epochs_rule_out(tmp_path):
    """FT608 (no image training), FT301 (legacy file, chat model) and --epochs beyond OpenAI's 1-50: no price."""
    image = {"type": "image_url", "image_url": {"url": "https://example.com/chart.png"}}
    images = tmp_path / "images.jsonl"
    images.write_text("".join(json.dumps({"messages": [{"role": "user", "content": [{"type": "text", "text": f"q{i}"},
                                                                                   image]},
                                                       {"role": "assistant", "content": "a"}]}) + "\n"
                              for i in range(12)))
    _, out, _ = run([str(images), "--isolated", "--model", "gpt-4o-mini-2024-07-18"])
    assert _cost_lines(out) == ["cost: no estimate: gpt-4o-mini-2024-07-18 cannot be fine-tuned on images, and this "
                                "file has 12 images (FT608)"]
    # The token figures hold the model's inference image costs (25,501 tokens an image for gpt-4o-mini): said
    # so, or 25,000-token examples of a few words read as a counting error (a real-corpus review, chartqa).
    assert ("images: 12 of 12 counted at an assumed size (768x768, 4 tiles, 25,501 tokens each): their size is "
            "unknown (remote URLs), and gpt-4o-mini-2024-07-18 cannot be fine-tuned on images (FT608), so the token "
            "figures are its inference image costs, for comparing files only") in out
    _, doc, _ = report([str(images), "--isolated", "--model", "gpt-4o-2024-08-06"])
    assert doc["files"][0]["cost"]["usd"] is not None  # a vision model trains on them

    legacy = tmp_path / "legacy.jsonl"
    legacy.write_text("".join(json.dumps({"prompt": f"p{i} ->", "completion": " yes\n"}) + "\n" for i in range(12)))
    _, doc, _ = report([str(legacy), "--isolated"])
    assert doc["files"][0]["cost"]["usd"] is None
    assert doc["files"][0]["cost"]["no_estimate"] == ("gpt-4o-mini-2024-07-18 does not train on prompt/completion "
                                                      "(legacy) files (FT301 says what does)")

    chats = tmp_path / "chat.jsonl"
    chats.write_text("".join(json.dumps(chat(f"q{i}", "a")) + "\n" for i in range(12)))
    _, out, _ = run([str(chats), "--isolated", "--epochs", "100"])
    assert _cost_lines(out) == ["cost: no estimate: OpenAI takes 1 to 50 epochs ([SPEC] (fine-tuning job "
                                "hyperparameters, n_epochs)); --epochs 100 is outside that range"]
    _, out, _ = run([str(chats), "--isolated", "--epochs", "50"])
    assert _cost_lines(out)[0].startswith("cost: ") and " x 50 epochs = " in _cost_lines(out)[0]


def test_a_profile_states_the_epochs_a_job_may_ask_for_with_its_source():
    from ftlint.providers import get_provider

    openai = get_provider("openai")
    assert openai.epochs_allowed == (1, 50)
    assert openai.source_of("epochs.allowed").source.startswith("[SPEC]")
