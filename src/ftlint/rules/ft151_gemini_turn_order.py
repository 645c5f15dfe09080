"""A Gemini example's turns are not in the order Vertex tunes on.

## What it does
For supervised tuning, checks that `contents` starts with a user turn and ends
with a model turn (the turn trained on). For preference tuning, checks that
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
