"""Rule documentation: every rule documented and exemplified; generated docs up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint import docs
from ftlint.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(plugins=False)



@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_every_doc_section(code):
    assert docs.missing_sections(RULES[code]) == []


def test_missing_section_is_detected():
    rule = next(iter(RULES.values()))
    broken = rule.replace(doc=rule.doc.replace("## Why it matters", "## Why"))
    assert docs.missing_sections(broken) == ["Why it matters"]
    empty = rule.replace(doc="Summary.\n\n## What it does\n\n## Why it matters\nx\n## Example\nx\n## Fix\nx\n")
    assert docs.missing_sections(empty) == ["What it does"]


def _fixtures(code: str, kind: str) -> list[Path]:
    return sorted((ROOT / "fixtures" / code / kind).glob("*.jsonl"))


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_pass_and_fail_fixtures(code):
    assert _fixtures(code, "pass"), f"fixtures/{code}/pass/*.jsonl missing"
    assert _fixtures(code, "fail"), f"fixtures/{code}/fail/*.jsonl missing"


def test_generated_docs_are_up_to_date(tmp_path):
    """Regenerate into a temp dir and compare with docs/rules/ (run `python -m ftlint.docs` to fix)."""
    assert docs.main(["--out", str(tmp_path), "--readme", str(tmp_path / "no-readme.md")]) == 0
    generated = {p.name: p.read_bytes() for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_bytes() for p in (ROOT / "docs" / "rules").glob("*.md")}
    assert sorted(committed) == sorted(generated)
    stale = [name for name in generated if generated[name] != committed[name]]
    assert not stale, f"out of date: {stale}; run python -m ftlint.docs"


def test_readme_rule_table_is_up_to_date():
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    updated = docs.readme_with_table(text, list(RULES.values()))
    if updated is None:
        pytest.skip("README.md has no <!-- rules:start --> / <!-- rules:end --> markers yet")
    assert updated == text, "README rule table is stale; run python -m ftlint.docs"


def test_readme_block_replacement():
    rules = list(RULES.values())[:2]
    text = f"intro\n{docs.README_START}\nold\n{docs.README_END}\noutro\n"
    new = docs.readme_with_table(text, rules)
    assert new.startswith(f"intro\n{docs.README_START}\n| Code |") and new.endswith(f"{docs.README_END}\noutro\n")
    assert f"[{rules[0].code}](docs/rules/{rules[0].code}.md)" in new
    assert docs.readme_with_table(new, rules) == new
    assert docs.readme_with_table("no markers", rules) is None


def test_check_mode_reports_staleness(tmp_path, capsys):
    assert docs.main(["--check", "--out", str(tmp_path), "--readme", str(tmp_path / "r.md")]) == 1
    assert "out of date: FT001.md" in capsys.readouterr().err
    docs.main(["--out", str(tmp_path), "--readme", str(tmp_path / "r.md")])
    (tmp_path / "FT999.md").write_text("stale page of a removed rule")
    assert docs.main(["--check", "--out", str(tmp_path), "--readme", str(tmp_path / "r.md")]) == 1
    docs.main(["--out", str(tmp_path), "--readme", str(tmp_path / "r.md")])
    assert not (tmp_path / "FT999.md").exists()
    assert docs.main(["--check", "--out", str(tmp_path), "--readme", str(tmp_path / "r.md")]) == 0


def test_page_content():
    page = docs.rule_page(RULES["FT403"])
    assert page.splitlines()[1] == "# FT403 duplicate-example"
    for needle in ("| Default level | warning |", "| Fix | unsafe:", "| Checks | the whole file |",
                   "## What it does", "## Why it matters", "## Example", "## Fix"):
        assert needle in page
    assert "| Options | `max-bytes` (int, default `150000000`) |" in docs.rule_page(RULES["FT009"])


def test_docstrings_hold_no_control_characters():
    # A non-raw docstring turns a documented "\r\n" into real control characters.
    for rule in RULES.values():
        assert "\r" not in rule.doc and "\t" not in rule.doc, rule.code


def test_the_readmes_first_command_installs_into_a_virtual_environment():
    """0.3.0's first command ran `pip install .` into whatever Python was active, which PEP 668 systems
    (Debian 12, Ubuntu 23.04 and later) refuse. CI (.ci/run) makes the same venv and runs the same lint."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    first = [step.strip() for step in block[0].split("&&")]
    assert first[:2] == ["python3 -m venv .venv", ". .venv/bin/activate"], block[0]
    assert first[2].startswith("pip install .") and first[3] == "ftlint fixtures/examples/support_chat.jsonl"
    assert (ROOT / "fixtures/examples/support_chat.jsonl").is_file()
    assert block[1] == "pip install '.[test]' && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m venv .venv" in ci and "source .venv/bin/activate" in ci and first[3] in ci


def test_readme_states_no_rule_count_that_drifted():
    """A count of rules in the README ("106 rules") drifts when a rule is added or merged: any it states is
    the number of rules ftlint registers (`--list-rules`, SARIF's driver rules)."""
    import re

    readme = (ROOT / "README.md").read_text()
    stated = {int(n.replace(",", "")) for n in re.findall(r"\b(\d[\d,]*) (?:default )?rules?(?: modules)?\b", readme)}
    assert stated <= {len(RULES)}, stated
