"""Worker processes (ftlint.parallel): same results, every precomputed value used, bounded memory."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import lint_paths
from ftlint import engine, parallel
from ftlint.formats import UNSET, Example, Precomputed
from ftlint.tokenizer import get_encoding

# Pieces of the real corpus kept in the repository (fixtures/real/README.md): no shared data needed.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real"
TOY_CHAT = FIXTURES / "openai-cookbook__toy_chat_fine_tuning.jsonl"
GSM8K = FIXTURES / "microsoft-foundry-fine-tuning__gsm8k_chat_train.head100.jsonl"


def chat(user, assistant, system=None):
    messages = [{"role": "system", "content": system}] if system else []
    return {"messages": messages + [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]}


@pytest.fixture
def tiny_chunks(monkeypatch):
    """Workers for any file, in many byte ranges cut mid-file."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2_000)


def _lint_both_ways(paths, **kwargs):
    sequential = lint_paths(paths, precomputed=None, **kwargs)
    used = []
    hook = parallel.precompute_hook(jobs=2)

    def spying_hook(*args):
        lines = hook(*args)
        assert lines is not None, "the workers did not start"
        for item in lines:
            used.append(item is not None)
            yield item

    in_parallel = lint_paths(paths, precomputed=lambda *a: spying_hook(*a), **kwargs)
    return sequential, in_parallel, used


def _same(a, b):
    (problems_a, results_a), (problems_b, results_b) = a, b
    assert problems_a == problems_b
    assert [r.stats for r in results_a] == [r.stats for r in results_b]
    assert [(r.examples, r.lines, r.codes) for r in results_a] == [(r.examples, r.lines, r.codes) for r in results_b]


def _write(path, lines: list[bytes]) -> str:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def _mixed_file(tmp_path) -> str:
    """Duplicates, conflicting answers, a non-plain example, a tool call: every precomputed value matters."""
    rows = [chat(f"question {i}", f"answer {i}", system="be brief") for i in range(40)]
    rows += [chat("question 3", "another answer"), chat("question 5", "answer 5", system="be brief")]
    rows.append({"messages": [{"role": "user", "content": "hi"}, {"role": "user", "content": "again"},
                              {"role": "assistant", "content": ""}]})
    return _write(tmp_path / "mixed.jsonl", [json.dumps(r).encode() for r in rows])


def test_workers_give_the_same_report_on_real_files(tiny_chunks):
    # (It looked for these in ../shared/corpus/real, which has no head100 file: it always skipped.)
    sequential, in_parallel, used = _lint_both_ways([GSM8K, TOY_CHAT])
    _same(sequential, in_parallel)
    assert used and all(used)


def test_workers_give_the_same_report_with_odd_lines_and_a_bom(tmp_path, tiny_chunks):
    good = json.dumps(chat("q", "a")).encode()
    odd = _write(tmp_path / "odd.jsonl", [good, b"", b"{not json", good + b"\r", b"[1, 2]", good, good])
    sequential, in_parallel, used = _lint_both_ways([odd])
    _same(sequential, in_parallel)
    assert used == [True, False, False, True, False, True, True]
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + b"\n".join([good] * 30) + b"\n")
    sequential, in_parallel, used = _lint_both_ways([str(bom)])
    _same(sequential, in_parallel)
    assert used[0] is False and all(used[1:])  # the BOM line is computed in the main process


def test_workers_read_a_file_with_the_names_its_trainer_config_declares(tmp_path, tiny_chunks):
    """Workers detect and count with the file's declared Reading (an Axolotl field_messages), as the main process does."""
    config = tmp_path / "axolotl.yaml"
    config.write_text("datasets:\n  - path: chats.jsonl\n    type: chat_template\n    field_messages: conversation\n"
                      "    message_property_mappings:\n      role: from\n      content: text\n")
    rows = [{"conversation": [{"from": "user", "text": f"question {i}"}, {"from": "assistant", "text": f"answer {i}"}]}
            for i in range(60)]
    path = _write(tmp_path / "chats.jsonl", [json.dumps(r).encode() for r in rows])
    options = {"run_options": {"trainer_config": str(config)}, "provider": "axolotl"}
    sequential, in_parallel, used = _lint_both_ways([path], **options)
    _same(sequential, in_parallel)
    assert used and all(used)
    tokens = in_parallel[1][0].stats["tokens"]
    assert in_parallel[1][0].format == "sharegpt" and tokens["total"] > 60 * 8 and tokens["exact"]


