"""Image part has no usable URL.

## What it does
Checks every `image_url` content part: `image_url` must be an object with a
string `url` that is either an http(s) URL with a host or a base64 data URL
(`data:image/png;base64,...`) whose header parses and whose payload starts as
valid base64. Remote URLs are checked for form only: ftlint does not go online.
A provider that takes only base64 data URLs (`transports` of `[images]` in
`rules/providers/<id>.toml`: Together AI, Fireworks AI) gets https URLs
reported too.

## Why it matters
The server has to fetch or decode every image. Malformed parts fail
validation; a URL that does not resolve, or an image the moderation scan
rejects (people, faces, children, CAPTCHAs), is skipped by the server rather
than failing the job, so the example silently trains without it. Only the
first kind can be caught offline.

## Example
    {"type": "image_url", "image_url": "https://example.com/a.png"}
    {"type": "image_url", "image_url": {"url": "ftp://example.com/a.png"}}
    {"type": "image_url", "image_url": {"url": "data:image/png,iVBORw0..."}}

## Fix
Write `{"type": "image_url", "image_url": {"url": "https://..."}}` with a
publicly reachable https URL, or embed the file as
`data:image/jpeg;base64,<base64 of the file>`.
"""

from ftlint.problem import Finding
from ftlint.rules._chat import a_type
from ftlint.rules._limits import limit
from ftlint.rules._vision import DataURL, has_images, HTTP_URL, image_parts

CODE = "FT603"
NAME = "image-url-invalid"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("chat",)
GUARD = has_images


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an image's address; None when its form is fine."""
    scheme = url[:5].lower()
    if scheme == "data:":
        try:
            data = DataURL(url)
            if not data.is_base64:
                return "the data URL is not base64-encoded; write data:<type>;base64,<data>"
            data.head()
        except ValueError as exc:
            return f"malformed data URL: {exc}"
        return None
    if scheme.startswith("http"):
        return None if HTTP_URL.match(url) else "the URL has no host, or contains spaces"
    return f'the URL must be https://... or a base64 data URL, not "{url[:40]}"'


def check(example, conf, ctx):
    for where, part in image_parts(example):
        spec = part.get("image_url")
        if not isinstance(spec, dict):
            yield Finding(f'image_url must be an object {{"url": ...}}, not {a_type(spec)}',
                          where + ".image_url")
            continue
        url = spec.get("url")
        if not isinstance(url, str):
            yield Finding('image part needs a string "url" inside image_url', where + ".image_url")
            continue
        problem = url_problem(url)
        if problem is not None:
            yield Finding(problem, where + ".image_url.url")
        elif url[:5].lower() != "data:":
            transports = _transports(ctx)
            if transports is not None and "https" not in transports.value:
                yield Finding(f"image is a link, but {transports.provider} takes images only as base64 data URLs; "
                              f"embed the file as data:image/...;base64,...{transports.cited()}",
                              where + ".image_url.url",
                              unconfirmed=not transports.confirmed)


def _transports(ctx):
    images = ctx.run.provider.images
    return limit(ctx, "images.transports", images.transports if images is not None else None)
