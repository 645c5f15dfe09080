"""Everything ``--submit`` prints goes through :class:`Console`: redacted and escaped.

Keys (and anything shaped like one) are redacted; text that came from the
server (ids, statuses, messages) is shown through :func:`server_text`, which
escapes control characters and terminal escape sequences and bounds the length.
"""

from __future__ import annotations

import base64
import os
import re
import urllib.parse
from typing import TextIO

from ftlint import escape

_KEY_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)\b(bearer)\s+[^\s'\"]+"),
    re.compile(r"(?i)\b(api[-_]?key[\"']?\s*[:=]\s*[\"']?)[^\s'\",}]+"),
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove the API key, and anything shaped like a key, from text meant for a human."""
    for secret in secrets:
        for form in _encoded_forms(secret):
            text = text.replace(form, "[REDACTED]")
    text = _KEY_PATTERNS[0].sub("sk-[REDACTED]", text)
    text = _KEY_PATTERNS[1].sub(lambda m: f"{m.group(1)} [REDACTED]", text)
    return _KEY_PATTERNS[2].sub(lambda m: f"{m.group(1)}[REDACTED]", text)


def _encoded_forms(secret: str) -> list[str]:
    """The key as it is and as a server may echo it: URL-encoded and base64 (attack report F15)."""
    if not secret:
        return []
    raw = secret.encode()
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(raw).decode())
        forms.add(encode(raw).decode().rstrip("="))
    return sorted(forms, key=len, reverse=True)  # the longest first: a form may contain another


def _environment_secrets() -> tuple[str, ...]:
    from ftlint.providers import all_providers

    # Every submitting provider's key variable (its profile's [submit] key_variable), and OpenAI's admin key.
    names = ("OPENAI_ADMIN_KEY", *(p.submit.key_variable for p in all_providers() if p.submit is not None))
    # Short values would redact ordinary words; real keys are long.
    return tuple(v for v in (os.environ.get(n, "").strip() for n in names) if len(v) >= 8)


class Console:
    """Every line ftlint --submit prints goes through here, redacted."""

    def __init__(self, stdout: TextIO, stderr: TextIO):
        self._stdout = stdout
        self._stderr = stderr
        self._secrets = _environment_secrets()
        isatty = getattr(stdout, "isatty", None)
        self.is_tty = bool(isatty and isatty())
        self._progress_shown = False

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self._stdout.write("\r\x1b[K")
            self._progress_shown = False

    def out(self, text: str = "") -> None:
        self._clear_progress()
        self._stdout.write(redact(text, self._secrets) + "\n")
        self._stdout.flush()

    def err(self, text: str) -> None:
        self._clear_progress()
        self._stdout.flush()
        self._stderr.write(redact(text, self._secrets) + "\n")
        self._stderr.flush()

    def progress(self, text: str) -> None:
        """A single self-overwriting status line; only on a terminal, never in logs or pipes."""
        if not self.is_tty:
            return
        self._stdout.write("\r\x1b[K" + redact(text, self._secrets))
        self._stdout.flush()
        self._progress_shown = True

    def end_progress(self) -> None:
        self._clear_progress()


def server_text(value: object) -> str:
    """An id, status or message from the server, safe to print: escaped and bounded in length."""
    return escape.bounded(value)
