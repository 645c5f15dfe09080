"""Chat-template check speed: examples per second with --chat-template FAMILY vs plain linting.

    python bench/bench_template_check.py [FILE ...] [--families llama3,qwen2.5,mistral,gemma3] [--pairs 3]

Default file: $FTLINT_SHARED/corpus/real/ (else ../shared/corpus/real/) microsoft-foundry-fine-tuning__gsm8k_chat_train.jsonl.

Each run is the real CLI in its own child process (``python -m ftlint FILE -q
--exit-zero --no-cache``), plain and with ``--chat-template F --max-seq-length 2048``,
alternated in pairs on the same machine; the table shows the median wall time
of each, examples per second, and the ratio to plain linting. Process start and
vocabulary loading are included, as a user sees them. Timing is never asserted
in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# $FTLINT_SHARED, else ../shared beside the repository (as tests/conftest.py finds it).
SHARED = Path(os.environ.get("FTLINT_SHARED") or HERE.parent.parent / "shared") / "corpus" / "real"
DEFAULT_FILES = [SHARED / "microsoft-foundry-fine-tuning__gsm8k_chat_train.jsonl"]


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    # --no-cache: a repeated plain run would otherwise be answered from the result cache.
    subprocess.run([sys.executable, "-m", "ftlint", *args, "-q", "--exit-zero", "--no-cache"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _examples(path: Path) -> int:
    with open(path, "rb") as fh:
        if fh.read(64).lstrip().startswith(b"["):  # a JSON array (LLaMA-Factory's datasets): its elements
            fh.seek(0)
            return len(json.load(fh))
        fh.seek(0)
        return sum(1 for line in fh if line.strip())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--families", default="llama3,qwen2.5,mistral,gemma3")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = []
    for path in args.files:
        n = _examples(path)
        for family in args.families.split(","):
            plain, checked = [], []
            for _ in range(args.pairs):
                plain.append(_run([str(path)]))
                checked.append(_run([str(path), "--chat-template", family, "--max-seq-length", "2048"]))
            p, c = statistics.median(plain), statistics.median(checked)
            rows.append({"file": path.name, "examples": n, "family": family, "plain_s": round(p, 2),
                         "template_s": round(c, 2), "plain_ex_per_s": round(n / p), "template_ex_per_s": round(n / c),
                         "ratio": round(c / p, 2)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'file':48} {'family':8} {'examples':>8} {'plain ex/s':>10} {'template ex/s':>13} {'x plain':>7}")
    for r in rows:
        print(f"{r['file'][:48]:48} {r['family']:8} {r['examples']:>8} {r['plain_ex_per_s']:>10} "
              f"{r['template_ex_per_s']:>13} {r['ratio']:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
