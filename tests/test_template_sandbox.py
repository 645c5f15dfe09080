"""A user's chat template cannot exhaust memory: what would be too large is refused before it is
built, and FT901 says so (0.3.0 ended in 'internal error: MemoryError')."""

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
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ messages[0].content }}{% endfor %}{% endfor %}",
     f"the rendering would make 16,000,009 characters {BOUND}"),
])
def test_a_template_asking_for_too_much_memory_is_refused(tmp_path, template, what):
    assert ft901(tmp_path, template) == [refusal(what)]


def test_ordinary_templates_render_as_before(tmp_path):
    template = ("{% for m in messages %}{{ '<|' + m.role + '|>\\n' + m.content * 1 + '%-6s' % 'end' }}"
                "{{ '{:>4}'.format('x') }}{{ m.content | center(40) | indent(2) }}{% endfor %}")
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
