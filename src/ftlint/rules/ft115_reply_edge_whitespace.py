"""Assistant replies start or end with whitespace.

## What it does
Counts the examples whose trained assistant replies (assistant messages whose
`weight` is not 0, in chat files and in the outputs of preference files) start
or end with whitespace: spaces, tabs or newlines. It reports once per file, with
how many examples do each and the first line of each, so a file where every
reply does it gets one finding, not one per line.

## Why it matters
The model is trained on every character of a reply, edges included: it learns
to begin its answers with a space or to end them with blank lines, and that
output reaches users and parsers. A leading space on every reply is usually the
legacy prompt/completion convention (FT208) carried into chat format, where it
has no purpose: the chat template already separates the reply from its header.
Seen on real data: GSM8K in chat format from Microsoft's fine-tuning samples,
where every answer starts with a space.

## Example
    {"role": "assistant", "content": " The answer is 42.\n\n"}

## Fix
Strip the whitespace at both ends of each reply when the data is built
(`reply.strip()`). Whitespace inside a reply is left alone.
"""

from ftlint.problem import Finding, where
from ftlint.rules._chat import NOT_PLAIN, REPLY_LEADS, REPLY_TRAILS, plain_shape
from ftlint.rules._tally import KindTally

CODE = "FT115"
NAME = "reply-edge-whitespace"
SCOPE = "dataset"
LEVEL = "info"
FORMATS = ("chat", "preference")

#: Where a preference example's replies are.
_OUTPUTS = ("preferred_output", "non_preferred_output")


def begin(conf, ctx):
    return KindTally()  # kinds: "start", "end"


def check(example, conf, ctx, tally):
    # A plain function, not a generator: it is called for every example.
    data = example.data
    messages = data.get("messages")
    shape = plain_shape(example) if type(messages) is list else NOT_PLAIN
    if shape != NOT_PLAIN:  # the plain scan saw the replies' edges (computed once, in a worker for large files)
        leading, trailing = shape & REPLY_LEADS, shape & REPLY_TRAILS
    elif type(messages) is list:
        leading, trailing = _edges(messages)
    else:
        leading = trailing = False
        for key in _OUTPUTS:
            output = data.get(key)
            if type(output) is list:
                more_leading, more_trailing = _edges(output)
                leading, trailing = leading or more_leading, trailing or more_trailing
    if leading:
        tally.add("start", example.position)
    if trailing:
        tally.add("end", example.position)
    return None


def _edges(messages: list) -> tuple[bool, bool]:
    """Whether some trained assistant reply among ``messages`` starts, and whether one ends, with whitespace."""
    leading = trailing = False
    for m in messages:
        if type(m) is not dict or m.get("role") != "assistant" or m.get("weight", 1) == 0:
            continue
        first, last = _ends(m.get("content"))
        leading = leading or (first[:1].isspace())
        trailing = trailing or (last[-1:].isspace())
    return leading, trailing


def _ends(content) -> tuple[str, str]:
    """The text a reply starts with and the text it ends with ("" when it has none)."""
    if type(content) is str:
        return content, content
    if type(content) is list:  # text parts: the first part's start and the last part's end are the reply's edges
        texts = [p["text"] for p in content if type(p) is dict and type(p.get("text")) is str and p["text"]]
        if texts:
            return texts[0], texts[-1]
    return "", ""


def finish(conf, ctx, tally):
    # Counts in the words' place only, so a baseline (numbers blanked) knows the finding when they change.
    parts = [f"{edge} with whitespace in {tally.count(edge):,} of {ctx.examples:,} examples (first: "
             f"{where(tally.first[edge])})" for edge in ("start", "end") if tally.count(edge)]
    if parts:
        yield Finding(f"assistant replies {' and '.join(parts)}; the model learns to write that whitespace too: "
                      "strip the replies' edges when building the data")
