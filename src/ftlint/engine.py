"""The linter: streams each file through the enabled rules and hands problems to a reporter.

One pass per file. The first records are buffered (bounded by count and bytes)
to decide the file's format and its conventions (separator, stop sequence);
then every line goes through the line rules for its reader events, every
parsed object through the record rules for its format, and the dataset rules
keep compact state until the end of the file.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol

from ftlint import formats as fmts
from ftlint.conventions import detect as learn_conventions
from ftlint.example_calls import specialized
from ftlint.formats import Example, Precomputed, record_format
from ftlint.method import infer as infer_method
from ftlint.problem import Finding, Level, Problem
from ftlint.providers import default_provider
from ftlint.results import TRAINING, VALIDATION, FileResult  # noqa: F401 - (re-exported: the engine's outcome)
from ftlint.reader import BLANK, InputError, Line, ReaderSettings, open_source, read_lines
from ftlint.rules import Rule
from ftlint.settings import Selection

SNIFF_RECORDS = 1000
SNIFF_BYTES = 8 << 20
#: Blank and unparsable lines count too: 10M blank lines are 0 bytes of content but 10M buffered lines.
SNIFF_LINES = 100_000
#: While no line of a file has parsed, the problems of line rules some dataset
#: rule SUPERSEDES are held back (up to this many), so that its one "this file
#: is not JSONL" problem can replace them.
HOLD_BACK_LIMIT = 10_000

#: Held-back problems keep at most this much of their line (for excerpts and fingerprints).
HELD_SOURCE_BYTES = 1024

#: Files at least this large report progress (when the caller asks for it).
PROGRESS_MIN_BYTES = 64 << 20


class Collector(Protocol):
    """Gathers per-file statistics from every example (token stats, classes...)."""

    def add(self, example: Example) -> None: ...

    def result(self) -> dict: ...


@dataclass
class RunContext:
    """State shared by all files of one run (e.g. training digests for the overlap check)."""

    shared: dict = field(default_factory=dict)
    model: object = None  # catalog Model, when known
    # The providers.Provider the data goes to: rules read its limits (ctx.run.provider).
    provider: object = field(default_factory=default_provider)
    options: dict = field(default_factory=dict)  # run-wide settings rules may read (epochs, rate...)


@dataclass
class FileContext:
    path: str  # as shown to the user
    source_name: str  # as opened ("-" for stdin)
    role: str
    run: RunContext
    format: str | None = None
    method: str | None = None
    #: Why the method is not the format's default (ftlint.method), for the report.
    method_note: str | None = None
    format_forced: bool = False
    conventions: dict = field(default_factory=dict)
    examples: int = 0
    lines: int = 0
    model: object = None
    counter: object = None
    #: How the user's config says to read the file (formats.reading_for), or None: detect by keys.
    reading: object = None
    reader: ReaderSettings = field(default_factory=ReaderSettings)  # how the file is read
    # Per-file state several rules and collectors share (e.g. the class-label tally).
    shared: dict = field(default_factory=dict)
    #: Every rule's configured options by code, for a rule whose limit is another's (FT402 reads FT401's min).
    confs: dict = field(default_factory=dict)
    reported: set = field(default_factory=set)
    #: Whether --fix can rewrite this input (None: not asked yet; see fix_hint).
    rewritable: bool | None = None

    def fix_hint(self, words: str = "ftlint --fix") -> str:
        """`` (words)`` when ``--fix`` can rewrite this input, else "": a JSON array, a table, a compressed
        file or standard input is refused by --fix (ftlint.fix.refuse_reason), so no message promises it."""
        if self.rewritable is None:
            from ftlint.fix import refuse_reason  # fix imports the engine

            try:
                self.rewritable = refuse_reason(self.source_name) is None
            except OSError:
                self.rewritable = False
        return f" ({words})" if self.rewritable else ""

    def once(self, key: str) -> bool:
        """True the first time ``key`` is seen in this file (for once-per-file reports)."""
        if key in self.reported:
            return False
        self.reported.add(key)
        return True

    @property
    def format_title(self) -> str:
        return fmts.FORMAT_TITLES.get(self.format, "unknown")


def detect_of(ctx) -> Callable[[dict], str | None]:
    """The file's record detector: its declared Reading's, or by keys."""
    return ctx.reading.detect if ctx.reading is not None else record_format


class Sink(Protocol):
    def problem(self, problem: Problem) -> None: ...


ConventionFn = Callable[[list[dict], str | None], dict]
CollectorFactory = Callable[[FileContext], "Collector | None"]
#: Per physical line, in order: (the line's size in bytes, its example's
#: Precomputed values, the findings of its stateless record rules) or None.
#: Lets per-example work be done elsewhere (other processes, ftlint.parallel);
#: a size that disagrees with the reader's line stops it. The findings are
#: ((position in run_record_rules' order, Finding), ...), or None when the
#: record rules were not run there (the main process then runs them all).
PrecomputedLines = Iterator["tuple[int, Precomputed, tuple | None] | None"]
#: (file context, the lines sniffed at the start, reader settings, the file's
#: RecordRules) -> the file's PrecomputedLines, or None to compute everything in this process.
PrecomputeHook = Callable[[FileContext, list[Line], ReaderSettings, "RecordRules"], "PrecomputedLines | None"]


@dataclass
class _Active:
    rule: Rule
    conf: dict
    level: Level
    state: object = None
    #: False when the rule's checks_examples said this file gives its check nothing to find.
    steps: bool = True


def _guarded_groups(actives: list[_Active]) -> list[tuple[Callable | None, list[tuple]]]:
    """[(guard or None, [(active, check, conf), ...]), ...] in rule order of first appearance."""
    groups: dict = {}
    for a in actives:
        groups.setdefault(a.rule.guard, []).append((a, a.rule.check, a.conf))
    return list(groups.items())


class RecordRules(NamedTuple):
    """A file's record rules as the engine runs them: guard groups (_guarded_groups) for
    examples of the file's format (``same``) and of another format (``other``)."""

    same: list
    other: list


