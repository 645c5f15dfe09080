"""Numbers on the command line and in the config: bounded like each other; anything else one line, exit 2."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint import limits
from ftlint.cli import build_parser, main
from ftlint.config import load_config
from ftlint.rules import load_rules
from ftlint.settings import ConfigError
from ftlint.arguments import SEED_MAX

RULES = load_rules(plugins=False)

#: option -> (Python type, least, most)
OPTIONS = {
    "--epochs": (int, 1, limits.MAX_EPOCHS),
    "--rate": (float, 0.0, limits.MAX_RATE_USD),
    "--max-tokens": (int, 1, limits.MAX_TOKENS),
    "--jobs": (int, 1, limits.MAX_JOBS),
    "--max-seq-length": (int, 1, limits.MAX_TOKENS),
    "--n-evals": (int, 0, limits.MAX_EVALS),
    # --submit's job options, checked when the command line is read, not when the job is sent.
    "--seed": (int, 0, SEED_MAX),
    "--batch-size": (int, 1, limits.MAX_BATCH_SIZE),
    "--beta": (float, 0.0, limits.MAX_BETA),  # above 0: the least is excluded
}
#: Options whose least value is excluded.
ABOVE_LEAST = {"--beta"}
HOSTILE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e308", "-0", "0", "0.0", "-1", "1.5", "",
           " ", "1_000", "0x10", "9223372036854775807", "-9223372036854775808", "1000", "1001", "256", "257",
           "100000", "100000.0000001", "1e9", "1000000001", "\x1b[2J1", "1\n::error::x", "\u0661\u0662", "+3"]
TEXTS = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12), st.integers().map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr))


def accepted(kind, least, most, text: str, above_least: bool = False):
    """The value an option must take from ``text``, or None when it must be refused."""
    try:
        value = kind(text)
    except ValueError:
        return None
    if kind is float and not math.isfinite(value):
        return None
    if above_least and value == least:
        return None
    return value if least <= value <= most else None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(OPTIONS)), TEXTS)
def test_a_numeric_option_takes_a_bounded_number_or_is_one_usage_error(option, text):
    kind, least, most = OPTIONS[option]
    value = accepted(kind, least, most, text, option in ABOVE_LEAST)
    argv = [f"{option}={text}", "a.jsonl"]
    if value is not None:
        args = build_parser().parse_args(argv)
        assert getattr(args, option[2:].replace("-", "_")) == value
        return
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out, err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and f"{option}: must be " in lines[0] and lines[0].startswith("ftlint: error: argument "), lines
    assert f"{least:,}" in lines[0] or f"{least:g}" in lines[0]
    assert not any(c in lines[0] for c in "\x1b\r\x00"), lines  # the argument is shown escaped


@pytest.mark.parametrize("option, text, message", [
    ("--epochs", "9223372036854775807", "must be from 1 to 1,000, got \"9223372036854775807\""),
    ("--epochs", "0", "must be from 1 to 1,000"),
    ("--rate", "nan", "must be a finite number from 0 to 100,000, got \"nan\""),
    ("--rate", "-0.5", "must be a finite number from 0 to 100,000"),
    ("--jobs", "100000", "must be from 1 to 256"),
    ("--max-tokens", "1.5", "must be a whole number from 1 to 1,000,000,000, got \"1.5\""),
    ("--max-seq-length", "-3", "must be from 1 to 1,000,000,000"),
    ("--epochs", "1\n::error::x", 'got "1\\n::error::x"'),
])
def test_the_usage_error_says_the_bounds(option, text, message):
    err = io.StringIO()
    assert main([f"{option}={text}", "a.jsonl"], io.StringIO(), err) == 2
    line, = err.getvalue().splitlines()
    assert line.startswith("ftlint: error: argument ") and f"{option}: must be " in line and message in line, line


CONFIG_NUMBERS = {"epochs": (int, 1, limits.MAX_EPOCHS), "rate": (float, 0.0, limits.MAX_RATE_USD),
                  "n-evals": (int, 0, limits.MAX_EVALS)}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(CONFIG_NUMBERS)),
       st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)))
def test_the_config_bounds_its_numbers_as_the_command_line_does(tmp_path_factory, key, value):
    kind, least, most = CONFIG_NUMBERS[key]
    path = tmp_path_factory.mktemp("cfg") / "ftlint.toml"
    text = "nan" if isinstance(value, float) and math.isnan(value) else (
        ("inf" if value > 0 else "-inf") if isinstance(value, float) and math.isinf(value) else repr(value))
    path.write_text(f"{key} = {text}\n")
    valid = (isinstance(value, int) or kind is float) and math.isfinite(value) and least <= value <= most
    try:
        config = load_config(path, RULES)
    except ConfigError as exc:
        assert not valid, exc
        assert f'"{key}" must be' in str(exc) and "\n" not in str(exc)
        return
    assert valid and getattr(config, key.replace("-", "_")) == value


@pytest.mark.parametrize("spec, message", [
    ('max-tokens = 0', "must be from 1 to 1,000,000,000"),
    ('max-tokens = 10000000000', "must be from 1 to 1,000,000,000"),
    ('rate = nan', "must be a finite number from 0 to 100,000"),
    ('rate = inf', "must be a finite number from 0 to 100,000"),
    ('rate = -1', "must be a finite number from 0 to 100,000"),
])
def test_a_defined_models_numbers_are_bounded(tmp_path, spec, message):
    path = tmp_path / "ftlint.toml"
    path.write_text(f'[models."m"]\ntokenizer = "o200k_base"\n{spec}\n')
    with pytest.raises(ConfigError, match=message):
        load_config(path, RULES)


def test_the_command_line_and_config_share_the_epoch_bound(tmp_path):
    path = tmp_path / "ftlint.toml"
    path.write_text(f"epochs = {limits.MAX_EPOCHS}\n")
    assert load_config(path, RULES).epochs == limits.MAX_EPOCHS
    assert build_parser().parse_args([f"--epochs={limits.MAX_EPOCHS}"]).epochs == limits.MAX_EPOCHS
