"""Config discovery, validation and merging with the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftlint.cli import build_parser, load_settings, main
from ftlint.config import Config, discover, find_config, glob_matches
from ftlint.settings import ConfigError
from ftlint.rules import load_rules

RULES = load_rules(plugins=False)

CHAT = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}


def run(argv, cwd: Path, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def write_jsonl(path: Path, records, n: int = 12) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records * n))
    return path


@pytest.fixture
def project(tmp_path):
    """A project with a data file holding 12 copies of one example (FT403 warnings)."""
    write_jsonl(tmp_path / "data" / "train.jsonl", [CHAT])
    return tmp_path


def test_discovery_order_in_one_directory(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.ftlint]\nstrict = true\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    (tmp_path / ".ftlint.toml").write_text("strict = true\n")
    assert find_config(tmp_path) == tmp_path / ".ftlint.toml"
    (tmp_path / "ftlint.toml").write_text("strict = true\n")
    assert find_config(tmp_path) == tmp_path / "ftlint.toml"


def test_discovery_searches_upward_and_skips_foreign_pyproject(tmp_path):
    (tmp_path / "ftlint.toml").write_text("model = 'gpt-4o-mini-2024-07-18'\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert find_config(sub) == tmp_path / "ftlint.toml"
    assert discover(RULES, cwd=sub).model == "gpt-4o-mini-2024-07-18"


def test_isolated_and_explicit_config(tmp_path):
    (tmp_path / "ftlint.toml").write_text("epochs = 3\n")
    other = tmp_path / "other.toml"
    other.write_text("epochs = 5\n")
    assert discover(RULES, isolated=True, cwd=tmp_path).epochs is None
    assert discover(RULES, str(other), cwd=tmp_path).epochs == 5


def test_all_keys_parse(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(
        """
