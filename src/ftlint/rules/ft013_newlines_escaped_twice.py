r"""Most texts hold `\n` as two characters: newlines escaped twice.

## What it does
Counts the examples whose completion (prompt/completion data) or message
contents (chat) contain a backslash followed by `n`, that is `\\n` in the JSON
text, which the model sees as the two characters `\` and `n`. When that is
more than half of the file's examples, warns once for the file.

## Why it matters
This is what text escaped twice looks like: a script ran `json.dumps` on text
that was already JSON-escaped, or wrote `"\\n"` in code. The model then learns
to print a backslash and an `n` where it should start a new line, and every
answer it gives is visibly broken.

## Example
    {"prompt": "List two fruits ->", "completion": " apple\\nbanana END"}

## Fix
Unescape the texts once, e.g. `text.replace("\\n", "\n")` in the script
that builds the file (check that the source really meant newlines).
"""

from ftlint.problem import Finding, plural

CODE = "FT013"
NAME = "newlines-escaped-twice"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat", "completion")

#: A backslash and an n inside a JSON string, as the line's bytes hold it.
ESCAPED_TWICE_BYTES = b"\\\\n"
ESCAPED_TWICE = "\\n"
#: Files with fewer such examples are not judged (a few literal backslash-n are real text).
MIN_EXAMPLES = 3


def begin(conf, ctx):
    return {"examples": 0, "escaped": 0, "first": None}


def _texts(data: dict):
    completion = data.get("completion")
    if isinstance(completion, str):
        yield completion
    messages = data.get("messages")
    if isinstance(messages, list):
        for m in messages:
            if isinstance(m, dict) and isinstance(m.get("content"), str):
                yield m["content"]


def check(example, conf, ctx, state):
    state["examples"] += 1
    raw = example.raw
    # cheap: most lines stop here (find, not ``in``: see FT112)
    if raw is not None and raw.find(ESCAPED_TWICE_BYTES) < 0:
        return
    if any(ESCAPED_TWICE in text for text in _texts(example.data)):
        state["escaped"] += 1
        if state["first"] is None:
            state["first"] = example.line


def finish(conf, ctx, state):
    escaped, examples = state["escaped"], state["examples"]
    if escaped >= MIN_EXAMPLES and escaped * 2 > examples:
        where = "completions" if ctx.format == "completion" else "examples' message contents"
        yield Finding(f"{escaped:,} of {plural(examples, 'example')} ({where}; first on line {state['first']}) contain "
                      "a backslash followed by n where a newline belongs: the newlines were escaped twice, so the "
                      "model learns to write \\n literally; unescape the text once where the file is built")
