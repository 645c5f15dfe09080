"""ftlint: lint OpenAI-format fine-tuning JSONL datasets before you pay for a job."""

__version__ = "0.1.0"
