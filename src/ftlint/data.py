"""Locate the data files ftlint ships (provider profiles with their model catalogs, JSON Schemas).

The top-level ``rules/`` folder of the repository is copied into the wheel as
``ftlint/_data`` (hatch force-include). An editable install does not apply
force-include, so a development checkout falls back to ``<repo>/rules``.
"""

from __future__ import annotations

import os
TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)

if TYPE_CHECKING:  # pathlib is imported when a Path is asked for (--help lists templates without it)
    from pathlib import Path

_PACKAGE = os.path.dirname(os.path.realpath(__file__))
_SOURCE_TREE_DATA = os.path.join(os.path.dirname(os.path.dirname(_PACKAGE)), "rules")


def data_directory(*parts: str) -> str:
    """The directory (or file) of the shipped data, as a string."""
    # The package directory itself, not importlib.resources.files("ftlint") (the
    # same directory for an installed package, but 10-30 ms of imports on every run).
    packaged = os.path.join(_PACKAGE, "_data")
    return os.path.join(packaged if os.path.isdir(packaged) else _SOURCE_TREE_DATA, *parts)


def data_root() -> Path:
    """The directory holding ftlint's data files."""
    from pathlib import Path

    return Path(data_directory())


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("providers", "openai.toml")``."""
    return data_root().joinpath(*parts)
