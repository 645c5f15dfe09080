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
    # Formatting counts what its arguments write (0.3.0: MemoryError): a name used 1,000 times, a field reused.
    ("{{ ('%(a)s' * 1000) % {'a': messages[0].content * 900000} }}",
     f"'%' formatting would make 15,300,005,000 characters {BOUND}"),
    ("{{ ('{0}' * 1000).format(messages[0].content * 900000) }}",
     f"str.format() would make 15,300,003,000 characters {BOUND}"),
    # Widths given as arguments, after a name, or after a fill of "0" (the review's finds).
    ("{{ '%*s' % (10 ** 11, 'x') }}", f"'%' formatting would make 100,000,000,028 characters {BOUND}"),
    ("{{ '%(a)100000000s' % {'a': 'x'} }}", f"'%' formatting with a width would make 100,000,014 characters {BOUND}"),
    ("{{ '{:0>5000000000}'.format('x') }}", f"str.format() with a width would make 5,000,000,015 characters {BOUND}"),
    # A list printed or written as text is checked before Python builds the text (0.3.0: MemoryError).
    # 2 + 2 x 1,000 for the list, then (17 x 900,000 + 4) a string, counted until past the bound:
    ("{{ [messages[0].content * 900000] * 1000 }}",
     f"printing a list or mapping would make at least 30,602,010 characters {BOUND}"),
    ("{{ ([messages[0].content * 900000] * 1000) | tojson }}",
     f"the tojson filter would make at least 30,602,010 characters {BOUND}"),
    ("{{ ([messages[0].content * 900000] * 1000) | string }}",
     f"the string filter would make at least 30,602,010 characters {BOUND}"),
    ("{% for i in range(1000) %}{{ messages[0].content * 20000 }}{% endfor %}",
     f"the rendering would make 16,320,000 characters {BOUND}"),  # 48 pieces of 340,000
    ('{% set ns = namespace(x="ab") %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}',
     f"'~' would make 16,777,216 characters {BOUND}"),  # 0.3.0: internal error: MemoryError
])
def test_a_template_asking_for_too_much_memory_is_refused(tmp_path, template, what):
    assert ft901(tmp_path, template) == [refusal(what)]


STEPS = f"took the rendering past {sandbox.MAX_RENDER_STEPS:,} steps (loop iterations, calls, and the items of " \
        "ranges, slices and filtered lists), ftlint's bound on a rendering's work"


@pytest.mark.parametrize("template, what", [
    # 0.3.0 ran these for hours: nothing is written, so no size bound stops them.
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", f"range() {STEPS}"),
    ("{% for m in messages %}{% for c in m.content * 60000 %}{% endfor %}{% endfor %}",  # 1,020,000 characters
     "a {% for %} loop " + STEPS),
    # 10**9 calls, 9 deep: no recursion limit stops it.
    ("{% macro walk(n) %}{% if n %}{% for x in [1] * 10 %}{{ walk(n - 1) }}{% endfor %}{% endif %}{% endmacro %}"
     "{{ walk(9) }}", "a call " + STEPS),
    # No loop at all: 2**40 calls, 40 deep (the review's find; the data alone can drive such a macro's depth).
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}", "a call " + STEPS),
    # A recursive loop's loop(...) iterates its argument unwrapped; its calls are counted.
    ("{% for x in [1] * 10 recursive %}{% if loop.depth < 10 %}{{ loop([1] * 10) }}{% endif %}{% endfor %}",
     "a call " + STEPS),
    # An honest-looking template made quadratic by a long conversation (50,000 messages).
    ("{% set ms = messages * 25000 %}{% for m in ms %}{% if ms | selectattr('role', 'equalto', 'system') | list "
     "| length == 0 %}{% endif %}{% endfor %}", "the selectattr filter " + STEPS),
    ("{% set ms = messages * 25000 %}{% for m in ms %}{% set rest = ms[loop.index0:] %}{% endfor %}",
     "a slice " + STEPS),
])
def test_a_template_that_would_run_for_hours_is_refused(tmp_path, template, what):
    assert ft901(tmp_path, template) == [
        f"the t.jinja chat template refuses this conversation: the template failed: {what}; ftlint stops there; the "
        "template's work grows too fast for it (or the conversation is too long); check the template (or this "
        "conversation's size)"]


def test_a_macro_calling_itself_without_end_is_a_finding_not_an_internal_error(tmp_path):
    assert ft901(tmp_path, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}") == [
        "the t.jinja chat template refuses this conversation: the template failed: it went past Python's recursion "
        "limit (a macro that calls itself without end, or this conversation's data nested too deep for the "
        "template); check the template's macros, or the nesting of this conversation"]


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
    template = ("{{ '%s: %s' % (messages[0].role, messages[0].content) }}{{ '%(r)s' % {'r': 'x'} }}"
                "{{ '%5s|%-3d|%*s' % ('a', 4, 3, 'b') }}{{ '{:0>4}|{:x<3}|{:+08.2f}'.format(7, 'a', 3.14159) }}"
                "{{ '{0}{0} {who}'.format('a', who=messages[0].role) }}{{ '{r}'.format_map({'r': 'z'}) }}"
                "{% for m in messages %}{{ '<|' + m.role + '|>\\n' + m.content * 1 + '%-6s' % 'end' }}"
                "{{ '{:>4}'.format('x') }}{{ m.content | center(40) | indent(2) }}{{ [m.role, m.content] | join(': ') }}"
                "{{ m.content | join('') }}{{ messages | map(attribute='role') | join(', ') }}{% endfor %}"
                "{{ messages }}{{ messages | tojson }}{{ messages | string }}{{ messages | pprint }}")
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
        "stops on it; fix the template, or change the conversation to fit it"]


@pytest.mark.parametrize("template", [
    "{% for m in messages[1:] %}{{ m.role }}{% endfor %}|{{ messages[-1:][0].content[:3] }}|{{ 'abcdef'[::2] }}",
    "{{ messages[::-1] | map(attribute='role') | join(',') }}{% for m in messages[:1] %}{{ loop.length }}{% endfor %}",
    "{% set tree = [{'n': 'a', 'kids': [{'n': 'b', 'kids': [{'n': 'c', 'kids': []}]}]}, {'n': 'd', 'kids': []}] %}"
    "{% for x in tree recursive %}{{ loop.depth }}{{ x.n }}{% if x.kids %}({{ loop(x.kids) }}){% endif %}"
    "{% endfor %}",
    "{% macro m(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}"
    "{% call(x) m(messages) %}[{{ x.content[1:-1] ~ loop }}]{% endcall %}",
])
def test_slices_recursive_loops_and_calls_render_as_jinja_renders_them(template):
    """The rewrite of slices (through sandbox.Sliced) and of loop(...) in recursive loops changes no text."""
    from ftlint import chat_template

    env = chat_template._environment()
    variables = dict(messages=CONVERSATION["messages"] * 2, tools=None)
    try:
        expected = env.from_string(template).render(**variables)
    except Exception as exc:  # noqa: BLE001 - the same error either way
        with pytest.raises(type(exc)):
            sandbox.render_bounded(sandbox.bounded_template(env, template), **variables)
        return
    assert sandbox.render_bounded(sandbox.bounded_template(env, template), **variables) == expected