def test_a_line_out_of_step_stops_the_workers_and_the_main_process_computes_the_rest(tmp_path, tiny_chunks):
    path = _mixed_file(tmp_path)
    sequential = lint_paths([path], precomputed=None)
    hook = parallel.precompute_hook(jobs=2)
    wrong = Precomputed(None, None, None, None, None)

    def skewed(*args):
        for n, item in enumerate(hook(*args)):
            # Line 10 claims another size: from there on nothing precomputed may be used
            # (the values and findings after it, poisoned here, would change the report).
            yield (item[0] + 1, *item[1:]) if n == 9 else (item[0], wrong, ()) if n > 9 else item

    _same(sequential, lint_paths([path], precomputed=skewed))


@pytest.mark.parametrize("field", Precomputed._fields)
def test_every_precomputed_value_is_used(tmp_path, tiny_chunks, monkeypatch, field):
    """Computing a Precomputed value in the main process is an error here: a parallel run must
    not need to, while a sequential run must (else this file would not exercise the value)."""
    slot = field if field in Example.__slots__ else "_" + field
    assert slot in Example.__slots__, f"Precomputed.{field} has no Example slot"
    base = getattr(Example, slot)
    parent = os.getpid()

    def read(self):
        value = base.__get__(self)
        if value is UNSET and os.getpid() == parent:
            raise AssertionError(f"{field} computed in the main process")
        return value

    strict = type("StrictExample", (Example,), {"__slots__": (), slot: property(read, base.__set__)})
    monkeypatch.setattr(engine, "Example", strict)
    path = _mixed_file(tmp_path)
    with pytest.raises(AssertionError, match=field):
        lint_paths([path], validation=[path], precomputed=None)
    problems, results = lint_paths([path], validation=[path], precomputed=parallel.precompute_hook(jobs=2))
    assert results[0].examples == 43


def test_precomputed_values_reach_the_rules(tmp_path, tiny_chunks):
    """What workers send is what rules and statistics see (poisoned values show in the report)."""
    path = _mixed_file(tmp_path)
    hook = parallel.precompute_hook(jobs=2)

    def poisoned(*args):
        for item in hook(*args):
            if item is not None:
                size, pre, findings = item
                item = (size, pre._replace(tokens=type(pre.tokens)(1000, 10), digest=7), findings)
            yield item

    problems, results = lint_paths([path], precomputed=poisoned)
    assert results[0].stats["tokens"]["total"] == 43 * 1000
    assert sum(p.code == "FT403" for p in problems) == 42  # every example "repeats" the first


def test_the_line_bound_holds_in_workers(tmp_path, tiny_chunks):
    """A line over FT009's bound is neither read whole by the chunking nor by a worker (#13)."""
    good = json.dumps(chat("q", "a")).encode()
    huge = b'{"messages": "' + b"x" * (24 << 20) + b'"}'
    path = _write(tmp_path / "huge.jsonl", [good, huge, good, good])
    bound = 1 << 20
    parallel._parent_counter = parallel.TokenCounter("o200k_base")
    get_encoding("o200k_base")
    tracemalloc.start()
    try:
        bounds = parallel.chunk_bounds(path, 1000)
        found = [item for start, end in bounds
                 for item in _expand(parallel.precompute_range((path, start, end, bound, 100)))]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        parallel._parent_counter = parallel._worker_counter = None
    assert [item is not None for item in found] == [True, False, True, True]
    assert peak < 6 * bound, f"peak {peak:,} bytes for a {len(huge):,}-byte line"
    sequential, in_parallel, used = _lint_both_ways([path], options={"FT009": {"max-bytes": bound}})
    _same(sequential, in_parallel)
    assert [p.code for p in in_parallel[0] if p.line == 2] == ["FT009"]


def _expand(items: list) -> list:
    """A worker's compact result, one item per line (an int n stands for n lines without values)."""
    return [line for item in items for line in ([None] * item if type(item) is int else [item])]


