"""A user's chat template cannot exhaust memory or run for hours: what would be too large is refused
before it is built, a rendering's loops are counted, and FT901 says so (0.3.0 ended in 'internal
error: MemoryError' or 'RecursionError', or never)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_lines
from ftlint import template_sandbox as sandbox

pytest.importorskip("jinja2")

CONVERSATION = {"messages": [{"role": "user", "content": "Capital of Spain?"},
                             {"role": "assistant", "content": "Madrid."}]}
BOUND = f"(more than {sandbox.MAX_RENDERED_CHARS:,}, ftlint's bound on a rendering; no model's context holds that much)"


def ft901(tmp_path, template: str) -> list[str]:
    path = tmp_path / "t.jinja"
    path.write_text(template)
    problems, _ = lint_lines(tmp_path, [CONVERSATION], select=["FT901"], run_options={"chat_template": str(path)})
    return [p.message for p in problems]


def refusal(what: str) -> str:
    return (f"the t.jinja chat template refuses this conversation: the template failed: {what}; a trainer rendering "
            "it runs out of memory; check the template (or this conversation's size)")


@pytest.mark.parametrize("template, what", [
    ("{% for m in messages %}{{ m.content * 100000000 }}{% endfor %}",
     f"'*' repeating 17 characters 100,000,000 times would make 1,700,000,000 characters {BOUND}"),
    ("{{ ([messages] * 100000000) | length }}",
     f"'*' repeating 1 items 100,000,000 times would make 100,000,000 characters {BOUND}"),
    ("{{ messages[0].content.ljust(1000000000) }}", f"str.ljust() would make 1,000,000,000 characters {BOUND}"),
    ("{{ messages[0].content | center(1000000000) }}", f"the center filter would make 1,000,000,000 characters {BOUND}"),
    ('{{ "%100000000s" % "x" }}', f"'%' formatting with a width would make 100,000,011 characters {BOUND}"),
    ('{{ "{:>100000000}".format("x") }}', f"str.format() with a width would make 100,000,013 characters {BOUND}"),
    ("{{ 10 ** 100000000 }}", "'**' would compute a number of about 400,000,000 bits"),
    ("{{ messages | tojson(indent=100000000) }}", "tojson(indent=100,000,000) indents by more than 256 characters"),
    ("{{ range(100000) | join(messages[0].content * 100000) }}",  # 99,999 separators; 0.3.0: MemoryError
     f"the join filter would make 169,998,300,000 characters {BOUND}"),
    ("{% for i in range(1000) %}{{ messages[0].content * 20000 }}{% endfor %}",
     f"the rendering would make 16,320,000 characters {BOUND}"),  # 48 pieces of 340,000
    ('{% set ns = namespace(x="ab") %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}',
     f"'~' would make 16,777,216 characters {BOUND}"),  # 0.3.0: internal error: MemoryError
])
def test_a_template_asking_for_too_much_memory_is_refused(tmp_path, template, what):
    assert ft901(tmp_path, template) == [refusal(what)]


STEPS = f"took the rendering past {sandbox.MAX_RENDER_STEPS:,} steps (loop iterations and range items), ftlint's bound " \
        "on a rendering's work"


@pytest.mark.parametrize("template, what", [
    # 0.3.0 ran these for hours: nothing is written, so no size bound stops them.
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", f"range() {STEPS}"),
    ("{% for m in messages %}{% for c in m.content * 60000 %}{% endfor %}{% endfor %}",  # 1,020,000 characters
     "a {% for %} loop " + STEPS),
    # 10**9 calls, 9 deep: no recursion limit stops it.
    ("{% macro walk(n) %}{% if n %}{% for x in [1] * 10 %}{{ walk(n - 1) }}{% endfor %}{% endif %}{% endmacro %}"
     "{{ walk(9) }}", "a {% for %} loop " + STEPS),
])
def test_a_template_that_would_run_for_hours_is_refused(tmp_path, template, what):
    assert ft901(tmp_path, template) == [
        f"the t.jinja chat template refuses this conversation: the template failed: {what}; a trainer rendering it "
        "may never finish; check the template (or this conversation's size)"]


def test_a_macro_calling_itself_without_end_is_a_finding_not_an_internal_error(tmp_path):
    assert ft901(tmp_path, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}") == [
        "the t.jinja chat template refuses this conversation: the template failed: it went past Python's recursion "
        "limit (a macro that calls itself without end?); check the template's macros"]


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers(), max_size=3)),
                      max_size=6))
def test_concat_joins_as_jinja_does_within_the_bound(parts):
    """``~`` through sandbox.concat gives the text Jinja's own join gives (str of each part)."""
    assert sandbox.concat(*parts) == "".join(map(str, parts))


