"""Today's date, from one place tests (and users) can pin.

Whatever depends on the date (a model's retirement, the end of job creation)
asks :func:`today`. ``FTLINT_TODAY=YYYY-MM-DD`` pins it, so a test, a CI job or
a user asking "what will ftlint say on 2027-01-07?" gets a fixed answer.
"""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "FTLINT_TODAY"


class ClockError(ValueError):
    """``FTLINT_TODAY`` is set but is not a date (exit 2, one line)."""


def today() -> dt.date:
    """``FTLINT_TODAY`` when set (YYYY-MM-DD), else the local calendar date."""
    pinned = os.environ.get(ENV_VAR, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ClockError(f"{ENV_VAR}={pinned!r} is not a date; use YYYY-MM-DD (e.g. 2027-01-07)") from None
