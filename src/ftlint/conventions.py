"""File-wide conventions learned from the first records of a file.

Prompt/completion data relies on conventions rather than structure: a
separator that ends every prompt and a stop sequence that ends every
completion (see the legacy `openai tools fine_tunes.prepare_data`). The
engine learns them from the sample it buffers anyway (the first 1,000 records),
so checking them costs one pass.
"""

from __future__ import annotations

import re
from collections import Counter

from ftlint import formats
from ftlint.formats import CHAT, COMPLETION

MAX_SUFFIX = 32
#: A longer suffix must be shared by this fraction of the texts that share the best 1-character one.
KEEP_SHARE = 0.9
#: A dominant suffix made only of these is ordinary sentence ending, not a separator.
_NATURAL_ENDINGS = set(".?!")
#: Characters that end ordinary text: a suffix made of these and whitespace is no marker.
_PLAIN_TEXT_ENDINGS = set(".?!,;'\")]}\u2026\u3002\uff01\uff1f")
#: The part of a shared suffix that can be a marker: trailing non-word characters, after an
#: optional upper-case word that follows whitespace (the legacy guide's " END").
_MARKER_TAIL = re.compile(r"(?:\s[A-Z][A-Z0-9_]*)?[\W_]*\Z")
#: A marker that occurs before the end of more than this share of the texts is part of the
#: text (multi-line completions all ending in "\n"), not a marker.
MAX_INSIDE_SHARE = 0.5


def dominant_suffix(texts: list[str], max_len: int = MAX_SUFFIX) -> tuple[str | None, int]:
    """The longest suffix that nearly every text shares, and how many texts share it.

    The suffix grows one character at a time while a strict majority shares it
    and nearly as many texts as share the commonest last character (at least
    ``KEEP_SHARE`` of them). Growing while a bare majority shares it swallows
    ordinary text: when most prompts end with a full stop before the real
    separator, ``"\\n\\n###\\n\\n"``, a bare majority shares ``".\\n\\n###\\n\\n"``.
    """
    texts = [t for t in texts if t]
    need = len(texts) // 2 + 1
    best, share, base = None, 0, 0
    for length in range(1, max_len + 1):
        counts = Counter(t[-length:] for t in texts if len(t) >= length)
        if not counts:
            break
        suffix, n = counts.most_common(1)[0]
        if length == 1:
            base = n
        if n < need or n < KEEP_SHARE * base:
            break
        best, share = suffix, n
    return best, share


def _without_sentence_ending(suffix: str | None) -> str | None:
    """``".\\n\\n###\\n\\n"`` -> ``"\\n\\n###\\n\\n"``: a full stop every text happens to end with is text."""
    if suffix is None:
        return None
    trimmed = suffix.lstrip("".join(_NATURAL_ENDINGS))
    return trimmed or suffix


def marker(suffix: str | None, texts: list[str]) -> str | None:
    """The separator or stop sequence in a suffix the texts share, or None when it is not one.

    A marker ends every text and occurs nowhere inside one (the legacy guide:
    ``"\\n"``, ``"###"``, ``" END"``, ``" ->"``). Ordinary text endings are not
    markers: end punctuation (``"."``, ``"!"``), closing brackets and quotes,
    whitespace other than a newline, and words (a templated ``" is here."``).
    """
    if not suffix:
        return None
    found = _without_sentence_ending(_MARKER_TAIL.search(suffix).group())
    if not found or not ("\n" in found or found.strip() and not set(found.strip()) <= _PLAIN_TEXT_ENDINGS):
        return None
    ending = [t for t in texts if t.endswith(found)]
    inside = sum(1 for t in ending if found in t[: -len(found)])
    if inside > MAX_INSIDE_SHARE * len(ending):
        return None
    return found


def looks_like_classification(completions: list[str]) -> bool:
    # The legacy tool's test: fewer distinct completions than a third of the rows.
    return len(completions) >= 3 and len(set(completions)) < len(completions) / 3


def _has_assistant(record: dict) -> bool:
    messages = record.get("messages")
    return isinstance(messages, list) and any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages)


def detect(sample: list[dict], fmt: str | None) -> dict:
    declared = formats.get(fmt) if fmt is not None else None
    if declared is not None and declared.preference_record is not None:
        # One format holds both supervised and preference records (Bedrock Nova, LLaMA-Factory v1):
        # ftlint.method picks DPO when most of the sample are pairs (FT022 reports the records of the
        # other kind; with any() one pair among 300 conversations made the whole file DPO).
        pairs = sum(1 for r in sample if declared.preference_record(r))
        return {"preference": pairs * 2 > len(sample)}
    if fmt == CHAT:
        # Chat data without a single assistant message is usually RFT data (FT106 says so).
        return {"no_assistant": bool(sample) and not any(_has_assistant(r) for r in sample)}
    if fmt != COMPLETION:
        return {}
    prompts = [r["prompt"] for r in sample if isinstance(r.get("prompt"), str)]
    completions = [r["completion"] for r in sample if isinstance(r.get("completion"), str)]
    separator = marker(dominant_suffix(prompts)[0], prompts)
    stop = marker(dominant_suffix(completions)[0], completions)
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