def record_calls(groups: list, stateless: bool) -> list[tuple[Callable | None, list[tuple]]]:
    """The stateless (or, with ``stateless=False``, the stateful) rules of guard groups, as
    [(guard, [(position, check, conf), ...]), ...]: the position counts every rule of ``groups``
    in order, so findings made by two processes merge back into one process's order (:func:`merged`)."""
    calls = []
    position = 0
    for guard, group in groups:
        kept = []
        for active, check, conf in group:
            if active.rule.stateful != stateless:
                kept.append((position, check, conf))
            position += 1
        if kept:
            calls.append((guard, kept))
    return calls


def run_record_rules(calls: list, example: Example, ctx) -> Iterator[tuple[int, Finding]]:
    """(position, finding) for the rules of ``calls`` (:func:`record_calls`) on ``example``."""
    for guard, group in calls:
        if guard is not None and not guard(example, ctx):
            continue
        for position, check, conf in group:
            for finding in check(example, conf, ctx) or ():
                yield position, finding


def merged(groups: list, shipped: tuple, example: Example, ctx) -> Iterator[tuple["_Active", Finding]]:
    """Every record finding in rule order: the stateless rules' from ``shipped``, the stateful ones run here."""
    actives = [active for _, group in groups for active, _, _ in group]
    here = run_record_rules(record_calls(groups, stateless=False), example, ctx)
    found = sorted(itertools.chain(shipped, here), key=lambda item: item[0])  # stable: each rule's order kept
    return ((actives[position], finding) for position, finding in found)


def default_collectors() -> tuple[CollectorFactory, ...]:
    """The per-file statistics every run gathers (each factory may decline a file)."""
    from ftlint import grader_keys, labels

    return (grader_keys.collector, labels.collector)


def reader_settings(selection: Selection, confs: dict[str, dict]) -> ReaderSettings:
    """The reader settings rules' options set (READER_OPTIONS), selected or not."""
    values = {}
    for code, rule in selection.rules.items():
        for option, setting in rule.reader_options.items():
            values[setting] = confs[code][option]
    return ReaderSettings(**values)


