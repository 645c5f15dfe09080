"""The per-example shortcuts behind fast files of many tiny examples never hide a finding.

A guard (GUARD) lets the engine skip a group of record rules on an ordinary
example; ``checks_examples`` lets it skip a rule's check for a whole file.
Both must only ever skip work that would have found nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint.formats import Example, record_format
from ftlint.labels import LabelTally
from ftlint.rules import load_rules
from ftlint.rules._completion import unusual

RULES = load_rules(plugins=False)

_texts = st.sampled_from(["", " ", "ham", " ham", "spam\n", "END", " END", "a ->", "x\n\n###\n\n", "q ### r"])
_values = st.one_of(_texts, st.integers(0, 3), st.none(), st.just([]), st.booleans())
_records = st.one_of(
    st.fixed_dictionaries({"prompt": _texts, "completion": _texts}),
    st.fixed_dictionaries({"prompt": _values, "completion": _values}, optional={"extra": _values, "weight": _values}),
    st.dictionaries(st.sampled_from(["prompt", "completion", "extra"]), _values, max_size=3),
)
_conventions = st.fixed_dictionaries({}, optional={
    "stop": st.sampled_from(["\n", "END", " END", "###", ""]),
    "separator": st.sampled_from([" ->", "\n\n###\n\n", "", "###"]),
    "classification": st.booleans(),
    "leading_space": st.booleans(),
})


def _ctx(conventions: dict) -> SimpleNamespace:
    return SimpleNamespace(conventions=conventions, format="completion", examples=1, fix_hint=lambda *a: "",
                           run=SimpleNamespace(options={}), counter=None, model=None)


def _findings(rule, example, ctx) -> list:
    conf = dict(rule.defaults)
    if rule.scope == "dataset":
        return list(rule.check(example, conf, ctx, rule.begin(conf, ctx)) or ())
    return list(rule.check(example, conf, ctx) or ())


@settings(max_examples=600, deadline=None)
@given(_records, _conventions)
def test_an_ordinary_prompt_completion_record_has_nothing_for_the_guarded_rules(data, conventions):
    example, ctx = Example(1, data, "completion", b"{}"), _ctx(conventions)
    guarded = [rule for rule in RULES.values() if rule.guard is unusual]
    assert {rule.code for rule in guarded} == {"FT201", "FT202", "FT203"}
    if not unusual(example, ctx):
        assert [f for rule in guarded for f in _findings(rule, example, ctx)] == []


@settings(max_examples=600, deadline=None)
@given(_records, _conventions)
def test_a_rule_whose_file_has_nothing_for_it_finds_nothing_in_any_example(data, conventions):
    example, ctx = Example(1, data, "completion", b"{}"), _ctx(conventions)
    for code in ("FT204", "FT205", "FT206", "FT207", "FT303", "FT304", "FT305", "FT405"):
        rule = RULES[code]
        if not rule.checks_examples(dict(rule.defaults), ctx):
            assert _findings(rule, example, ctx) == [], code


def test_labels_of_a_one_line_json_array_are_each_tallied():
    """Several consumers feed each example to the tally; it tells examples apart by identity, not by
    line: every element of a one-line JSON array is on line 1."""
    tally = LabelTally("completion")
    for i, label in enumerate(["ham", "ham", "spam", "ham"]):
        data = {"prompt": f"text {i} ->", "completion": label}
        example = Example(1, data, record_format(data), element=i)
        tally.add(example)
        tally.add(example)  # a second consumer: the same example, tallied once
    assert tally.counts == {"ham": 3, "spam": 1}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 300), max_size=60), st.one_of(st.none(), st.integers(0, 300)))
def test_token_sums_from_the_histogram_equal_the_sums_kept_per_example(totals, cap):
    """TokenStats keeps only {tokens: examples} per example; the total, the billed tokens
    (min(cap, tokens) of each) and the examples over the cap follow from it exactly."""
    from ftlint.token_stats import TokenStats

    stats = TokenStats.__new__(TokenStats)
    stats.cap, stats.histogram = cap, {}
    for total in totals:
        stats.histogram[total] = stats.histogram.get(total, 0) + 1
    stats._sums()
    assert stats.total == sum(totals)
    assert stats.billed == sum(t if cap is None else min(t, cap) for t in totals)
    assert stats.over_cap == sum(1 for t in totals if cap is not None and t > cap)


@settings(max_examples=300, deadline=None)
@given(_records)
def test_the_inline_string_digests_are_the_digests_of_the_split(data):
    """Example hashes a string input or target inline; it must be formats._digest of it, as for any other value."""
    from ftlint.formats import _digest

    example = Example(1, data, "completion", b"{}")
    inp, target = data.get("prompt"), data.get("completion")
    assert example.target_digest == (None if target is None else _digest(target))
    assert example.input_digest == (None if target is None or inp is None else _digest(inp))


def _check_returning(kind: int, tag: str):
    """A rule check returning None, (), a tuple, a list or a generator of findings (as rules do)."""
    def check(example, conf, ctx, *state):
        found = [f"{tag}:{example}:{conf}:{state}"] * (example % 3)
        if kind == 0:
            return None
        if kind == 1:
            return tuple(found)
        if kind == 2:
            return found
        return (f for f in found)
    return check


_plans = st.lists(st.tuples(st.sampled_from([None, 0, 1, 2]),  # guard: none, or passes examples where n % 3 != g
                            st.lists(st.integers(0, 3), max_size=4)), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_plans, st.lists(st.integers(0, 3), max_size=4), st.integers(0, 3), st.lists(st.integers(0, 8), max_size=6))
def test_a_files_written_out_calls_are_the_engine_loops(plan, stepping_kinds, collectors, examples):
    """ftlint.example_calls.specialized makes the same calls, with the same arguments, in the same order,
    as the loops it replaces (example_calls.looped): guards, record rules, stepping rules, collectors."""
    from ftlint.example_calls import looped, specialized

    def guard_for(g):
        return None if g is None else (lambda example, ctx: example % 3 != g)

    groups = [(guard_for(g), [(f"a{i}{j}", _check_returning(kind, f"r{i}{j}"), {"c": j}) for j, kind in enumerate(kinds)])
              for i, (g, kinds) in enumerate(plan)]
    stepping = [(f"s{j}", _check_returning(kind, f"s{j}"), {"s": j}, [j]) for j, kind in enumerate(stepping_kinds)]
    runs = []
    for build in (looped, specialized):
        seen = []
        adds = [lambda example, k=k: seen.append(("add", k, example)) for k in range(collectors)]
        calls = build(groups, stepping, adds, lambda *args: seen.append(("emit", *args)), "ctx")
        for n in examples:
            calls(n, n + 100, b"raw")
        runs.append(seen)
    assert runs[0] == runs[1]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(alphabet=st.sampled_from(" \t\n\u3000\u00a0ab9#END"), max_size=110)),
       st.sampled_from([None, "", "\n", "END", " END", "###", " 9"]), st.sampled_from(["completion", "chat"]))
def test_a_label_is_the_target_text_as_the_tally_defines_it(text, stop, fmt):
    """LabelTally.label_of (constants computed once, isspace for strip) against its definition, written out."""
    from ftlint.labels import MAX_LABEL_CHARS

    tally = LabelTally(fmt, stop)
    stop = stop or None
    expected = text
    if text is None or len(text) > MAX_LABEL_CHARS + len(stop or ""):
        expected = None
    else:
        if stop and fmt == "completion" and text.endswith(stop) and len(text) > len(stop):
            expected = text[: -len(stop)]
        expected = expected if expected.strip() else None
    assert tally.label_of(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.integers(1, 9)), st.one_of(st.none(), st.integers(1, 9)),
       st.text(alphabet=st.sampled_from("ab \u00e9\ud800\udcff"), max_size=8))
def test_the_json_diagnostic_inlines_shown_column_and_utf8_exactly(line, column, message):
    from ftlint.escape import utf8
    from ftlint.problem import Level, Problem
    from ftlint.reporters import shown_column
    from ftlint.reporters.json_report import diagnostic

    p = Problem("f.jsonl", line, column, "FT403", "duplicate-example", Level.WARNING, message)
    d = diagnostic(p)
    assert d["column"] == shown_column(p) and d["message"] == utf8(message)
