"""Small records declared like dataclasses, made without generating code.

``@dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` and ``__setattr__`` for each class and compiles it when the
module is imported: 0.5-4 ms per class on this project's 2-core machine, and a
cold pre-commit run defined more than 30 of them (a fifth of its CPU) before
reading a line. A :class:`Record` is a plain class with ``__slots__``, made
from the same annotated declaration by :class:`RecordType` in about 30 us; its
methods are shared and written once, here::

    class MethodPolicy(Record, frozen=True):
        name: str
        formats: tuple[str, ...]
        min_examples: int | None = None
        extra: dict = field(factory=dict, compare=False)

It gives what the records of the start-up path use of dataclasses: keyword or
positional construction with defaults and factories, equality and hashing by
the compared fields, a repr, ``frozen`` (assignment raises
:class:`FrozenInstanceError`, as dataclasses' does), :func:`fields` names and
:func:`replace`. The generic ``__init__`` costs a few microseconds more per
object than generated code: use records for what is made once per run or per
file, not per line.
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class field:  # noqa: N801 - reads like dataclasses.field in a declaration
    """A field's default (or ``factory`` for a fresh mutable default) and whether it is compared and shown."""

    __slots__ = ("default", "factory", "compare", "repr")

    def __init__(self, default: Any = _MISSING, *, factory=None, compare: bool = True, repr: bool = True):
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


class RecordType(type):
    """Turns a class body's annotations into ``__slots__`` and the field table the shared methods read."""

    def __new__(mcls, name: str, bases: tuple, namespace: dict, frozen: bool = False):
        own = [n for n, kind in namespace.get("__annotations__", {}).items()
               if not (isinstance(kind, str) and kind.startswith("ClassVar"))]
        inherited = [f for base in bases for f in getattr(base, "_record_fields", ())]
        specs = {}
        for attr in own:
            value = namespace.pop(attr, _MISSING)
            specs[attr] = value if isinstance(value, field) else field(value)
        namespace["__slots__"] = (*own, *namespace.get("__slots__", ()))  # and a class's own private slots
        cls = super().__new__(mcls, name, bases, namespace)
        merged = {**{f: spec for base in bases for f, spec in getattr(base, "_record_specs", {}).items()}, **specs}
        cls._record_fields = (*inherited, *own)
        cls._record_specs = merged
        cls._record_compared = tuple(f for f in cls._record_fields if merged[f].compare)
        cls._record_shown = tuple(f for f in cls._record_fields if merged[f].repr)
        cls._record_frozen = frozen or any(getattr(base, "_record_frozen", False) for base in bases)
        if "__hash__" not in namespace:  # as dataclasses: hashable when frozen, unhashable when mutable
            cls.__hash__ = _frozen_hash if cls._record_frozen else None
        return cls

    def __init__(cls, name, bases, namespace, frozen: bool = False):
        super().__init__(name, bases, namespace)


class Record(metaclass=RecordType):
    """Base of records: see the module doc."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        cls = self.__class__
        names = cls._record_fields
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments but {len(args)} were given")
        put = object.__setattr__
        for attr, value in zip(names, args):
            put(self, attr, value)
        specs = cls._record_specs
        for attr in names[len(args):]:
            if attr in kwargs:
                value = kwargs.pop(attr)
            else:
                spec = specs[attr]
                if spec.factory is not None:
                    value = spec.factory()
                elif spec.default is not _MISSING:
                    value = spec.default
                else:
                    raise TypeError(f"{cls.__name__}() missing required argument: '{attr}'")
            put(self, attr, value)
        if kwargs:
            unexpected = next(iter(kwargs))
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{unexpected}'"
                            if unexpected not in names else f"{cls.__name__}() got multiple values for '{unexpected}'")
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def __setattr__(self, attr: str, value) -> None:
        if self.__class__._record_frozen:
            raise FrozenInstanceError(f"cannot assign to field '{attr}'")
        object.__setattr__(self, attr, value)

    def __delattr__(self, attr: str) -> None:
        if self.__class__._record_frozen:
            raise FrozenInstanceError(f"cannot delete field '{attr}'")
        object.__delattr__(self, attr)

    def _compared(self) -> tuple:
        return tuple([getattr(self, attr) for attr in self.__class__._record_compared])

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __repr__(self) -> str:
        shown = ", ".join(f"{attr}={getattr(self, attr)!r}" for attr in self.__class__._record_shown)
        return f"{self.__class__.__qualname__}({shown})"

    def __getstate__(self):
        return {attr: getattr(self, attr) for attr in self.__class__._record_fields}

    def __setstate__(self, state) -> None:
        for attr, value in state.items():
            object.__setattr__(self, attr, value)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:  # what it derives from the fields (private slots) is made again
            post_init()


def _frozen_hash(self) -> int:
    return hash(self._compared())


def fields(record_or_class) -> tuple[str, ...]:
    """The field names, in declaration order (``dataclasses.fields`` gives Field objects; records give names)."""
    return record_or_class._record_fields


def replace(record: Record, **changes) -> Record:
    """A copy of ``record`` with ``changes`` (as ``dataclasses.replace``)."""
    unknown = set(changes) - set(record._record_fields)
    if unknown:
        raise TypeError(f"{record.__class__.__name__} has no field {sorted(unknown)[0]!r}")
    return record.__class__(**{**{attr: getattr(record, attr) for attr in record._record_fields}, **changes})
