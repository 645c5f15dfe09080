"""Record matches no training format.

## What it does
Reports an object whose keys fit none of the formats: chat (`messages`),
prompt/completion (`prompt`, `completion`) or preference (`input` with
`preferred_output` / `non_preferred_output`). It names the format expected:
the file's own, or else the formats the model trains on. Keys that are a
format's keys in other letter case (`Prompt`, `Messages`) are named as such.

## Why it matters
The server fails the job: "Unexpected file format, expected either
prompt/completion pairs or chat messages."

## Example
    {"question": "2+2?", "answer": "4"}

## Fix
Convert the record to the file's format, e.g.
`{"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}`.
"""

from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Finding

#: The top-level keys of the training formats (key names are case-sensitive).
FORMAT_KEYS = frozenset({"messages", "tools", "functions", "parallel_tool_calls", "prompt", "completion", "input",
                         "preferred_output", "non_preferred_output"})
SHAPES = {
    "chat": '{"messages": [...]}',
    "completion": '{"prompt": "...", "completion": "..."}',
    "preference": '{"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}',
}

CODE = "FT020"
NAME = "unknown-record-format"
SCOPE = "record"
LEVEL = "error"


def check(example, conf, ctx):
    if example.format is not None:
        return None  # a plain function, not a generator: called for every example
    return _findings(example.data, ctx)


def _findings(data, ctx):
    miscased = [k for k in data if k.strip().lower() in FORMAT_KEYS and k not in FORMAT_KEYS and k.strip().lower() not in data]
    if miscased:
        renames = ", ".join(f'"{k}" to "{k.strip().lower()}"' for k in miscased)
        yield Finding(f"record's keys differ from the format's only in letter case or spaces; key names are "
                      f"case-sensitive, so rename {renames}")
        return
    keys = ", ".join(sorted(data)[:6]) or "no keys"
    yield Finding(f"record has keys ({keys}) that fit no training format; expected {expected_format(ctx)}")


def _shaped(fmt: str) -> str:
    shape = SHAPES.get(fmt)
    return FORMAT_TITLES.get(fmt, fmt) + (f", {shape}" if shape else "")


def expected_format(ctx) -> str:
    """The file's format, or else the formats the model trains on, with their shapes."""
    if ctx.format is not None:
        return f"{_shaped(ctx.format)}, like the rest of the file"
    model = ctx.model
    if model is not None and model.formats:
        return " or ".join(_shaped(f) for f in model.formats) + f" (what {model.id} trains on)"
    return _shaped("chat")