_ROLES = st.sampled_from(["system", "user", "assistant"])
_CONVERSATIONS = st.lists(st.fixed_dictionaries({"role": _ROLES, "content": st.text(max_size=30)}), min_size=1,
                          max_size=6)


@settings(max_examples=60, deadline=None)
@given(messages=_CONVERSATIONS)
def test_the_bundled_templates_render_as_jinja_renders_them(messages):
    """The rewrite (loops through loop_items, ``~`` through concat) changes no rendering of the bundled
    templates: each renders a conversation exactly as the same sandbox without the rewrite does (or fails
    the same way)."""
    from ftlint import chat_template
    from ftlint.data import data_path

    env = chat_template._environment()
    for path in sorted(data_path(chat_template.TEMPLATE_DIR).glob("*.jinja")):
        source = path.read_text()
        variables = dict(messages=messages, tools=None, bos_token="<s>", eos_token="</s>", add_generation_prompt=False)
        try:
            expected = env.from_string(source).render(**variables)
        except Exception as exc:  # noqa: BLE001 - the template's own refusal (raise_exception)
            with pytest.raises(type(exc)):
                sandbox.render_bounded(sandbox.bounded_template(env, source), **variables)
            continue
        assert sandbox.render_bounded(sandbox.bounded_template(env, source), **variables) == expected, path.name


def test_ordinary_templates_render_as_before(tmp_path):
    template = ("{% for m in messages %}{{ '<|' + m.role + '|>\\n' + m.content * 1 + '%-6s' % 'end' }}"
                "{{ '{:>4}'.format('x') }}{{ m.content | center(40) | indent(2) }}{{ [m.role, m.content] | join(': ') }}"
                "{{ m.content | join('') }}{{ messages | map(attribute='role') | join(', ') }}{% endfor %}")
    assert ft901(tmp_path, template) == []


@settings(max_examples=200, deadline=None)
@given(op=st.sampled_from(["*", "+", "%", "**"]),
       left=st.one_of(st.text(max_size=8), st.integers(-10**6, 10**6), st.lists(st.integers(), max_size=4)),
       right=st.one_of(st.integers(-10**9, 10**9), st.text(max_size=8)))
def test_a_checked_operation_is_either_refused_or_small(op, left, right):
    """Whatever check_binop lets through builds a value within the bound (or fails as Python would)."""
    import operator

    try:
        sandbox.check_binop(op, left, right)
    except sandbox.TooLarge:
        return
    function = {"*": operator.mul, "+": operator.add, "%": operator.mod, "**": operator.pow}[op]
    try:
        result = function(left, right)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return
    if isinstance(result, (str, list)):
        assert len(result) <= sandbox.MAX_RENDERED_CHARS
    elif isinstance(result, int):
        assert result.bit_length() <= sandbox.MAX_POWER_BITS + 64


@pytest.mark.parametrize("template, error", [
    ("{{ 10 / (messages | length - 2) }}", "ZeroDivisionError: division by zero"),
    ("{% for i in range(messages | length * 100000) %}{% endfor %}",
     "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    ("{{ 10.0 ** 1000 }}", "OverflowError: (34, 'Numerical result out of range')"),
    ("{{ messages[0].content.encode('no-such-codec') }}", "LookupError: unknown encoding: no-such-codec"),
])
def test_an_arithmetic_or_lookup_error_in_the_template_is_a_finding_not_an_internal_error(tmp_path, template, error):
    assert ft901(tmp_path, template) == [
        f"the t.jinja chat template refuses this conversation: the template cannot render it ({error}); the trainer "
        "stops on it; change the conversation to fit the template"]
