"""Retired models: the verdict follows the catalog's dates and FTLINT_TODAY (ftlint.retirement, FT302)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest
from hypothesis import given, strategies as st

from ftlint import retirement
from ftlint.catalog import shipped_catalog

CATALOG = shipped_catalog()

@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """12 clean chat examples: nothing but the model can fail them."""
    path = tmp_path_factory.mktemp("retirement") / "clean.jsonl"
    rows = [{"messages": [{"role": "user", "content": f"What is {i} plus {i}?"},
                          {"role": "assistant", "content": f"{i} plus {i} is {2 * i}."}]} for i in range(12)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("name, day, trainable", [
    ("gpt-3.5-turbo", "2026-10-22", True),
    ("gpt-3.5-turbo", "2026-10-23", False),  # shut down that day
    ("gpt-4o-mini", "2027-01-06", True),  # OpenAI's last day for new jobs
    ("gpt-4o-mini", "2027-01-07", False),
    ("babbage-002", "2024-10-27", True),
    ("babbage-002", "2024-10-28", False),  # training ended, before its shut-down
])
def test_can_train_follows_the_dates(name, day, trainable):
    assert retirement.can_train(CATALOG.resolve(name), today=dt.date.fromisoformat(day)) is trainable


def test_can_train_reads_today_from_the_clock(monkeypatch):
    model = CATALOG.resolve("gpt-4.1-mini")
    monkeypatch.setenv("FTLINT_TODAY", "2027-01-06")
    assert retirement.can_train(model)
    monkeypatch.setenv("FTLINT_TODAY", "2027-01-07")
    assert not retirement.can_train(model)


@given(st.sampled_from(CATALOG.models), st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 12, 31)))
def test_verdict_names_only_trainable_successors_in_words(model, day):
    verdict = retirement.verdict(model, today=day)
    passed = [d for d in (model.shutdown_date, model.training_ended_date) if d is not None and day >= d]
    platform_over = CATALOG.job_creation_ends is not None and day > CATALOG.job_creation_ends
    assert verdict.trainable is not (bool(passed) or platform_over)
    for successor in verdict.successors:
        assert retirement.can_train(successor, today=day) and successor.id != model.id
        assert set(successor.methods) & set(model.methods)
    if not verdict.trainable:
        message = verdict.message()
        assert message.startswith(f"{model.id} can no longer be fine-tuned: ")
        assert "[" not in message  # source tags such as "[DEP] 2026" belong to --explain
        if verdict.successors:
            assert f"--model {verdict.successors[0].id}" in message


def _ftlint(*args, today="2026-11-30", cwd=None):
    env = {"FTLINT_TODAY": today, "PATH": __import__("os").environ["PATH"]}
    return subprocess.run(["ftlint", *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_named_retired_model_is_an_error_with_no_cost_figure(clean):
    run = _ftlint(str(clean), "--isolated", "--model", "gpt-3.5-turbo", "--format", "json")
    assert run.returncode == 1
    (file,) = json.loads(run.stdout)["files"]
    (ft302,) = [d for d in file["diagnostics"] if d["code"] == "FT302"]
    assert ft302["severity"] == "error"
    assert file["cost"]["usd"] is None
    text = _ftlint(str(clean), "--isolated", "--model", "gpt-3.5-turbo")
    assert "no estimate: gpt-3.5-turbo-0125 can no longer be fine-tuned" in text.stdout
    assert "$" not in text.stdout.split("cost:", 1)[1].splitlines()[0]


def test_model_named_in_the_config_is_judged_too(tmp_path, clean):
    (tmp_path / "ftlint.toml").write_text('model = "gpt-3.5-turbo-0125"\n')
    data = tmp_path / "data.jsonl"
    data.write_bytes(clean.read_bytes())
    run = _ftlint("data.jsonl", "-q", cwd=tmp_path)
    assert run.returncode == 1 and "FT302 [error] gpt-3.5-turbo-0125 can no longer be fine-tuned" in run.stdout


def test_default_model_never_draws_a_retirement_error(clean):
    run = _ftlint(str(clean), "--isolated", "-q", today="2027-01-07")
    assert run.returncode == 0 and "FT302" not in run.stdout


def test_same_model_on_an_earlier_day_passes_with_a_cost(clean):
    run = _ftlint(str(clean), "--isolated", "--model", "gpt-3.5-turbo", today="2026-10-22")
    assert run.returncode == 0 and "FT302" not in run.stdout and "= $" in run.stdout


def test_a_bad_pinned_date_is_one_line_exit_2(clean):
    run = _ftlint(str(clean), "--isolated", "--model", "gpt-3.5-turbo", today="07/01/2027")
    assert run.returncode == 2
    assert run.stderr == "ftlint: error: FTLINT_TODAY='07/01/2027' is not a date; use YYYY-MM-DD (e.g. 2027-01-07)\n"


def test_verdict_reads_the_provider_profile():
    from ftlint.providers import get_provider
    from ftlint.record import replace

    openai = get_provider("openai")
    model = openai.resolve("gpt-4o-mini")
    day = dt.date(2026, 11, 30)
    assert retirement.verdict(model, openai, day) == retirement.verdict(model, today=day)
    closed = replace(openai, status="shut down", title="Closed Co")
    verdict = retirement.verdict(model, closed, day)
    assert not verdict.trainable and verdict.successors == ()
    assert verdict.message().startswith("gpt-4o-mini-2024-07-18 can no longer be fine-tuned: Closed Co has shut down "
                                        "fine-tuning; no Closed Co model takes new supervised or DPO jobs now")


@pytest.mark.parametrize("day, expected", [
    # The provider's last day for new jobs comes first: a new user read "shutdown 2027-01-14?" as the last
    # day to train, where OpenAI takes no new jobs after 2027-01-06.
    ("2026-12-01", "active, new jobs until 2027-01-06, model shutdown 2027-01-14?"),
    ("2027-01-07", "no new jobs: OpenAI accepts no new fine-tuning jobs for any model after 2027-01-06"),
])
def test_list_models_shows_the_dated_verdict_not_only_the_stored_status(day, expected):
    """The catalog stores gpt-4o-mini as "active"; from 2027-01-07 the listing must say it takes no jobs."""
    env = {**os.environ, "FTLINT_TODAY": day}
    text = subprocess.run(["ftlint", "--list-models"], capture_output=True, text=True, env=env, check=True).stdout
    row = next(line for line in text.splitlines() if line.startswith("gpt-4o-mini-2024-07-18"))
    assert row.rstrip().endswith(expected)
    assert f"status as of {day} (today; FTLINT_TODAY=YYYY-MM-DD pins the date)." in text
    rows = json.loads(subprocess.run(["ftlint", "--list-models", "--format", "json"], capture_output=True, text=True,
                                     env=env, check=True).stdout)
    mini = next(r for r in rows if r["model"] == "gpt-4o-mini-2024-07-18")
    assert (mini["status"], mini["as_of"]) == ("active", day)
    assert mini["takes_new_jobs"] is (day == "2026-12-01")
    nano = next(r for r in rows if r["model"] == "gpt-4.1-nano-2025-04-14")
    assert (nano["takes_new_jobs"], nano["why_not"]) == (False, "OpenAI shut it down on 2026-10-23")


def test_a_named_provider_judges_its_default_model(clean):
    """--provider openai after OpenAI's last day: a run for a job that cannot start fails, and says where to go."""
    run = _ftlint(str(clean), "--isolated", "--no-cache", "--provider", "openai", today="2027-01-10")
    assert run.returncode == 1
    assert (f"{clean}: FT302 [error] gpt-4o-mini-2024-07-18 can no longer be fine-tuned: OpenAI accepts no new "
            "fine-tuning jobs for any model after 2027-01-06; no OpenAI model takes new supervised or DPO jobs now; "
            "lint for Azure OpenAI (--provider azure-openai; its models: ftlint --list-models --provider azure-openai)"
            ) in run.stdout
    unnamed = _ftlint(str(clean), "--isolated", "--no-cache", today="2027-01-10")  # the default moved to Azure
    assert unnamed.returncode == 0 and "FT302" not in unnamed.stdout


def test_base_url_of_another_service_lifts_the_providers_dates(clean):
    """--submit --base-url: another OpenAI-compatible service takes the job, so OpenAI's dates and prices are not its."""
    run = _ftlint(str(clean), "--isolated", "--no-cache", "--submit", "--dry-run", "--provider", "openai", "--model",
                  "gpt-4.1-mini", "--base-url", "https://llm.example.test/v1", today="2027-01-10")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FT302" not in run.stdout
    assert "price unknown for gpt-4.1-mini-2025-04-14 (pass --rate USD_PER_1M)" in run.stdout
    assert "dry run: nothing is sent. Service: https://llm.example.test/v1" in run.stdout
    own = _ftlint(str(clean), "--isolated", "--no-cache", "--submit", "--dry-run", "--provider", "openai", "--model",
                  "gpt-4.1-mini", "--base-url", "https://api.openai.com/v1", today="2027-01-10")
    assert own.returncode != 0 and "can no longer be fine-tuned" in own.stdout + own.stderr
