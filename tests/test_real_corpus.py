"""Real public fine-tuning files (../shared/corpus/real, see SOURCES.md there).

Every file lints without a traceback, the clean ones get no error, and the
defects SOURCES.md documents are found, with the documented counts.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import REAL_CORPUS, lint_paths
from ftlint.problem import Level

pytestmark = pytest.mark.usefixtures("real_corpus")  # fails under CI=true when the corpus is missing

CLEAN = [
    "latslats-finetune_er_projects__cleanedtune.jsonl",
    "microsoft-foundry-fine-tuning__cnn_dailymail_validation.jsonl",
    "microsoft-foundry-fine-tuning__gsm8k_chat_train.jsonl",
    "siangmalamturu-Saham-Indo-Capstone-Digistar__sentiment_train.jsonl",
    "openai-cookbook__drone_training.jsonl",
    "microsoft-foundry-fine-tuning__stock_toolcall_training.jsonl",
    "microsoft-foundry-fine-tuning__zava_retail_agent_sft_test.jsonl",
    "microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl",
    "microsoft-foundry-fine-tuning__orca_dpo_pairs_validation.jsonl",
    "danah18-ugc-finetuning__dpo_all_experts.jsonl",
]

#: file -> {code: count} documented in SOURCES.md (subset of what ftlint reports).
DEFECTS = {
    "latslats-finetune_er_projects__finetune_broken.jsonl": {"FT001": 12, "FT004": 103, "FT011": 1},
    "KeerthanaManohar2001-fine_tuning__train_data_pretty_printed.jsonl": {"FT010": 1},
    "danah18-ugc-finetuning__example_notes_not_jsonl.jsonl": {"FT010": 1},
    "GBurgardt-charly-garcia-IA__fine_tuning_data.jsonl": {"FT403": 20, "FT404": 1, "FT011": 1},
    "JacopKane-tic-tac-toe-openai-api__training_data.jsonl": {"FT403": 3, "FT404": 4},
    "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl": {"FT403": 403, "FT204": 1, "FT208": 1},
    "pypi-chitchat-dataset-0.9.0__conversations.chat.jsonl": {"FT105": 11, "FT403": 6},
    "rgu855-MBTIPersonality__fine_tune_int_completion.jsonl": {"FT201": 1735},
    "kanha95-OpenAI_Finetuning__fine_tuning_data.jsonl": {"FT005": 1},
    "openai-cookbook__toy_chat_fine_tuning.jsonl": {"FT113": 1, "FT401": 1},
    "AlyeskaBear-Fine-tune-openai__training_data.jsonl": {"FT404": 1, "FT208": 1},
    "dabit3-gpt-fine-tuning-with-nodejs__data_raw.jsonl": {"FT011": 1, "FT208": 1},
    "microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl": {"FT106": 6150, "FT011": 1},
}


def test_every_real_file_lints_without_error():
    files = sorted(REAL_CORPUS.glob("*.jsonl"))
    assert len(files) >= 25
    for path in files:
        problems, (result,) = lint_paths([path])
        assert result.error is None, path
        assert all(p.message for p in problems)


#: Files made for a model other than the default (vision data).
MODEL_OF = {"microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl": "gpt-4o-2024-08-06"}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_real_files_have_no_errors(name):
    problems, _ = lint_paths([REAL_CORPUS / name], model=MODEL_OF.get(name))
    assert [p for p in problems if p.level == Level.ERROR] == []


#: The legacy marker rules (separator, stop sequence, leading space) advise on prompt/completion data for
#: the models that train it; under a chat model FT301's "convert it" takes the file over (the conversion
#: strips the markers). Their documented defects are checked as of a day babbage-002 still trained.
LEGACY_MARKER_RULES = {"FT204", "FT205", "FT206", "FT207", "FT208", "FT209"}


@pytest.mark.parametrize("name, expected", sorted(DEFECTS.items()))
def test_documented_defects_are_found(name, expected, monkeypatch):
    legacy = bool(LEGACY_MARKER_RULES & set(expected))
    if legacy:
        monkeypatch.setenv("FTLINT_TODAY", "2024-06-01")
    problems, _ = lint_paths([REAL_CORPUS / name], model="babbage-002" if legacy else None)
    found = Counter(p.code for p in problems)
    assert {code: found[code] for code in expected} == expected


def test_rft_data_is_clean_as_reinforcement():
    # Microsoft Foundry's sample: Azure OpenAI still trains o4-mini with RFT (OpenAI shut it down).
    problems, _ = lint_paths([REAL_CORPUS / "microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl"],
                             method="reinforcement", model="o4-mini-2025-04-16", provider="azure-openai")
    assert [p.code for p in problems if p.level == Level.ERROR] == []


#: Legacy files -> the (separator, stop) the engine learns from their first records.
CONVENTIONS = {
    # Every prompt ends with "\n\n###\n\n", most of them with a full stop before it.
    "rsj-rishabh-CISE-6930-NLP-Ninjas__sarcasm_train_prepared_train.jsonl": ("\n\n###\n\n", None),
    "rsj-rishabh-CISE-6930-NLP-Ninjas__humor_sample_prepared_train.jsonl": (" ->", None),
    "rgu855-MBTIPersonality__fine_tune_prepared_train.jsonl": ("\n\n###\n\n", None),
    "JohnSkyReal-IS-term__keyword_train_prepared.jsonl": ("\n\n###\n\n", " END"),
    "Keith-Hon-openai-mandarin2cantonese-finetune__data_prepared.jsonl": (" ->", "\n"),
    "nkrd-Greentext-Generator__data_prepared.jsonl": (" ->", " END"),
    # Completions end "\n"; two thirds of them ".\n", the rest "!\n" or "?\n".
    "AlyeskaBear-Fine-tune-openai__training_data.jsonl": (None, "\n"),
}


@pytest.mark.parametrize("name, expected", sorted(CONVENTIONS.items()))
def test_legacy_conventions_are_learned(name, expected):
    from ftlint.conventions import detect

    learned = []

    def spy(sample, fmt):
        conv = detect(sample, fmt)
        learned.append((conv.get("separator"), conv.get("stop")))
        return conv

    lint_paths([REAL_CORPUS / name], conventions=(spy,))
    assert learned == [expected]


def test_sarcasm_separator_is_not_appended_again(tmp_path):
    from test_fix import run

    name = "rsj-rishabh-CISE-6930-NLP-Ninjas__sarcasm_train_prepared_train.jsonl"
    problems, _ = lint_paths([REAL_CORPUS / name])
    assert [p for p in problems if p.code in ("FT204", "FT205")] == []
    code, out, err = run(["--diff", str(REAL_CORPUS / name)])
    assert out == "" and err == "" and code == 0
