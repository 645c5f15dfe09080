"""Which training method a file is linted for, when ``--method`` does not say.

The format alone says supervised for chat and DPO for preference data. The
model and the data can say more: a model that trains with only one method on
this format (o4-mini: reinforcement only) is trained with that one, and chat
data with no assistant turn at its start (the RFT shape: the grader, not an
assistant reply, is the target) is reinforcement data when the model takes
RFT. Linting such data as supervised reports every line (171 errors on a real
RFT file, and ``--fix --unsafe-fixes`` deleted it), so the report says which
method was chosen and why.
"""

from __future__ import annotations

from ftlint.formats import CHAT, DEFAULT_METHOD, DPO, METHOD_FORMATS, REINFORCEMENT

METHOD_TITLES = {"supervised": "supervised", "dpo": "DPO", "reinforcement": "reinforcement"}


def infer(fmt: str | None, model, conventions: dict) -> tuple[str | None, str | None]:
    """(method, why) for a file of ``fmt`` and ``model``; ``why`` is None when the format decided."""
    default = DEFAULT_METHOD.get(fmt)
    if conventions.get("preference") and fmt in METHOD_FORMATS.get(DPO, ()) and default != DPO:
        return DPO, "most of the first examples are preference pairs, the shape of DPO data"
    if fmt is None or model is None:
        return default, None
    methods = [m for m in model.methods if fmt in METHOD_FORMATS.get(m, ())]
    if len(methods) == 1 and methods[0] != default:
        only = methods[0]
        return only, f"{model.id} trains only with {METHOD_TITLES.get(only, only)} fine-tuning"
    if fmt == CHAT and conventions.get("no_assistant") and REINFORCEMENT in methods:
        return REINFORCEMENT, (f"no example at the start of the file has an assistant turn (the shape of RFT data) "
                               f"and {model.id} takes reinforcement fine-tuning")
    return default, None