def test_a_task_holds_at_most_max_items_values_and_counts_the_rest(tmp_path):
    """Runs of lines without values are one int; past max_items the main process computes (#13)."""
    path = _write(tmp_path / "tiny.jsonl", [b""] * 5000 + [b"{}"] * 10 + [b"[1]", b"{}", b"{}"])
    parallel._parent_counter = parallel.TokenCounter("o200k_base")
    try:
        found = parallel.precompute_range((path, 0, os.path.getsize(path), 1 << 20, 4))
    finally:
        parallel._parent_counter = parallel._worker_counter = None
    assert found[0] == 5000 and found[-1] == 9  # 6 {} past the bound, [1], 2 more {}
    assert [type(item) for item in found[1:-1]] == [tuple] * 4 and found[1][0] == 2
    assert len(_expand(found)) == 5013


def test_small_lines_make_small_tasks():
    assert parallel.chunk_bytes_for([_Line(3)] * 100) == parallel.MIN_CHUNK_BYTES
    assert parallel.chunk_bytes_for([_Line(100)] * 100) == 100 * parallel.MAX_ITEMS
    assert parallel.chunk_bytes_for([_Line(10_000)] * 100) == parallel.CHUNK_BYTES
    assert parallel.chunk_bytes_for([]) == parallel.CHUNK_BYTES


def test_a_file_of_few_chunks_is_cut_finer():
    """16.7 MB for two workers in 4 MB tasks: the main process waited for the first 4 MB and one
    worker computed the last alone; at least CHUNKS_PER_WORKER tasks per worker keep both busy."""
    per_worker = parallel.CHUNKS_PER_WORKER
    big = [_Line(4_000)] * 100
    assert parallel.chunk_bytes_for(big, 16_700_000, 2) == 16_700_000 // (2 * per_worker)
    assert parallel.chunk_bytes_for(big, 500_000_000, 2) == parallel.CHUNK_BYTES
    assert parallel.chunk_bytes_for(big, 1_000_000, 4) == parallel.MIN_CHUNK_BYTES
    assert parallel.chunk_bytes_for([_Line(3)] * 100, 16_700_000, 2) == parallel.MIN_CHUNK_BYTES


def test_results_the_main_process_has_not_reached_stay_bounded(tmp_path, monkeypatch):
    """A slow main process: workers run ahead by at most TASKS_PER_WORKER tasks each, not the whole
    file (Pool.imap kept every finished result: memory grew with the number of lines, #13)."""
    import time

    monkeypatch.setattr(parallel, "MAX_ITEMS", 2_000)
    path = _write(tmp_path / "objects.jsonl", [b"{}"] * 200_000)
    counter = parallel.TokenCounter("o200k_base")
    get_encoding("o200k_base")
    tracemalloc.start()
    try:
        lines = parallel.precomputed_lines(_Ctx(path, counter), 2, 1 << 20, [_Line(3)] * 10)
        first = next(lines)
        time.sleep(1.5)  # the workers could finish the whole file meanwhile
        tracemalloc.reset_peak()
        count = 1 + sum(1 for _ in lines)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert first is not None and count == 200_000
    assert peak < 4_000_000, f"peak {peak:,} bytes while consuming 200,000 precomputed lines"


def test_lines_over_the_workers_bound_are_computed_by_the_main_process(tmp_path, tiny_chunks, monkeypatch):
    """Workers leave long lines (over WORKER_LINE_BYTES, within FT009's bound) to the main process,
    which reads them anyway: the same report, one copy of the line in memory."""
    monkeypatch.setattr(parallel, "WORKER_LINE_BYTES", 300)
    good = json.dumps(chat("q", "a")).encode()
    long = json.dumps(chat("q " * 200, "a")).encode()
    path = _write(tmp_path / "long.jsonl", [good, long, good, long + b" ", good])
    sequential, in_parallel, used = _lint_both_ways([path])
    _same(sequential, in_parallel)
    assert used == [True, False, True, False, True]


