"""Speed and memory of ftlint, as ratios: ftlint vs the floor, naive, check-jsonschema, and itself before a change.

    python bench/bench_perf.py SUITE [SUITE ...] [--data DIR] [--repeat 5] [--before PYTHON]

Suites (each prints one table row per pair):

* ``startup``  a pre-commit run: ``--version``, ``--help``, a 12-line chat file
  (first 12 lines of openai-cookbook__drone_training.jsonl, 16 tools per line)
  with every default rule and token check, ``--select FT001`` (no tokens),
  a re-run that the result cache answers (also with ``--quiet``, the hook's
  line, and a ``--fix-only`` re-run, the ftlint-fix hook's), and
  check-jsonschema validating the same 12 records against ftlint's own chat
  JSON Schema;
* ``tiny``     many tiny examples: the real SMS spam classification set
  (Fuad28, legacy prompt/completion, ~120 bytes a line) repeated to ~20 MB,
  and the same made unique (each repeat's prompts end in " #N"): every repeat
  of the first is a duplicate (FT403) and hits the token memo, so the second
  keeps the ratio honest;
* ``chat``     ordinary chat files: chitchat_conversations (16.7 MB) and the
  first 100 MB of chitchat_prefixes;
* ``big``      the 493 MB chitchat_prefixes file: ftlint vs naive, peak memory;
* ``jobs``     ``--jobs N`` vs ``--jobs 1`` on the 100 MB prefix file for every N up to the
  usable CPUs, then the scaling for 1, 2, 4 and 8 workers replayed from measured work
  (simulate_jobs), on it and on chitchat_conversations.

The chitchat files come from ``bash ../shared/corpus/real/fetch_pypi_data.sh DIR
--with-prefixes``; pass that DIR as ``--data`` (never commit them).

Contenders (all offline, all with ftlint's vendored vocabularies):

* ftlint: ``python -m ftlint FILE --model gpt-4o-mini --format json --no-cache``;
* floor: ``orjson.loads`` each line, then tiktoken ``encode_ordinary`` on every
  string a token count needs (message content and text parts, tool-call name
  and arguments, prompt and completion), one process, no memo: the least work
  an exact counter does without caching (perf-review.md's floor);
* naive: the cookbook way: ``json.loads`` every line into a list, then
  ``encode`` every string value of every message (or prompt and completion);
* check-jsonschema (``--cj PATH``, default: on PATH or /tmp/perf_cj/bin).

Pairs run interleaved (A, B, A, B, ...) so both see the same machine load;
each row gives medians and the median of the per-pair ratios A/B. Wall and CPU
seconds (the process and its reaped workers), peak RSS of the largest process
and peak PSS of the whole process tree (sampled from /proc every 50 ms). This
machine is shared: quote ratios from one batch, never absolute times across
batches. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("FTLINT_SHARED") or next(
    (p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()), REPO.parent / "shared"))
REAL = SHARED / "corpus" / "real"
MODEL = "gpt-4o-mini"

FLOOR = r"""
import sys, orjson
from ftlint.tokenizer import get_encoding
encode = get_encoding("o200k_base").built().encode_ordinary  # tiktoken itself
total = 0
def strings(m):
    c = m.get("content")
    if type(c) is str:
        yield c
    elif type(c) is list:
        for p in c:
            if type(p) is dict and type(p.get("text")) is str:
                yield p["text"]
    for call in m.get("tool_calls") or ():
        f = call.get("function") or {}
        for k in ("name", "arguments"):
            if type(f.get(k)) is str:
                yield f[k]
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        if not line.strip():
            continue
        row = orjson.loads(line)
        if "messages" in row:
            for m in row["messages"]:
                for s in strings(m):
                    total += len(encode(s))
        else:
            for k in ("prompt", "completion"):
                if type(row.get(k)) is str:
                    total += len(encode(row[k]))
