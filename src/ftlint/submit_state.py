"""The local record of uploaded files that makes ``ftlint --submit`` idempotent.

The state file (default ``.ftlint/uploads.json``) maps base URL -> sha256 -> upload record, so the
same bytes sent to the same service are uploaded once. It never holds credentials: base URLs are
stored without any ``user:password@`` part, and nothing else from the environment is written.

Shape::

    {"version": 1,
     "uploads": {"https://api.openai.com/v1": {
         "<sha256 hex>": {"file_id": "file-...", "bytes": 123, "filename": "train.jsonl",
                          "uploaded_at": "2026-11-21T20:21:03Z"}}}}
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

STATE_VERSION = 1


def state_key_for_base_url(base_url: str) -> str:
    """The base URL as the state file stores it: no credentials, no query, no trailing slash."""
    parts = urlsplit(base_url.strip())
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), host.lower(), parts.path.rstrip("/"), "", ""))


class UploadState:
    """Upload records loaded from (and saved atomically to) one JSON file."""

    def __init__(self, path: Path, uploads: dict[str, dict[str, dict]], load_warning: str | None = None):
        self.path = path
        self._uploads = uploads
        # Set when the file existed but could not be used; the caller reports it once.
        self.load_warning = load_warning

    @classmethod
    def load(cls, path: Path) -> "UploadState":
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path, {})
        except OSError as exc:
            return cls(path, {}, f"cannot read state file {path}: {exc.strerror}; starting empty")
        try:
            data = json.loads(text)
            uploads = data["uploads"]
            if data.get("version") != STATE_VERSION or not isinstance(uploads, dict):
                raise ValueError("unexpected layout")
            if not all(isinstance(v, dict) for v in uploads.values()):
                raise ValueError("unexpected layout")
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls(path, {}, f"state file {path} is not a ftlint upload record; it will be rewritten")
        return cls(path, uploads)

    def lookup(self, base_url: str, sha256: str) -> dict | None:
        record = self._uploads.get(state_key_for_base_url(base_url), {}).get(sha256)
        if isinstance(record, dict) and isinstance(record.get("file_id"), str):
            return record
        return None

    def record(self, base_url: str, sha256: str, *, file_id: str, size: int, filename: str) -> None:
        self._uploads.setdefault(state_key_for_base_url(base_url), {})[sha256] = {
            "file_id": file_id,
            "bytes": size,
            "filename": filename,
            "uploaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def forget(self, base_url: str, sha256: str) -> None:
        by_sha = self._uploads.get(state_key_for_base_url(base_url))
        if by_sha is not None:
            by_sha.pop(sha256, None)
            if not by_sha:
                del self._uploads[state_key_for_base_url(base_url)]

    def save(self) -> None:
        """Write the whole file atomically: a crash leaves either the old or the new file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"version": STATE_VERSION, "uploads": self._uploads}, indent=2, sort_keys=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".uploads-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                tmp.write(payload + "\n")
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            raise
