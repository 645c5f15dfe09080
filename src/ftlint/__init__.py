"""ftlint: lint OpenAI-format fine-tuning JSONL datasets before you pay for a job."""

__version__ = "0.5.0"


def __getattr__(name: str):
    # ftlint.lint / ftlint.Report without importing the engine on `import ftlint`.
    if name in ("lint", "Report", "FileReport"):
        from ftlint import api

        return getattr(api, name)
    raise AttributeError(f"module 'ftlint' has no attribute {name!r}")
