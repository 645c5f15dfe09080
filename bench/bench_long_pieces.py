"""Counting one long piece: tiktoken's byte-pair merge on a long run of one character class.

    python bench/bench_long_pieces.py [--pairs 5] [--other PYTHON] [--encoding o200k_base]

tiktoken splits text with its pattern, then merges each piece's bytes by lowest
rank. Up to tiktoken 0.12 that merge scans every part of the piece for each merge:
quadratic in the piece's length, so a long run of letters (a base64 blob of zero
bytes is "AAAA..." -- one piece; under cl100k_base every run of letters is one piece)
takes seconds to count. tiktoken 0.13 merges pieces of 100 bytes and more with a heap
(same lowest-rank, leftmost-first result); ftlint requires it (pyproject.toml).

Each case is encoded in a child process of each interpreter (this one, and
``--other PYTHON``, e.g. a venv holding tiktoken 0.12), in pairs with the order
alternated; the child reports the CPU seconds of ``encode_ordinary`` alone and the
token count. Prints medians and the ratio other/this, and whether the counts agree.
Both use ftlint's offline vocabulary (handed over as a pickle), so nothing is
downloaded. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

#: name -> text. Random base64 splits into short pieces; the others are one long piece each.
def cases(rng: random.Random) -> dict[str, str]:
    return {
        "base64 of 750 KB random bytes (1 MB)": base64.b64encode(rng.randbytes(750_000)).decode(),
        "base64 of 75 KB zero bytes (100 KB 'AAAA...', one piece)": base64.b64encode(bytes(75_000)).decode(),
        "100 KB of 'a' (one piece)": "a" * 100_000,
        "100 KB random lowercase letters (one piece)": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                                                               for _ in range(100_000)),
        "100 KB of '=' (one piece)": "=" * 100_000,
    }


CHILD = r"""
import pickle, sys, time, json, tiktoken
vocab, texts = sys.argv[1], sys.argv[2]
pat, ranks = pickle.load(open(vocab, "rb"))
enc = tiktoken.Encoding("bench", pat_str=pat, mergeable_ranks=ranks, special_tokens={})
text = json.load(open(texts))[int(sys.argv[3])]
start = time.process_time()
n = len(enc.encode_ordinary(text))
print(json.dumps({"cpu": time.process_time() - start, "tokens": n,
                  "tiktoken": getattr(tiktoken, "__version__", "?")}))
"""


def measure(python: str, vocab: str, texts: str, index: int, timeout: float) -> dict:
    try:
        done = subprocess.run([python, "-c", CHILD, vocab, texts, str(index)], capture_output=True, text=True,
                              timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"cpu": float("inf"), "tokens": None, "tiktoken": "?"}
    return json.loads(done.stdout)


def version(python: str) -> str:
    return subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('tiktoken'))"],
                          capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--other", help="another interpreter (e.g. a venv with tiktoken 0.12) to pair with")
    parser.add_argument("--encoding", default="o200k_base", choices=["o200k_base", "cl100k_base"])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per child before it counts as > this")
    args = parser.parse_args()
    sys.path.insert(0, str(SRC))
    from ftlint import tokenizer

    built = tokenizer.get_encoding(args.encoding).built()
    texts = cases(random.Random(7))
    names = list(texts)
    with tempfile.TemporaryDirectory() as tmp:
        vocab, texts_path = os.path.join(tmp, "vocab.pkl"), os.path.join(tmp, "texts.json")
        with open(vocab, "wb") as fh:
            pickle.dump((built._pat_str, built._mergeable_ranks), fh)
        with open(texts_path, "w") as fh:
            json.dump([texts[n] for n in names], fh)
        pythons = [sys.executable] + ([args.other] if args.other else [])
        titles = [f"tiktoken {version(p)}" for p in pythons]
        print(f"{args.encoding}, {args.pairs} pairs, load average {os.getloadavg()[0]:.2f}; CPU seconds of "
              f"encode_ordinary, medians")
        print(f"{'case':58} " + " ".join(f"{t:>16}" for t in titles) + ("  ratio  counts" if args.other else "  tokens"))
        for index, name in enumerate(names):
            runs: list[list[dict]] = [[] for _ in pythons]
            for pair in range(args.pairs):
                order = list(range(len(pythons)))
                if pair % 2:
                    order.reverse()
                for which in order:
                    runs[which].append(measure(pythons[which], vocab, texts_path, index, args.timeout))
            medians = [statistics.median(r["cpu"] for r in rs) for rs in runs]
            row = f"{name:58} " + " ".join(f"{m:>16.3f}" for m in medians)
            if args.other:
                counts = {r["tokens"] for rs in runs for r in rs}
                row += f"  {medians[1] / medians[0]:>5.0f}x  {'equal' if len(counts) == 1 else counts}"
            else:
                row += f"  {runs[0][0]['tokens']:,}"
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
