"""The Jinja sandbox chat templates render in, bounded in the memory a template can take.

jinja2's sandbox stops a template from reaching Python's internals, not from asking for memory:
``{{ m.content * 100000000 }}`` in a user's template built a string of gigabytes and ended the
run in MemoryError (or the kernel's OOM killer). Here every way a template can make a large value
from a small one is checked before it runs -- repetition and concatenation (``*``, ``+``, the
sandbox's intercepted operators), ``%`` formatting and ``**``, the string methods and filters that
pad, indent or replace -- and the text a rendering writes is counted as it is produced. Past
:data:`MAX_RENDERED_CHARS` the template is refused for that conversation (:class:`TooLarge`),
which FT901 reports; nothing that large fits any model's context anyway. Jinja's ``~`` joins its
parts through :func:`concat`, which is checked the same way.

Work is bounded too, by count rather than by time, so the verdict is the same on every machine:
every ``{% for %}`` iterates through :func:`loop_items` and every ``range()`` is charged its length,
against :data:`MAX_RENDER_STEPS` per rendering (:class:`TooLong`). Two nested loops over
``range(100000)`` that write nothing ran for hours. What one step does is not counted: a template
that compares a huge string inside a long loop is slow, and is the user's own code.
"""

from __future__ import annotations

import re

#: The most text one rendering (or one value inside it) may hold: 16 M characters, about four
#: times the largest context window of any model ftlint knows (1 M tokens ~ 4 M characters).
MAX_RENDERED_CHARS = 16_000_000
#: The largest integer power a template may compute, in bits of the result.
MAX_POWER_BITS = 1 << 16

#: Widths and precisions written in a format string: "%100000000s", "%.9s"; "{:>100000000}", "{0:.9f}".
_PERCENT_WIDTHS = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d+))?")
_BRACE_WIDTHS = re.compile(r"\{[^{}:]*:[^{}\d]*(\d*)(?:[,_]?\.(\d+))?[^{}]*\}")


#: The most steps one rendering may take: loop iterations plus the items of the ranges it makes.
#: Chat templates take a few per message (1,000 messages with 20 tool properties each: ~25,000).
MAX_RENDER_STEPS = 1_000_000

#: The names the rewritten templates call (bounded_template); the environment's globals hold them.
LOOP_ITEMS = "ftlint_loop_items"
CONCAT = "ftlint_concat"


class TooLarge(Exception):
    """A template asked for more than :data:`MAX_RENDERED_CHARS` (the message says how)."""

    #: What a trainer rendering the template would run into (FT901's advice).
    consequence = "a trainer rendering it runs out of memory"


class TooLong(TooLarge):
    """A rendering took more than :data:`MAX_RENDER_STEPS` steps."""

    consequence = "a trainer rendering it may never finish"


class _Steps:
    """The steps a rendering has left (render_bounded sets one per rendering)."""

    __slots__ = ("left",)

    def __init__(self, steps: int = MAX_RENDER_STEPS):
        self.left = steps


_steps: _Steps | None = None  # the current rendering's; None outside render_bounded (no bound)


def _charge(steps: int, what: str) -> None:
    budget = _steps
    if budget is not None:
        budget.left -= steps
        if budget.left < 0:
            raise TooLong(f"{what} took the rendering past {MAX_RENDER_STEPS:,} steps (loop iterations and range "
                          "items), ftlint's bound on a rendering's work")


def loop_items(iterable):
    """What a ``{% for %}`` iterates (bounded_template puts every loop's iterable through this)."""
    for item in iterable:
        _charge(1, "a {% for %} loop")
        yield item


def bounded_range(*args):
    """jinja2's sandboxed ``range`` (at most 100,000 items a call), charged its length."""
    from jinja2.sandbox import safe_range

    items = safe_range(*args)
    _charge(len(items), "range()")
    return items


def concat(*parts) -> str:
    """Jinja's ``a ~ b``: the parts as text, joined once their total length is known to be within bounds."""
    texts = [part if isinstance(part, str) else str(part) for part in parts]
    _refuse("'~'", sum(map(len, texts)))
    return "".join(texts)


def bounded_template(environment, source: str):
    """``environment.from_string(source)`` with every loop iterating through :func:`loop_items` and every
    ``~`` joining through :func:`concat` (the parsed template is rewritten before it is compiled)."""
    from jinja2 import nodes

    tree = environment.parse(source)
    for loop in list(tree.find_all(nodes.For)):
        loop.iter = nodes.Call(nodes.Name(LOOP_ITEMS, "load"), [loop.iter], [], None, None).set_lineno(loop.lineno)
    for joined in list(tree.find_all(nodes.Concat)):
        joined.nodes = [nodes.Call(nodes.Name(CONCAT, "load"), joined.nodes, [], None, None).set_lineno(joined.lineno)]
    return environment.from_string(tree)


