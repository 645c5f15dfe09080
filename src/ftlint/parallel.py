"""Per-example work on other cores: token counts, digests, the plain-message scan and the record rules.

On a large file most of the time goes to per-example work that needs no file
state: counting tokens, the canonical digests (FT403/FT404/FT405), the
plain-message scan (FT101-FT111) and the record rules, which are functions of
the example and of the file's context as it stands once its format is known.
Worker processes, forked after that (so they hold the context, the rules and
the tokenizer), compute the values (:class:`ftlint.formats.Precomputed`) and
run the stateless record rules for byte ranges of the file, in parallel with
the main process, which still reads and parses every line in order and runs
the line rules, the stateful record rules (``STATEFUL``: ctx.once...), the
dataset rules and the collectors (so the report is unchanged). The engine
builds each Example with its line's Precomputed and emits the shipped
findings in rule order (engine.merged).

Workers run only where they pay: uncompressed regular files of at least
``MIN_BYTES`` whose examples are not tiny (there the main process is the
bottleneck and workers only burn CPU), with 2+ usable CPUs (affinity and
cgroup quota, :func:`available_cpus`) of which one is free beyond the main
process (:func:`free_cpus`; one worker per idle core), on a platform that can fork (workers inherit the
loaded tokenizer instead of rebuilding it). ``--jobs N`` sets the number of
workers; 1 keeps everything in one process. Every value carries its line's byte size; if it
ever disagrees with the reader's line, precomputing stops for the rest of the
file and the main process computes the values itself: same results, slower.

Workers read their byte range with the reader's own line splitter and its
line bound (FT009's ``max-bytes``), so a huge line costs them no more memory
than it costs the main process. Memory does not grow with the number of lines
either: a task's result holds at most ``MAX_ITEMS`` values (runs of lines
without one are a count), tasks of small lines are small, and at most
``TASKS_PER_WORKER`` tasks per worker are queued or finished ahead of the main
process. A task ships at most ``MAX_FINDINGS`` findings; the record rules of
its later lines run in the main process.

Measured on the 493 MB chitchat prefixes file (bench/RESULTS.md).
"""

from __future__ import annotations

import gc
import itertools
import math
import os
import signal
import sys
import time
from collections import deque
from typing import Iterator, NamedTuple

import orjson

from ftlint.counting import Counts, TokenCounter
from ftlint.engine import record_calls, run_record_rules
from ftlint.formats import Example, Precomputed, record_format
from ftlint.reader import split_lines
from ftlint.tokenizer import build_tokenizer

MIN_BYTES = 8 << 20  # below this the sequential path is about as fast
CHUNK_BYTES = 4 << 20
#: From this file size on, tiktoken's CoreBPE (0.12 s to build) is built before
#: linting; smaller files are encoded by ftlint.small_bpe until its budget runs out.
BUILD_TOKENIZER_BYTES = 1 << 20
#: Files whose first examples average fewer bytes than this are linted in one
#: process: per example, the main process's own work (parse, rules) then
#: outweighs what workers take off it (sms classification, 120 bytes per
#: example: 1.04x wall and +43% CPU with workers, perf-review.md section 5).
MIN_MEAN_EXAMPLE_BYTES = 2048
#: Workers need a core beyond the main process's: with less idle CPU than this
#: (in cores, sampled while the tokenizer is built: free_cpus) they cost 3-44% wall.
MIN_FREE_CPUS = 1.5
#: The shortest sample (slept out when the tokenizer was already built, for an earlier file).
FREE_SAMPLE_SECONDS = 0.02
#: Each worker's memo of string -> tokens. Repeated strings (shared
#: conversation prefixes) sit on nearby lines, within one chunk, so a small
#: memo keeps the hits; with 4 MB chunks it kept the peak memory of all three
#: processes (PSS) at ~210 MB on the 493 MB benchmark file, ~40 MB less than
#: 8 MB chunks with an 8M-character memo, and ran faster.
WORKER_MEMO_CHARS = 2_000_000
SCAN_BYTES = 1 << 16
#: At most this many Precomputed per task (a worker's result list): 4 MB of `{}`
#: lines would be 1.4 million (hundreds of MB pickled and unpickled at once).
#: Tasks of small lines are cut to about this many lines (chunk_bytes_for); the
#: lines of a task beyond it are computed by the main process.
MAX_ITEMS = 16_384
#: At most this many record findings per task (a line's are shipped whole or not at all).
MAX_FINDINGS = 4_096
MIN_CHUNK_BYTES = 64 << 10
#: Tasks per worker a file is cut into at least (while they are over MIN_CHUNK_BYTES): with a
#: few large tasks the main process waits for the first and one worker computes the last alone.
CHUNKS_PER_WORKER = 8
#: Tasks queued or finished ahead of the main process, per worker.
TASKS_PER_WORKER = 2
#: Longer lines are not read by workers (the main process computes their values).
WORKER_LINE_BYTES = 8 << 20

