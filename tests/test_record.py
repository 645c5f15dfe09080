"""ftlint.record: records behave as the frozen dataclasses they replace (construction, equality, hash, repr,
immutability, replace), without generating code."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftlint.record import FrozenInstanceError, Record, field, fields, replace


class Policy(Record, frozen=True):
    name: str
    limit: int | None
    formats: tuple[str, ...] = ("chat",)
    notes: dict = field(factory=dict, compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class PolicyDataclass:
    name: str
    limit: int | None
    formats: tuple[str, ...] = ("chat",)
    notes: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)


class Counter(Record):
    files: int = 0
    codes: dict = field(factory=dict)


values = st.tuples(st.text(max_size=8), st.none() | st.integers(), st.lists(st.text(max_size=3), max_size=3).map(tuple),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(values, values)
def test_a_record_compares_hashes_and_shows_like_the_dataclass(a, b):
    ra, rb = Policy(*a), Policy(*b)
    da, db = PolicyDataclass(*a), PolicyDataclass(*b)
    assert (ra == rb) == (da == db)
    assert (hash(ra) == hash(rb)) == (hash(da) == hash(db)) or ra != rb  # equal records hash alike
    assert repr(ra).replace("Policy(", "") == repr(da).replace("PolicyDataclass(", "")
    assert replace(ra, limit=7) == Policy(a[0], 7, a[2])
    assert pickle.loads(pickle.dumps(ra)) == ra


def test_defaults_factories_and_keywords():
    first, second = Policy("a", None), Policy(name="a", limit=None)
    assert first == second and first.formats == ("chat",) and first.notes == {}
    assert first.notes is not second.notes  # a fresh dict each
    assert fields(Policy) == ("name", "limit", "formats", "notes")
    with pytest.raises(TypeError, match="missing required argument: 'limit'"):
        Policy("a")
    with pytest.raises(TypeError, match="unexpected keyword argument 'size'"):
        Policy("a", 1, size=2)
    with pytest.raises(TypeError, match="multiple values for 'name'"):
        Policy("a", 1, name="b")
    with pytest.raises(TypeError, match="takes 4 arguments"):
        Policy("a", 1, (), {}, 5)
    with pytest.raises(TypeError):
        replace(first, size=3)


def test_a_frozen_record_cannot_change_and_a_mutable_one_is_not_hashable():
    policy = Policy("a", 1)
    with pytest.raises(FrozenInstanceError):
        policy.limit = 2
    with pytest.raises(FrozenInstanceError):
        del policy.name
    with pytest.raises(AttributeError):
        policy.other = 1  # __slots__: no stray attributes
    counter = Counter()
    counter.files += 1
    counter.codes["FT001"] = 1
    assert counter == Counter(1, {"FT001": 1})
    with pytest.raises(TypeError):
        hash(counter)
