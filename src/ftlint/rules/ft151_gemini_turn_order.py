"""A Gemini example's turns are not in the order Vertex tunes on.

## What it does
For supervised tuning, checks that `contents` starts with a user turn and ends
with a model turn (the turn trained on), and warns at the first of two turns in
a row with the same role (two `model` turns, two `user` turns): Vertex's
messages-format tuning page said user and model turns alternate; its
contents-format page does not repeat it, so the warning says it is unconfirmed
(`[checks] turns_alternate` in the Vertex profile). For preference tuning, checks that
`contents` ends with a user turn and that `completions` holds exactly two
model turns, one with score 1 (preferred) and one with score 0, with text parts
only (Vertex's preference tuning takes no media).

## Why it matters
Vertex trains on the model turns: an example ending with a user turn teaches
nothing and a preference pair without one preferred and one dispreferred
completion is rejected.

## Example
    {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
     "completions": [{"score": 1, "completion": {"role": "model", "parts": [{"text": "Hello!"}]}}]}

## Fix
End supervised examples with the model's answer; give preference examples a
user turn last and two completions scored 1 and 0.
"""

from ftlint.problem import Finding
from ftlint.rules._limits import limit
from ftlint.rules._profile import fact

CODE = "FT151"
NAME = "gemini-turn-order"
SCOPE = "record"
LEVEL = "error"
FORMATS = ("gemini", "gemini-preference")
PROVIDERS = ("vertex",)


def _roles(contents):
    return [t.get("role") if isinstance(t, dict) else None for t in contents]


def check(example, conf, ctx):
    data = example.data
    contents = data.get("contents")
    if not isinstance(contents, list) or not contents:
        return  # FT150's
    roles = _roles(contents)
    if roles[0] != "user":
        yield Finding(f'contents starts with a {roles[0] or "malformed"} turn; the first turn must be the user\'s',
                      json_path="$.contents[0]")
    alternate = limit(ctx, "checks.turns_alternate", fact(ctx, "turns_alternate"))
    if alternate is not None and alternate.value:
        repeated = next((i for i in range(1, len(roles)) if roles[i] == roles[i - 1] in ("user", "model")), None)
        if repeated is not None:
            yield Finding(f"turn {repeated + 1} is a {roles[repeated]} turn right after another {roles[repeated]} "
                          "turn; Vertex's older tuning page says user and model turns alternate (unconfirmed for "
                          "contents files: the current page does not say); merge the two turns",
                          json_path=f"$.contents[{repeated}]", unconfirmed=not alternate.confirmed)
    if "completions" not in data:
        if roles[-1] != "model":
            yield Finding("contents ends with a user turn, so nothing is trained; end the example with the model's "
                          "answer", json_path=f"$.contents[{len(roles) - 1}]")
        return
    if roles[-1] != "user":
        yield Finding("a preference example's contents must end with a user turn (the completions answer it)",
                      json_path=f"$.contents[{len(roles) - 1}]")
    completions = data.get("completions")
    scores = [c.get("score") if isinstance(c, dict) else None for c in completions] \
        if isinstance(completions, list) else []
    if sorted(map(str, scores)) != ["0", "1"]:
        yield Finding(f"completions must be two model turns scored 1 (preferred) and 0 (dispreferred); found scores "
                      f"{scores}", json_path="$.completions")
    for i, turn in enumerate([*contents, *(c.get("completion") for c in completions if isinstance(c, dict))]
                             if isinstance(completions, list) else contents):
        parts = turn.get("parts") if isinstance(turn, dict) else None
        if isinstance(parts, list) and any(isinstance(p, dict) and "text" not in p for p in parts):
            yield Finding("this example has a non-text part, but Vertex preference tuning takes text only",
                          json_path="$.contents" if i < len(contents) else "$.completions")
            return