_parent_counter = None  # set in the parent before forking; inherited by the workers
_worker_counter = None  # each worker's own counter (same encoding, smaller memo)
_parent_reading = None  # the file's declared Reading (formats.reading_for), inherited like the counter
_parent_ctx = None  # the file's FileContext and its engine.RecordRules, inherited like the counter (None: no rules)
_parent_rules = None
_worker_calls = None  # this worker's stateless record rules (from _parent_rules, once)


# -- how many workers ------------------------------------------------------


def available_cpus() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


def cgroup_cpu_quota(root: str = "/sys/fs/cgroup", proc_cgroup: str = "/proc/self/cgroup") -> float | None:
    """The tightest CPU quota (in CPUs) on this process's cgroup and its ancestors; None if unlimited.

    cgroup v2: ``cpu.max`` holds "QUOTA PERIOD" or "max PERIOD"; v1:
    ``cpu.cfs_quota_us`` (-1 = none) and ``cpu.cfs_period_us``.
    """
    try:
        with open(proc_cgroup) as fh:
            entries = [line.rstrip("\n").split(":", 2) for line in fh]
    except OSError:
        return None
    limits = []
    for entry in entries:
        if len(entry) != 3:
            continue
        _, controllers, path = entry
        if controllers == "":  # v2 unified hierarchy
            base, files = root, ("cpu.max",)
        elif "cpu" in controllers.split(","):
            base, files = os.path.join(root, controllers), ("cpu.cfs_quota_us", "cpu.cfs_period_us")
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for depth in range(len(parts), -1, -1):
            here = os.path.join(base, *parts[:depth])
            limit = _read_quota(here, files)
            if limit is not None:
                limits.append(limit)
    return min(limits) if limits else None


def _read_quota(directory: str, files: tuple[str, ...]) -> float | None:
    try:
        texts = []
        for name in files:
            with open(os.path.join(directory, name)) as fh:
                texts.append(fh.read().split())
    except OSError:
        return None
    try:
        if len(files) == 1:  # v2: "max 100000" or "200000 100000"
            quota, period = texts[0][0], texts[0][1]
            return None if quota == "max" else int(quota) / int(period)
        quota, period = int(texts[0][0]), int(texts[1][0])
        return None if quota <= 0 else quota / period
    except (IndexError, ValueError, ZeroDivisionError):
        return None


class CpuSample(NamedTuple):
    """Where a free_cpus window starts: the CPUs' times (from /proc/stat), this process's CPU time, the clock."""

    cpus: int
    times: list[int]
    own_cpu: float
    clock: float


def cpu_sample(stat: str = "/proc/stat") -> CpuSample | None:
    """The start of a free_cpus window (None if /proc/stat is unreadable), for the CPUs of the affinity mask."""
    try:
        mine = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        mine = None
    times = _cpu_times(mine, stat)
    if times is None:
        return None
    return CpuSample(times[0], times[1], time.process_time(), time.monotonic())