print(total)
"""

NAIVE = r"""
import json, sys
from ftlint.tokenizer import get_encoding
enc = get_encoding("o200k_base").built()  # tiktoken itself
with open(sys.argv[1], encoding="utf-8") as f:
    rows = [json.loads(line) for line in f if line.strip()]
total = 0
for row in rows:
    for message in row.get("messages", ()) or [row]:
        for value in message.values():
            if isinstance(value, str):
                total += len(enc.encode(value))
print(total)
"""


# -- measuring -------------------------------------------------------------------------

#: Children run as a user's would: with bytecode caches (written once, below).
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "FTLINT_NO_CACHE")}


def compile_package(python: str) -> None:
    """Write the .pyc files of ftlint and its dependencies, so no run pays for compiling."""
    code = ("import compileall, os, sys, sysconfig; import ftlint\n"
            "compileall.compile_dir(os.path.dirname(ftlint.__file__), quiet=1)\n"
            "compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=1)")
    subprocess.run([python, "-c", code], env=CHILD_ENV, check=False, stdout=subprocess.DEVNULL)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            for child in fh.read().split():
                pids += _tree(int(child))
    except OSError:
        pass
    return pids


def _tree_pss_kb(pid: int) -> int:
    total = 0
    for each in _tree(pid):
        try:
            with open(f"/proc/{each}/smaps_rollup") as fh:
                total += sum(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except OSError:
            pass
    return total


def run(argv: list[str], cwd: str | None = None) -> dict:
    """One child process: wall s, cpu s, peak RSS MiB (largest process), peak PSS MiB (tree), exit code."""
    peak = 0
    done = threading.Event()
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=CHILD_ENV)

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "rss": usage.ru_maxrss / 1024, "pss": peak / 1024,
            "code": os.waitstatus_to_exitcode(status)}


def pair(label: str, a: list[str], b: list[str], n: int, warm: int = 1) -> dict:
    """Run A and B interleaved ``n`` times (after ``warm`` unrecorded runs each); print one row."""
    for _ in range(warm):
        run(a)
        run(b)
    runs_a, runs_b = [], []
    for i in range(n):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        r1, r2 = run(first), run(second)
        ra, rb = (r1, r2) if i % 2 == 0 else (r2, r1)
        runs_a.append(ra)
        runs_b.append(rb)
    med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
    ratio = statistics.median(x["wall"] / y["wall"] for x, y in zip(runs_a, runs_b))
    lo = min(x["wall"] / y["wall"] for x, y in zip(runs_a, runs_b))
    hi = max(x["wall"] / y["wall"] for x, y in zip(runs_a, runs_b))
    codes = {r["code"] for r in runs_a + runs_b}
    row = (f"| {label} | {med(runs_a, 'wall'):.3f} | {med(runs_b, 'wall'):.3f} | **{ratio:.2f}** ({lo:.2f}-{hi:.2f}) "
           f"| {med(runs_a, 'cpu'):.3f} | {med(runs_b, 'cpu'):.3f} | {max(r['rss'] for r in runs_a):.0f} "
           f"| {max(r['pss'] for r in runs_a):.0f} | {max(r['pss'] for r in runs_b):.0f} | {n} |")
    if codes - {0, 1}:
        row += f" exit codes {sorted(codes)}"
    print(row, flush=True)
    return {"ratio": ratio}


HEADER = ("| A vs B | A wall s | B wall s | A/B wall (min-max) | A cpu s | B cpu s | A peak RSS MiB "
          "| A peak PSS MiB (tree) | B peak PSS MiB (tree) | pairs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


# -- data ----------------------------------------------------------------------------


def tiny12(work: Path) -> Path:
    path = work / "tiny12.jsonl"
    if not path.exists():
        with open(REAL / "openai-cookbook__drone_training.jsonl", "rb") as fh:
            path.write_bytes(b"".join(fh.readline() for _ in range(12)))
    return path


def sms_file(work: Path, megabytes: int = 20) -> Path:
    """The real SMS spam classification set, repeated to about ``megabytes`` MB."""
    path = work / f"sms_{megabytes}mb.jsonl"
    if not path.exists():
        data = (REAL / "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl").read_bytes()
        if not data.endswith(b"\n"):
            data += b"\n"
        with open(path, "wb") as fh:
            for _ in range(max(1, megabytes * 1_000_000 // len(data))):
                fh.write(data)
    return path


def sms_unique_file(work: Path, megabytes: int = 20) -> Path:
    """sms_file with every repeat made unique: repeat N's prompts end in " #N" (no duplicates, no memo hits)."""
    path = work / f"sms_{megabytes}mb_unique.jsonl"
    if not path.exists():
        rows = [json.loads(line) for line in
                (REAL / "Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl").read_bytes().splitlines()]
        size = sum(len(json.dumps(row, ensure_ascii=False).encode()) + 1 for row in rows)
        with open(path, "wb") as fh:
            for repeat in range(max(1, megabytes * 1_000_000 // size)):
                for row in rows:
                    unique = dict(row, prompt=f"{row['prompt']} #{repeat}")
                    fh.write(json.dumps(unique, ensure_ascii=False).encode() + b"\n")
    return path


def head_file(source: Path, work: Path, megabytes: int) -> Path:
    path = work / f"{source.stem}.head{megabytes}mb.jsonl"
    if not path.exists():
        with open(source, "rb") as src, open(path, "wb") as dst:
            while dst.tell() < megabytes * 1_000_000:
                line = src.readline()
                if not line:
                    break
                dst.write(line)
    return path


# -- suites --------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.py = sys.executable
        self.before = args.before
        self.work = Path(args.work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.data = Path(args.data) if args.data else None
        # ftlint 0.1.0 had no result cache (nor --no-cache); later versions must be told, or they answer from it.
        self.before_has_no_cache = bool(self.before) and "--no-cache" in subprocess.run(
            [self.before, "-m", "ftlint", "--help"], capture_output=True, text=True, env=CHILD_ENV).stdout

    def ftlint(self, path: Path, *extra: str, python: str | None = None, cache: bool = False) -> list[str]:
        argv = [python or self.py, "-m", "ftlint", str(path), "--model", MODEL, "--format", "json", *extra]
        if not cache and (python is None or self.before_has_no_cache):
            argv.append("--no-cache")
        return argv

    def contender(self, script: str, path: Path) -> list[str]:
        return [self.py, "-c", script, str(path)]

    def versus_before(self, label: str, path: Path, *extra: str, n: int | None = None) -> None:
        """ftlint against ``--before`` on one file; ``n`` pairs (default --repeat; the big file: --big-repeat)."""
        if self.before:
            pair(f"{label}: ftlint vs ftlint before", self.ftlint(path, *extra),
                 self.ftlint(path, *extra, python=self.before), n or self.args.repeat, warm=0)

    def startup(self) -> None:
        n = self.args.repeat
        small = tiny12(self.work)
        cache_dir = tempfile.mkdtemp(prefix="ftlint-bench-cache-")
        env_cache = ["--cache-dir", cache_dir]
        bare = [self.py, "-c", "pass"]
        pair("ftlint --version vs python -c pass", [self.py, "-m", "ftlint", "--version"], bare, n)
        pair("ftlint --help vs python -c pass", [self.py, "-m", "ftlint", "--help"], bare, n)
        if self.before:
            pair("ftlint --version vs before", [self.py, "-m", "ftlint", "--version"],
                 [self.before, "-m", "ftlint", "--version"], n)
            pair("ftlint --help vs before", [self.py, "-m", "ftlint", "--help"],
                 [self.before, "-m", "ftlint", "--help"], n)
        cold = [self.py, "-m", "ftlint", str(small), "--model", MODEL, "--no-cache"]
        pair("tiny12 cold (every default rule, tokens) vs python -c pass", cold, bare, n)
        cj = self.check_jsonschema(small)
        if cj:
            pair("tiny12 cold vs check-jsonschema (same 12 records, chat schema)", cold, cj, n)
        pair("tiny12 --select FT001 (no tokenizer) vs tiny12 cold",
             [*cold, "--select", "FT001"], cold, n)
        warm = [self.py, "-m", "ftlint", str(small), "--model", MODEL, *env_cache]
        run(warm)  # fills the cache
        pair("tiny12 re-run (result cache) vs tiny12 cold", warm, cold, n)
        if cj:
            pair("tiny12 re-run (result cache) vs check-jsonschema", warm, cj, n)
        if self.before:
            before = [self.before, "-m", "ftlint", str(small), "--model", MODEL]
            pair("tiny12 cold vs ftlint before", cold, before + (["--no-cache"] if self.before_has_no_cache else []), n)
            if self.before_has_no_cache:  # both answered by their result cache (each its own directory)
                before_cache = tempfile.mkdtemp(prefix="ftlint-bench-cache-before-")
                for quiet in ([], ["--quiet"]):  # --quiet: the ftlint pre-commit hook's line
                    mine, theirs = [*warm, *quiet], [*before, "--cache-dir", before_cache, *quiet]
                    run(mine)
                    run(theirs)
                    pair(f"tiny12 re-run{' --quiet' if quiet else ''} (result cache) vs ftlint before's re-run",
                         mine, theirs, n)
                # The ftlint-fix hook (--fix-only) runs before the lint hook on every commit.
                fix_small = self.work / "tiny12_fix.jsonl"
                shutil.copyfile(small, fix_small)
                fixing = ["-m", "ftlint", str(fix_small), "--model", MODEL, "--fix-only"]
                run([self.py, *fixing, *env_cache])
                pair("tiny12 --fix-only re-run (nothing to fix) vs ftlint before",
                     [self.py, *fixing, *env_cache], [self.before, *fixing, "--cache-dir", before_cache], n)
                shutil.rmtree(before_cache, ignore_errors=True)
        shutil.rmtree(cache_dir, ignore_errors=True)

    def check_jsonschema(self, small: Path) -> list[str] | None:
        exe = self.args.cj or shutil.which("check-jsonschema") or "/tmp/perf_cj/bin/check-jsonschema"
        if not os.path.exists(exe):
            print("(check-jsonschema not found: pip install check-jsonschema, or pass --cj PATH)")
            return None
        records = self.work / "tiny12_records"
        records.mkdir(exist_ok=True)
        names = []
        for i, line in enumerate(small.read_bytes().splitlines()):
            target = records / f"{i:02d}.json"
            target.write_bytes(line)
            names.append(str(target))
        schema = REPO / "rules" / "schemas" / "chat-example.schema.json"
        return [exe, "--schemafile", str(schema), *names]

    def tiny(self) -> None:
        path = sms_file(self.work, self.args.tiny_mb)
        n = self.args.repeat
        pair(f"{path.name}: ftlint vs floor", self.ftlint(path), self.contender(FLOOR, path), n, warm=0)
        pair(f"{path.name}: ftlint vs naive", self.ftlint(path), self.contender(NAIVE, path), n, warm=0)
        self.versus_before(path.name, path)
        unique = sms_unique_file(self.work, self.args.tiny_mb)
        pair(f"{unique.name}: ftlint vs floor", self.ftlint(unique), self.contender(FLOOR, unique), n, warm=0)
        self.versus_before(unique.name, unique)

    def chat(self) -> None:
        n = self.args.repeat
        for path in self.chat_files():
            pair(f"{path.name}: ftlint vs floor", self.ftlint(path), self.contender(FLOOR, path), n, warm=0)
            pair(f"{path.name}: ftlint --jobs 1 vs floor", self.ftlint(path, "--jobs", "1"),
                 self.contender(FLOOR, path), n, warm=0)
            self.versus_before(path.name, path)

    def chat_files(self) -> list[Path]:
        if self.data is None:
            print("(chat: pass --data DIR made by fetch_pypi_data.sh DIR --with-prefixes)")
            return []
        return [self.data / "chitchat_conversations.chat.jsonl",
                head_file(self.data / "chitchat_prefixes.chat.jsonl", self.work, 100)]

    def big(self) -> None:
        if self.data is None:
            print("(big: pass --data DIR)")
            return
        path = self.data / "chitchat_prefixes.chat.jsonl"
        n = self.args.big_repeat
        pair(f"{path.name} (493 MB): ftlint vs naive", self.ftlint(path), self.contender(NAIVE, path), n, warm=0)
        pair(f"{path.name} (493 MB): ftlint vs floor", self.ftlint(path), self.contender(FLOOR, path), n, warm=0)
        self.versus_before(path.name, path, n=n)

    def jobs(self) -> None:
        if self.data is None:
            print("(jobs: pass --data DIR)")
            return
        path = head_file(self.data / "chitchat_prefixes.chat.jsonl", self.work, 100)
        n = self.args.repeat
        one = self.ftlint(path, "--jobs", "1")
        cpus = len(os.sched_getaffinity(0))
        for jobs in range(2, max(2, cpus) + 1):  # real workers only up to the CPUs there are
            pair(f"{path.name}: --jobs {jobs} vs --jobs 1", self.ftlint(path, "--jobs", str(jobs)), one, n, warm=0)
        simulate_jobs(path, self.py)
        simulate_jobs(self.data / "chitchat_conversations.chat.jsonl", self.py)


# Per-worker throughput, measured in one process (no contention), for the scaling model of
# simulate_jobs: W = CPU seconds of all workers' chunks, M = the main process's own work when
# every chunk's values are ready, S = the sequential run (--jobs 1).
SIMULATE = r"""
import io, json, sys, time
from ftlint import cli, parallel
path = sys.argv[1]
argv = [path, "--model", "gpt-4o-mini", "--format", "json", "--no-cache", "--isolated"]
def run(jobs):
    start = time.process_time()
    cli.main([*argv, "--jobs", jobs], stdout=io.StringIO(), stderr=io.StringIO())
    return time.process_time() - start
run("1")  # warm: tokenizer, imports
sequential = min(run("1") for _ in range(2))
chunks, chunk_cpu = [], []
def measured_stream(path, counter, context, workers, max_line_bytes, reading=None,
                    chunk_bytes=parallel.CHUNK_BYTES, ctx=None, records=None, *rest):
    parallel._parent_counter = counter
    parallel._parent_reading = reading  # what the workers inherit (ftlint.parallel._stream)
    parallel._parent_ctx, parallel._parent_rules = ctx, records  # (versions whose workers run the record rules)
    parallel._worker_calls = parallel._worker_counter = None
    parallel.build_tokenizer(counter.encoding_name)
    extra = (parallel.MAX_ITEMS,) if hasattr(parallel, "MAX_ITEMS") else ()
    try:  # the ranges of a run with `workers` workers (versions that shrink the last ones take it)
        bounds = parallel.chunk_bounds(path, chunk_bytes, workers)
    except TypeError:
        bounds = parallel.chunk_bounds(path, chunk_bytes)
    for a, b in bounds:
        start = time.process_time()
        chunks.append(parallel.precompute_range((path, a, b, max_line_bytes, *extra)))
        chunk_cpu.append(time.process_time() - start)
    return iter(())  # values are handed over in the next run
unpacked = getattr(parallel, "_unpacked", lambda item: item)  # (versions that pack a line's values for the pipe)
def replay(*args):
    for chunk in chunks:
        for item in chunk:
            if type(item) is int:  # n lines without values (ftlint.parallel's compact form)
                yield from (None,) * item
            else:
                yield unpacked(item)
parallel._stream = measured_stream
code = cli.main([*argv, "--jobs", "2"], stdout=io.StringIO(), stderr=sys.stderr)
assert chunk_cpu, "the worker path was not taken"
parallel._stream = replay
main_only = min(run("2") for _ in range(2))
print(json.dumps({"sequential": sequential, "main": main_only, "chunk_cpu": chunk_cpu,
                  "per_worker": getattr(parallel, "TASKS_PER_WORKER", None)}))
"""


def simulate_jobs(path: Path, python: str) -> None:
    """Predicted wall time with N workers, from per-chunk work measured in one process.

    The schedule is replayed as ftlint.parallel runs it: Pool.imap hands the
    chunks out in order to whichever of the N workers is free, and the main
    process takes chunk i once it is computed and it has finished chunk i-1
    (its own work per chunk: M split in proportion to the chunks' work). It
    assumes N+1 free cores; the last columns bound it by this machine's cores
    (all processes' CPU time shared by them), which a real pair can check.
    """
    done = subprocess.run([python, "-c", SIMULATE, str(path)], capture_output=True, text=True, env=CHILD_ENV)
    if done.returncode != 0:
        print(f"(jobs simulation failed: {done.stderr.strip()[-300:]})")
        return
    m = json.loads(done.stdout.strip().splitlines()[-1])
    seq, main, chunks = m["sequential"], m["main"], m["chunk_cpu"]
    work = sum(chunks)
    print(f"\nSimulated --jobs scaling on {path.name} (CPU seconds in one process: sequential S={seq:.2f}; "
          f"main process with every value ready M={main:.2f}; workers' {len(chunks)} chunks W={work:.2f}):\n")
    cpus = len(os.sched_getaffinity(0))
    print(f"| workers N | predicted wall s (N+1 cores) | speed-up vs sequential | vs N=1 | main process busy "
          f"| on this machine's {cpus} cores: wall s | vs sequential |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    one = None
    for n in (1, 2, 4, 8):
        wall = pipeline_wall(chunks, main, n, m.get("per_worker"))
        one = one or wall
        # Fewer cores than processes: the work of all of them shares the cores.
        here = max(wall, (main + work) / min(n + 1, cpus))
        print(f"| {n} | {wall:.2f} | {seq / wall:.2f}x | {one / wall:.2f}x | {main / wall:.0%} "
              f"| {here:.2f} | {seq / here:.2f}x |")
    print()


def pipeline_wall(chunk_cpu: list[float], main: float, workers: int, per_worker: int | None = None) -> float:
    """When the main process finishes, if N workers compute the chunks in order (see simulate_jobs).

    ``per_worker``: ftlint.parallel keeps at most that many tasks per worker queued or
    unconsumed, so task i is handed out when the main process takes chunk i - window.
    """
    free = [0.0] * workers
    total = sum(chunk_cpu) or 1.0
    window = per_worker * workers if per_worker else len(chunk_cpu)
    taken: list[float] = []  # when the main process took each chunk
    t_main = 0.0
    for i, cost in enumerate(chunk_cpu):
        handed_out = taken[i - window] if i >= window else 0.0
        k = free.index(min(free))
        free[k] = max(free[k], handed_out) + cost
        t_main = max(t_main, free[k])
        taken.append(t_main)
        t_main += main * cost / total
    return t_main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="+", choices=("startup", "tiny", "chat", "big", "jobs"))
    parser.add_argument("--data", help="directory made by fetch_pypi_data.sh DIR --with-prefixes")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ftlint-bench"),
                        help="where derived files are written (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="pairs per row (default: %(default)s)")
    parser.add_argument("--big-repeat", type=int, default=2)
    parser.add_argument("--tiny-mb", type=int, default=20)
    parser.add_argument("--before", metavar="PYTHON", help="a python whose -m ftlint is the version to compare with")
    parser.add_argument("--cj", metavar="PATH", help="check-jsonschema executable")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"cpus usable: {len(os.sched_getaffinity(0))}  load average: {load[0]:.2f} {load[1]:.2f}  "
          f"python {sys.version.split()[0]}  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(HEADER)
    bench = Bench(args)
    compile_package(sys.executable)
    if args.before:
        compile_package(args.before)
    for suite in args.suites:
        getattr(bench, suite)()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