def test_chunks_start_and_end_at_line_starts(tmp_path):
    lines = [json.dumps(chat("q" * n, "a")).encode() for n in range(1, 200)]
    path = _write(tmp_path / "lines.jsonl", lines)
    bounds = list(parallel.chunk_bounds(path, 700))
    data = open(path, "rb").read()
    assert bounds[0][0] == 0 and bounds[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(data[end - 1:end] == b"\n" for _, end in bounds)


# -- how many workers ----------------------------------------------------------


class _Ctx:
    def __init__(self, path, counter=object()):
        self.source_name = path
        self.counter = counter


class _Line:
    def __init__(self, size):
        self.size = size
        self.value = {}


def test_worker_count(tmp_path, monkeypatch):
    path = _write(tmp_path / "big.jsonl", [b"{}"] * 10)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    monkeypatch.setattr(parallel, "free_cpus", lambda: 3.5)
    big = [_Line(10_000)] * 5
    assert parallel.worker_count(_Ctx(path), None, big) == 4
    monkeypatch.setattr(parallel, "available_cpus", lambda: 8)
    assert parallel.worker_count(_Ctx(path), None, big) == 4  # one worker per idle core
    monkeypatch.setattr(parallel, "free_cpus", lambda: 1.6)
    assert parallel.worker_count(_Ctx(path), None, big) == 2
    monkeypatch.setattr(parallel, "free_cpus", lambda: None)  # unknown: every usable CPU
    assert parallel.worker_count(_Ctx(path), None, big) == 8
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    monkeypatch.setattr(parallel, "free_cpus", lambda: 3.5)
    assert parallel.worker_count(_Ctx(path), 3, big) == 3  # --jobs 3
    assert parallel.worker_count(_Ctx(path), 1, big) == 0  # --jobs 1: one process
    assert parallel.worker_count(_Ctx(path), None, [_Line(120)] * 5) == 0  # tiny examples
    assert parallel.worker_count(_Ctx(path, counter=None), None, big) == 0  # nothing to count
    assert parallel.worker_count(_Ctx(path + ".gz"), None, big) == 0
    # Only JSONL is split at newlines: an array's elements, a CSV's rows are not lines (a 12.7 MB CSV of
    # 3 KB rows started two workers that parsed every physical line as JSON and shipped nothing: 0.81 s
    # against 0.66 s in one process).
    array = _write(tmp_path / "array.json", [b"[{}, {}]"])
    table = _write(tmp_path / "rows.csv", [b"prompt,completion", b'"a\nb",c'])
    assert parallel.worker_count(_Ctx(array), None, big) == 0
    assert parallel.worker_count(_Ctx(table), None, big) == 0
    assert parallel.worker_count(_Ctx(path), None, big) == 4  # the same settings, a JSONL file
    monkeypatch.setattr(parallel, "free_cpus", lambda: 0.7)  # another tenant is busy
    assert parallel.worker_count(_Ctx(path), None, big) == 0
    monkeypatch.setattr(parallel, "free_cpus", lambda: 3.5)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 1)
    assert parallel.worker_count(_Ctx(path), None, big) == 0
    monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 30)
    assert parallel.worker_count(_Ctx(path), 4, big) == 0  # small file


@pytest.mark.parametrize("lines, files, expected", [
    (["0::/a/b"], {"a/b/cpu.max": "150000 100000", "a/cpu.max": "max 100000"}, 1.5),
    (["0::/a/b"], {"a/b/cpu.max": "max 100000", "a/cpu.max": "300000 100000"}, 3.0),
    (["0::/"], {"cpu.max": "max 100000"}, None),
    (["4:cpu,cpuacct:/job"], {"cpu,cpuacct/job/cpu.cfs_quota_us": "50000",
                              "cpu,cpuacct/job/cpu.cfs_period_us": "100000"}, 0.5),
    (["4:cpu,cpuacct:/job"], {"cpu,cpuacct/job/cpu.cfs_quota_us": "-1",
                              "cpu,cpuacct/job/cpu.cfs_period_us": "100000"}, None),
    (["0::/a"], {}, None),
])
def test_cgroup_cpu_quota(tmp_path, lines, files, expected):
    proc = tmp_path / "cgroup"
    proc.write_text("\n".join(lines) + "\n")
    for name, text in files.items():
        target = tmp_path / "fs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + "\n")
    assert parallel.cgroup_cpu_quota(str(tmp_path / "fs"), str(proc)) == expected


def test_available_cpus_respects_the_affinity_mask():
    assert 1 <= parallel.available_cpus() <= len(os.sched_getaffinity(0))


def test_an_example_caches_only_in_its_declared_slots():
    """No __dict__: a per-example cache is a slot of Example (formats.py), never an ad-hoc attribute."""
    example = Example(1, {"messages": []}, "chat")
    assert not hasattr(example, "__dict__")
    with pytest.raises(AttributeError):
        example.something_cached = 1


# -- the record rules in the workers -------------------------------------------


