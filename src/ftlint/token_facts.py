"""Whether the run's model has the facts token checks need, and what the report says when not.

Token checks need two facts about the model: its tokenizer (to count) and
its per-example cap (to compare with). A model the user defines
(``[tool.ftlint.models."my-model"]``, ``--tokenizer``/``--max-tokens``) may
lack either, and a profile may name a tokenizer whose package is not
installed (``pip install 'ftlint[llama]'``). Then every other rule still runs;
the rules that need the missing fact find nothing (those that count tokens
declare ``TOKENS = True``, the same flag that tells the runner to build a
tokenizer at all), and each file's report says which were skipped and why.
"""

from __future__ import annotations

import functools

from ftlint import tokenizer as tk

def known_tokenizers() -> tuple[str, ...]:
    """The tokenizer names ftlint knows (ftlint.tokenizer's registry)."""
    return tuple(sorted(getattr(tk, "TOKENIZERS", None) or tk.ENCODINGS))


def unknown_tokenizer(name: str) -> str | None:
    """The error text for a tokenizer name ftlint does not know (None: it knows it)."""
    if name in known_tokenizers():
        return None
    return f'unknown tokenizer "{name}" (ftlint knows {", ".join(known_tokenizers())})'


@functools.lru_cache(maxsize=None)
def missing_tokenizer(name: str | None) -> str | None:
    """Why tokens cannot be counted with tokenizer ``name`` (None: they can).

    A vocabulary that is present but corrupted is not a reason to skip: it
    stays the clear error it is (exit 2).
    """
    if not name:
        return "no tokenizer is known for the model"
    unknown = unknown_tokenizer(name)
    if unknown is not None:
        return unknown
    try:
        tk.get_encoding(name)
    except getattr(tk, "MissingTokenizerPackage", ()) as exc:  # an optional extra that is not installed
        return str(exc)
    return None


def token_rules(rules) -> list[str]:
    """'FT303 over-token-cap' for each rule of ``rules`` that counts tokens (declares ``TOKENS = True``)."""
    return [f"{r.code} {r.name}" for r in rules if r.tokens]


class SkippedTokenChecks:
    """Collector: one report line (and a JSON field) when the file's token checks cannot run."""

    def __init__(self, reason: str, skipped: list[str], way_out: str, model_id: str, default: str = "") -> None:
        self.reason, self.skipped, self.way_out, self.model_id = reason, skipped, way_out, model_id
        self.default = default  # " (default; pass --model)" when the user named no model

    def add(self, example) -> None:
        pass

    def result(self) -> dict:
        what = ", ".join(self.skipped) if self.skipped else "token statistics"
        line = f"model: {self.model_id}{self.default}; token checks skipped ({what}): {self.reason}; {self.way_out}"
        return {
            "token_checks_skipped": {"reason": self.reason, "rules": list(self.skipped)},
            "text_lines": [line],
        }


def collector_factory(rules):
    """A collector factory for the Linter: a SkippedTokenChecks for files whose model lacks a tokenizer."""
    needs_tokenizer = token_rules(rules)

    def for_file(ctx):
        model = ctx.model
        if model is None or ctx.counter is not None:
            return None
        reason = missing_tokenizer(model.encoding)
        if reason is None:
            return None
        way_out = (f'name one with --tokenizer NAME or tokenizer = "..." in [tool.ftlint.models."{model.id}"]'
                   if not model.encoding else "the counts, statistics and cost estimate need it")
        options = ctx.run.options
        default = options.get("default_note") or (" (default; pass --model)" if options.get("model_is_default") else "")
        return SkippedTokenChecks(reason, needs_tokenizer + ["token statistics and cost"], way_out, model.id, default)

    return for_file
