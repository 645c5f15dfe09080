"""Some examples start with a system message and others do not.

## What it does
Counts the chat examples whose first message is a `system` (or `developer`)
message and those whose first message is not, and warns once per file when
both kinds occur. It names how many of each and the first line of each kind.
Preference examples are judged by their input's messages.

## Why it matters
A fine-tuned model learns the instructions it saw in training. If only some
examples carry them, it learns the task twice: once with the instructions and
once without. At inference it then gets a prompt that matches only part of the
data. OpenAI's fine-tuning guide advises putting the instructions that worked
best before fine-tuning into every training example, and its best practices ask
for consistent examples. The cookbook's data check counts the examples that have
no system message (`n_missing_system`). A real case: a tic-tac-toe set of 62
examples where only the first has a system message.

## Example
    line 1:  [system, user, assistant]
    line 2+: [user, assistant]

## Fix
Give every example the system message you will send at inference (or leave it
out of all of them). If the mix is on purpose, for a model meant to work with
and without instructions, ignore this rule for the file.
"""

from ftlint.problem import Finding, plural, where

CODE = "FT407"
NAME = "inconsistent-system-prompt"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat", "preference")

#: The roles that carry instructions at the start of a conversation (developer: OpenAI's reasoning models).
INSTRUCTION_ROLES = ("system", "developer")


class _Tally:
    __slots__ = ("with_system", "without", "first_with", "first_without")

    def __init__(self):
        self.with_system = self.without = 0
        self.first_with = self.first_without = None  # Example.position of the first of each kind


def begin(conf, ctx):
    return _Tally()


def check(example, conf, ctx, tally):
    # A plain function, not a generator: it is called for every example.
    data = example.data
    messages = data.get("messages")
    if messages is None:
        source = data.get("input")
        messages = source.get("messages") if type(source) is dict else None
    if type(messages) is not list or not messages or type(messages[0]) is not dict:
        return None  # no conversation to judge (FT101/FT702 report it)
    if messages[0].get("role") in INSTRUCTION_ROLES:
        tally.with_system += 1
        if tally.first_with is None:
            tally.first_with = example.position
    else:
        tally.without += 1
        if tally.first_without is None:
            tally.first_without = example.position
    return None


def finish(conf, ctx, tally):
    if not (tally.with_system and tally.without):
        return
    total = tally.with_system + tally.without
    start = "starts" if tally.with_system == 1 else "start"
    do = "does" if tally.without == 1 else "do"
    yield Finding(
        f"{tally.with_system:,} of {plural(total, 'example')} {start} with a system message and {tally.without:,} {do} not "
        f"(first with one: {where(tally.first_with)}; first without: {where(tally.first_without)}), so the model "
        "learns the task both with and without its instructions; give every example the system message you will "
        "send at inference, or none")