def free_cpus(seconds: float = FREE_SAMPLE_SECONDS, stat: str = "/proc/stat",
              since: CpuSample | None = None) -> float | None:
    """Idle CPUs among those this process may run on, over a short sample (from /proc/stat); None if unknown.

    Only the CPUs of the affinity mask count: on a large machine whose other CPUs are busy, the
    ones this process is pinned to may still be idle (and the reverse).

    ``since`` (a :func:`cpu_sample` taken before other work: building the tokenizer, 0.1-0.2 s) makes
    that work's time the window, and this process's own CPU time in it counts as free (it waits on the
    workers once they start). The clock is slept only to make the window at least ``seconds``: a
    separate 20 ms sleep was 20 ms before every run with workers, and /proc/stat's 10 ms ticks made
    its answer coarse (2 ticks a CPU: 2.0, 1.5 or 1.0 of 2 CPUs idle on an idle machine).
    """
    start = since if since is not None else cpu_sample(stat)
    if start is None:
        return None
    left = seconds - (time.monotonic() - start.clock)
    if left > 0:
        time.sleep(left)
    end = cpu_sample(stat)
    if end is None:
        return None
    wall = end.clock - start.clock
    total = sum(end.times) - sum(start.times)
    if total <= 0 or wall <= 0:
        return None
    idle = (end.times[3] + end.times[4]) - (start.times[3] + start.times[4])  # idle + iowait
    own = max(0.0, end.own_cpu - start.own_cpu) / wall  # CPUs this process kept busy
    return min(float(start.cpus), start.cpus * idle / total + own)


def _cpu_times(cpus: set[int] | None, stat: str = "/proc/stat") -> tuple[int, list[int]] | None:
    """(how many CPUs, their summed jiffies: user nice system idle iowait irq softirq steal) for the
    CPUs in ``cpus`` (None: the machine's total line)."""
    try:
        with open(stat) as fh:
            lines = [line.split() for line in fh if line.startswith("cpu")]
    except OSError:
        return None
    if not lines or lines[0][0] != "cpu":
        return None
    rows = [fields for fields in lines[1:] if cpus is not None and fields[0][3:].isdigit()
            and int(fields[0][3:]) in cpus]
    if not rows:  # no per-CPU lines for them: the machine's total
        rows, count = lines[:1], os.cpu_count() or 1
    else:
        count = len(rows)
    try:
        return count, [sum(int(fields[i]) for fields in rows) for i in range(1, 9)]
    except (IndexError, ValueError):
        return None


def precompute_hook(jobs: int | None = None):
    """The engine's ``precomputed`` hook (engine.PrecomputeHook), with ``jobs`` from --jobs."""

    def precomputed(ctx, sniffed: list, reader, records=None):
        size = _file_size(ctx.source_name)
        # How idle the CPUs are is sampled while the tokenizer is built (free_cpus), not in a sleep of its own.
        since = cpu_sample() if jobs is None and ctx.counter is not None and size >= MIN_BYTES else None
        if ctx.counter is not None and size >= BUILD_TOKENIZER_BYTES:
            # Enough text that tiktoken's CoreBPE pays for itself: build it now
            # rather than after ftlint.small_bpe's Python budget is spent.
            build_tokenizer(ctx.counter.encoding_name)
            ctx.counter.encode_directly()
        workers = worker_count(ctx, jobs, sniffed, since)
        if not workers:
            return None
        return precomputed_lines(ctx, workers, reader.max_line_bytes, sniffed, records)

    return precomputed


