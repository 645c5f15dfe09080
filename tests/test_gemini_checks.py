"""Vertex Gemini examples: empty text parts (FT150) and turns that do not alternate (FT151).

Neither rule is on Vertex's current tuning pages (the profile's [checks] facts are
confirmed = false), so both are warnings that say they are unconfirmed, never errors.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_lines
from ftlint.problem import Level
from ftlint.providers import get_provider

TURN = st.tuples(st.sampled_from(["user", "model"]), st.sampled_from(["", "Hi", "Hello there"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(TURN, min_size=1, max_size=6))
def test_empty_text_and_repeated_roles_are_unconfirmed_warnings(tmp_path_factory, turns):
    turns = [("user", turns[0][1]), *turns[1:]]  # FT151's first-turn check is not what this is about
    record = {"contents": [{"role": role, "parts": [{"text": text}]} for role, text in turns]}
    problems, _ = lint_lines(tmp_path_factory.mktemp("g"), [record], provider="vertex", select=["FT150", "FT151"])
    empty = [p for p in problems if p.code == "FT150"]
    repeated = [p for p in problems if p.code == "FT151" and "right after" in p.message]
    assert len(empty) == sum(text == "" for _, text in turns)
    first_repeat = next((i for i in range(1, len(turns)) if turns[i][0] == turns[i - 1][0]), None)
    assert len(repeated) == (first_repeat is not None)
    if first_repeat is not None:
        assert repeated[0].message.startswith(f"turn {first_repeat + 1} is a {turns[first_repeat][0]} turn right after")
    for p in empty + repeated:
        assert p.level == Level.WARNING and "unconfirmed" in p.message


def test_the_facts_are_unconfirmed_data_with_a_source():
    vertex = get_provider("vertex")
    for key in ("text_parts_non_empty", "turns_alternate"):
        assert vertex.checks[key] is True
        fact = vertex.source_of(f"checks.{key}")
        assert not fact.confirmed and fact.source and str(fact.as_of) == "2026-12-01"
