"""FT303/FT304 hold every counted format to the model's cap, not only OpenAI's formats.

The token report counts Gemini, Nova and open-trainer records as the OpenAI record they
convert to and says how many are over the cap; the rules must report the same examples,
naming the cap and its source, and label an estimate approximate.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from ftlint.cli import main


def gemini(words):
    return {"contents": [{"role": "user", "parts": [{"text": "word " * words}]},
                         {"role": "model", "parts": [{"text": "ok"}]}]}


def gemini_preference(words):
    return {"contents": [{"role": "user", "parts": [{"text": "word " * words}]}],
            "completions": [{"score": 1, "completion": {"role": "model", "parts": [{"text": "yes"}]}},
                            {"score": 0, "completion": {"role": "model", "parts": [{"text": "no"}]}}]}


def nova(words):
    return {"schemaVersion": "bedrock-conversation-2024",
            "messages": [{"role": "user", "content": [{"text": "word " * words}]},
                         {"role": "assistant", "content": [{"text": "ok"}]}]}


def alpaca(words):
    return {"instruction": "word " * words, "input": "", "output": "ok"}


def sharegpt(words):
    return {"conversations": [{"from": "human", "value": "word " * words}, {"from": "gpt", "value": "ok"}]}


#: (provider, its default model, record builder, whether its counts are an estimate)
FORMATS = {
    "gemini": ("vertex", "gemini-2.5-flash", gemini, True),
    "gemini-preference": ("vertex", "gemini-2.5-flash", gemini_preference, True),
    "bedrock": ("bedrock", "amazon.nova-lite-v1:0", nova, True),
    "alpaca": ("llama-factory", "meta-llama/Llama-3.1-8B-Instruct", alpaca, False),
    "sharegpt": ("llama-factory", "meta-llama/Llama-3.1-8B-Instruct", sharegpt, False),
}


def lint_json(tmp_path, records, provider, *options):
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "report.json"
    code = main(["--isolated", "--provider", provider, "--format", "json", "-o", str(out), *options, str(path)])
    return code, json.loads(out.read_text())["files"][0]


def test_gemini_example_over_the_vertex_cap_is_an_approximate_ft303_naming_cap_and_source(tmp_path):
    records = [gemini(140_000 if i == 0 else 3) for i in range(16)]
    code, report = lint_json(tmp_path, records, "vertex")
    assert code == 1 and report["tokens"]["over_cap"] == 1
    [problem] = [d for d in report["diagnostics"] if d["code"] == "FT303"]
    assert problem["line"] == 1 and problem["severity"] == "error"
    assert problem["message"] == (
        "approx. 140,011 tokens (estimate: o200k_base counts with OpenAI's chat formula), over the 131,072-token cap "
        "of gemini-2.5-flash ([LIMITS] 2026); if Google Vertex AI (Gemini tuning) truncates it rather than rejecting "
        "it, truncation removes the last 8,939 tokens and that removes every trained token, so the example teaches "
        "nothing")


def test_nova_example_over_its_unconfirmed_cap_is_a_warning_that_says_so(tmp_path):
    code, report = lint_json(tmp_path, [nova(40_000)] + [nova(3)] * 9, "bedrock")
    [problem] = [d for d in report["diagnostics"] if d["code"] == "FT303"]
    assert problem["severity"] == "warning" and report["tokens"]["over_cap"] == 1
    assert problem["message"].startswith(
        "approx. 40,011 tokens (estimate: o200k_base counts with OpenAI's chat formula), over the 32,000-token cap of "
        "amazon.nova-lite-v1:0 (not stated on the pages read, unconfirmed); ")


def test_alpaca_count_is_exact_and_near_the_cap_is_ft304(tmp_path):
    records = [alpaca(100), alpaca(95), alpaca(3)]
    code, report = lint_json(tmp_path, records, "llama-factory", "--model", "meta-llama/Llama-3.1-8B-Instruct",
                              "--max-tokens", "110", "--select", "FT303,FT304")
    by_code = {(d["line"], d["code"]): d["message"] for d in report["diagnostics"]}
    assert set(by_code) == {(1, "FT303"), (2, "FT304")}
    assert by_code[(1, "FT303")].startswith("111 tokens, over the 110-token cap of meta-llama/Llama-3.1-8B-Instruct "
                                          "(defined by the user (--max-tokens 110)); ")
    assert "if LLaMA-Factory truncates it rather than rejecting it, truncation removes the last 1 token and" in \
        by_code[(1, "FT303")]
    assert by_code[(2, "FT304")] == ("106 tokens, 96% of the 110-token cap of meta-llama/Llama-3.1-8B-Instruct "
                                    "(defined by the user (--max-tokens 110))")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(sorted(FORMATS)), lengths=st.lists(st.integers(1, 60), min_size=1, max_size=6),
       cap=st.integers(10, 60))
def test_ft303_reports_exactly_the_examples_the_token_report_counts_over_the_cap(tmp_path, fmt, lengths, cap):
    provider, model, build, estimate = FORMATS[fmt]
    code, report = lint_json(tmp_path, [build(n) for n in lengths], provider, "--model", model,
                             "--max-tokens", str(cap), "--select", "FT303")
    over = [d for d in report["diagnostics"] if d["code"] == "FT303"]
    assert report["format"] == fmt
    assert len(over) == report["tokens"]["over_cap"]
    assert all(f"-token cap of " in d["message"] and d["message"].startswith("approx. ") == estimate for d in over)
