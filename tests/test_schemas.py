"""The shipped JSON Schemas (rules/schemas/) agree with the rules.

They are valid Draft 2020-12 schemas, every example of a pass fixture or a clean
real file validates against its format's schema, and the chat facts the rules
read from them are what the fact sheet says.
"""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import FIXTURES, REAL_CORPUS
from ftlint import schemas
from ftlint.formats import CHAT, COMPLETION, PREFERENCE, record_format

NAMES = {CHAT: schemas.CHAT, COMPLETION: schemas.COMPLETION, PREFERENCE: schemas.PREFERENCE}
REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(schemas.load_schema(name))) for name in NAMES.values()
)


def validator(fmt):
    return Draft202012Validator(schemas.load_schema(NAMES[fmt]), registry=REGISTRY)


@pytest.mark.parametrize("name", sorted(NAMES.values()))
def test_schema_is_valid(name):
    Draft202012Validator.check_schema(schemas.load_schema(name))


def test_chat_facts():
    facts = schemas.chat_facts()
    assert facts.roles == ("system", "developer", "user", "assistant", "tool", "function")
    assert facts.part_types["user"] == ("text", "image_url")
    assert "image_url" not in facts.part_types["assistant"]
    assert "weight" in facts.message_keys["assistant"] and "weight" not in facts.message_keys["user"]
    assert facts.top_level_keys == {"messages", "tools", "parallel_tool_calls", "functions"}


def _records(paths):
    for path in paths:
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record_format(record) in NAMES:
                yield path, number, record


# Pass fixtures of the shape rules: chat (FT1xx), prompt/completion (FT2xx), tools (FT5xx),
# weight and vision (FT6xx), preference (FT7xx). RFT data (FT8xx) may carry grader keys.
PASS_FIXTURES = sorted(p for band in ("FT1", "FT2", "FT5", "FT6", "FT7") for p in FIXTURES.glob(f"{band}*/pass/*.jsonl"))


def test_pass_fixtures_validate_against_the_schemas():
    checked = 0
    for path, number, record in _records(PASS_FIXTURES):
        errors = list(validator(record_format(record)).iter_errors(record))
        assert not errors, f"{path}:{number}: {errors[0].message}"
        checked += 1
    assert checked > 50


@pytest.mark.usefixtures("real_corpus")  # fails under CI=true when the corpus is missing
@pytest.mark.parametrize("name", [
    "openai-cookbook__drone_training.jsonl",
    "microsoft-foundry-fine-tuning__zava_retail_agent_sft_test.jsonl",
    "microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl",
    "microsoft-foundry-fine-tuning__orca_dpo_pairs_validation.jsonl",
    "rsj-rishabh-CISE-6930-NLP-Ninjas__sarcasm_train_prepared_train.jsonl",
])
def test_clean_real_files_validate_against_the_schemas(name):
    for path, number, record in _records([REAL_CORPUS / name]):
        errors = list(validator(record_format(record)).iter_errors(record))
        assert not errors, f"{name}:{number}: {errors[0].message}"
