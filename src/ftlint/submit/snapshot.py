"""Private copies of the inputs, hashed while copying: the bytes linted are the bytes uploaded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ftlint.formats import DPO, PREFERENCE, SUPERVISED, record_format
from ftlint.submit.errors import SubmitError


@dataclass(frozen=True)
class Snapshot:
    """A private copy of one input file, with the digests of exactly those bytes."""

    role: str
    original: Path
    path: Path
    size: int
    sha256: str
    md5: str  # sent with the Uploads API's complete call, which checks it

    @property
    def upload_filename(self) -> str:
        # The service takes fine-tuning data only from files named *.jsonl.
        name = self.original.name or "data.jsonl"
        return name if name.endswith(".jsonl") else f"{name}.jsonl"


_COPY_CHUNK_BYTES = 1024 * 1024


def take_snapshot(role: str, original: Path, directory: Path) -> Snapshot:
    """Copy ``original`` into ``directory`` once, hashing the bytes on the way."""
    target_dir = directory / role  # training and validation may share a basename
    target_dir.mkdir(mode=0o700)
    target = target_dir / (original.name or "data.jsonl")
    sha256, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    try:
        with open(original, "rb") as source, open(target, "xb") as copy:
            while chunk := source.read(_COPY_CHUNK_BYTES):
                sha256.update(chunk)
                md5.update(chunk)
                copy.write(chunk)
                size += len(chunk)
    except IsADirectoryError:
        raise SubmitError(f"{original}: is a directory, not a JSONL file") from None
    except OSError as exc:
        raise SubmitError(f"cannot read {original}: {exc.strerror or exc}") from None
    return Snapshot(role, original, target, size, sha256.hexdigest(), md5.hexdigest())


def detect_method(path: Path) -> str:
    """Guess the training method from the first JSON line's format (ftlint.formats, the linter's
    own detection): ``dpo`` for preference data, ``supervised`` otherwise (also the service's
    default). Reinforcement files look like chat files, so that method must be asked for with --method."""
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if raw.strip():
                    first = json.loads(raw)
                    break
            else:
                return SUPERVISED
    except (OSError, ValueError, RecursionError):
        return SUPERVISED
    return DPO if isinstance(first, dict) and record_format(first) == PREFERENCE else SUPERVISED
