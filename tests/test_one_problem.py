"""One problem is reported once, by the rule with the stricter or truer limit (SUPERSEDES between dataset rules)."""

from __future__ import annotations

import pytest

from conftest import lint_lines


def _bedrock(i: int) -> dict:
    return {"schemaVersion": "bedrock-conversation-2024",
            "messages": [{"role": "user", "content": [{"text": f"Question {i}?"}]},
                         {"role": "assistant", "content": [{"text": f"Answer {i}."}]}]}


@pytest.mark.parametrize("examples", [5, 12])
def test_a_bedrock_model_minimum_replaces_the_provider_minimum_and_recommendation(tmp_path, examples):
    """Nova 2 Lite needs 200: "needs at least 200" and "the API requires at least 8" were both reported."""
    problems, _ = lint_lines(tmp_path, [_bedrock(i) for i in range(examples)], provider="bedrock-nova",
                             model="amazon.nova-2-lite-v1:0", select=["FT165", "FT401", "FT402"])
    assert [(p.code, p.message) for p in problems] == [
        ("FT165", f"training file has {examples} examples; amazon.nova-2-lite-v1:0 needs at least 200 for "
                  "supervised fine-tuning ([PREP] 2026)")]


def test_the_provider_minimum_still_reports_where_the_model_has_none_of_its_own(tmp_path):
    problems, _ = lint_lines(tmp_path, [_bedrock(i) for i in range(5)], provider="bedrock-nova",
                             model="amazon.nova-lite-v1:0", select=["FT165", "FT401"])
    assert [p.code for p in problems] == ["FT401"]
    assert "the API requires at least 8" in problems[0].message


def _chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"Question {i}?"}], "reference": str(i)}


def test_a_model_without_rft_is_one_problem_that_advises_no_shut_down_model(tmp_path):
    """FT301 named o4-mini shut down while FT805 advised it; FT301 reports, FT805 does not repeat it."""
    lines = [_chat(i) for i in range(12)]
    problems, _ = lint_lines(tmp_path, lines, method="reinforcement", model="gpt-4o-mini-2024-07-18",
                             select=["FT301", "FT805"])
    assert [p.code for p in problems] == ["FT301"]
    assert problems[0].message.endswith("models that do: o4-mini-2025-04-16 (shut down)")
    alone, _ = lint_lines(tmp_path, lines, method="reinforcement", model="gpt-4o-mini-2024-07-18", select=["FT805"])
    assert [p.code for p in alone] == ["FT805"]
    assert "no model in the catalog can still be trained with it (o4-mini-2025-04-16 (shut down))" in alone[0].message
    assert "use a" not in alone[0].message