def worker_count(ctx, jobs: int | None, sniffed: list | None = None, since: CpuSample | None = None) -> int:
    """How many worker processes to use for this file (0: lint it in one process).

    ``jobs`` is --jobs (None: decide from the usable and idle CPUs); a value
    of 1 or less means no workers. ``sniffed`` (the reader's Lines the engine
    buffered first) tells tiny examples, which workers do not speed up.
    ``since`` starts the idle CPUs' sample (free_cpus).
    """
    if jobs is not None and jobs <= 1:
        return 0
    if ctx.counter is None or not _large_plain_file(ctx.source_name):
        return 0
    if sys.platform != "linux":  # workers are forked (they inherit the tokenizer)
        return 0
    if jobs is not None:
        return jobs
    if sniffed and _mean_example_bytes(sniffed) < MIN_MEAN_EXAMPLE_BYTES:
        return 0
    cpus = available_cpus()
    if cpus < 2:
        return 0
    free = free_cpus(since=since) if since is not None else free_cpus()
    if free is None:
        return cpus
    if free < MIN_FREE_CPUS:
        return 0
    # One worker per idle core (the main process shares them: it waits on the workers most
    # of the time); cores other processes are using get none.
    return min(cpus, max(2, int(free + 0.5)))


def _mean_example_bytes(lines: list) -> float:
    sizes = [line.size for line in lines if type(line.value) is dict]
    return sum(sizes) / len(sizes) if sizes else 0.0


def _file_size(path: str) -> int:
    """The size of a regular file (0 for stdin, pipes and anything unreadable)."""
    if path == "-":
        return 0
    try:
        return os.path.getsize(path) if os.path.isfile(path) else 0
    except OSError:
        return 0


def _large_plain_file(path: str) -> bool:
    """An uncompressed JSONL file of at least MIN_BYTES (workers split it at newlines)."""
    from ftlint import sources

    if path == "-" or path.endswith(".gz"):
        return False
    try:
        if not os.path.isfile(path) or os.path.getsize(path) < MIN_BYTES:
            return False
    except OSError:
        return False
    # An array's records are not lines, nor are a table's rows (a CSV's quoted cell may span lines).
    return sources.container_of_path(path) == sources.JSONL


# -- the work ----------------------------------------------------------------


