"""Runtime of a Llama-tokenized run against an OpenAI-tokenized run on the same file.

    python bench/bench_open_tokenizers.py [FILE] [--pairs 5] [--tokenizer llama3]

Each run is a fresh child process that lints FILE with every default rule and
counts tokens, through ftlint's Python engine with the shipped default model,
once as it is (o200k_base, OpenAI's chat formula) and once with the model's
tokenizer replaced by the open-model one (``llama3``: llama-models' vocabulary
and the Llama 3 chat framing). The two runs of a pair follow each other (order
alternating), so machine noise hits both; the script prints each pair and the
medians. Wall time includes building the tokenizer (reading and hashing its
vocabulary). Default FILE: the real corpus' largest chat file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("FTLINT_SHARED") or REPO.parent / "shared")
DEFAULT_FILE = SHARED / "corpus" / "real" / "pypi-chitchat-dataset-0.9.0__conversations.chat.jsonl"

CHILD = r"""
import dataclasses, sys, time
start = time.perf_counter()
from ftlint.catalog import shipped_catalog
from ftlint.engine import TRAINING, Linter, RunContext
from ftlint.rules import load_rules
from ftlint.settings import Selection
from ftlint.token_stats import token_hooks
path, tokenizer = sys.argv[1], sys.argv[2]
model = shipped_catalog().default
if tokenizer != "-":
    model = dataclasses.replace(model, encoding=tokenizer)
class Sink:
    n = 0
    def problem(self, p):
        self.n += 1
linter = Linter(Selection(rules=load_rules(plugins=False)), run=RunContext(model=model, options={}), **token_hooks())
sink = Sink()
result = linter.lint_file(path, sink, role=TRAINING)
print(time.perf_counter() - start, result.stats["tokens"]["total"], result.stats["tokens"]["tokenizer"])
"""


def run(path: Path, tokenizer: str) -> tuple[float, int, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), tokenizer], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    return float(out[0]), int(out[1]), out[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--tokenizer", default="llama3")
    args = parser.parse_args()
    openai_times, open_times = [], []
    for i in range(args.pairs):
        order = [("-", openai_times), (args.tokenizer, open_times)]
        if i % 2:
            order.reverse()
        for tokenizer, times in order:
            seconds, tokens, name = run(args.file, tokenizer)
            times.append(seconds)
            print(f"pair {i + 1}: {name:<14} {seconds:7.2f} s  {tokens:,} tokens")
    a, b = statistics.median(openai_times), statistics.median(open_times)
    print(f"median: OpenAI-tokenized {a:.2f} s, {args.tokenizer}-tokenized {b:.2f} s, ratio {b / a:.2f}x "
          f"({args.pairs} pairs, {args.file.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