[tool.ftlint]
model = "gpt-4.1-mini-2025-04-14"
epochs = 3
rate = 5
method = "supervised"
select = ["FT0", "FT1"]
extend-select = ["FT403"]
ignore = ["blank-line"]
strict = true
format = "json"
[tool.ftlint.per-file-ignores]
"legacy/*.jsonl" = ["FT2"]
[tool.ftlint.per-file-model]
"mini/**" = "gpt-4o-mini-2024-07-18"
[tool.ftlint.rules.FT009]
level = "warning"
max-bytes = 1000
[tool.ftlint.rules.duplicate-example]
level = "error"
"""
    )
    config = discover(RULES, cwd=tmp_path)
    assert config.path == path
    assert (config.model, config.epochs, config.rate, config.method) == ("gpt-4.1-mini-2025-04-14", 3, 5.0, "supervised")
    assert isinstance(config.rate, float)
    assert config.select == ["FT0", "FT1"] and config.extend_select == ["FT403"] and config.ignore == ["blank-line"]
    assert config.strict is True and config.format == "json"
    assert config.levels == {"FT009": "warning", "FT403": "error"}
    assert config.options == {"FT009": {"max-bytes": 1000}}
    assert config.ignores_for(str(tmp_path / "legacy" / "a.jsonl")) == ("FT2",)
    assert config.ignores_for(str(tmp_path / "other" / "a.jsonl")) == ()
    assert config.model_for(str(tmp_path / "mini" / "x" / "a.jsonl")) == "gpt-4o-mini-2024-07-18"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("colour = 'red'\n", 'unknown key "colour"'),
        ("epochs = '3'\n", '"epochs" must be an integer, not string'),
        ("epochs = 0\n", '"epochs" must be from 1 to 1,000, not 0'),
        ("rate = true\n", '"rate" must be a number, not boolean'),
        ("strict = 1\n", '"strict" must be true or false'),
        ("method = 'rlhf'\n", '"method" must be one of'),
        ("format = 'xml'\n", '"format" must be one of'),
        ("select = 'FT0'\n", '"select" must be an array'),
        ("ignore = ['FT999']\n", 'no rule matches "FT999"'),
        ("[per-file-ignores]\n'*.jsonl' = ['nope']\n", 'no rule matches "nope"'),
        ("[per-file-model]\n'*.jsonl' = 3\n", '"per-file-model.*.jsonl" must be a string'),
        ("[rules.FT999]\nlevel = 'error'\n", 'no such rule: "FT999"'),
        ("[rules.FT009]\nmax = 3\n", 'unknown key "max" in [rules.FT009] for rule FT009 (line-too-long); '
                                       "valid keys: level, max-bytes"),
        ("[rules.FT402]\nlevle = 'info'\n", 'unknown key "levle" in [rules.FT402] for rule FT402 (few-examples); '
                                          "valid keys: level, recommended"),
        ("[rules.FT009]\nmax-bytes = 'big'\n", 'option "max-bytes" of rule FT009 (line-too-long) must be int'),
        ("[rules.FT009]\nlevel = 'fatal'\n", 'unknown level "fatal"'),
        ("model = \n", "invalid TOML"),
    ],
)
def test_bad_config_is_exit_2_naming_key_and_file(tmp_path, monkeypatch, project, text, needle):
    (project / "ftlint.toml").write_text(text)
    code, out, err = run(["data/train.jsonl"], project, monkeypatch)
    assert code == 2
    assert needle in err
    assert str(project / "ftlint.toml") in err
    assert err.count("\n") == 1  # one line


def test_broken_pyproject_with_our_table_is_exit_2(project, monkeypatch):
    (project / "pyproject.toml").write_text("[tool.ftlint]\nstrict = \n")
    code, _, err = run(["data/train.jsonl"], project, monkeypatch)
    assert code == 2
    assert f"{project / 'pyproject.toml'}: invalid TOML" in err
    assert err.count("\n") == 1


def test_broken_pyproject_without_our_table_is_not_ours(project, monkeypatch):
    (project / "pyproject.toml").write_text("[tool.black]\nline-length = \n")
    code, _, err = run(["data/train.jsonl"], project, monkeypatch)
    assert code != 2 and err == ""


def test_bad_rule_option_in_pyproject_lists_the_valid_keys(project, monkeypatch):
    """The table is named as the user wrote it (0.3.0 said [rules.FT402], a table pyproject.toml has not)."""
    (project / "pyproject.toml").write_text("[tool.ftlint.rules.FT402]\nlevle = 'info'\n")
    code, _, err = run(["data/train.jsonl"], project, monkeypatch)
    assert code == 2
    assert err == (f'ftlint: error: {project / "pyproject.toml"}: unknown key "levle" in [tool.ftlint.rules.FT402] '
                   "for rule FT402 (few-examples); valid keys: level, recommended\n")


@given(key=st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True).filter(lambda k: k not in ("level", "recommended")),
       in_pyproject=st.booleans())
@settings(max_examples=25, deadline=None)
def test_rule_table_errors_name_the_table_as_written(tmp_path_factory, key, in_pyproject):
    directory = tmp_path_factory.mktemp("cfg")
    table = "tool.ftlint.rules.few-examples" if in_pyproject else "rules.few-examples"
    path = directory / ("pyproject.toml" if in_pyproject else "ftlint.toml")
    path.write_text(f'[{table}]\n"{key}" = 1\n')
    with pytest.raises(ConfigError) as raised:
        discover(RULES, config_path=str(path))
    assert str(raised.value) == (f'{path}: unknown key "{key}" in [{table}] for rule FT402 (few-examples); '
                                 "valid keys: level, recommended")


@pytest.mark.parametrize("name", ["ftlint.toml", ".ftlint.toml"])
def test_the_pyproject_form_in_a_standalone_file_says_to_drop_the_prefix(project, monkeypatch, name):
    """As ruff does for ruff.toml: [tool.ftlint] belongs to pyproject.toml; 0.3.0 said only
    'unknown key "tool" in top level'."""
    (project / name).write_text("[tool.ftlint]\nstrict = true\n[tool.ftlint.rules.FT402]\nlevel = 'info'\n")
    code, out, err = run(["data/train.jsonl"], project, monkeypatch)
    assert (code, out) == (2, "")
    assert err == (f'ftlint: error: {project / name}: [tool.ftlint] is the pyproject.toml form; in {name} drop the '
                   '"tool.ftlint" prefix and write the keys at top level ([tool.ftlint.rules.FT402] becomes '
                   "[rules.FT402])\n")
    (project / name).write_text("strict = true\n[rules.FT402]\nlevel = 'info'\n")
    assert run(["data/train.jsonl"], project, monkeypatch)[0] == 1  # strict: the FT403 warnings fail


def test_missing_explicit_config_is_exit_2(project, monkeypatch):
    code, _, err = run(["--config", "nope.toml", "data/train.jsonl"], project, monkeypatch)
    assert code == 2 and "nope.toml: config file not found" in err


def test_config_ignore_and_cli_override(project, monkeypatch):
    code, out, _ = run(["-q", "data/train.jsonl"], project, monkeypatch)
    assert "FT403" in out
    (project / "ftlint.toml").write_text("ignore = ['FT403', 'few-examples']\nstrict = true\n")
    code, out, _ = run(["-q", "data/train.jsonl"], project, monkeypatch)
    assert "FT403" not in out and code == 0
    # --select on the command line replaces the configured selection (ignore included).
    code, out, _ = run(["-q", "--select", "FT403", "data/train.jsonl"], project, monkeypatch)
    assert "FT403" in out and code == 1  # strict from the config: warnings fail
    code, out, _ = run(["-q", "--isolated", "data/train.jsonl"], project, monkeypatch)
    assert "FT403" in out and code == 0


def test_config_levels_apply(project, monkeypatch):
    (project / "ftlint.toml").write_text("[rules.duplicate-example]\nlevel = 'error'\n")
    code, out, _ = run(["-q", "data/train.jsonl"], project, monkeypatch)
    assert code == 1 and "FT403 [error]" in out


def test_per_file_ignores_vary_selection(project, monkeypatch):
    write_jsonl(project / "legacy" / "old.jsonl", [CHAT])
    (project / "ftlint.toml").write_text("[per-file-ignores]\n'legacy/*.jsonl' = ['FT403']\n")
    code, out, _ = run(["--format", "json", "data/train.jsonl", "legacy/old.jsonl"], project, monkeypatch)
    report = json.loads(out)
    codes = {f["path"]: {d["code"] for d in f["diagnostics"]} for f in report["files"]}
    assert "FT403" in codes["data/train.jsonl"]
    assert "FT403" not in codes["legacy/old.jsonl"]


def test_basename_glob_and_double_star(tmp_path):
    root = tmp_path
    assert glob_matches("*.jsonl", str(root / "a" / "b" / "x.jsonl"), root)
    assert glob_matches("a/**/x.jsonl", str(root / "a" / "x.jsonl"), root)
    assert glob_matches("a/**/x.jsonl", str(root / "a" / "b" / "c" / "x.jsonl"), root)
    assert not glob_matches("a/*.jsonl", str(root / "a" / "b" / "x.jsonl"), root)
    assert glob_matches("data/[tv]*.jsonl", str(root / "data" / "valid.jsonl"), root)


def test_options_carry_merged_values(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "ftlint.toml").write_text("model = 'm-config'\nepochs = 4\nrate = 2.5\nformat = 'json'\nstrict = true\n")
    args = build_parser().parse_args(["data/train.jsonl"])
    before = dict(vars(args))
    options = load_settings(args, RULES)
    assert vars(args) == before  # the namespace is read, never rewritten
    assert (options.model, options.epochs, options.rate, options.format, options.strict) == ("m-config", 4, 2.5, "json", True)
    assert isinstance(options.config, Config) and options.config.path == project / "ftlint.toml"
    with pytest.raises(AttributeError):  # immutable (ftlint.record.FrozenInstanceError)
        options.model = "other"
    options = load_settings(build_parser().parse_args(["--model", "m-cli", "--format", "text", "data/train.jsonl"]), RULES)
    assert (options.model, options.format, options.files) == ("m-cli", "text", ("data/train.jsonl",))


def test_options_keep_other_groups_by_name(project, monkeypatch):
    monkeypatch.chdir(project)
    options = load_settings(build_parser().parse_args(["--submit", "--suffix", "s1", "--seed", "7", "x.jsonl"]), RULES)
    assert (options.submit, options.suffix, options.seed) == (True, "s1", 7)
    assert getattr(options, "no_such_option", "absent") == "absent"


def test_per_file_model_reaches_the_file_context(project, monkeypatch):
    from ftlint.cli import make_selection
    from ftlint.engine import Linter
    from ftlint.perfile import PerFileLinter

    monkeypatch.chdir(project)
    (project / "ftlint.toml").write_text("model = 'base'\n[per-file-model]\n'data/*.jsonl' = 'special'\n")
    options = load_settings(build_parser().parse_args(["data/train.jsonl"]), RULES)
    pool = PerFileLinter(options.config, make_selection(options, RULES),
                         lambda sel, model: Linter(sel, model=model), default_model=options.model)
    assert pool.linter_for("data/train.jsonl").model == "special"
    assert pool.linter_for("elsewhere.jsonl").model == "base"
    assert pool.linter_for("data/train.jsonl") is pool.linter_for("data/other.jsonl")  # cached per settings
    # an explicit --model applies to every file
    options = load_settings(build_parser().parse_args(["--model", "cli", "data/train.jsonl"]), RULES)
    assert options.config.per_file_model == {}


def test_show_settings_names_the_config_file_and_the_merged_values(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "ftlint.toml").write_text("model = 'gpt-4o-mini'\nignore = ['FT209']\n[rules.FT402]\nlevel = 'info'\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--show-settings", "--format", "json", "--epochs", "3"], out, err) == 0
    document = json.loads(out.getvalue())
    assert document["config_files"] == [str(project / "ftlint.toml")]
    assert (document["model"], document["epochs"], document["format"]) == ("gpt-4o-mini", 3, "json")
    assert "FT209" not in document["rules"] and document["rules"]["FT402"] == "info"
    out = io.StringIO()
    assert main(["--show-settings", "--isolated"], out, io.StringIO()) == 0
    assert "config-files = []\n" in out.getvalue() and "FT209" in out.getvalue()
    assert "FT402=" not in out.getvalue()  # default levels are not repeated


def test_verbose_says_which_config_file_is_used(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "ftlint.toml").write_text("ignore = ['FT402']\n")
    err = io.StringIO()
    main(["-v", "-q", "data/train.jsonl"], io.StringIO(), err)
    assert err.getvalue().splitlines()[0] == f"ftlint: config file: {project / 'ftlint.toml'}"
    err = io.StringIO()
    main(["--verbose", "--isolated", "-q", "data/train.jsonl"], io.StringIO(), err)
    assert err.getvalue().splitlines()[0] == "ftlint: config file: none (defaults)"


def test_exclude_and_extend_exclude_skip_named_files(project, monkeypatch):
    monkeypatch.chdir(project)
    write_jsonl(project / "eval" / "run1.jsonl", [{"not": "chat"}])
    write_jsonl(project / "logs.jsonl", [{"not": "chat"}])
    (project / "ftlint.toml").write_text("extend-exclude = ['eval', 'logs.jsonl']\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(["-v", "-q", "--ignore", "FT402,FT403", "data/train.jsonl", "eval/run1.jsonl", "logs.jsonl"], out, err)
    assert code == 0, out.getvalue()
    assert "ftlint: skipping eval/run1.jsonl: excluded by 'eval'" in err.getvalue()
    assert "ftlint: skipping logs.jsonl: excluded by 'logs.jsonl'" in err.getvalue()
    assert out.getvalue() == "All checks passed: 1 file, 12 examples.\n"
    (project / "ftlint.toml").write_text("exclude = []\n")  # replaces the default
    options = load_settings(build_parser().parse_args(["x.jsonl"]), RULES)
    assert options.config.exclude == [] and options.config.excluded(".venv/x.jsonl") is None
    assert Config().excluded(".venv/lib/x.jsonl") == ".venv/**"
    (project / "ftlint.toml").write_text("exclude = 'eval'\n")
    err = io.StringIO()
    assert main(["data/train.jsonl"], io.StringIO(), err) == 2
    assert '"exclude" must be an array of file globs' in err.getvalue()


def test_validation_file_also_positional_is_linted_once_as_validation(project, monkeypatch):
    monkeypatch.chdir(project)
    write_jsonl(project / "valid.jsonl", [{"messages": [{"role": "user", "content": "v"},
                                                        {"role": "assistant", "content": "w"}]}])
    out = io.StringIO()
    main(["--isolated", "--format", "json", "--validation", "valid.jsonl", "data/train.jsonl", "valid.jsonl",
          "./data/train.jsonl"], out, io.StringIO())
    files = json.loads(out.getvalue())["files"]
    assert [(f["path"], f["role"]) for f in files] == [("data/train.jsonl", "training"), ("valid.jsonl", "validation")]
    assert not any(d["code"] == "FT405" for f in files for d in f["diagnostics"])
