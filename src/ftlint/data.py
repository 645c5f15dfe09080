"""Locate the data files ftlint ships (provider profiles with their model catalogs, JSON Schemas).

The top-level ``rules/`` folder of the repository is copied into the wheel as
``ftlint/_data`` (hatch force-include). An editable install does not apply
force-include, so a development checkout falls back to ``<repo>/rules``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_TREE_DATA = _PACKAGE.parents[1] / "rules"


def data_root() -> Path:
    """The directory holding ftlint's data files."""
    # The package directory itself, not importlib.resources.files("ftlint") (the
    # same directory for an installed package, but 10-30 ms of imports on every run).
    packaged = _PACKAGE / "_data"
    if packaged.is_dir():
        return packaged
    return _SOURCE_TREE_DATA


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("providers", "openai.toml")``."""
    return data_root().joinpath(*parts)
