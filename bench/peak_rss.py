#!/usr/bin/env python3
"""Peak memory of the whole ftlint process tree (main process and workers) on hostile inputs.

    python bench/peak_rss.py [--seconds N] [--formats text,json,...] [--workdir DIR]

Builds the attack report's inputs (F2/F3) in a temporary directory, runs
``ftlint --isolated --format F FILE`` on each for every output format, samples
the resident memory of the process and all its descendants from /proc every
20 ms, and prints a Markdown table of the peaks (MB) against the goal of 250 MB.
Inputs that would take hours to lint to the end (a 2 GiB decompression bomb)
are stopped after ``--seconds`` with SIGINT: memory must be flat long before.
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import gzip
import os
import signal
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


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB (0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def run_watched(argv: list[str], seconds: float, interval: float = 0.02, max_kb: int | None = None,
                **popen) -> tuple[int | None, int, float, bytes, bytes]:
    """Run ``argv``; after ``seconds`` send SIGINT (then SIGKILL 10 s later); SIGKILL at once over ``max_kb``.

    Returns (exit code, peak tree RSS in kB, elapsed seconds, stdout, stderr); stdout/stderr go to temp files,
    so a huge report is not held here.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, **popen)
        peak, stopped = 0, None
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
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
        return proc.returncode, peak, elapsed, out.read(1 << 20), err.read(1 << 20)


def build_inputs(directory: Path) -> dict[str, Path]:
    """The attack report's memory inputs (F3), built in ``directory``."""
    inputs = {}
    blank = directory / "blank_10m.jsonl"
    with open(blank, "wb") as fh:
        for _ in range(10):
            fh.write(b"\n" * 1_000_000)
    inputs["10M blank lines (10 MB)"] = blank
    bomb = directory / "bomb_newlines.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        chunk = b"\n" * (1 << 20)
        for _ in range(2048):  # 2 GiB of newlines, about 2 MB compressed
            fh.write(chunk)
    inputs["gzip of 2 GiB newlines (2 MB)"] = bomb
    objects = directory / "empty_objects_10m.jsonl"
    with open(objects, "wb") as fh:
        for _ in range(10):
            fh.write(b"{}\n" * 1_000_000)
    inputs["10M lines of {} (30 MB)"] = objects
    return inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="stop each run after this long (SIGINT)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--workdir", help="keep the inputs here (default: a temporary directory)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    ftlint = [sys.executable, "-m", "ftlint", "--isolated"]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(args.workdir or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        inputs = build_inputs(directory)
        print(f"Peak RSS of the ftlint process tree, MB (goal <= {GOAL_MB}); runs stopped after {args.seconds:g} s "
              "are marked *\n")
        print("| input | " + " | ".join(formats) + " |")
        print("| --- |" + " ---: |" * len(formats))
        worst = 0
        for label, path in inputs.items():
            cells = []
            for fmt in formats:
                code, peak, elapsed, _, err = run_watched([*ftlint, "--format", fmt, str(path)], args.seconds,
                                                          cwd=directory)
                worst = max(worst, peak)
                mark = "*" if code == 130 else ""
                cells.append(f"{peak / 1024:,.0f}{mark}")
                if code not in (0, 1, 130):
                    print(f"  ({label}, {fmt}: exit {code}: {err.decode(errors='replace').strip()[:200]})", file=sys.stderr)
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
        print(f"\nworst: {worst / 1024:,.0f} MB ({'within' if worst / 1024 <= GOAL_MB else 'OVER'} the goal)")
    return 0 if worst / 1024 <= GOAL_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
