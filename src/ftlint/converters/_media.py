"""Image references shared by the converters: which URL schemes a format takes and the MIME type of a file name."""

from __future__ import annotations

import re

#: Image file extensions and their MIME types (the kinds the providers name).
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def extension(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else None


def image_mime(url: str) -> str | None:
    ext = extension(url)
    return IMAGE_TYPES.get(ext) if ext else None


def image_url_part(part: dict) -> tuple[str | None, str | None]:
    """(url, problem) of an OpenAI image_url part; a detail other than auto is a problem to report."""
    image = part.get("image_url")
    if not isinstance(image, dict) or not isinstance(image.get("url"), str):
        return None, "image_url has no url"
    extra = set(image) - {"url", "detail"}
    if extra:
        return None, f'image_url field "{sorted(extra)[0]}" cannot be carried'
    if "detail" in image:
        return image["url"], f'image detail "{image["detail"]}" cannot be carried'
    return image["url"], None


#: The longest image reference a loss message shows whole.
SHOWN_URL_CHARS = 80
_ORIGIN = re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^/?#]*)(.*)", re.DOTALL)


def shown_url(url: str, limit: int = SHOWN_URL_CHARS) -> str:
    """An image reference short enough for a message, keeping what tells images apart.

    A long URL keeps its origin and its last path segment (``https://host/…/cat.png``): the images
    of one dataset share the host and folders and differ at the end, so cutting the end (as 0.3.0 did)
    printed the same text for every image. A data: URL shows its media type and its length.
    """
    if len(url) <= limit:
        return url
    if url[:5].lower() == "data:":
        return f"{url.split(',', 1)[0][:limit]},… ({len(url):,} characters)"
    found = _ORIGIN.match(url)
    if found is not None:
        origin, rest = found.groups()
        short = f"{origin}/…/{rest.rsplit('/', 1)[-1]}"
        if len(short) <= limit:
            return short
    head = (limit - 1) // 3  # the end tells images apart: keep more of it
    return url[:head] + "…" + url[len(url) - (limit - 1 - head):]


def scheme(url: str) -> str:
    return url.split(":", 1)[0].lower() + ":" if ":" in url else ""
