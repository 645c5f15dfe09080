"""The plain-message fast path answers exactly what the full walk would (it lets rules skip work)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint.formats import Example, record_format
from ftlint.rules._chat import NOT_PLAIN, ExampleMessages, message_facts, plain_shape

roles = st.sampled_from(["system", "user", "assistant", "tool", "developer"])
contents = st.one_of(st.text(max_size=5), st.none(), st.lists(st.fixed_dictionaries({"type": st.just("text"), "text": st.text(max_size=3)}), max_size=2))
messages = st.lists(
    st.fixed_dictionaries({"role": roles, "content": contents},
                          optional={"weight": st.sampled_from([0, 1]), "name": st.just("n"), "tool_calls": st.just([])}),
    max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(messages)
def test_facts_of_plain_examples_cover_the_full_walk(msgs):
    data = {"messages": msgs}
    example = Example(1, data, record_format(data))
    facts = message_facts(example)
    walked = ExampleMessages(data)
    if plain_shape(example) == NOT_PLAIN:
        return
    assert walked.keys <= facts.keys
    assert walked.roles <= facts.roles
    assert walked.has_parts is facts.has_parts is False
    assert ("weight" in walked.keys) == ("weight" in facts.keys)


edge_texts = st.text(alphabet=" \t\n\u00a0ab", max_size=4)
edge_messages = st.lists(
    st.fixed_dictionaries({"role": roles, "content": st.one_of(edge_texts, st.none())},
                          optional={"weight": st.sampled_from([0, 1])}),
    min_size=1, max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(edge_messages)
def test_what_the_plain_scan_says_for_ft115_and_ft407_equals_their_own_walks(msgs):
    """FT115 and FT407 read a plain example's facts from the scan instead of walking its messages again
    (they were 10% and 5% of a run on long chats): same answer as the walks, on any messages."""
    from ftlint.rules import ft115_reply_edge_whitespace as ft115
    from ftlint.rules import ft407_inconsistent_system_prompt as ft407

    data = {"messages": msgs}
    example = Example(1, data, record_format(data))
    edges, instructed = ft115.begin(None, None), ft407.begin(None, None)
    ft115.check(example, None, None, edges)
    ft407.check(example, None, None, instructed)
    leading, trailing = ft115._edges(msgs)
    assert (edges.count("start"), edges.count("end")) == (int(leading), int(trailing))
    assert (instructed.count(True), instructed.count(False)) == ((1, 0) if ft407._instructed(msgs) else (0, 1))


def test_guards_never_hide_a_finding(monkeypatch):
    """Linting every fail fixture with and without the rules' guards (and checks_examples) gives the same problems."""
    import conftest
    from conftest import FIXTURES, lint_fixture

    paths = sorted(FIXTURES.glob("FT*/fail/*.jsonl"))
    guarded = {p: sorted(map(repr, lint_fixture(p, select=["ALL"]))) for p in paths}
    unguarded_rules = {code: rule.replace(guard=None, checks_examples=None) for code, rule in conftest.RULES.items()}
    monkeypatch.setattr(conftest, "RULES", unguarded_rules)
    assert sum(rule.guard is not None for rule in conftest.load_rules(plugins=False).values()) >= 20
    for p in paths:
        assert sorted(map(repr, lint_fixture(p, select=["ALL"]))) == guarded[p], p