def test_workers_run_the_stateless_record_rules_and_the_main_process_skips_them(tmp_path, tiny_chunks):
    """What a worker ships for a line's record rules is what the report shows: the main process
    does not run them again (findings dropped here vanish) but still runs the stateful ones."""
    path = _mixed_file(tmp_path)
    hook = parallel.precompute_hook(jobs=2)
    shipped = []

    def dropping(*args):
        for item in hook(*args):
            if item is not None:
                shipped.append(item[2])
                item = (item[0], item[1], ())  # as if the workers had found nothing
            yield item

    sequential = lint_paths([path], precomputed=None)
    problems, _ = lint_paths([path], precomputed=dropping)
    record_codes = {"FT105", "FT111"}  # the empty reply and the two user turns of the last line
    assert record_codes <= {p.code for p in sequential[0]}
    assert not record_codes & {p.code for p in problems}
    assert all(found is not None for found in shipped) and any(shipped)
    assert {p.code for p in problems} == {p.code for p in sequential[0]} - record_codes


def test_a_task_ships_at_most_max_findings_and_leaves_the_rest_to_the_main_process(tmp_path, tiny_chunks,
                                                                                     monkeypatch):
    monkeypatch.setattr(parallel, "MAX_FINDINGS", 3)
    empty = json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": ""}]})
    path = _write(tmp_path / "empty.jsonl", [empty.encode()] * 20)
    sequential, in_parallel, used = _lint_both_ways([path])
    _same(sequential, in_parallel)
    assert sum(p.code == "FT105" for p in in_parallel[0]) == 20


def test_record_rules_that_keep_per_file_state_are_stateful():
    """A record rule run by a worker sees a copy of the file's context: once-per-file reports
    (ctx.once), shared tallies, the running counts and the line number (workers do not know it)
    need the main process. Plugins are stateful unless they say otherwise."""
    import inspect

    from ftlint.rules import builtin_modules, rule_from_module

    needs_main = ("ctx.once(", "ctx.shared", "ctx.reported", "ctx.examples", "ctx.lines", "example.line")
    for module in builtin_modules():
        rule = rule_from_module(module)
        if rule.scope != "record":
            assert not rule.stateful, rule.code
            continue
        source = inspect.getsource(module)
        uses = [what for what in needs_main if what in source]
        assert rule.stateful == bool(uses), f"{rule.code}: STATEFUL is {rule.stateful}, uses {uses}"
    plugin = type(module)("plugin_rule")
    plugin.__dict__.update(CODE="XY001", NAME="plugin-rule", SCOPE="record", LEVEL="warning",
                           check=lambda example, conf, ctx: ())
    assert rule_from_module(plugin, owner="plugin").stateful
    plugin.STATEFUL = False
    assert not rule_from_module(plugin, owner="plugin").stateful


# -- whole reports: --jobs 1 against --jobs 2 -----------------------------------


def _json_report(path, jobs: int, *extra: str) -> tuple[int, dict]:
    import io

    from ftlint import cli

    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(path), "--format", "json", "--no-cache", "--isolated", "--jobs", str(jobs), *extra],
                    stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    return code, json.loads(out.getvalue())


