"""Every package ftlint imports is one pyproject.toml declares (0.3.0 imported httpx for --submit
without declaring it; a fresh `pip install 'ftlint[submit]'` resolves openai 3.x, built on httpx2,
and every submit ended in ModuleNotFoundError). CI installs fresh, so an undeclared import that a
test dependency happens to pull in would pass every test and still break users."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def declared() -> dict[str, set[str]]:
    """Distribution name -> the places that declare it ("dependencies" or "extra NAME")."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found: dict[str, set[str]] = {}
    for requirement in project["dependencies"]:
        found.setdefault(_name(requirement), set()).add("dependencies")
    for extra, requirements in project["optional-dependencies"].items():
        for requirement in requirements:
            found.setdefault(_name(requirement), set()).add(f"extra {extra}")
    return found


def imported_top_level_modules() -> dict[str, str]:
    """Top-level module imported by src/ftlint (absolute imports) -> one file importing it."""
    modules: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "ftlint").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                modules.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return modules


def test_every_third_party_import_is_declared_in_pyproject():
    distributions = metadata.packages_distributions()
    found = declared()
    undeclared = []
    for module, where in imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module in ("ftlint", "__future__", "tomli"):
            continue
        names = {_name(d) for d in distributions.get(module, [])}
        if not names & found.keys():
            undeclared.append(f"{module} ({where}; distribution {sorted(names) or 'not installed'})")
    assert not undeclared, "imported but not declared in pyproject.toml: " + ", ".join(undeclared)


def test_the_check_sees_an_undeclared_import():
    """The test above can fail: httpx is installed here (together and fireworks-ai need it) but ftlint
    does not declare it."""
    assert "httpx" in metadata.packages_distributions() and "httpx" not in declared()
