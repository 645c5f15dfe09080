"""Bounds of the numbers a user gives ftlint, on the command line and in the config, in one place.

A number outside them is a usage or config error (exit 2, one line), never a
silently absurd estimate: negative, NaN and infinite values, and values no
provider or model comes near (``--epochs 9223372036854775807`` once printed a
$4.3e18 cost estimate).
"""

from __future__ import annotations

import argparse
import math

#: Training epochs: 20x the most any provider's API takes (OpenAI's n_epochs: 1-50;
#: --submit checks that limit); open trainers take any count, but not this many.
MAX_EPOCHS = 1000
#: Evaluations of the validation file during training (Together's n_evals): as many as epochs at most.
MAX_EVALS = MAX_EPOCHS
#: USD per 1M training tokens: 4,000x the dearest price in the provider profiles (25 USD).
MAX_RATE_USD = 100_000.0
#: Tokens per example (--max-tokens, --max-seq-length, a defined model's max-tokens):
#: 100x the longest context window of any model ftlint knows (10M tokens).
MAX_TOKENS = 1_000_000_000
#: Worker processes (--jobs): more than any machine ftlint runs on has cores to give.
MAX_JOBS = 256
#: --batch-size: far above any provider's (OpenAI's API takes 1-256; --submit checks each provider's own).
MAX_BATCH_SIZE = 1 << 24
#: --beta (DPO): 500x OpenAI's largest (2; --submit checks it); no provider documents more.
MAX_BETA = 1000.0


def whole_number_error(value: object, low: int, high: int) -> str | None:
    """Why ``value`` is not a whole number from ``low`` to ``high`` (None: it is)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number from {low:,} to {high:,}"
    if not low <= value <= high:
        return f"must be from {low:,} to {high:,}"
    return None


def number_error(value: object, low: float, high: float) -> str | None:
    """Why ``value`` is not a finite number from ``low`` to ``high`` (None: it is)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return f"must be a number from {low:g} to {high:,g}"
    if not (math.isfinite(value) and low <= value <= high):  # NaN fails every comparison
        return f"must be a finite number from {low:g} to {high:,g}"
    return None


def positive_number_error(value: object, _low: float, high: float) -> str | None:
    """Why ``value`` is not a finite number above 0 and at most ``high`` (None: it is)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return f"must be a number above 0 and at most {high:,g}"
    if not (math.isfinite(value) and 0 < value <= high):
        return f"must be a finite number above 0 and at most {high:,g}"
    return None


def whole_number(low: int, high: int):
    """An argparse ``type``: a whole number from ``low`` to ``high``."""
    return _argparse_type(int, whole_number_error, low, high)


def number(low: float, high: float):
    """An argparse ``type``: a finite number from ``low`` to ``high`` (no NaN, no infinity)."""
    return _argparse_type(float, number_error, low, high)


def positive_number(high: float):
    """An argparse ``type``: a finite number above 0 and at most ``high``."""
    return _argparse_type(float, positive_number_error, 0, high)


def _argparse_type(convert, error_of, low, high):
    """Parse with ``convert``; anything ``error_of(value, low, high)`` objects to is a usage error quoting the text."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        why = error_of(value, low, high)
        if why is not None:
            raise argparse.ArgumentTypeError(f"{why}, got {_shown(text)}")
        return value

    return parse


def _shown(text: str, limit: int = 40) -> str:
    from ftlint.escape import terminal

    text = terminal(text)
    return '"' + (text if len(text) <= limit else text[:limit] + "...") + '"'
