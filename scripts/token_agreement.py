"""Agreement of ftlint's open-model token counts with the families' own packages.

For every chat example (``{"messages": [...]}``, string contents, roles
system/user/assistant) in the real corpus (../shared/corpus/real, or
$FTLINT_SHARED/corpus/real), compare ftlint's count with the count of the
family package's own chat encoder:

* llama3: llama_models.llama3.chat_format.ChatFormat (``<|begin_of_text|>`` +
  ``encode_message`` of every message);
* llama4: llama_models' Llama 4 tokenizer, with the Llama 4 ChatFormat's framing
  built from its special tokens (its chat_format module needs torch);
* mistral-tekken, mistral-v3, mistral-v1: mistral_common's ``encode_chat_completion`` in
  fine-tuning mode (the package validates the conversation; examples it rejects
  are counted as "rejected by the package", not compared);
* qwen2: dashscope's QwenTokenizer on the rendered ChatML text (special tokens parsed).

Prints one line per tokenizer: examples compared, equal, and the largest
difference. Needs ``pip install -e '.[llama,mistral,qwen]'``.

    python scripts/token_agreement.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ftlint.counting import counter_for

REPO = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    shared = os.environ.get("FTLINT_SHARED")
    return Path(shared) / "corpus" / "real" if shared else REPO.parent / "shared" / "corpus" / "real"


def plain_chats(directory: Path):
    """(file, line, messages) of chat examples with string contents and the three basic roles."""
    for path in sorted(directory.glob("*.jsonl")):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    data = json.loads(line)
                except ValueError:
                    continue
                messages = data.get("messages") if type(data) is dict else None
                if type(messages) is not list or not messages or data.get("tools") or data.get("functions"):
                    continue
                if all(
                    type(m) is dict and m.get("role") in ("system", "user", "assistant")
                    and type(m.get("content")) is str and set(m) <= {"role", "content", "weight"}
                    for m in messages
                ):
                    yield path.name, number, messages


def llama3_reference():
    from llama_models.datatypes import RawMessage, StopReason
    from llama_models.llama3.chat_format import ChatFormat
    from llama_models.llama3.tokenizer import Tokenizer

    chat = ChatFormat(Tokenizer.get_instance())
    bos = chat.tokenizer.special_tokens["<|begin_of_text|>"]

    def count(messages):
        tokens = [bos]
        for m in messages:
            raw = RawMessage(role=m["role"], content=m["content"], stop_reason=StopReason.end_of_turn)
            tokens += chat.encode_message(raw, None)[0]
        return len(tokens)

    return count


def llama4_reference():
    from llama_models.llama4.tokenizer import Tokenizer

    tok = Tokenizer.get_instance()
    special = tok.special_tokens

    def count(messages):  # Llama 4 ChatFormat.encode_message, piece by piece
        tokens = [special["<|begin_of_text|>"]]
        for m in messages:
            tokens += [special["<|header_start|>"], *tok.encode(m["role"], bos=False, eos=False),
                       special["<|header_end|>"], *tok.encode("\n\n", bos=False, eos=False)]
            tokens += tok.encode(m["content"], bos=False, eos=False)
            tokens.append(special["<|eot|>"])
        return len(tokens)

    return count


def mistral_reference(filename):
    import mistral_common
    from mistral_common.protocol.instruct.messages import AssistantMessage, SystemMessage, UserMessage
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from mistral_common.protocol.instruct.validator import ValidationMode
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    path = Path(mistral_common.__file__).parent / "data" / filename
    tokenizer = MistralTokenizer.from_file(str(path), mode=ValidationMode.finetuning)
    kinds = {"system": SystemMessage, "user": UserMessage, "assistant": AssistantMessage}

    def count(messages):
        request = ChatCompletionRequest(messages=[kinds[m["role"]](content=m["content"]) for m in messages])
        return len(tokenizer.encode_chat_completion(request).tokens)

    return count


def qwen_reference():
    import dashscope

    path = Path(dashscope.__file__).parent / "resources" / "qwen.tiktoken"
    from dashscope.tokenizers.qwen_tokenizer import QwenTokenizer

    tok = QwenTokenizer(str(path))

    def count(messages):
        # One message at a time: the special tokens separate them anyway, and dashscope
        # cuts texts over 100,000 characters into chunks, which would change the count.
        return sum(len(tok.encode(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n")) for m in messages)

    return count


REFERENCES = {
    "llama3": llama3_reference,
    "llama4": llama4_reference,
    "mistral-tekken": lambda: mistral_reference("tekken_240718.json"),
    "mistral-v3": lambda: mistral_reference("mistral_instruct_tokenizer_240323.model.v3"),
    "mistral-v1": lambda: mistral_reference("tokenizer.model.v1"),
    "qwen2": qwen_reference,
}


def agreement(name: str, examples: list) -> dict:
    reference = REFERENCES[name]()
    counter = counter_for(name)
    compared = equal = rejected = 0
    worst = (0, None)
    for file, line, messages in examples:
        try:
            theirs = reference(messages)
        except Exception:  # the package refuses the conversation (e.g. roles do not alternate)
            rejected += 1
            continue
        ours = counter.chat({"messages": messages}).total
        compared += 1
        if ours == theirs:
            equal += 1
        elif abs(ours - theirs) > abs(worst[0]):
            worst = (ours - theirs, f"{file}:{line}")
    return {"compared": compared, "equal": equal, "rejected": rejected, "worst": worst}


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else corpus_dir()
    examples = list(plain_chats(directory))
    print(f"{len(examples)} chat examples from {directory}")
    for name in REFERENCES:
        r = agreement(name, examples)
        share = 100 * r["equal"] / r["compared"] if r["compared"] else 0.0
        worst = f"; largest difference {r['worst'][0]:+d} at {r['worst'][1]}" if r["worst"][1] else ""
        print(f"{name:<15} {r['equal']:,}/{r['compared']:,} equal ({share:.2f}%), "
              f"{r['rejected']:,} rejected by the package{worst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