class Linter:
    def __init__(
        self,
        selection: Selection,
        *,
        method: str | None = None,
        run: RunContext | None = None,
        conventions: Iterable[ConventionFn] | None = None,
        collectors: Iterable[CollectorFactory] = (),
        prepare: Callable[[FileContext], None] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        model: object = None,
        precomputed: PrecomputeHook | None = None,
    ):
        self.selection = selection
        self.rules = selection.enabled()
        self.levels = selection.level_of()
        self.confs = selection.conf_of()
        self.method = method
        self.run = run or RunContext()
        self.conventions = (learn_conventions,) if conventions is None else tuple(conventions)
        # The default statistics always; callers add theirs (token stats, --stats rows).
        self.collector_factories = default_collectors() + tuple(collectors or ())
        self.prepare = prepare
        self.progress = progress  # (path, bytes done, bytes in all), for files over PROGRESS_MIN_BYTES
        self.model = model  # this linter's files' model (per-file-model); None: the run's
        self.precomputed = precomputed
        self.reader = reader_settings(selection, self.confs)
        # Line problems are held back while nothing parsed only when some rule supersedes some.
        self.superseded = frozenset(c for r in self.rules.values() for c in r.supersedes)

    @property
    def max_line_bytes(self) -> int:
        return self.reader.max_line_bytes

    # -- per-file --------------------------------------------------------

    def lint_file(self, name: str, sink: Sink, role: str = TRAINING, display: str | None = None) -> FileResult:
        path = display or ("<stdin>" if name == "-" else name)
        result = FileResult(path=path, role=role)
        try:
            source = open_source(name)
        except InputError as exc:
            result.error = str(exc)
            return result
        ctx = self.file_context(name, path, role)
        tick = None
        if self.progress is not None and source.size and source.size >= PROGRESS_MIN_BYTES:
            tick = functools.partial(self._report_progress, path, source)
        try:
            self._lint_lines(read_lines(source, self.max_line_bytes), ctx, result, sink, tick)
        except InputError as exc:
            result.error = f"{path}: {exc}"
        finally:
            source.close()
        result.format, result.method, result.method_note = ctx.format, ctx.method, ctx.method_note
        result.examples, result.lines = ctx.examples, ctx.lines
        return result

    def file_context(self, name: str, path: str, role: str = TRAINING) -> FileContext:
        model = self.model if self.model is not None else self.run.model
        return FileContext(path=path, source_name=name, role=role, run=self.run, model=model, confs=self.confs,
                           reader=self.reader)

    def learn(self, ctx: FileContext, sample: list[dict]) -> None:
        """Set the file's format, method and conventions from its first records."""
        ctx.reading = fmts.reading_for(ctx)
        ctx.format = fmts.majority_format(sample, detect_of(ctx))
        for fn in self.conventions:
            ctx.conventions.update(fn(sample, ctx.format))
        if self.method:
            ctx.method = self.method
        else:  # the model and the data's shape may say more than the format
            ctx.method, ctx.method_note = infer_method(ctx.format, ctx.model, ctx.conventions)

    @staticmethod
    def sniff(lines: Iterator[Line]) -> tuple[list[Line], list[dict]]:
        """Buffer the first lines (bounded) and return them with the records among them."""
        buffered: list[Line] = []
        sample: list[dict] = []
        size = 0
        for line in lines:
            buffered.append(line)
            size += line.size
            if type(line.value) is dict:
                sample.append(line.value)
                if len(sample) >= SNIFF_RECORDS or size >= SNIFF_BYTES:
                    break
            elif size >= SNIFF_BYTES or len(buffered) >= SNIFF_LINES:
                break
        return buffered, sample

    def _activate(self, ctx: FileContext) -> tuple[dict, list[_Active], list[_Active]]:
        by_event: dict[str, list[_Active]] = {}
        record: list[_Active] = []
        dataset: list[_Active] = []
        applying = {code: rule for code, rule in self.rules.items()
                    if rule.applies_to(ctx.format, ctx.method, ctx.run.provider.id)}
        # A rule that will report this file as a whole takes it over from the rules it supersedes.
        taken_over = {c for code, rule in applying.items() if rule.supersedes_file is not None
                      for c in rule.supersedes_file(self.confs[code], ctx) or () if c in rule.supersedes}
        for code, rule in applying.items():
            if code in taken_over:
                continue
            active = _Active(rule, self.confs[code], self.levels[code])
            if rule.checks_examples is not None:
                active.steps = bool(rule.checks_examples(active.conf, ctx))
            if rule.scope == "line":
                for event in rule.events:
                    by_event.setdefault(event, []).append(active)
            elif rule.scope == "record":
                if active.steps:
                    record.append(active)
            else:
                active.state = rule.begin(active.conf, ctx)
                dataset.append(active)
        return by_event, record, dataset

    @staticmethod
    def _looks_like_one_document(buffered: list[Line]) -> bool:
        """A first line that opens an object or array but does not close it.

        That is how pretty-printed JSON starts; JSONL lines are complete.
        """
        for line in buffered:
            if BLANK in line.events:
                continue
            return line.value is None and line.raw.lstrip()[:1] in (b"{", b"[")
        return False

    def _whole_file_problem(self, ctx: FileContext, buffered: list[Line]) -> Problem | None:
        """The one problem of a file that a rule's whole_file hook judges as a whole, if any."""
        if not self._looks_like_one_document(buffered):
            return None
        for rule in self.rules.values():
            if rule.whole_file is None:
                continue
            finding = rule.whole_file(self.confs[rule.code], ctx)
            if finding is not None:
                return Problem(ctx.path, None, None, rule.code, rule.name, self.levels[rule.code], finding.message)
        return None

    def _lint_lines(self, lines: Iterator[Line], ctx: FileContext, result: FileResult, sink: Sink,
                    tick: Callable[[], None] | None = None) -> None:
        buffered, sample = self.sniff(lines)
        problem = self._whole_file_problem(ctx, buffered)
        if problem is not None:
            # One JSON document spread over lines: its lines say nothing
            # useful one by one, so the file is reported once.
            ctx.lines = sum(1 for _ in itertools.chain(buffered, lines))
            result.levels[problem.level] += 1
            result.codes[problem.code] += 1
            sink.problem(problem)
            return
        self.learn(ctx, sample)
        del sample
        if self.prepare is not None:
            self.prepare(ctx)
        by_event, record_rules, dataset_rules = self._activate(ctx)
        stepping = [a for a in dataset_rules if a.rule.check is not None and a.steps]
        collectors = [c for c in (f(ctx) for f in self.collector_factories) if c is not None]
        file_format = ctx.format
        detect = detect_of(ctx)

        held: list[Problem] | None = [] if self.superseded else None  # None once something parsed

        path, levels, codes, to_sink, warning = ctx.path, result.levels, result.codes, sink.problem, Level.WARNING

        def emit_one(active: _Active, f: Finding, default_line: int | None, source: bytes | None = None) -> None:
            # Once per problem: a file of duplicates has one per example, so the lookups are kept few.
            nonlocal held
            rule, level, line = active.rule, active.level, f.line
            if f.unconfirmed and level > warning:
                level = warning  # an unconfirmed fact never fails a run
            code = rule.code
            if line is None or line == default_line:
                p = Problem(path, default_line, f.column, code, rule.name, level, f.message, f.json_path, source)
            else:
                p = Problem(path, line, f.column, code, rule.name, level, f.message, f.json_path)
            levels[level] += 1
            codes[code] += 1
            if held is not None and rule.scope == "line":  # kept in order with the rest
                if p.source is not None and len(p.source) > HELD_SOURCE_BYTES:  # held lines stay small
                    p = replace(p, source=p.source[:HELD_SOURCE_BYTES])
                held.append(p)
                if len(held) >= HOLD_BACK_LIMIT:
                    self._flush(held, sink)
                    held = None
            else:
                to_sink(p)

        def emit(active: _Active, findings: Iterable[Finding] | None, default_line: int | None,
                 source: bytes | None = None) -> None:
            for f in findings or ():
                emit_one(active, f, default_line, source)

        # Per-example calls resolved once: the loop below runs for every
        # example, and most checks find nothing, so the findings are iterated
        # inline rather than through a call per rule.
        # Rules sharing a guard form one group: the guard runs once per example
        # and, when it says there is nothing to find, no rule of the group is called.
        record_groups = _guarded_groups(record_rules)
        # A record of another format than the file's gets only the
        # format-independent rules (which include the mismatch report).
        other_format_groups = _guarded_groups([a for a in record_rules if not a.rule.formats])
        # A line whose stateless record rules ran elsewhere (PrecomputedLines) gets only the stateful ones here.
        stateful_groups = _guarded_groups([a for a in record_rules if a.rule.stateful])
        stateful_other_groups = _guarded_groups([a for a in record_rules if a.rule.stateful and not a.rule.formats])
        stepping_calls = [(a, a.rule.check, a.conf, a.state) for a in stepping]
        collector_adds = [c.add for c in collectors]
        # Each set of calls an example may get, written out once for this file (ftlint.example_calls).
        # An example of the file's format also steps the dataset rules and feeds the collectors.
        same_calls = specialized(record_groups, stepping_calls, collector_adds, emit_one, ctx)
        other_calls = specialized(other_format_groups, (), (), emit_one, ctx)
        stateful_calls = specialized(stateful_groups, stepping_calls, collector_adds, emit_one, ctx)
        stateful_other_calls = specialized(stateful_other_groups, (), (), emit_one, ctx)
        file_format_calls = specialized((), stepping_calls, collector_adds, emit_one, ctx)
        precomputed = None
        if self.precomputed is not None:
            precomputed = self.precomputed(ctx, buffered, self.reader, RecordRules(record_groups, other_format_groups))
        try:
            for line in itertools.chain(buffered, lines):
                ctx.lines += 1
                if tick is not None and not ctx.lines & 0x3FF:  # every 1,024 lines
                    tick()
                pre = next(precomputed, None) if precomputed is not None else None
                if line.events:
                    for event in line.events:
                        for active in by_event.get(event, ()):
                            emit(active, active.rule.check(line, active.conf, ctx), line.number, line.raw)
                value = line.value
                if type(value) is not dict:
                    continue
                if held is not None:
                    self._flush(held, sink)
                    held = None
                ctx.examples += 1
                number = line.number
                shipped = None
                if pre is not None:
                    if pre[0] == line.size:
                        pre, shipped = pre[1], pre[2]
                    else:  # out of step with the reader: compute here from now on
                        precomputed.close()
                        precomputed = pre = None
                raw = line.raw
                example = Example(number, value, detect(value), raw, pre, ctx.reading, line.element)
                matches_file = example.format == file_format
                if shipped is None:  # every record rule runs here
                    (same_calls if matches_file else other_calls)(example, number, raw)
                elif not shipped:  # the stateless rules ran elsewhere and found nothing
                    (stateful_calls if matches_file else stateful_other_calls)(example, number, raw)
                else:
                    for active, finding in merged(record_groups if matches_file else other_format_groups,
                                                  shipped, example, ctx):
                        emit_one(active, finding, number, raw)
                    if matches_file:
                        file_format_calls(example, number, raw)
        finally:
            if precomputed is not None:
                precomputed.close()  # stops any workers still running

        finished = [(active, list(active.rule.finish(active.conf, ctx, active.state) or ())) for active in dataset_rules]
        # A dataset rule that reports replaces the file findings of the rules it SUPERSEDES too: one problem, said
        # by the rule with the stricter or truer limit, not two that contradict each other.
        outranked = {code for active, findings in finished if findings for code in active.rule.supersedes}
        for active, findings in finished:
            replaced = active.rule.supersedes
            if findings and held and replaced:
                for p in held:
                    if p.code in replaced:
                        result.levels[p.level] -= 1
                        result.codes[p.code] -= 1
                held = [p for p in held if p.code not in replaced]
            if active.rule.code not in outranked:
                emit(active, findings, None)
        if held:
            self._flush(held, sink)
        for collector in collectors:
            result.stats.update(collector.result())
        result.levels += Counter()  # drop zero counts
        result.codes += Counter()

    def _report_progress(self, path: str, source) -> None:
        done = source.position()
        if done is not None:
            self.progress(path, done, source.size)

    @staticmethod
    def _flush(held: list[Problem], sink: Sink) -> None:
        for p in held:
            sink.problem(p)
        held.clear()
