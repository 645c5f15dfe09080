"""The method follows from the model and the data when --method does not say (ftlint.method)."""

from __future__ import annotations

import json
import subprocess

import pytest

from ftlint.catalog import shipped_catalog
from ftlint.method import infer
from ftlint.record import replace

CATALOG = shipped_catalog()


@pytest.mark.parametrize("fmt, model, no_assistant, method", [
    ("chat", "gpt-4o-mini", False, "supervised"),
    ("chat", "gpt-4o-mini", True, "supervised"),  # takes no RFT: FT106 says it looks like RFT data
    ("preference", "gpt-4o-mini", False, "dpo"),
    ("chat", "o4-mini", False, "reinforcement"),  # trains only with RFT
    ("chat", "o4-mini", True, "reinforcement"),
    ("completion", "davinci-002", False, "supervised"),
    ("preference", "o4-mini", False, "dpo"),  # no method of o4-mini takes preference data: FT301/FT805 say so
])
def test_method_from_format_model_and_shape(fmt, model, no_assistant, method):
    found, why = infer(fmt, CATALOG.resolve(model), {"no_assistant": no_assistant})
    assert found == method
    assert (why is None) == (method == {"chat": "supervised", "preference": "dpo", "completion": "supervised"}[fmt])


def test_rft_shape_with_a_model_that_takes_rft_and_more():
    o4 = CATALOG.resolve("o4-mini")
    both = replace(o4, id="some-model", methods=("supervised", "reinforcement"))
    assert infer("chat", both, {"no_assistant": False}) == ("supervised", None)
    method, why = infer("chat", both, {"no_assistant": True})
    assert method == "reinforcement" and "no example at the start of the file has an assistant turn" in why


def test_real_rft_file_for_o4_mini_lints_as_reinforcement_and_says_so(tmp_path):
    """The issue's case: MedMCQ RFT data with --model o4-mini-2025-04-16 got 171 supervised errors."""
    rows = [{"messages": [{"role": "user", "content": f"Which of the following is derived from fibroblast cells? ({i})\n"
                                                      "- A. TGF-13\n- B. MMP2\n- C. Collagen\n- D. Angiopoietin"}]}
            for i in range(60)]
    path = tmp_path / "rft.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {"PATH": __import__("os").environ["PATH"], "FTLINT_TODAY": "2026-10-01"}  # before o4-mini's shut-down
    run = subprocess.run(["ftlint", str(path), "--isolated", "--model", "o4-mini-2025-04-16"],
                         capture_output=True, text=True, env={**__import__("os").environ, **env})
    assert run.returncode == 0, run.stdout
    assert (f"{path}: chat (messages), 60 examples, linted as reinforcement "
            "(o4-mini-2025-04-16 trains only with reinforcement fine-tuning); no problems") in run.stdout
    doc = json.loads(subprocess.run(["ftlint", str(path), "--isolated", "--model", "o4-mini", "--format", "json"],
                                    capture_output=True, text=True, env={**__import__("os").environ, **env}).stdout)
    assert doc["files"][0]["method"] == "reinforcement"


def _bedrock(last: dict) -> dict:
    return {"schemaVersion": "bedrock-conversation-2024",
            "messages": [{"role": "user", "content": [{"text": "Write an ad."}]}, {"role": "assistant", **last}]}


@pytest.mark.parametrize("last, method", [
    ({"content": [{"text": "Buy it."}]}, "supervised"),
    ({"candidates": [{"content": [{"text": "Buy it."}], "preferenceLabel": "preferred"},
                     {"content": [{"text": "No."}], "preferenceLabel": "non-preferred"}]}, "dpo"),
])
def test_bedrock_records_ending_in_candidates_are_linted_as_dpo(last, method):
    """One Bedrock format holds SFT and DPO records: preference data linted as SFT drew FT404 (pairs share prompts)."""
    from ftlint.conventions import detect

    conventions = detect([_bedrock(last)], "bedrock")
    found, why = infer("bedrock", None, conventions)
    assert found == method
    assert (why is None) == (method == "supervised")
    if why:
        assert why == "most of the first examples are preference pairs, the shape of DPO data"


def test_the_text_report_names_the_method_by_its_title(tmp_path):
    """The report's "linted as" uses the method's title (DPO), not its option value (dpo)."""
    from ftlint.cli import main
    import io

    preference = {"candidates": [{"content": [{"text": "Buy it."}], "preferenceLabel": "preferred"},
                                 {"content": [{"text": "No."}], "preferenceLabel": "non-preferred"}]}
    path = tmp_path / "ads.jsonl"
    path.write_text(json.dumps(_bedrock(preference)) + "\n")
    out = io.StringIO()
    main([str(path), "--isolated", "--no-cache", "--provider", "bedrock"], stdout=out, stderr=io.StringIO())
    assert (f"{path}: Bedrock conversation (Nova), 1 example, linted as DPO (most of the first examples are "
            "preference pairs, the shape of DPO data)") in out.getvalue(), out.getvalue()


def test_llama_factory_v1_pairs_are_linted_as_dpo(tmp_path):
    """LLaMA-Factory v1 holds SFT (messages) and DPO (chosen_messages/rejected_messages) records in one format:
    a file of pairs was linted as supervised, so no preference check ran on it (a real-corpus review)."""
    from ftlint.conventions import detect

    def turn(role, text):
        return {"role": role, "content": [{"type": "text", "value": text}], "loss_weight": 1.0}

    pair = {"chosen_messages": [turn("user", "Hi"), turn("assistant", "Hello!")],
            "rejected_messages": [turn("user", "Hi"), turn("assistant", "Go away.")]}
    sft = {"messages": [turn("user", "Hi"), turn("assistant", "Hello!")]}
    assert infer("llama-factory-v1", None, detect([pair], "llama-factory-v1")) == (
        "dpo", "most of the first examples are preference pairs, the shape of DPO data")
    assert infer("llama-factory-v1", None, detect([sft], "llama-factory-v1")) == ("supervised", None)
