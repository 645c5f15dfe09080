"""A file's per-example calls as one function, built once per file.

The engine calls every selected record rule (behind its group's guard), every
dataset rule that steps and every collector once per example; on a file of
tiny examples that bookkeeping was about a tenth of the run (the engine
loop's own time, docs/performance.md): a loop over groups, a loop over rules,
unpacking (check, conf) tuples, ``or ()`` and an iterator for each rule that
found nothing. Here the calls of
one file are written out once, as straight-line code over names bound to the
file's own functions and options (as :mod:`dataclasses` writes ``__init__``),
so an example costs one Python call per rule and a test of what it returned.

The calls, their order and their arguments are exactly those of the loops
they replace, kept here as :func:`looped` (tests/test_tiny_examples.py checks
both on generated plans).

Nothing here knows a rule: it only arranges the calls it is given.
"""

from __future__ import annotations

import functools
from typing import Callable, Iterable

#: (example, its line number, its raw bytes) -> None
ExampleCalls = Callable[[object, "int | None", "bytes | None"], None]


def looped(groups: Iterable, stepping: Iterable, collectors: Iterable, emit: Callable, ctx) -> ExampleCalls:
    """The same calls as :func:`specialized`, as plain loops (the reference the tests compare with)."""
    groups, stepping, collectors = list(groups), list(stepping), list(collectors)

    def calls(example, number, raw) -> None:
        for guard, group in groups:
            if guard is not None and not guard(example, ctx):
                continue
            for active, check, conf in group:
                for finding in check(example, conf, ctx) or ():
                    emit(active, finding, number, raw)
        for active, check, conf, state in stepping:
            for finding in check(example, conf, ctx, state) or ():
                emit(active, finding, number, raw)
        for add in collectors:
            add(example)

    return calls


def specialized(groups: Iterable, stepping: Iterable, collectors: Iterable, emit: Callable, ctx) -> ExampleCalls:
    """One function making, for an example, every call of ``groups`` (engine._guarded_groups:
    [(guard or None, [(active, check, conf), ...]), ...]), ``stepping`` ([(active, check, conf,
    state), ...]) and ``collectors`` ([add, ...]), in that order."""
    names: dict = {"ctx": ctx, "emit": emit}
    body: list[str] = []

    def bind(value: object) -> str:
        name = f"v{len(names)}"
        names[name] = value
        return name

    def call(indent: str, active, invocation: str) -> None:
        # ``if found:`` is ``or ()``: None and empty results are skipped, a generator is always iterated.
        body.extend((f"{indent}found = {invocation}",
                     f"{indent}if found:",
                     f"{indent}    for finding in found:",
                     f"{indent}        emit({bind(active)}, finding, number, raw)"))

    for guard, group in groups:
        indent = "    "
        if guard is not None:
            body.append(f"    if {bind(guard)}(example, ctx):")
            indent = "        "
        for active, check, conf in group:
            call(indent, active, f"{bind(check)}(example, {bind(conf)}, ctx)")
        if guard is not None and not group:
            body.append("        pass")
    for active, check, conf, state in stepping:
        call("    ", active, f"{bind(check)}(example, {bind(conf)}, ctx, {bind(state)})")
    for add in collectors:
        body.append(f"    {bind(add)}(example)")
    source = "\n".join(["def calls(example, number, raw):", *body, "    return None", ""])
    exec(_compiled(source), names)  # noqa: S102 - our own text, naming only the values bound above
    return names.pop("calls")  # its globals need not hold it: no reference cycle per file


@functools.lru_cache(maxsize=64)
def _compiled(source: str):
    """The code of ``source``: files with the same shape of calls (most files of a run) share it (~0.1 ms each)."""
    return compile(source, "<ftlint: one file's per-example calls>", "exec")
