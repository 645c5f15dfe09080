"""File starts with a UTF-8 byte order mark.

## What it does
Reports the invisible byte order mark (EF BB BF) that some Windows editors put at
the start of a file, when the run's provider forbids it (`bom = "forbidden"` in
`[files]` of `rules/providers/<id>.toml`: OpenAI, Together, Fireworks). Azure
OpenAI accepts files with and without a BOM (`bom = "allowed"`), so there the
rule finds nothing.

## Why it matters
A JSON parser reading the first line sees the BOM before `{` and rejects it, so
the first example fails to parse on the server although it looks fine in an editor.

## Example
The bytes `EF BB BF 7B 22 6D ...` at the start of the file.

## Fix
Save the file as "UTF-8" rather than "UTF-8 with BOM", or run `ftlint --fix`.
"""

from ftlint.problem import Finding
from ftlint.reader import BOM
from ftlint.rules._limits import limit

CODE = "FT003"
NAME = "utf8-bom"
SCOPE = "line"
LEVEL = "error"
EVENTS = (BOM,)
FIXABLE = "safe"


def check(line, conf, ctx):
    rule = limit(ctx, "files.bom", ctx.run.provider.files.bom)
    if rule.value != "forbidden":
        return
    yield Finding(f"file starts with a UTF-8 byte order mark; save it without the BOM{ctx.fix_hint()}{rule.cited()}",
                  column=1, unconfirmed=not rule.confirmed)
