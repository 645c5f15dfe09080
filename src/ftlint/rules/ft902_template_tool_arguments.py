"""Tool-call arguments are of the type the chat template cannot take.

## What it does
With `--chat-template`, reports a tool call whose `function.arguments` is a
JSON string where the template writes `arguments | tojson` (Qwen 2.5, Llama 3
through llama-models, and any template that does the same), or an object where
the template writes the arguments as given.

## Why it matters
The OpenAI wire format sends arguments as a JSON string. A template that
expects an object encodes that string again, so the model is trained to emit
`"{\"city\": \"Paris\"}"` (a quoted, escaped string) instead of a call: it
learns the wrong output silently.

## Example
    --chat-template qwen2.5
    {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}]}

## Fix
Parse the arguments into an object (`json.loads`) when converting for this
template, or keep strings for a template that writes them as given.
"""

from ftlint.problem import Finding
from ftlint.trainer_formats import CONVERSATIONAL
from ftlint.rules._template import checks_examples  # noqa: F401 - without --chat-template: nothing to check

CODE = "FT902"
NAME = "template-tool-arguments"
SCOPE = "record"
LEVEL = "error"
FORMATS = CONVERSATIONAL


def _calls(messages):
    for i, m in enumerate(messages):
        if isinstance(m, dict) and isinstance(m.get("tool_calls"), list):
            for j, call in enumerate(m["tool_calls"]):
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and "arguments" in function:
                    yield i, j, function["arguments"]


def check(example, conf, ctx):
    from ftlint.chat_template import conversation, message_path, settings_of

    settings = settings_of(ctx)
    if settings is None:
        return
    wants = settings.spec.tool_arguments
    conv = conversation(example, ctx) if wants in ("object", "string") else None
    if conv is None:
        return
    messages = conv[0]
    wrong = [(i, j) for i, j, args in _calls(messages)
             if (wants == "object" and isinstance(args, str)) or (wants == "string" and isinstance(args, dict))]
    if not wrong:
        return
    i, j = wrong[0]
    more = f" (and {len(wrong) - 1} more in this example)" if len(wrong) > 1 else ""
    if wants == "object":
        yield Finding(f"tool call arguments are a JSON string{more}, but the {settings.spec.label} template encodes "
                      "them as JSON again, so the model is trained on a quoted, escaped string; "
                      "parse them into a JSON object for this template", message_path(example, f"[{i}].tool_calls[{j}].function.arguments"))
    else:
        yield Finding(f"tool call arguments are an object{more}, but the {settings.spec.label} template writes "
                      "them as given; serialize them to a JSON string for this template",
                      message_path(example, f"[{i}].tool_calls[{j}].function.arguments"))
