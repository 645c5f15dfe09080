"""The terminal: whether to colour, the styles, a progress line that never mixes with the
report, and a stream that outlives a closed pipe.

Colour follows ``--color auto|always|never``; with ``auto`` (the default) NO_COLOR
(no-color.org) turns it off, FORCE_COLOR (force-color.org) on, and otherwise only a
terminal gets it, so pipes, files and CI logs never see an escape sequence.
"""

from __future__ import annotations

import os
import time
TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)

if TYPE_CHECKING:  # (--help imports this module: typing costs more than the rest of it)
    from typing import TextIO

from ftlint.escape import terminal

COLOR_CHOICES = ("auto", "always", "never")
#: The report formats people read; the others (json, sarif, junit, github, html) are never coloured.
HUMAN_FORMATS = ("text", "concise")

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "cyan": "36", "green": "32"}


def is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def color_enabled(choice: str, stream, environ=None) -> bool:
    environ = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return environ.get("TERM") != "dumb" and is_terminal(stream)


def report_color(choice: str, fmt: str, stream, to_file: bool = False, environ=None) -> bool:
    """Colour for a report: the human formats only, and in an --output-file only with ``--color always``
    (ruff's rule: a file is read later, by something other than this terminal)."""
    if fmt not in HUMAN_FORMATS or (to_file and choice != "always"):
        return False
    return color_enabled(choice, stream, environ)


class Style:
    """``style(text, "red", "bold")``: ANSI styling when enabled, the text unchanged otherwise.

    Only text ftlint writes itself is styled; data reaches it already escaped, so a
    colour code can never come from a file.
    """

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *names: str) -> str:
        if not self.enabled or not names or not text:
            return text
        return f"\x1b[{';'.join(_CODES[n] for n in names)}m{text}{_RESET}"


PLAIN = Style(False)
LEVEL_STYLES = {"error": ("red", "bold"), "warning": ("yellow", "bold"), "info": ("cyan",)}


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}" if hours else f"{rest // 60}:{rest % 60:02}"


class ProgressLine:
    """Progress of a large file on a terminal's stderr, one line rewritten in place: percentage,
    rate and time left. Whatever else is written to the terminal clears it first (see
    :class:`ClearsProgress`), so a problem line never starts on the progress line."""

    def __init__(self, err: TextIO, clock=time.monotonic):
        self.err = err
        self.clock = clock
        self.shown = False
        self.started: dict[str, tuple[float, int]] = {}

    def __call__(self, path: str, done: int, total: int) -> None:
        now = self.clock()
        start, start_done = self.started.setdefault(path, (now, done))
        text = f"{path}: {min(100, done * 100 // total)}% of {total / 1e6:,.0f} MB"
        elapsed = now - start
        if elapsed > 0.5 and done > start_done:
            rate = (done - start_done) / elapsed
            text += f", {rate / 1e6:,.1f} MB/s, {_duration(max(0, total - done) / rate)} left"
        self.err.write(f"\r\x1b[K{text}")
        self.err.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.shown = False


class ClearsProgress:
    """A report stream that clears the progress line before each write."""

    def __init__(self, stream: TextIO, progress: ProgressLine):
        self._stream = stream
        self._progress = progress

    def write(self, text: str) -> int:
        self._progress.clear()
        written = self._stream.write(text)
        self._stream.flush()
        return written

    def __getattr__(self, name):
        return getattr(self._stream, name)


class StyledDiff:
    """A unified diff for a terminal (``--diff``): file headers bold, hunk headers cyan, removed lines
    red, added lines green, and (``escape``) control characters of the data shown as escapes, since
    a diff line is the file's raw text. In a pipe or a file the diff stays byte-exact for ``patch``."""

    _LINE_STYLES = (("--- ", ("bold",)), ("+++ ", ("bold",)), ("@@", ("cyan",)), ("-", ("red",)), ("+", ("green",)))

    def __init__(self, stream: TextIO, style: Style, escape: bool):
        self._stream = stream
        self._style = style
        self._escape = escape
        self._partial = ""

    @classmethod
    def for_stream(cls, stream: TextIO, choice: str, to_file: bool = False) -> "StyledDiff":
        """Coloured as a report is (``--color``; a file only with ``always``), escaped on a terminal."""
        color = color_enabled(choice, stream) and (not to_file or choice == "always")
        return cls(stream, Style(color), escape=is_terminal(stream))

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._stream.write(self._styled(line) + "\n")
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def _styled(self, line: str) -> str:
        if self._escape:
            line = terminal(line)
        for prefix, names in self._LINE_STYLES:
            if line.startswith(prefix):
                return self._style(line, *names)
        return line

    def finish(self) -> None:
        """Write a last line that had no newline (the underlying stream stays open)."""
        if self._partial:
            self._stream.write(self._styled(self._partial))
            self._partial = ""


class ChunkedWriter:
    """A report to a pipe or file, gathered into 64 KB writes.

    A report is many short lines (one per problem: 34k duplicate warnings on a
    tiny-examples file). Under PYTHONUNBUFFERED=1, common in CI images, every
    line would otherwise be a system call of its own. Terminals are never
    wrapped (their lines show as they come).
    """

    LIMIT = 1 << 16

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self.LIMIT:
            self.drain()
        return len(text)

    def drain(self) -> None:
        """Hand what was gathered to the stream (which keeps its own buffering)."""
        if self._parts:
            text = "".join(self._parts)
            self._parts = []
            self._size = 0
            self._stream.write(text)

    def flush(self) -> None:
        self.drain()
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class PipeGuard:
    """stdout that survives its reader going away (``ftlint data/*.jsonl | head -1``): writes after
    the pipe closed are dropped, so the run finishes and keeps its exit code (errors stay 1)."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._broke()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._broke()

    def _broke(self) -> None:
        self.broken = True
        try:  # Python flushes stdout at exit: point it at /dev/null so that does not fail either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)
