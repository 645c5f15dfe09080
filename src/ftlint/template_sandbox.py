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
every ``{% for %}`` iterates through :func:`loop_items`, every call (a macro, ``loop(...)``, a
method) is a step, and ``range()``, a slice of a list and a filter given a list or a mapping are
charged their length, against :data:`MAX_RENDER_STEPS` per rendering (:class:`TooLong`). Two nested
loops over ``range(100000)`` that write nothing ran for hours; so did a macro calling itself twice,
40 deep, and ``messages|selectattr(...)`` inside a loop over 50,000 messages. Strings are not
charged by length (a filter over a long text is one step): comparing a huge string inside a long
loop is slow, and is the user's own code.
"""

from __future__ import annotations

import re

#: The most text one rendering (or one value inside it) may hold: 16 M characters, about four
#: times the largest context window of any model ftlint knows (1 M tokens ~ 4 M characters).
MAX_RENDERED_CHARS = 16_000_000
#: The largest integer power a template may compute, in bits of the result.
MAX_POWER_BITS = 1 << 16

#: Widths and precisions written in a format string: "%100000000s", "%.9s"; "{:>100000000}", "{0:.9f}".
_PERCENT_WIDTHS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d+))?")
#: [[fill]align][sign][z][#][0][width][grouping][.precision]: a fill of "0" ("{:0>9}") is not the width.
_BRACE_WIDTHS = re.compile(r"\{[^{}:]*:(?:[^{}]?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[^{}]*\}")


#: The most steps one rendering may take (see the module doc). Chat templates take a few per message
#: (1,000 messages with 20 tool properties each: ~50,000 with the calls).
MAX_RENDER_STEPS = 1_000_000

#: The names the rewritten templates call (bounded_template); the environment's globals hold them.
LOOP_ITEMS = "ftlint_loop_items"
CONCAT = "ftlint_concat"
SLICED = "ftlint_sliced"


class TooLarge(Exception):
    """A template asked for more than :data:`MAX_RENDERED_CHARS` (the message says how)."""

    #: What a trainer rendering the template would run into (FT901's advice).
    consequence = "a trainer rendering it runs out of memory"


class TooLong(TooLarge):
    """A rendering took more than :data:`MAX_RENDER_STEPS` steps."""

    consequence = "ftlint stops there; the template's work grows too fast for it (or the conversation is too long)"


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
            raise TooLong(f"{what} took the rendering past {MAX_RENDER_STEPS:,} steps (loop iterations, calls, "
                          "and the items of ranges, slices and filtered lists), ftlint's bound on a rendering's work")


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


class Sliced:
    """What ``x[a:b]`` slices (Jinja compiles a slice to Python's own, past the sandbox's getitem): the
    slice is charged its length, then taken from ``x`` itself (bounded_template wraps ``x`` in this)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __getitem__(self, key):
        value = self.value
        if isinstance(key, slice) and isinstance(value, (list, tuple, str)):
            # A string's slice is one step (strings are not charged by length).
            _charge(len(range(*key.indices(len(value)))) if not isinstance(value, str) else 1, "a slice")
        return value[key]


def concat(*parts) -> str:
    """Jinja's ``a ~ b``: the parts as text, joined once their total length is known to be within bounds."""
    texts = [part if isinstance(part, str) else str(part) for part in parts]
    _refuse("'~'", sum(map(len, texts)))
    return "".join(texts)


def bounded_template(environment, source: str):
    """``environment.from_string(source)`` with every loop (and a recursive loop's ``loop(...)``) iterating
    through :func:`loop_items`, every ``~`` joining through :func:`concat` and every slice taken through
    :class:`Sliced` (the parsed template is rewritten before it is compiled)."""
    from jinja2 import nodes

    tree = environment.parse(source)

    def through(name: str, node):
        return nodes.Call(nodes.Name(name, "load"), [node], [], None, None).set_lineno(node.lineno)

    for loop in list(tree.find_all(nodes.For)):
        loop.iter = through(LOOP_ITEMS, loop.iter)
        if loop.recursive:  # loop(children) iterates its argument as the loop's next level
            for call in loop.find_all(nodes.Call):
                if isinstance(call.node, nodes.Name) and call.node.name == "loop" and call.args:
                    call.args[0] = through(LOOP_ITEMS, call.args[0])
    for item in list(tree.find_all(nodes.Getitem)):
        if isinstance(item.arg, nodes.Slice):
            item.node = through(SLICED, item.node)
    for joined in list(tree.find_all(nodes.Concat)):
        joined.nodes = [nodes.Call(nodes.Name(CONCAT, "load"), joined.nodes, [], None, None).set_lineno(joined.lineno)]
    return environment.from_string(tree)


