#!/usr/bin/env python3
"""Peak memory of the whole ftlint process tree (main process and workers) on hostile inputs.

    python bench/peak_rss.py [--seconds N] [--formats text,json,...] [--jobs default,2] [--runs 2] [--only TEXT] [--workdir DIR]

Builds the attack report's inputs (F2/F3) in a temporary directory, runs
``ftlint --isolated --format F [--jobs J] FILE`` on each for every output format
and jobs setting, samples the memory of the process and all its descendants
from /proc every 20 ms, and prints a Markdown table of the peaks (MB, median
of ``--runs`` runs) against the goal of 250 MB. Each cell is the tree's PSS
(proportional set size: a page shared by the main process and its forked
workers, such as the tokenizer's tables, counts once) and, in parentheses, the
sum of the processes' RSS (which counts such a page once per process). With no
workers the two are about equal.
Inputs that would take hours to lint to the end (a 2 GiB decompression bomb)
are stopped after ``--seconds`` with SIGINT: memory must be flat long before.
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import gzip
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_MB = 250
FORMATS = ("text", "concise", "json", "github", "sarif", "junit")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return found


def tree_rss_kb(pid: int, field: str = "VmRSS:") -> int:
    """Resident memory of ``pid`` and all its descendants, in kB (0 once it is gone).

    ``field`` "Pss:" sums the proportional set sizes instead (from smaps_rollup).
    """
    total, todo = 0, [pid]
    source = "status" if field == "VmRSS:" else "smaps_rollup"
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/{source}") as fh:
                for line in fh:
                    if line.startswith(field):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def run_watched(argv: list[str], seconds: float, interval: float = 0.02, max_kb: int | None = None,
                pss: bool = False, **popen) -> tuple[int | None, int, float, bytes, bytes]:
    """Run ``argv``; after ``seconds`` send SIGINT (then SIGKILL 10 s later); SIGKILL at once over ``max_kb``.

    Returns (exit code, peak tree RSS in kB, elapsed seconds, stdout, stderr); stdout/stderr go to temp files,
    so a huge report is not held here. With ``pss`` the peak is a pair: (tree PSS, tree RSS sum), in kB.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, **popen)
        peak, peak_pss, stopped = 0, 0, None
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
            if pss:
                peak_pss = max(peak_pss, tree_rss_kb(proc.pid, "Pss:"))
            if max_kb is not None and peak > max_kb:
                proc.kill()  # (its workers exit when their pipe closes)
                break
            now = time.monotonic()
            if stopped is None and now - start > seconds:
                proc.send_signal(signal.SIGINT)
                stopped = now
            elif stopped is not None and now - stopped > 10:
                proc.kill()
            time.sleep(interval)
        proc.wait()
        elapsed = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return proc.returncode, (peak_pss, peak) if pss else peak, elapsed, out.read(1 << 20), err.read(1 << 20)


def build_inputs(directory: Path, long_line: bool = True) -> dict[str, Path]:
    """The attack report's memory inputs (F2, F3), built in ``directory`` (kept if already there)."""
    inputs = {}
    if long_line:
        line = directory / "oneline_300mb.jsonl"  # F2: one valid 300 MB line, over FT009's 150 MB bound
        if not line.exists():
            with open(line, "wb") as fh:
                fh.write(b'{"messages": [{"role": "user", "content": "')
                for _ in range(300):
                    fh.write(b"a" * 1_000_000)
                fh.write(b'"}, {"role": "assistant", "content": "x"}]}\n')
        inputs["one 300 MB line"] = line
    blank = directory / "blank_10m.jsonl"
    if not blank.exists():
        blank.write_bytes(b"\n" * 10_000_000)
    inputs["10M blank lines (10 MB)"] = blank
    bomb = directory / "bomb_newlines.jsonl.gz"
    if not bomb.exists():
        with gzip.open(bomb, "wb", compresslevel=9) as fh:
            chunk = b"\n" * (1 << 20)
            for _ in range(2048):  # 2 GiB of newlines, about 2 MB compressed
                fh.write(chunk)
    inputs["gzip of 2 GiB newlines (2 MB)"] = bomb
    objects = directory / "empty_objects_10m.jsonl"
    if not objects.exists():
        objects.write_bytes(b"{}\n" * 10_000_000)
    inputs["10M lines of {} (30 MB)"] = objects
    return inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="stop each run after this long (SIGINT)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--jobs", default="default,2", help="--jobs settings to run, 'default' for none")
    parser.add_argument("--runs", type=int, default=1, help="runs per cell (the median is printed)")
    parser.add_argument("--no-long-line", action="store_true", help="leave out the 300 MB line (writes 300 MB)")
    parser.add_argument("--only", help="only the inputs whose label contains this text")
    parser.add_argument("--workdir", help="keep the inputs here (default: a temporary directory)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    ftlint = [sys.executable, "-m", "ftlint", "--isolated", "--no-cache"]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(args.workdir or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        inputs = build_inputs(directory, long_line=not args.no_long_line)
        print(f"Peak memory of the ftlint process tree, MB: PSS (RSS summed over the processes), median of "
              f"{args.runs} run(s); goal <= {GOAL_MB}; runs stopped after {args.seconds:g} s are marked *\n")
        print("| input | --jobs | " + " | ".join(formats) + " |")
        print("| --- | --- |" + " ---: |" * len(formats))
        worst = 0
        for label, path in inputs.items():
            if args.only and args.only not in label:
                continue
            for jobs in args.jobs.split(","):
                option = [] if jobs == "default" else ["--jobs", jobs]
                cells = []
                for fmt in formats:
                    runs = []
                    for _ in range(args.runs):
                        code, (pss, rss), elapsed, _, err = run_watched(
                            [*ftlint, *option, "--format", fmt, str(path)], args.seconds, cwd=directory, pss=True)
                        runs.append((pss, rss, code))
                        if code not in (0, 1, 130):
                            print(f"  ({label}, {fmt}: exit {code}: {err.decode(errors='replace').strip()[:200]})",
                                  file=sys.stderr)
                    pss = statistics.median(r[0] for r in runs)
                    rss = statistics.median(r[1] for r in runs)
                    worst = max(worst, pss)
                    mark = "*" if any(r[2] == 130 for r in runs) else ""
                    cells.append(f"{pss / 1024:,.0f} ({rss / 1024:,.0f}){mark}")
                print(f"| {label} | {jobs} | " + " | ".join(cells) + " |", flush=True)
        print(f"\nworst PSS: {worst / 1024:,.0f} MB ({'within' if worst / 1024 <= GOAL_MB else 'OVER'} the goal)")
    return 0 if worst / 1024 <= GOAL_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
