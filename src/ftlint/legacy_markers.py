"""The legacy prompt/completion markers a conversion to a conversational format leaves out.

Legacy completion data marks its own boundaries: a separator ending every prompt (``"\\n\\n###\\n\\n"``,
``" ->"``), a space starting every completion and a stop sequence ending it (``" END"``, ``"\\n"``);
see OpenAI's legacy ``prepare_data`` guide. Chat, Gemini, Bedrock, ShareGPT, Alpaca and TRL's
conversational data put each text in its own turn and the trainer's chat template marks where a
turn ends, so carried over, the markers would be trained as text (the model learns to say " END").
A conversion learns the file's markers as FT204, FT206 and FT208 do (ftlint.conventions, from the
first records), removes them from each record that has them, and counts what it removed: such a
record is converted, not "converted exactly" (converting it back does not give the input).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ftlint.conventions import detect
from ftlint.formats import COMPLETION

SEPARATOR, LEADING_SPACE, STOP = "separator", "leading space", "stop sequence"


@dataclass
class LegacyMarkers:
    """One file's markers, and how many records each was removed from."""

    separator: str | None = None
    stop: str | None = None
    leading_space: bool = False
    removed: Counter = field(default_factory=Counter)  # SEPARATOR / LEADING_SPACE / STOP -> records

    @classmethod
    def learn(cls, sample: list[dict]) -> LegacyMarkers | None:
        """The markers the prompt/completion records of ``sample`` share, or None when they share none."""
        found = detect([r for r in sample if isinstance(r.get("prompt"), str)], COMPLETION)
        markers = cls(found.get("separator"), found.get("stop"), bool(found.get("leading_space")))
        return markers if markers.separator or markers.stop or markers.leading_space else None

    def strip(self, record: dict) -> tuple[dict, list[str]]:
        """``record`` without the markers it has, and which were removed (in the order they were)."""
        prompt, completion = record.get("prompt"), record.get("completion")
        removed = []
        if isinstance(prompt, str) and self.separator and prompt.endswith(self.separator):
            prompt = prompt[: -len(self.separator)]
            removed.append(SEPARATOR)
        if isinstance(completion, str):
            if self.leading_space and completion.startswith(" "):
                completion = completion[1:]
                removed.append(LEADING_SPACE)
            if self.stop and completion.endswith(self.stop) and completion != self.stop:
                completion = completion[: -len(self.stop)]
                removed.append(STOP)
        if not removed:
            return record, removed
        self.removed.update(removed)
        return {**record, "prompt": prompt, "completion": completion}, removed

    def summary(self) -> str:
        """What was removed from how many records, e.g. "the prompt separator '\\n\\n###\\n\\n' (2,128)"."""
        said = {SEPARATOR: f"the prompt separator {self.separator!r}", LEADING_SPACE: "the completion's leading space",
                STOP: f"the stop sequence {self.stop!r}"}
        return ", ".join(f"{said[kind]} ({self.removed[kind]:,})" for kind in (SEPARATOR, LEADING_SPACE, STOP)
                         if self.removed[kind])