@pytest.fixture
def counted_workers(monkeypatch):
    """Workers for files of any size, in ranges of 16 KB; counts the lines whose record rules they ran."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 16 << 10)
    monkeypatch.setattr(parallel, "MIN_CHUNK_BYTES", 4 << 10)
    seen = {"lines": 0, "with_rules": 0}
    stream = parallel._stream

    def counting(*args, **kwargs):
        for item in stream(*args, **kwargs):
            if item is not None:
                seen["lines"] += 1
                seen["with_rules"] += item[2] is not None
            yield item

    monkeypatch.setattr(parallel, "_stream", counting)
    return seen


def _same_json_report(path, counted_workers, *extra):
    one = _json_report(path, 1, *extra)
    assert counted_workers["lines"] == 0
    two = _json_report(path, 2, *extra)
    assert one == two
    return two


# Real files of every shape the workers meet: chat with tools, images (FT608 is stateful: gpt-3.5-turbo
# has no vision), preference pairs, reinforcement fine-tuning, legacy prompt/completion with duplicates,
# a trainer format, a file with broken lines.
REAL_FILES = [
    ("microsoft-foundry-fine-tuning__stock_toolcall_training.jsonl", ("--model", "gpt-4o-mini")),
    ("microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl", ("--model", "gpt-3.5-turbo")),
    ("microsoft-foundry-fine-tuning__chartqa_multimodal_training.jsonl", ("--model", "gpt-4o-mini")),
    ("hiyouga-LLaMA-Factory__v1_dpo_demo.jsonl", ("--model", "gpt-4o-mini")),
    ("hiyouga-LLaMA-Factory__v1_sft_demo.jsonl", ("--provider", "together")),
    ("latslats-finetune_er_projects__finetune_broken.jsonl", ("--model", "gpt-4o-mini")),
    ("JacopKane-tic-tac-toe-openai-api__training_data.jsonl", ("--model", "gpt-4o-mini")),
    ("Fuad28-text-classification-with-gpt3__sms_spam_training.jsonl", ("--model", "babbage-002")),
    ("openai-cookbook__drone_training.jsonl", ("--model", "gpt-4o-mini")),
]


@pytest.mark.parametrize("name, extra", REAL_FILES, ids=[f"{n[:40]}{x[-1]}" for n, x in REAL_FILES])
def test_jobs_2_gives_the_report_of_jobs_1_on_real_files(real_corpus, counted_workers, name, extra):
    report = _same_json_report(real_corpus / name, counted_workers, *extra)
    assert counted_workers["lines"] > 0 and counted_workers["with_rules"] == counted_workers["lines"]
    assert report[1]["files"][0]["examples"] > 0


def test_jobs_2_gives_the_report_of_jobs_1_with_a_medmcq_rft_file(real_corpus, counted_workers):
    path = real_corpus / "microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl"
    _same_json_report(path, counted_workers, "--model", "o4-mini", "--method", "reinforcement")
    assert counted_workers["with_rules"] > 0


_text = st.text(st.sampled_from("ab <|>\n\u00e9\U0001f600"), max_size=12)
_message = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant", "tool", "bot", ""]), "content": st.one_of(
        _text, st.none(), st.lists(st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url"]),
                                                          "text": _text}), max_size=2))},
    optional={"weight": st.sampled_from([0, 1, 2]), "name": st.sampled_from(["a b", "ok"])})
_record = st.one_of(
    st.fixed_dictionaries({"messages": st.lists(_message, max_size=4)}, optional={"extra": st.integers(0, 3)}),
    st.fixed_dictionaries({"prompt": _text, "completion": _text}),
    st.fixed_dictionaries({"input": st.fixed_dictionaries({"messages": st.lists(_message, max_size=2)}),
                           "preferred_output": st.lists(_message, max_size=1),
                           "non_preferred_output": st.lists(_message, max_size=1)}),
)
_line = st.one_of(_record.map(json.dumps), st.sampled_from(["", "{", "[1]", "null", '{"a": 1, "a": 2}']))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=60), model=st.sampled_from(["gpt-4o-mini", "gpt-3.5-turbo"]))
def test_jobs_2_gives_the_report_of_jobs_1_on_generated_files(tmp_path_factory, counted_workers, lines, model):
    path = tmp_path_factory.mktemp("jobs") / "generated.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counted_workers["lines"] = 0
    _same_json_report(path, counted_workers, "--model", model)


def test_a_line_with_stateful_and_stateless_findings_keeps_their_order(tmp_path, counted_workers):
    """FT608 (stateful: once per file) runs in the main process, FT105, FT108 and FT111 on the same line
    in a worker; the report lists them in the order one process does."""
    image = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
    line = {"messages": [{"role": "user", "content": [image]}, {"role": "user", "content": "again"},
                         {"role": "assistant", "content": ""}], "notes": "unknown key"}
    path = _write(tmp_path / "vision.jsonl", [json.dumps(chat(f"q{i}", "a")).encode() for i in range(30)]
                  + [json.dumps(line).encode()] * 3)
    _, report = _same_json_report(path, counted_workers, "--model", "gpt-3.5-turbo")
    on_31 = [d["code"] for d in report["files"][0]["diagnostics"] if d["line"] == 31]
    assert {"FT608", "FT105", "FT108", "FT111"} <= set(on_31)
    assert on_31.index("FT608") not in (0, len(on_31) - 1), on_31  # between stateless findings
    assert counted_workers["with_rules"] > 0


def test_free_cpus_counts_only_the_cpus_this_process_may_use(tmp_path, monkeypatch):
    """CPUs 0 and 1 busy, 2 and 3 idle over the sample: pinned to 2 and 3 that is two idle CPUs,
    pinned to 0 and 1 none; the machine's total line would say two of four either way."""
    before = ("cpu  400 0 0 200 0 0 0 0 0 0\ncpu0 100 0 0 0 0 0 0 0\ncpu1 100 0 0 0 0 0 0 0\n"
              "cpu2 100 0 0 100 0 0 0 0\ncpu3 100 0 0 100 0 0 0 0\nintr 1\n")
    after = ("cpu  600 0 0 400 0 0 0 0 0 0\ncpu0 200 0 0 0 0 0 0 0\ncpu1 200 0 0 0 0 0 0 0\n"
             "cpu2 100 0 0 200 0 0 0 0\ncpu3 100 0 0 200 0 0 0 0\nintr 1\n")
    stat = tmp_path / "stat"
    _fake_clock(monkeypatch, on_sleep=lambda: stat.write_text(after))

    def sampled(cpus):
        stat.write_text(before)
        monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: cpus)
        return parallel.free_cpus(stat=str(stat))

    assert sampled({2, 3}) == 2.0
    assert sampled({0, 1}) == 0.0
    assert sampled({0, 1, 2, 3}) == 2.0
    assert sampled({7}) == (os.cpu_count() or 1) * 200 / 400  # no line for it: the machine's total
    assert parallel.free_cpus(stat=str(tmp_path / "missing")) is None


