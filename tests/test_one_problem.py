"""One problem is reported once, by the rule with the stricter or truer limit (SUPERSEDES between dataset rules)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

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


# A legacy prompt/completion file under a chat model: FT301 says "convert it", and the conversion strips the
# separator, leading space and stop sequence; advice to add them (FT204-FT208) or that the format is legacy
# (FT209) would be more things to do that the one real action undoes.
LEGACY_ADVICE = {"FT204", "FT205", "FT206", "FT207", "FT208", "FT209"}
LEGACY_CONVERT = ("gpt-4o-mini-2024-07-18 does not train on prompt/completion (legacy) files (it takes: chat, "
                  "preference); convert it: ftlint {dir}/data.jsonl --convert-to chat -o {dir}/data.chat.jsonl; models that take "
                  "it as it is: babbage-002 (shut down), davinci-002 (shut down)")


def _legacy(i: int) -> dict:
    # Every fifth prompt lacks the separator (FT204), no completion has a space or a stop sequence (FT208, FT206).
    return {"prompt": f"Review {i}: great ->" if i % 5 else f"Review {i}: bad", "completion": f"positive{i}"}


def test_a_legacy_file_for_a_chat_model_gets_one_action_convert(tmp_path):
    problems, _ = lint_lines(tmp_path, [_legacy(i) for i in range(60)])
    assert [(p.code, p.message) for p in problems] == [("FT301", LEGACY_CONVERT.format(dir=tmp_path))]


def test_the_marker_advice_still_reports_when_ft301_does_not_run(tmp_path):
    problems, _ = lint_lines(tmp_path, [_legacy(i) for i in range(60)], ignore=["FT301"])
    assert {p.code for p in problems} >= {"FT204", "FT206", "FT208", "FT209"}


def test_the_marker_advice_reports_for_a_model_that_trains_the_legacy_format(tmp_path, monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "2024-06-01")  # babbage-002 still trained then
    problems, _ = lint_lines(tmp_path, [_legacy(i) for i in range(60)], model="babbage-002")
    found = {p.code for p in problems}
    assert "FT301" not in found and {"FT204", "FT206", "FT208", "FT209"} <= found
    assert ("prompt does not end with the separator ' ->' that the other prompts end with; append it"
            in next(p.message for p in problems if p.code == "FT204"))


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_marker = st.sampled_from(["", " ->", "\n\n###\n\n", " END", "\n", "###"])


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(_text, _marker, st.booleans(), _text, _marker), min_size=1, max_size=25))
def test_no_legacy_marker_advice_beside_convert_whatever_the_markers(tmp_path_factory, rows):
    lines = [{"prompt": p + sep, "completion": (" " if space else "") + c + stop} for p, sep, space, c, stop in rows]
    problems, _ = lint_lines(tmp_path_factory.mktemp("legacy"), lines)
    found = [p.code for p in problems]
    assert found.count("FT301") == 1
    assert not LEGACY_ADVICE & set(found), found
