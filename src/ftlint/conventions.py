"""File-wide conventions learned from the first records of a file.

Prompt/completion data relies on conventions rather than structure: a
separator that ends every prompt and a stop sequence that ends every
completion (see the legacy `openai tools fine_tunes.prepare_data`). The
engine learns them from the sample it buffers anyway (the first 1,000 records),
so checking them costs one pass.
"""

from __future__ import annotations

from collections import Counter

from ftlint.formats import COMPLETION

MAX_SUFFIX = 32
#: A dominant suffix made only of these is ordinary sentence ending, not a separator.
_NATURAL_ENDINGS = set(".?!")


def dominant_suffix(texts: list[str], max_len: int = MAX_SUFFIX) -> tuple[str | None, int]:
    """The longest suffix shared by a strict majority of ``texts``, and how many share it."""
    texts = [t for t in texts if t]
    need = len(texts) // 2 + 1
    best, share = None, 0
    for length in range(1, max_len + 1):
        counts = Counter(t[-length:] for t in texts if len(t) >= length)
        if not counts:
            break
        suffix, n = counts.most_common(1)[0]
        if n < need:
            break
        best, share = suffix, n
    return best, share


def looks_like_classification(completions: list[str]) -> bool:
    # The legacy tool's test: fewer distinct completions than a third of the rows.
    return len(completions) >= 3 and len(set(completions)) < len(completions) / 3


def detect(sample: list[dict], fmt: str | None) -> dict:
    if fmt != COMPLETION:
        return {}
    prompts = [r["prompt"] for r in sample if isinstance(r.get("prompt"), str)]
    completions = [r["completion"] for r in sample if isinstance(r.get("completion"), str)]
    separator, _ = dominant_suffix(prompts)
    if separator is not None and (separator.strip().isalnum() or set(separator.strip()) <= _NATURAL_ENDINGS):
        separator = None  # ordinary text endings, not a separator
    stop, _ = dominant_suffix(completions)
    if stop is not None and stop.strip().isalnum() and not stop.startswith(" "):
        stop = None
    spaced = sum(1 for c in completions if c[:1].isspace())
    return {
        "leading_space": bool(completions) and spaced * 2 >= len(completions),
        "separator": separator,
        "stop": stop,
        "classification": looks_like_classification(completions),
        "open_ended": bool(prompts) and not any(p.strip() for p in prompts),
        "sampled": len(sample),
        "prompts": len(prompts),
        "completions": len(completions),
    }
