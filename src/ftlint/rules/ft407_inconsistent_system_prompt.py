"""Some examples have a system message and others do not.

## What it does
Counts the chat examples that hold a `system` (or `developer`) message and
those that do not, and warns once per file when both kinds occur. It names how
many of each and the first line of each kind. Preference examples are judged
by their input's messages; a role FT102 says is misspelled ("System") counts as
the role it stands for. Examples without a list of messages are not counted
(FT101 reports them), so the counts are of conversations.

With `--validation FILE`, a validation file whose conversations all lack the
system message every training conversation has (or all have one that no
training conversation has) is reported too: its loss then measures the model
under another prompt than the one it is trained with.

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
and without instructions, ignore FT407 for that file (`per-file-ignores` in
the configuration).
"""

from ftlint.problem import Finding, where
from ftlint.rules._chat import NOT_PLAIN, meant_role, plain_shape
from ftlint.rules._tally import KindTally

CODE = "FT407"
NAME = "inconsistent-system-prompt"
SCOPE = "dataset"
LEVEL = "warning"
FORMATS = ("chat", "preference")

#: The roles that carry instructions at the start of a conversation (developer: OpenAI's reasoning models).
INSTRUCTION_ROLES = ("system", "developer")


def begin(conf, ctx):
    return KindTally()  # kinds: True (a system message), False (none)


def check(example, conf, ctx, tally):
    # A plain function, not a generator: it is called for every example.
    data = example.data
    messages = data.get("messages")
    if messages is None:
        source = data.get("input")
        messages = source.get("messages") if type(source) is dict else None
    if type(messages) is not list or not messages:
        return None  # no conversation to judge (FT101/FT702 report it)
    # A plain example (rules._chat.plain_messages) has a system message only first, and no developer one:
    # one look instead of a walk of every message (which was 5% of a run on long chats).
    plain = "messages" in data and plain_shape(example) != NOT_PLAIN
    tally.add(messages[0]["role"] == "system" if plain else _instructed(messages), example.position)
    return None


def _instructed(messages: list) -> bool:
    """Whether a system or developer message is among ``messages`` (anywhere: FT110 says when not first)."""
    for m in messages:
        if type(m) is dict:
            role = m.get("role")
            # "System", " system" count as what they stand for (FT102 reports the spelling).
            if role in INSTRUCTION_ROLES or (type(role) is str and meant_role(role.strip()) in INSTRUCTION_ROLES):
                return True
    return False


def finish(conf, ctx, tally):
    # Conversations with and without a system message over the run's training files (linted before the
    # validation file), for the validation file's comparison.
    trained = ctx.run.shared.setdefault(CODE, [0, 0])
    with_system, without = tally.count(True), tally.count(False)
    if ctx.role == "training":
        trained[0] += with_system
        trained[1] += without
    # The wording does not depend on the counts (no "starts"/"start"): a baseline blanks the
    # numbers and keeps the words, so a file whose counts change is still the same finding.
    if with_system and without:
        yield Finding(
            f"a system message is in {with_system:,} of {with_system + without:,} conversations "
            f"and not in the other {without:,} (first with one: {where(tally.first[True])}; first without: "
            f"{where(tally.first[False])}), so the model learns the task both with and without its instructions; "
            "give every example the system message you will send at inference, or none")
    elif ctx.role == "validation":
        trained_with, trained_without = trained
        if without and trained_with and not trained_without:
            yield Finding(
                f"no conversation of this validation file has a system message, but every one of the "
                f"{trained_with:,} training conversations does, so validation measures the model without the "
                "instructions it is trained with; give these conversations the training system message")
        elif with_system and trained_without and not trained_with:
            yield Finding(
                f"every conversation of this validation file has a system message, but none of the "
                f"{trained_without:,} training conversations does, so validation measures the model with "
                "instructions it is never trained with; drop the system message here, or add it to the training "
                "examples")
