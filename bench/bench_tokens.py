"""Token-counting benchmark: ftlint (the real CLI, default rules) vs naive vs floor.

    python bench/bench_tokens.py [FILE ...] [--model gpt-4o-mini] [--repeat 1]

Default files: bench/data/chitchat_pairs.chat.jsonl and
bench/data/chitchat_prefixes.chat.jsonl, made by
``bash ../shared/corpus/real/fetch_pypi_data.sh bench/data --with-prefixes``.

Each contender runs in its own child process, one after the other on the same
machine, so its wall time and memory are its own: peak RSS of the largest
process (``os.wait4`` rusage) and peak PSS of the whole process tree (sampled
from /proc; it counts ftlint's worker processes, shared pages split once):

* ftlint: ``python -m ftlint FILE --model M --format json`` (every default rule,
  the token rules, stats and cost), output discarded;
* naive: what a user would write: ``json.loads`` every line into a list, then
  ``encode`` every string value of every message with tiktoken;
* floor: ``orjson.loads`` every line and encode every *distinct* string once
  (the least work any exact counter must do).

All three use ftlint's offline vocabularies (the same tiktoken Encoding), so
none downloads anything. Prints a table; timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
DEFAULT_FILES = [HERE / "data" / "chitchat_pairs.chat.jsonl", HERE / "data" / "chitchat_prefixes.chat.jsonl"]

NAIVE = r"""
import json, sys
from ftlint.catalog import shipped_catalog
from ftlint.tokenizer import get_encoding
enc = get_encoding(shipped_catalog().resolve(sys.argv[2]).encoding)
with open(sys.argv[1], encoding="utf-8") as f:
    rows = [json.loads(line) for line in f if line.strip()]
total = 0
for row in rows:
    for message in row.get("messages", ()):
        for value in message.values():
            if isinstance(value, str):
                total += len(enc.encode(value))
print(total)
"""

FLOOR = r"""
import sys, orjson
from ftlint.catalog import shipped_catalog
from ftlint.tokenizer import get_encoding
encode = get_encoding(shipped_catalog().resolve(sys.argv[2]).encoding).encode_ordinary
seen = {}
total = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if not line.strip():
            continue
        for message in orjson.loads(line).get("messages", ()):
            for value in message.values():
                if type(value) is str:
                    n = seen.get(value)
                    if n is None:
                        n = seen[value] = len(encode(value))
                    total += n
print(total)
"""


def _process_tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            for child in handle.read().split():
                pids += _process_tree(int(child))
    except OSError:
        pass
    return pids


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its descendants (shared pages split between them)."""
    total = 0
    for each in _process_tree(pid):
        try:
            with open(f"/proc/{each}/smaps_rollup") as handle:
                total += sum(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except OSError:
            pass
    return total


def run_child(argv: list[str]) -> tuple[float, int, int, int]:
    """(wall seconds, peak RSS MB of the largest process, peak PSS MB of the tree, exit code).

    ftlint forks worker processes on large files: their memory is in the
    tree's PSS, sampled from /proc every 50 ms while the child runs.
    """
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not done.wait(0.05):
            peak_pss = max(peak_pss, _tree_pss_kb(proc.pid))

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return seconds, usage.ru_maxrss // 1024, peak_pss // 1024, os.waitstatus_to_exitcode(status)


def contenders(path: Path, model: str) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "ftlint": [py, "-m", "ftlint", str(path), "--model", model, "--format", "json"],
        "naive": [py, "-c", NAIVE, str(path), model],
        "floor": [py, "-c", FLOOR, str(path), model],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--model", default="gpt-4o-mini")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; the best time is kept")
    parser.add_argument("--only", help="comma-separated contenders to run (ftlint,naive,floor)")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}  model: {args.model}")
    print(f"{'file':<32} {'contender':<8} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12} {'peak PSS MB':>12} {'vs ftlint':>10}")
    for path in args.files:
        if not path.exists():
            print(f"{path}: missing (run fetch_pypi_data.sh, see the docstring)")
            continue
        size_mb = path.stat().st_size / 1e6
        times = {}
        for name, argv in contenders(path, args.model).items():
            if only and name not in only:
                continue
            best = None
            for _ in range(args.repeat):
                seconds, rss, pss, code = run_child(argv)
                if code not in (0, 1):  # ftlint exits 1 when it finds problems
                    print(f"{name} failed with exit code {code}")
                if best is None or seconds < best[0]:
                    best = (seconds, rss, pss)
            times[name] = best[0]
            ratio = f"{best[0] / times['ftlint']:.2f}x" if "ftlint" in times else ""
            print(f"{path.name:<32} {name:<8} {best[0]:>8.2f} {size_mb / best[0]:>7.1f} {best[1]:>12,} {best[2]:>12,} {ratio:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