def test_the_last_ranges_shrink_so_the_workers_finish_together(tmp_path):
    lines = [json.dumps(chat("q" * 90, "a")).encode()] * 20_000  # about 2.5 MB
    path = _write(tmp_path / "lines.jsonl", lines)
    size = os.path.getsize(path)
    chunk = 256 << 10
    plain = list(parallel.chunk_bounds(path, chunk))
    shrinking = list(parallel.chunk_bounds(path, chunk, workers=2))
    for bounds in (plain, shrinking):
        assert bounds[0][0] == 0 and bounds[-1][1] == size and all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    sizes = [end - start for start, end in shrinking]
    assert max(sizes) <= chunk + 200 and sizes[:3] == [sizes[0]] * 3  # full ranges first
    assert sizes[-2] < chunk // 2 and len(shrinking) > len(plain)  # then each a share of what is left
    assert min(sizes[:-1]) >= parallel.MIN_CHUNK_BYTES


def test_workers_stop_counting_where_one_process_does(tmp_path, counted_workers):
    """gpt-3.5-turbo's cap is 16,385 tokens: 3 MB of text proves a string over it by its length (counting.py's
    cap stop). A worker counted it whole (an exact count, and minutes for one letter repeated); the report says
    "at least" with or without workers."""
    rows = [json.dumps(chat(f"question {i}", "answer")).encode() for i in range(40)]
    rows.insert(7, json.dumps(chat("ab " * 1_000_000, "ok")).encode())
    path = _write(tmp_path / "over.jsonl", rows)
    _, report = _same_json_report(path, counted_workers, "--model", "gpt-3.5-turbo", "--select", "FT303")
    (over,) = report["files"][0]["diagnostics"]
    assert over["line"] == 8 and over["message"].startswith("at least 23,448 tokens (counting stopped: a string of "
                                                            "3,000,000 UTF-8 bytes needs at least 23,438 tokens")
    assert counted_workers["lines"] == 41


def test_a_worker_counter_counts_as_its_parent(monkeypatch):
    from ftlint.chat_framing import FRAMED_COUNTERS
    from ftlint.counting import TokenCounter

    for parent in (TokenCounter("o200k_base", stop_above=5, image_base=7, image_per_tile=3),
                   FRAMED_COUNTERS["chatml"]("o200k_base", stop_above=9)):
        parent.text("warm the parent's memo")
        monkeypatch.setattr(parallel, "_parent_counter", parent)
        monkeypatch.setattr(parallel, "_worker_counter", None)
        monkeypatch.setattr(parallel, "_parent_ctx", None)
        worker = parallel._counter()
        assert type(worker) is type(parent) and worker._memo == {} and worker._memo_char_budget == parallel.WORKER_MEMO_CHARS
        assert (worker.stop_above, worker.image_base, worker.image_per_tile, worker.encoding_name) == \
            (parent.stop_above, parent.image_base, parent.image_per_tile, parent.encoding_name)
        example = {"messages": [{"role": "user", "content": "x" * 5000}, {"role": "assistant", "content": "ok"}]}
        assert worker.example("chat", example) == parent.example("chat", example)
        assert parent._memo  # the parent's memo is its own


