"""ftlint.toml_data: shipped TOML parsed once per content; the cache gives exactly tomllib's tables."""

from __future__ import annotations

import datetime as dt
import marshal
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import private_user_cache
from ftlint import toml_data
from ftlint.data import data_root
from ftlint.toml_data import toml_module

tomllib = toml_module()
PROFILES = sorted(Path(data_root(), "providers").glob("*.toml"))


@pytest.fixture
def toml_home(tmp_path, monkeypatch):
    return private_user_cache(tmp_path, monkeypatch, "toml", "FTLINT_TOML_CACHE")


def _entries(home: Path) -> list[Path]:
    return sorted(p for p in home.iterdir() if not p.name.startswith(".")) if home.exists() else []


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_every_shipped_profile_reads_back_as_tomllib_parses_it(profile, toml_home):
    expected = tomllib.loads(profile.read_text(encoding="utf-8"))
    assert toml_data.load(profile) == expected  # parsed, and kept
    assert len(_entries(toml_home)) == 1
    cached = toml_data.load(profile)
    assert cached == expected and repr(cached) == repr(expected)  # the same types, dates included


def test_a_changed_file_is_parsed_again_and_a_damaged_entry_is_replaced(tmp_path, toml_home):
    path = tmp_path / "p.toml"
    path.write_text('as_of = 2026-11-20\n[t]\nx = 1\n')
    assert toml_data.load(path) == {"as_of": dt.date(2026, 11, 20), "t": {"x": 1}}
    path.write_text('as_of = 2026-11-21\n[t]\nx = 2\n')
    assert toml_data.load(path) == {"as_of": dt.date(2026, 11, 21), "t": {"x": 2}}
    entries = _entries(toml_home)
    assert len(entries) == 2
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-3] + b"zzz")
    assert toml_data.load(path) == {"as_of": dt.date(2026, 11, 21), "t": {"x": 2}}
    assert sum(not e.read_bytes().endswith(b"zzz") for e in _entries(toml_home)) == 1  # written again, whole
    with pytest.raises(ValueError):
        path.write_text("x = = 1\n")
        toml_data.load(path)


def test_the_cache_can_be_turned_off(tmp_path, toml_home, monkeypatch):
    monkeypatch.setenv("FTLINT_TOML_CACHE", "0")
    path = tmp_path / "p.toml"
    path.write_text("x = 1\n")
    assert toml_data.load(path) == {"x": 1}
    assert not toml_home.exists()


#: What tomllib produces: tables, arrays, strings, integers, floats, booleans, dates and times (offsets in minutes).
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
scalars = (st.text(max_size=5) | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.dates()
           | st.times().map(lambda t: t.replace(fold=0))
           | st.datetimes(timezones=st.none() | offsets).map(lambda d: d.replace(fold=0)))
tables = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=12)


@given(st.dictionaries(st.text(max_size=4), tables, max_size=4))
def test_tagged_values_come_back_the_same(table):
    again = toml_data._untagged(marshal.loads(marshal.dumps(toml_data._tagged(table))))
    assert again == table
    assert repr(again) == repr(table)


def test_a_pyproject_without_ftlint_is_not_parsed_and_an_escaped_table_name_is_found(tmp_path):
    import json
    import os
    import subprocess

    from ftlint.config import find_config

    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n')
    data = project / "d.jsonl"
    data.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                             {"role": "assistant", "content": "hello"}]}) + "\n")
    assert find_config(project) is None
    code = ("import sys\nsys.argv = ['ftlint', 'd.jsonl', '--no-cache']\nfrom ftlint.entry import main_entry\n"
            "try:\n    main_entry()\nexcept SystemExit:\n    pass\nsys.stderr.write('\\nMODULES ' + ' '.join(sys.modules))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for _ in range(2):  # the first run parses the provider profile and keeps it
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, env=env)
    assert "FT401" in done.stdout, done.stderr
    assert "tomllib" not in done.stderr.rpartition("\nMODULES ")[2].split()
    (project / "pyproject.toml").write_text('[tool."\\u0066tlint"]\nselect = ["FT001"]\n')
    assert find_config(project) == project / "pyproject.toml"
