"""ftlint.clock: the one source of "today" (pinned by FTLINT_TODAY)."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from ftlint import clock


def test_unset_is_the_calendar_date(monkeypatch):
    monkeypatch.delenv("FTLINT_TODAY", raising=False)
    assert clock.today() == dt.date.today()


def test_blank_is_the_calendar_date(monkeypatch):
    monkeypatch.setenv("FTLINT_TODAY", "  ")
    assert clock.today() == dt.date.today()


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_pinned_date_round_trips(day):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FTLINT_TODAY", day.isoformat())
        assert clock.today() == day


@pytest.mark.parametrize("text", ["tomorrow", "2027-13-01", "07/01/2027", "2027-01-07T00:00"])
def test_bad_value_is_one_line_naming_the_variable(monkeypatch, text):
    monkeypatch.setenv("FTLINT_TODAY", text)
    with pytest.raises(clock.ClockError, match=r"^FTLINT_TODAY=.* is not a date; use YYYY-MM-DD"):
        clock.today()