@settings(max_examples=60, deadline=None)
@given(total=st.integers(0, 10**7), trained=st.integers(0, 10**7), shape=st.integers(0, 3),
       digests=st.tuples(st.integers(-2**63, 2**64 - 1), st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)),
                         st.one_of(st.none(), st.integers(-2**63, 2**63 - 1))),
       stopped=st.one_of(st.none(), st.text(max_size=20)), shipped=st.sampled_from([None, (), ((3, "f"),)]))
def test_a_line_packed_for_the_pipe_unpacks_to_the_same_values(total, trained, shape, digests, stopped, shipped):
    import pickle

    from ftlint.counting import Counts, CountsAtLeast

    tokens = Counts(total, trained) if stopped is None else CountsAtLeast(total, trained, stopped)
    values = Precomputed(tokens, shape, *digests)
    size, back, found = parallel._unpacked(pickle.loads(pickle.dumps(parallel._packed(123, values, shipped))))
    assert (size, back, found) == (123, values, shipped)
    assert type(back) is Precomputed and type(back.tokens) is type(tokens)
    assert getattr(back.tokens, "stopped", None) == stopped


def _fake_clock(monkeypatch, on_sleep=lambda: None, busy: float = 0.0):
    """parallel's clock, slept by hand: ``sleep(s)`` advances it by s, this process using ``busy`` CPUs meanwhile."""
    clock = {"now": 100.0, "cpu": 5.0}

    def sleep(seconds):
        clock["now"] += seconds
        clock["cpu"] += busy * seconds
        on_sleep()

    fake = type("FakeTime", (), {"sleep": staticmethod(sleep), "monotonic": staticmethod(lambda: clock["now"]),
                                 "process_time": staticmethod(lambda: clock["cpu"])})
    monkeypatch.setattr(parallel, "time", fake)
    return sleep


def test_free_cpus_samples_while_other_work_runs_and_counts_this_process_as_free(tmp_path, monkeypatch):
    """Sampled across the tokenizer's build (0.15 s here): no sleep of its own, and the CPU the build kept busy is
    this process's, free once it waits on the workers. 2 CPUs: 15 ticks each, 16 of the 30 idle, this process
    busy 0.14 s of the 0.15 s: 2 * 16 / 30 + 0.14 / 0.15 = 2.0 (capped at the CPUs there are)."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    stat = tmp_path / "stat"
    stat.write_text("cpu  0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0\n")
    work = _fake_clock(monkeypatch, busy=0.14 / 0.15)
    slept = []
    since = parallel.cpu_sample(str(stat))
    work(0.15)  # the tokenizer's build
    stat.write_text("cpu  14 0 0 16 0 0 0 0\ncpu0 14 0 0 1 0 0 0 0\ncpu1 0 0 0 15 0 0 0 0\n")
    monkeypatch.setattr(parallel.time, "sleep", lambda seconds: slept.append(seconds))
    assert parallel.free_cpus(stat=str(stat), since=since) == pytest.approx(2.0)
    assert slept == []  # the window was long enough
    # Another process busy on the second CPU the whole time: one CPU free, this process's.
    work = _fake_clock(monkeypatch, busy=1.0)
    since = parallel.cpu_sample(str(stat))
    work(0.15)
    stat.write_text("cpu  44 0 0 16 0 0 0 0\ncpu0 29 0 0 1 0 0 0 0\ncpu1 15 0 0 15 0 0 0 0\n")
    assert parallel.free_cpus(stat=str(stat), since=since) == pytest.approx(1.0)
    # A window shorter than FREE_SAMPLE_SECONDS (the tokenizer was built for an earlier file) is slept out.
    work = _fake_clock(monkeypatch, on_sleep=lambda: stat.write_text(
        "cpu  44 0 0 20 0 0 0 0\ncpu0 29 0 0 3 0 0 0 0\ncpu1 15 0 0 17 0 0 0 0\n"))
    since = parallel.cpu_sample(str(stat))
    assert parallel.free_cpus(stat=str(stat), since=since) == pytest.approx(2.0)
