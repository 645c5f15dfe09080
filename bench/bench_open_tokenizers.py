"""Runtime of a Llama-tokenized run against an OpenAI-tokenized run on the same file.

    python bench/bench_open_tokenizers.py [FILE] [--pairs 5] [--tokenizer llama3]
    python bench/bench_open_tokenizers.py [FILE] [--pairs 5] --cli

With ``--cli`` each run is the command line a user types, in a fresh process:
``ftlint --provider together --model meta-llama/Llama-3.3-70B-Instruct-Reference FILE``
against ``ftlint --model gpt-4o-mini FILE`` (both ``--isolated --no-cache --jobs 1``:
no config, no result cache, one process, so the pair differs only in provider,
model and tokenizer); the time is the process's wall time, start-up included.

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
import time
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


#: The two command lines --cli compares: (label, extra arguments).
CLI_RUNS = (("gpt-4o-mini", ["--model", "gpt-4o-mini"]),
            ("together llama3", ["--provider", "together", "--model", "meta-llama/Llama-3.3-70B-Instruct-Reference"]))


def run_cli(path: Path, extra: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    argv = [sys.executable, "-m", "ftlint", "--isolated", "--no-cache", "--jobs", "1", "--quiet", *extra, str(path)]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the file has problems, which is fine here
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def main_cli(path: Path, pairs: int) -> int:
    times: dict[str, list[float]] = {label: [] for label, _ in CLI_RUNS}
    for i in range(pairs):
        order = list(CLI_RUNS) if i % 2 == 0 else list(reversed(CLI_RUNS))
        for label, extra in order:
            seconds = run_cli(path, extra)
            times[label].append(seconds)
            print(f"pair {i + 1}: {label:<16} {seconds:7.2f} s")
    (a_label, _), (b_label, _) = CLI_RUNS
    a, b = statistics.median(times[a_label]), statistics.median(times[b_label])
    print(f"median: {a_label} {a:.2f} s, {b_label} {b:.2f} s, ratio {b / a:.2f}x ({pairs} pairs, {path.name}; "
          f"load average after: {os.getloadavg()[0]:.2f})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--tokenizer", default="llama3")
    parser.add_argument("--cli", action="store_true", help="time the two ftlint command lines (see above)")
    args = parser.parse_args()
    if args.cli:
        print(f"load average: {os.getloadavg()[0]:.2f}")
        return main_cli(args.file, args.pairs)
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
