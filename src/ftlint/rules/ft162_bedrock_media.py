"""Images, videos or documents where the Bedrock model does not take them.

## What it does
Reports media in assistant turns, media for a model without vision (Nova
Micro), more images in one example than the provider allows, and more videos
than it allows (one).

## Why it matters
Nova's validator rejects these examples and the job fails before training.

## Example
    {"schemaVersion": "bedrock-conversation-2024", "messages": [
      {"role": "user", "content": [{"text": "What is it?"}]},
      {"role": "assistant", "content": [{"image": {"format": "png", "source": {"s3Location": {"uri": "s3://b/a.png"}}}}]}]}

## Fix
Move media to user turns, pick a vision model (Nova Lite or Pro), or split the
example.
"""

from ftlint.problem import Finding, plural
from ftlint.rules._profile import fact, model_id

CODE = "FT162"
NAME = "bedrock-media"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("bedrock",)
PROVIDERS = ("bedrock-nova",)

MEDIA = ("image", "video", "document")


def media_blocks(data):
    """(message index, role, kind) of each media block of a Bedrock example."""
    messages = data.get("messages")
    for i, m in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(m, dict) or not isinstance(m.get("content"), list):
            continue
        for block in m["content"]:
            if isinstance(block, dict):
                for kind in MEDIA:
                    if kind in block:
                        yield i, m.get("role"), kind


def check(example, conf, ctx):
    media_roles = fact(ctx, "media_roles")
    if media_roles is None:  # the provider states nothing about media
        return
    found = list(media_blocks(example.data))
    if not found:
        return
    for i, role, kind in found:
        if role not in media_roles:
            yield Finding(f"message {i + 1} ({str(role)[:20]}) holds {'an' if kind[0] in 'aeiou' else 'a'} {kind}; Bedrock takes media in "
                          f"{' and '.join(media_roles)} turns only", json_path=f"$.messages[{i}]")
    model = ctx.model if ctx.model is not None else getattr(ctx.run, "model", None)
    if model is not None and "vision" not in getattr(model, "methods", ("vision",)):
        yield Finding(f"{model_id(ctx)} takes text only, and this example holds {plural(len(found), 'media block')}; "
                      "use a vision model or drop the media")
    for kind, key in (("image", "max_images_per_example"), ("video", "max_videos_per_example")):
        limit = fact(ctx, key)
        count = sum(1 for _, _, k in found if k == kind)
        if limit is not None and count > limit:
            yield Finding(f"this example holds {plural(count, kind)}; Bedrock takes at most {limit} per example")
