"""Class labels: is a file a classification set, and which labels does it use?

The trained target of an example (the legacy completion, or the final
assistant message's text) is its label. A file is taken as classification
when its labels repeat: at most ``max_labels`` distinct values (default 50)
cover at least 90% of the examples that have a target, with 3 or more
examples per label on average (the legacy ``prepare_data`` tool's test:
fewer distinct completions than a third of the rows).

One :class:`LabelTally` per file is shared (through ``ctx.shared``) by the
label rules (FT306-FT308) and the token stats; it is an engine collector
(:func:`collector`), so each example is tallied once, with no call per label rule. Memory is bounded: targets longer than ``MAX_LABEL_CHARS`` are not
labels, and past ``TRACK_LIMIT`` distinct labels the tally gives up (the file
is not classification).
"""

from __future__ import annotations

from collections import Counter

from ftlint.formats import COMPLETION, Example

DEFAULT_MAX_LABELS = 50
MIN_COVERAGE = 0.9
MIN_EXAMPLES_PER_LABEL = 3
#: Longer targets are free text, not class labels.
MAX_LABEL_CHARS = 100
#: Distinct labels kept before giving up (well above any max_labels setting).
TRACK_LIMIT = 1000


class LabelTally:
    def __init__(self, fmt: str | None, stop: str | None = None) -> None:
        self.format = fmt
        self.stop = stop or None
        self.counts: Counter = Counter()
        self.targets = 0  # examples with a target, labelled or not
        self.gave_up = False
        #: The last example tallied: several consumers feed each example. Its identity, not its
        #: line: every element of a one-line JSON array is on line 1. Kept only until the next one.
        self._last: Example | None = None
        # Asked once per example (label_of): the longest label, and the stop sequence a label may end with.
        self._longest = MAX_LABEL_CHARS + len(self.stop or "")
        self._strip = self.stop if self.stop and fmt == COMPLETION else None

    def label(self, example: Example) -> str | None:
        """The example's label: its target text (legacy: without the stop sequence), if short."""
        return self.label_of(example.target_text)

    def label_of(self, text: str | None) -> str | None:
        """The label a target text is (see :meth:`label`), or None."""
        if text is None or len(text) > self._longest:
            return None
        # In a skewed set the "stop sequence" learned from the majority can be
        # the majority label itself (" 9"); a label is never stripped to nothing.
        stop = self._strip
        if stop is not None and text.endswith(stop) and len(text) > len(stop):
            text = text[: -len(stop)]
        return text if text and not text.isspace() else None  # text.strip() without the copy

    def add(self, example: Example) -> None:
        if example is self._last:
            return
        self._last = example
        target = example.split[1]
        if target is None:
            return
        self.targets += 1
        if self.gave_up:
            return
        # A string target is its own text (Example.target_text): the usual label, with no call to find it.
        label = self.label_of(target if type(target) is str else example.target_text)
        if label is None:
            return
        counts = self.counts
        if label not in counts and len(counts) >= TRACK_LIMIT:
            self.gave_up = True
            counts.clear()
            return
        counts[label] += 1

    def result(self) -> dict:
        return {}  # reported by the token stats (classes) and the label rules' finish

    def classes(self, max_labels: int = DEFAULT_MAX_LABELS) -> Counter | None:
        """The class distribution when the file looks like classification, else None."""
        if self.gave_up or len(self.counts) < 2 or len(self.counts) > max_labels:
            return None
        covered = sum(self.counts.values())
        if covered < MIN_COVERAGE * self.targets:
            return None
        if covered < MIN_EXAMPLES_PER_LABEL * len(self.counts):
            return None
        return self.counts

    def token_form(self, label: str) -> str:
        """The label as the model produces it: legacy completions start with a space."""
        if self.format == COMPLETION and not label.startswith(" "):
            return " " + label
        return label


def tally_for(ctx) -> LabelTally:
    """The file's shared tally (created on first use)."""
    tally = ctx.shared.get("labels")
    if tally is None:
        tally = ctx.shared["labels"] = LabelTally(ctx.format, ctx.conventions.get("stop"))
    return tally


def collector(ctx) -> LabelTally:
    """The engine collector (engine.default_collectors) that fills the file's tally."""
    return tally_for(ctx)


# The label rules (FT306-FT308) share one tally per file: each takes this as its
# begin, and reads the tally its collector filled in finish.
def begin(conf, ctx) -> LabelTally:
    return tally_for(ctx)


def training_classes(ctx, tally: LabelTally, max_labels: int):
    """The class counts of a training file that looks like classification, else None."""
    if ctx.role != "training":
        return None
    return tally.classes(max_labels)