def _size(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _refuse(what: str, size: int) -> None:
    if size > MAX_RENDERED_CHARS:
        raise TooLarge(f"{what} would make {size:,} characters (more than {MAX_RENDERED_CHARS:,}, ftlint's bound "
                       "on a rendering; no model's context holds that much)")


def _widest(text: str, pattern: re.Pattern = _PERCENT_WIDTHS) -> int:
    """The sum of the widths and precisions a format string asks for (an upper bound of their padding)."""
    return sum(int(d) for found in pattern.findall(text) for d in found if d and len(d) < 30)


def check_binop(op: str, left, right) -> None:
    """Refuse an operation whose result would be too large, before Python allocates it."""
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            if _size(seq) is not None and isinstance(count, int) and not isinstance(count, bool):
                unit = "characters" if isinstance(seq, (str, bytes)) else "items"
                _refuse(f"'*' repeating {_size(seq):,} {unit} {count:,} times", _size(seq) * max(count, 0))
    elif op == "+":
        if _size(left) is not None and _size(right) is not None:
            _refuse("'+'", _size(left) + _size(right))
    elif op == "%":
        if isinstance(left, str):
            _refuse("'%' formatting with a width", len(left) + _widest(left))
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(abs(left).bit_length(), 1) * right
            if bits > MAX_POWER_BITS:
                raise TooLarge(f"'**' would compute a number of about {bits:,} bits")


#: str methods whose result can be far longer than the string: the projected length of their result.
_METHOD_SIZES = {
    "ljust": lambda s, *a, **k: a[0] if a and isinstance(a[0], int) else 0,
    "rjust": lambda s, *a, **k: a[0] if a and isinstance(a[0], int) else 0,
    "center": lambda s, *a, **k: a[0] if a and isinstance(a[0], int) else 0,
    "zfill": lambda s, *a, **k: a[0] if a and isinstance(a[0], int) else 0,
    "expandtabs": lambda s, *a, **k: len(s) + s.count("\t") * (a[0] if a and isinstance(a[0], int) else 8),
    "replace": lambda s, *a, **k: _replaced_size(s, *a),
}


def _replaced_size(text: str, old="", new="", count=-1, *_) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return 0
    times = (len(text) + 1) if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(len(new) - len(old), 0)


def check_call(function, args, kwargs) -> None:
    """Refuse a str method call (``s.ljust(10**9)``) whose result would be too large."""
    owner = getattr(function, "__self__", None)
    project = _METHOD_SIZES.get(getattr(function, "__name__", ""))
    if isinstance(owner, str) and project is not None:
        try:
            size = project(owner, *args, **kwargs)
        except (TypeError, ValueError):
            return  # a wrong call: Python says so when it runs
        _refuse(f"str.{function.__name__}()", size)


def bounded_filters(filters: dict) -> dict:
    """The filters that pad, indent, format or replace, checked like the methods they wrap."""
    filters = {name: filters[name] for name in ("center", "indent", "format", "replace", "join")}  # the originals
    wrapped = {}

    def center(value, width=80):
        _refuse("the center filter", width if isinstance(width, int) else 0)
        return filters["center"](value, width)

    def indent(value, width=4, *args, **kwargs):
        lines = str(value).count("\n") + 1
        step = width if isinstance(width, int) else len(str(width))
        _refuse("the indent filter", len(str(value)) + lines * step)
        return filters["indent"](value, width, *args, **kwargs)

    def format_(value, *args, **kwargs):  # value % args
        _refuse("the format filter with a width", len(str(value)) + _widest(str(value)))
        return filters["format"](value, *args, **kwargs)

    def replace(eval_ctx, value, old, new, count=None):
        _refuse("the replace filter", _replaced_size(str(value), str(old), str(new), -1 if count is None else count))
        return filters["replace"](eval_ctx, value, old, new, count)

    def join(eval_ctx, value, d="", attribute=None):
        # The separator is written between every two items: range(100000)|join(a long text) asked for gigabytes.
        if isinstance(value, (list, tuple, range, str)) and attribute is None:
            items = len(value)
            known = sum(len(item) for item in value if isinstance(item, str)) if not isinstance(value, str) else items
            _refuse("the join filter", known + max(items - 1, 0) * len(str(d)))
        return filters["join"](eval_ctx, value, d, attribute)

    from jinja2.utils import pass_eval_context

    wrapped.update(center=center, indent=indent, format=format_, replace=pass_eval_context(replace),
                   join=pass_eval_context(join))
    return wrapped


def render_bounded(template, **variables) -> str:
    """The template's text, refused (TooLarge) as soon as it passes :data:`MAX_RENDERED_CHARS`, or
    (TooLong) :data:`MAX_RENDER_STEPS`."""
    global _steps
    parts, written = [], 0
    outer, _steps = _steps, _Steps()
    try:
        for chunk in template.generate(**variables):
            written += len(chunk)
            _refuse("the rendering", written)
            parts.append(chunk)
    finally:
        _steps = outer
    return "".join(parts)


def environment_class():
    """jinja2's immutable sandbox with the checks above (a class: built once, on first use)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "+", "%", "**"})

        def call_binop(self, context, op, left, right):
            check_binop(op, left, right)
            return super().call_binop(context, op, left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's own signature)
            check_call(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def wrap_str_format(self, value):  # str.format / format_map: the sandbox wraps them on access
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                _refuse(f"str.{value.__name__}() with a width", len(value.__self__) + _widest(value.__self__, _BRACE_WIDTHS))
            return wrapped

    return BoundedSandbox


def bounded_globals() -> dict:
    """The globals the rewritten templates call, and ``range`` charged to the rendering's steps."""
    return {LOOP_ITEMS: loop_items, CONCAT: concat, "range": bounded_range}


__all__ = ["MAX_RENDERED_CHARS", "MAX_RENDER_STEPS", "TooLarge", "TooLong", "environment_class", "bounded_filters",
           "bounded_globals", "bounded_template", "render_bounded"]
