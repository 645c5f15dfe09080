"""Real files of every format (../shared/corpus/real, see SOURCES.md) give no false problems.

The format rules (FT5xx-FT8xx) must be silent on real, valid data; the real
defect the corpus notes for these formats (a double-encoded `arguments` in the
newer drone_training.jsonl) is in fixtures/FT506/fail/arguments.jsonl, line 6,
built from drone_training's line 3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint_fixture, require_shared

from ftlint.engine import Linter
from ftlint.rules import load_rules
from ftlint.settings import Selection

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
FORMAT_BANDS = ("FT5", "FT6", "FT7", "FT8")

#: (file, method, model): vision data needs a vision model, RFT data an RFT model.
CASES = [
    ("openai-cookbook__drone_training.jsonl", None, None),
    ("microsoft-foundry-fine-tuning__stock_toolcall_training.jsonl", None, None),
    ("microsoft-foundry-fine-tuning__zava_retail_agent_sft_test.jsonl", None, None),
    ("microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl", None, "gpt-4o-2024-08-06"),
    ("microsoft-foundry-fine-tuning__orca_dpo_pairs_validation.jsonl", None, None),
    ("microsoft-foundry-fine-tuning__orca_dpo_pairs_validation.jsonl", "dpo", None),
    ("danah18-ugc-finetuning__dpo_all_experts.jsonl", None, None),
    ("microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl", "reinforcement", "o4-mini-2025-04-16"),
]


def real(name: str) -> Path:
    return require_shared("corpus", "real", name)


@pytest.mark.parametrize(("name", "method", "model"), CASES, ids=[f"{n.split('__')[1][:30]}-{m}" for n, m, _ in CASES])
def test_real_file_has_no_format_problems(name, method, model):
    args = {key: value for key, value in (("method", method), ("model", model)) if value}
    problems = lint_fixture(real(name), args=args, ignore=[])
    ours = [f"{p.line} {p.code} {p.message}" for p in problems if p.code.startswith(FORMAT_BANDS)]
    assert not ours, "\n".join(ours[:20])


def test_medmcq_as_rft_validation_file_is_over_the_limit():
    problems = lint_fixture(real("microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl"),
                            args={"method": "reinforcement", "role": "validation", "model": "o4-mini-2025-04-16"}, ignore=[])
    ours = [(p.line, p.code) for p in problems if p.code.startswith(FORMAT_BANDS)]
    assert ours == [(None, "FT804")]
    assert "6,150" in next(p.message for p in problems if p.code == "FT804")


def test_chat_file_as_dpo_is_one_file_level_error():
    problems = lint_fixture(real("openai-cookbook__drone_training.jsonl"), args={"method": "dpo"}, ignore=[])
    assert [(p.line, p.code) for p in problems] == [(None, "FT701")]
    assert "provided method=dpo" in problems[0].message


class NullSink:
    def problem(self, problem):
        pass


@pytest.mark.parametrize(("method", "stats"), [("reinforcement", {"grader_keys": {"answer": 2, "topic": 1}}),
                                               ("supervised", {})])
def test_grader_keys_are_file_stats_of_rft_files_only(method, stats):
    linter = Linter(Selection(rules=load_rules(plugins=False)), method=method)
    result = linter.lint_file(str(FIXTURES / "FT803" / "fail" / "inconsistent.jsonl"), NullSink())
    assert result.stats == stats
