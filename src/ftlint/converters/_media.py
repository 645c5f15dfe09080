"""Image references shared by the converters: which URL schemes a format takes and the MIME type of a file name."""

from __future__ import annotations

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


def scheme(url: str) -> str:
    return url.split(":", 1)[0].lower() + ":" if ":" in url else ""