def _size(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def check_text_size(what: str, value) -> None:
    """Refuse (TooLarge) a list or mapping whose text would pass :data:`MAX_RENDERED_CHARS` (text_size)."""
    if isinstance(value, (list, tuple, dict)):
        _refuse(what, text_size(value), at_least=True)


def _refuse(what: str, size: int, at_least: bool = False) -> None:
    if size > MAX_RENDERED_CHARS:
        raise TooLarge(f"{what} would make {'at least ' if at_least else ''}{size:,} characters (more than "
                       f"{MAX_RENDERED_CHARS:,}, ftlint's bound on a rendering; no model's context holds that much)")


def _arg_size(value) -> int:
    """About how many characters a formatting argument writes (text_size for a list or mapping)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict)):
        return text_size(value)
    return 24  # a number, None, a bool


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
            # What the arguments add: a tuple's each once; a mapping's values as often as "%(" names one.
            if isinstance(right, tuple):
                added = sum(map(_arg_size, right))
                if "*" in left:  # "%*s" % (width, text): the width is an argument
                    added += sum(a for a in right if isinstance(a, int) and not isinstance(a, bool) and a > 0)
            elif isinstance(right, dict):
                added = left.count("%(") * max(map(_arg_size, right.values()), default=0)
            else:
                added = _arg_size(right)
            _refuse("'%' formatting", len(left) + _widest(left) + added)
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


def text_size(value, limit: int = MAX_RENDERED_CHARS) -> int:
    """About how many characters ``str(value)`` (or its JSON) of a list, tuple or mapping holds at least,
    counted without building it, and only until past ``limit``: a string is its length and its quotes,
    anything else a few characters, each item a separator. Walking stops once the bound is passed."""
    size, stack = 0, [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item) + 4
        elif isinstance(item, dict):
            size += 2 + 2 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            size += 2 + 2 * len(item)
            stack.extend(item)
        else:
            size += 8
    return size


def finalize(value):
    """What every ``{{ ... }}`` prints: a list or mapping is checked before Python writes it as text
    (``{{ [text] * 1000 }}`` built gigabytes before the output bound saw them)."""
    check_text_size("printing a list or mapping", value)
    return value


def bounded_filters(filters: dict) -> dict:
    """The filters that pad, indent, format, replace, join or write a structure as text, checked like the
    methods they wrap."""
    originals = ("center", "indent", "format", "replace", "join", "string", "pprint")
    filters = {name: filters[name] for name in originals}
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
        if attribute is None:
            if not isinstance(value, (list, tuple, range, str, dict)):
                value = list(value)  # a generator (map, select): join makes this list itself
            items = len(value)
            known = sum(len(item) for item in value if isinstance(item, str)) if not isinstance(value, str) else items
            _refuse("the join filter", known + max(items - 1, 0) * len(str(d)))
        return filters["join"](eval_ctx, value, d, attribute)

    def as_text(name):
        def written(value, *args, **kwargs):
            check_text_size(f"the {name} filter", value)
            return filters[name](value, *args, **kwargs)

        return written

    from jinja2.utils import pass_eval_context

    wrapped.update(center=center, indent=indent, format=format_, replace=pass_eval_context(replace),
                   join=pass_eval_context(join), string=as_text("string"), pprint=as_text("pprint"))
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
            _charge(1, "a call")  # macros, loop(...), caller(), methods: recursion without a loop is work too
            check_call(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def wrap_str_format(self, value):  # str.format / format_map: the sandbox wraps them on access
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            text, name = value.__self__, value.__name__
            base = len(text) + _widest(text, _BRACE_WIDTHS)
            _refuse(f"str.{name}() with a width", base)

            def formatted(*args, **kwargs):
                # A field may name an argument more than once ({0}{0}): each field writes at most the largest.
                if name == "format":
                    values = [*args, *kwargs.values()]
                else:  # format_map(mapping)
                    values = list(args[0].values()) if args and isinstance(args[0], dict) else []
                _refuse(f"str.{name}()", base + text.count("{") * max(map(_arg_size, values), default=0))
                return wrapped(*args, **kwargs)

            return formatted

    return BoundedSandbox


def charged_filters(filters: dict) -> dict:
    """Every filter, charged the length of a list, tuple or mapping it is given (strings: one step)."""
    charged = {}
    for name, function in filters.items():
        charged[name] = _charged_filter(name, function)
    return charged


def _charged_filter(name: str, function):
    # A filter marked by jinja2's pass_context / pass_eval_context / pass_environment takes that first:
    # its value is second. (The mark is the attribute those decorators set.)
    passes = getattr(function, "jinja_pass_arg", None)
    where = 0 if passes is None else 1

    def charged(*args, **kwargs):
        if len(args) > where:
            value = args[where]
            _charge(len(value) if isinstance(value, (list, tuple, dict)) else 1, f"the {name} filter")
        return function(*args, **kwargs)

    if passes is not None:
        charged.jinja_pass_arg = passes
    return charged


def bounded_globals() -> dict:
    """The globals the rewritten templates call, and ``range`` charged to the rendering's steps."""
    return {LOOP_ITEMS: loop_items, CONCAT: concat, SLICED: Sliced, "range": bounded_range}


__all__ = ["MAX_RENDERED_CHARS", "MAX_RENDER_STEPS", "Sliced", "TooLarge", "TooLong", "environment_class",
           "bounded_filters", "bounded_globals", "bounded_template", "charged_filters", "check_text_size", "finalize",
           "render_bounded", "text_size"]