def chunk_bounds(path: str, chunk_bytes: int, workers: int = 0) -> Iterator[tuple[int, int]]:
    """Byte ranges of about ``chunk_bytes`` that start and end at line starts, in order.

    With ``workers``, the last ranges shrink (to a share of what is left, down to
    MIN_CHUNK_BYTES) so that the workers finish at about the same time and the
    main process's part of the last range is small: the end of a run is not one
    worker computing a whole range while the others wait.
    The line a cut falls in is scanned for its end in small blocks, never read
    whole: a huge line must not be held in memory here either. The ranges are
    found as they are taken (a huge file of small chunks is not listed at once).
    """
    size = os.path.getsize(path)
    start = 0
    with open(path, "rb") as handle:
        while start < size:
            step = chunk_bytes
            if workers:
                step = min(step, max(MIN_CHUNK_BYTES, (size - start) // (2 * workers)))
            end = min(start + step, size)
            handle.seek(end)
            while end < size:
                block = handle.read(SCAN_BYTES)
                if not block:
                    end = size
                    break
                newline = block.find(b"\n")
                if newline >= 0:
                    end += newline + 1
                    break
                end += len(block)
            yield start, min(end, size)
            start = end


class _Range:
    """A file's bytes from ``start`` to ``end``, read like a stream (for split_lines)."""

    def __init__(self, handle, start: int, end: int):
        handle.seek(start)
        self.handle = handle
        self.left = end - start

    def read(self, n: int) -> bytes:
        if self.left <= 0:
            return b""
        data = self.handle.read(min(n, self.left))
        self.left -= len(data)
        return data


def _counter():
    """This worker's TokenCounter: the parent's (framing, encoding, image costs, cap stop) with a smaller memo."""
    global _worker_counter
    if _worker_counter is None:
        # Its encoding was loaded before the fork, so this is cheap. A counter built afresh lost the cap
        # stop: a worker encoded a string over the cap whole and reported an exact count where one
        # process reports "at least" (and could spend minutes on it).
        _worker_counter = _parent_counter.with_memo(WORKER_MEMO_CHARS)
        if _parent_ctx is not None:
            # Rules count with ctx.counter: the parent's has a memo of up to 32M characters
            # (DEFAULT_MEMO_CHAR_BUDGET), too much to grow in every worker.
            _parent_ctx.counter = _worker_counter
    return _worker_counter


def _stateless_calls() -> tuple[list, list] | None:
    """The inherited record rules this worker runs (engine.record_calls) for examples of the file's
    format and of another; None when there are none to run."""
    global _worker_calls
    if _worker_calls is None and _parent_rules is not None:
        _worker_calls = (record_calls(_parent_rules.same, stateless=True),
                         record_calls(_parent_rules.other, stateless=True))
    return _worker_calls


def precompute_range(task: tuple[str, int, int, int, int]) -> list:
    """What the main process needs for every physical line of one byte range, compactly.

    Each item is one line's ``(line size, Precomputed, findings)`` (:func:`_packed`), or an int ``n``: the
    next ``n`` lines get nothing (not an object, oversized, unparsable, or past the
    ``max_items``-th Precomputed, which the main process computes itself). So the list
    holds at most ``max_items`` Precomputed and as many ints, whatever the lines are:
    a chunk of four million blank lines is one int. ``findings`` are the line's
    stateless record findings (engine.PrecomputedLines), None once the task has
    MAX_FINDINGS of them or when no rules were inherited.
    """
    path, start, end, max_line_bytes, max_items = task
    counter = _counter()
    ctx, calls = _parent_ctx, _stateless_calls()
    file_format = ctx.format if ctx is not None else None
    findings_left = MAX_FINDINGS if calls is not None else -1
    found: list = []
    skipped = computed = 0
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    with open(path, "rb") as handle:
        for _, raw, size, _, oversized in split_lines(_Range(handle, start, end), max_line_bytes):
            value = None
            if not oversized and computed < max_items:
                try:
                    value = loads(raw)
                except decode_error:
                    pass
            if type(value) is not dict:
                skipped += 1
                continue
            if skipped:
                found.append(skipped)
                skipped = 0
            reading = _parent_reading
            fmt = reading.detect(value) if reading is not None else record_format(value)
            # (The worker does not know the line number: rules that need it are STATEFUL.)
            example = Example(0, value, fmt, raw, reading=reading)
            values = example.precompute(counter)
            shipped = None
            if findings_left >= 0:
                shipped = tuple(run_record_rules(calls[0] if fmt == file_format else calls[1], example, ctx))
                findings_left -= len(shipped)
                if findings_left < 0:
                    shipped = None  # this line's and the rest's record rules run in the main process
            found.append(_packed(size, values, shipped))
            computed += 1
    if skipped:
        found.append(skipped)
    return found


_tuple_new = tuple.__new__  # builds a NamedTuple in C, without its Python __new__


def _packed(size: int, values: Precomputed, shipped: tuple | None) -> tuple:
    """One line's result as plain values for the pipe: (size, total, trained, plain_shape, digest,
    input_digest, target_digest, findings).

    Pickling a Precomputed and its Counts called two Python functions per line on each side (a
    NamedTuple's __getnewargs__ and __new__): 3.9 us a line to pickle and 1.9 us to unpickle, where
    this takes about 0.6 us each. Counts that say more than two numbers (CountsAtLeast) travel as
    themselves, with ``trained`` None.
    """
    tokens = values[0]
    if type(tokens) is Counts:
        return (size, tokens[0], tokens[1], *values[1:], shipped)
    return (size, tokens, None, *values[1:], shipped)


def _unpacked(item: tuple) -> tuple[int, Precomputed, tuple | None]:
    """A :func:`_packed` line as engine.PrecomputedLines gives it."""
    size, total, trained, shape, digest, input_digest, target_digest, shipped = item
    tokens = total if trained is None else _tuple_new(Counts, (total, trained))
    return size, _tuple_new(Precomputed, (tokens, shape, digest, input_digest, target_digest)), shipped


def chunk_bytes_for(sniffed: list | None, file_bytes: int | None = None, workers: int = 1) -> int:
    """Bytes per worker task: CHUNK_BYTES, less for small lines so a task holds about MAX_ITEMS lines,
    and less for a file of fewer than CHUNKS_PER_WORKER chunks per worker (never below MIN_CHUNK_BYTES)."""
    chunk = CHUNK_BYTES
    if file_bytes:
        chunk = min(chunk, max(MIN_CHUNK_BYTES, file_bytes // (CHUNKS_PER_WORKER * max(1, workers))))
    sizes = [line.size for line in sniffed or ()]
    if not sizes:
        return chunk
    mean = max(1.0, sum(sizes) / len(sizes))
    return int(min(chunk, max(MIN_CHUNK_BYTES, mean * MAX_ITEMS)))


def precomputed_lines(ctx, workers: int, max_line_bytes: int, sniffed: list | None = None,
                      records=None) -> Iterator[tuple[int, Precomputed, tuple | None] | None] | None:
    """Per physical line of ``ctx``'s file (engine.PrecomputedLines), computed by ``workers`` processes.

    None (compute in the main process) when processes cannot be forked here.
    ``sniffed`` (the lines the engine buffered first) sizes the tasks; ``records``
    (engine.RecordRules) are the record rules the workers run (None: none).
    """
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    return _stream(ctx.source_name, ctx.counter, context, workers, max_line_bytes, getattr(ctx, "reading", None),
                   chunk_bytes_for(sniffed, _file_size(ctx.source_name), workers),
                   ctx if records is not None else None, records)


def _leave_signals_to_the_main_process() -> None:
    """Workers ignore SIGINT (a terminal sends it to the whole group) and die plainly on SIGTERM.

    A worker that exited on SIGINT while waiting for a task held the pool's queue lock, and
    Pool.terminate() waits for that lock forever: Ctrl-C hung the run. The main process
    reports the interrupt once and terminates the workers (SIGTERM) after taking the lock.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stream(path: str, counter, context, workers: int, max_line_bytes: int, reading=None,
            chunk_bytes: int = CHUNK_BYTES, ctx=None, records=None):
    global _parent_counter, _parent_reading, _parent_ctx, _parent_rules, _worker_calls
    _parent_counter, _parent_reading, _parent_ctx, _parent_rules = counter, reading, ctx, records
    _worker_calls = None
    # A large file: build the full tokenizer once here rather than in every
    # worker (ftlint.small_bpe would otherwise start each of them in Python).
    build_tokenizer(counter.encoding_name)
    # A line longer than WORKER_LINE_BYTES is left to the main process, which reads it anyway: a
    # worker reading it too would hold a second copy of up to max-bytes (150 MB by default).
    line_bound = min(max_line_bytes, WORKER_LINE_BYTES)
    tasks = ((path, start, end, line_bound, MAX_ITEMS) for start, end in chunk_bounds(path, chunk_bytes, workers))
    # Closing this generator early (an exception in the linter) leaves the
    # with-block, which terminates the workers.
    # Without this the workers' garbage collector writes to every inherited
    # object's header, copying the parent's pages (the tokenizer's tables
    # among them) into each worker.
    gc.freeze()
    try:
        with context.Pool(workers, initializer=_leave_signals_to_the_main_process) as pool:
            # At most TASKS_PER_WORKER tasks per worker are queued or done and not yet
            # consumed (Pool.imap would queue every task and keep every result the
            # main process has not reached: memory growing with the file).
            window: deque = deque()
            for task in itertools.islice(tasks, TASKS_PER_WORKER * workers):
                window.append(pool.apply_async(precompute_range, (task,)))
            while window:
                chunk = window.popleft().get()
                for task in itertools.islice(tasks, 1):
                    window.append(pool.apply_async(precompute_range, (task,)))
                for item in chunk:
                    if type(item) is int:
                        yield from itertools.repeat(None, item)
                    else:
                        yield _unpacked(item)
                del chunk
    finally:
        _parent_ctx = _parent_rules = _worker_calls = None  # the next file's workers inherit their own
