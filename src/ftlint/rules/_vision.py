"""Image parts of chat examples (openai-ft-facts.md, section 2.5)."""

from __future__ import annotations

import base64
import binascii
import re

from ftlint.rules._chat import all_messages, message_facts

#: The image types vision fine-tuning accepts, by data-URL media type.
#: image/jpg is not a registered type but is widely written and read as JPEG.
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/jpg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
DETAILS = ("low", "high", "auto")

DATA_URL = re.compile(r"data:(?P<type>[^;,]*)(?P<params>(?:;[^;,]*)*),", re.IGNORECASE)
HTTP_URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
#: Enough base64 text to see any of the signatures below (multiple of 4).
SNIFF_CHARS = 24


def has_images(example, ctx=None) -> bool:
    """Cheap pre-check: images need content parts, which most examples do not use."""
    return message_facts(example).has_parts


def image_parts(example) -> list[tuple[str, dict]]:
    """(json_path, part) for every `image_url` content part, in any message."""
    if not has_images(example):
        return []
    found = []
    for where, m in all_messages(example):
        content = m.get("content")
        if isinstance(content, list):
            for j, part in enumerate(content):
                if isinstance(part, dict) and part.get("type") == "image_url":
                    found.append((f"{where}.content[{j}]", part))
    return found


def image_url(part: dict) -> str | None:
    spec = part.get("image_url")
    url = spec.get("url") if isinstance(spec, dict) else None
    return url if isinstance(url, str) else None


class DataURL:
    """The header of a base64 data URL and what its payload size and first bytes are.

    Only the first few base64 characters are decoded: the size follows from
    the payload's length, so a 10 MB image is never decoded to be measured.
    """

    __slots__ = ("media_type", "is_base64", "payload_start", "url")

    def __init__(self, url: str):
        match = DATA_URL.match(url)
        if match is None:
            raise ValueError("a data URL must look like data:image/png;base64,<data>")
        self.url = url
        self.media_type = match.group("type").strip().lower()
        self.is_base64 = "base64" in (p.strip().lower() for p in match.group("params").split(";"))
        self.payload_start = match.end()

    @property
    def decoded_size(self) -> int:
        """Bytes the base64 payload decodes to (whitespace not counted)."""
        payload = self.url[self.payload_start:]
        length = len(payload)
        if any(c in payload for c in " \n\r\t"):
            length -= sum(payload.count(c) for c in " \n\r\t")
        padding = 2 if payload.endswith("==") else 1 if payload.endswith("=") else 0
        return max(0, length * 3 // 4 - padding)

    def head(self) -> bytes:
        """The first decoded bytes; raises ValueError when they are not base64."""
        chunk = self.url[self.payload_start:self.payload_start + SNIFF_CHARS]
        chunk = chunk[: len(chunk) // 4 * 4]
        try:
            return base64.b64decode(chunk, validate=True)
        except binascii.Error:
            raise ValueError("its payload is not valid base64") from None


def sniff_image_type(head: bytes) -> str | None:
    """The image format the bytes start with, when they start with a known signature."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:2] == b"BM":
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None
