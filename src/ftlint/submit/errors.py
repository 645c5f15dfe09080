"""The failure ``--submit`` reports as one line (plus hint lines) with an exit code; no traceback."""

from __future__ import annotations

from ftlint.exit_codes import EXIT_USAGE


class SubmitError(Exception):
    """A failure reported as one line (plus optional hint lines) and an exit code; no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, hints: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hints = hints
