"""``--fix``: rewrite files so the fixable problems go away, streaming, atomically.

Safe fixes (``--fix``), each tied to the rule it fixes and applied only when
that rule is selected for the file (per-file-ignores included):

- FT003 strip the UTF-8 byte order mark;
- FT005 CRLF -> LF;
- FT004 drop blank lines;
- FT011 add the final newline;
- FT208 prepend the missing leading space to prompt/completion completions;
- FT204 append the file's separator to prompts that lack it;
- FT206 append the file's stop sequence to completions that lack it.

Unsafe fixes (``--unsafe-fixes`` as well) change what is trained on:

- FT403 drop exact duplicates (the later copies; compared after the safe
  fixes, by the rule's 64-bit hash, so memory is 8 bytes and a line number per
  distinct example);
- FT106 drop chat examples without any assistant message under supervised
  training: they train nothing and only cost tokens.

Invalid JSON and other unparseable lines are never dropped: they usually hold a
real example broken by a quoting bug, which a person should repair. A run that
would drop more than half of a file's examples writes nothing (FixError, exit
2): that many "defects" mean the file was linted for the wrong method or model,
not that the data is bad.

Every line no fix touches is written byte for byte. A record fix rewrites only
the JSON value it changes (the string after ``"completion":``, say), so key
order, spacing and escapes elsewhere on the line stay as they were. The
separator and stop sequence are the conventions the engine learns from the
file's first records (:mod:`ftlint.conventions`), so the fixes and the rules
agree on them; whether a record needs one is decided by the rule's own check.

The output goes to a temporary file in the same directory, which replaces the
original (``os.replace``) only when something changed; the file mode is kept.
A temporary file left by a killed run is removed by the next run that writes
the same file (:mod:`ftlint.tempfiles`).
Standard input and ``.gz`` files are refused: a compressed file is usually
built from a source file, and that is the one to fix.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import json.scanner
import os
import re
import stat
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterator, TextIO

from ftlint import tempfiles
from ftlint.engine import Linter
from ftlint.formats import COMPLETION, Example, record_format
from ftlint.sources import JSONL, container_of_path
from ftlint.reader import BLANK, BOM, CRLF, NO_FINAL_NEWLINE, OVERSIZED, UTF8_BOM, open_source, read_lines

BOM_RULE, BLANK_RULE, CRLF_RULE, FINAL_NEWLINE_RULE = "FT003", "FT004", "FT005", "FT011"
LEADING_SPACE_RULE, SEPARATOR_RULE, STOP_RULE = "FT208", "FT204", "FT206"
DUPLICATE_RULE, NO_ASSISTANT_RULE = "FT403", "FT106"

SAFE_FIXES = (BOM_RULE, BLANK_RULE, CRLF_RULE, FINAL_NEWLINE_RULE, LEADING_SPACE_RULE, SEPARATOR_RULE, STOP_RULE)
UNSAFE_FIXES = (DUPLICATE_RULE, NO_ASSISTANT_RULE)


class FixError(Exception):
    """The file cannot be fixed (it is left untouched; the CLI exits 2)."""


class WriteError(FixError):
    """:func:`atomic_output` could not write ``path`` (``reason``: the system's word for why)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: cannot write the fixed file: {reason}; the original is unchanged")
        self.path = path
        self.reason = reason


def refuse_reason(name: str) -> str | None:
    """Why ``--fix`` will not rewrite this input, or None."""
    if name == "-":
        return "--fix cannot rewrite standard input; pass a file path"
    if name.endswith(".gz"):
        return f"--fix does not rewrite compressed files ({name}); fix the uncompressed source"
    container = container_of_path(name)
    if container != JSONL:
        what = "a JSON array" if container == "json-array" else f"a {container.upper()} table"
        return f"--fix rewrites JSONL files only ({name} is {what}); write JSONL with --convert-to first"
    return None


#: A fix run may drop at most this share of a file's examples.
MAX_DROPPED_SHARE = 0.5

#: Why a fix would drop most of a file, by the rule that drops.
LIKELY_CAUSES = {
    NO_ASSISTANT_RULE: "examples without an assistant message are what reinforcement fine-tuning data looks like, "
                       "so the file was probably linted for the wrong method or model: lint it with "
                       "--method reinforcement and a model that takes it",
    DUPLICATE_RULE: "so many copies usually mean the file was concatenated with itself or built by a broken "
                    "script: look at how it was made",
}


@dataclass
class FixReport:
    path: str
    fixed: Counter = field(default_factory=Counter)  # rule code -> fixes applied
    examples: int = 0  # records (JSON objects) read
    dropped: Counter = field(default_factory=Counter)  # rule code -> examples dropped

    @property
    def changed(self) -> bool:
        return bool(self.fixed)

    def refusal(self) -> str | None:
        """Why this run must write nothing (it would drop most of the file), or None."""
        dropped = sum(self.dropped.values())
        if not dropped or dropped <= MAX_DROPPED_SHARE * self.examples:
            return None
        rule, _ = self.dropped.most_common(1)[0]
        by_rule = ", ".join(f"{code} {n:,}" for code, n in self.dropped.most_common())
        return (f"{self.path}: --unsafe-fixes would drop {dropped:,} of {self.examples:,} examples ({by_rule}), "
                f"more than half of the file, so nothing was changed; {LIKELY_CAUSES[rule]}")


# -- editing one record's JSON text -----------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scan_value = json.scanner.make_scanner(json.JSONDecoder())


def top_level_spans(text: str) -> dict[str, tuple[int, int]]:
    """Where each top-level key's value sits in a JSON object's text (last duplicate wins, as in parsing)."""
    spans: dict[str, tuple[int, int]] = {}
    i = _WHITESPACE.match(text, 0).end() + 1  # past "{"
    i = _WHITESPACE.match(text, i).end()
    if text[i] == "}":
        return spans
    while True:
        key, i = json.decoder.scanstring(text, i + 1)
        i = _WHITESPACE.match(text, i).end() + 1  # past ":"
        i = _WHITESPACE.match(text, i).end()
        _, end = _scan_value(text, i)
        spans[key] = (i, end)
        i = _WHITESPACE.match(text, end).end()
        if text[i] != ",":
            return spans
        i = _WHITESPACE.match(text, i + 1).end()


def replace_values(raw: bytes, edits: dict[str, str]) -> bytes:
    """``raw`` with the top-level string values in ``edits`` replaced; all other bytes kept."""
    text = raw.decode("utf-8")
    spans = top_level_spans(text)
    out, last = [], 0
    for start, end, new in sorted((*spans[key], value) for key, value in edits.items()):
        old_token = text[start:end]
        # Keep the line's escaping style: \uXXXX escapes stay escapes.
        ascii_only = old_token.isascii() and not json.loads(old_token).isascii()
        out += [text[last:start], json.dumps(new, ensure_ascii=ascii_only)]
        last = end
    out.append(text[last:])
    return "".join(out).encode("utf-8")


# -- the fixer ---------------------------------------------------------------------


class Fixer:
    """Computes the fixed lines of one file with the rules a Linter has selected for it."""

    def __init__(self, linter: Linter, unsafe: bool = False):
        self.linter = linter
        self.allowed = SAFE_FIXES + (UNSAFE_FIXES if unsafe else ())

    def lines(self, name: str, report: FixReport) -> Iterator[tuple[bytes, bytes | None]]:
        """(original bytes, fixed bytes or None when dropped) for each line, terminators included."""
        linter = self.linter
        source = open_source(name)
        try:
            lines = read_lines(source, linter.max_line_bytes)
            buffered, sample = linter.sniff(lines)
            ctx = linter.file_context(name, name)
            linter.learn(ctx, sample)
            del sample
            active = {
                code: rule for code, rule in linter.rules.items()
                if code in self.allowed and rule.applies_to(ctx.format, ctx.method, ctx.run.provider.id)
            }
            states = {code: rule.begin(linter.confs[code], ctx) for code, rule in active.items() if rule.scope == "dataset"}
            newline = b"\n"
            for line in itertools.chain(buffered, lines):
                if OVERSIZED in line.events:
                    raise FixError(f"{name}: line {line.number} is longer than FT009's max-bytes; not fixed")
                crlf = CRLF in line.events
                terminated = NO_FINAL_NEWLINE not in line.events
                bom = BOM in line.events
                original = (UTF8_BOM if bom else b"") + line.raw + (b"\r" if crlf else b"") + (b"\n" if terminated else b"")
                if BLANK in line.events and BLANK_RULE in active:
                    report.fixed[BLANK_RULE] += 1
                    yield original, None
                    continue
                body = line.raw
                if type(line.value) is dict:
                    report.examples += 1
                    body = self._fix_record(line, ctx, active, states, report)
                    if body is None:
                        yield original, None
                        continue
                if bom:
                    if BOM_RULE in active:
                        report.fixed[BOM_RULE] += 1
                    else:
                        body = UTF8_BOM + body
                if crlf:
                    if CRLF_RULE in active:
                        report.fixed[CRLF_RULE] += 1
                    else:
                        body += b"\r"
                        newline = b"\r\n"
                if terminated:
                    body += b"\n"
                elif FINAL_NEWLINE_RULE in active:
                    report.fixed[FINAL_NEWLINE_RULE] += 1
                    # A kept CR needs only its LF; else the line ending the file already uses.
                    body += b"\n" if body.endswith(b"\r") else newline
                yield original, body
        finally:
            source.close()

    def _fix_record(self, line, ctx, active, states, report: FixReport) -> bytes | None:
        """The record's fixed JSON text, or None to drop the record."""
        data = line.value
        fmt = record_format(data)
        example = Example(line.number, data, fmt, line.raw)
        confs = self.linter.confs
        if fmt == ctx.format and NO_ASSISTANT_RULE in active:
            if any(True for _ in active[NO_ASSISTANT_RULE].check(example, confs[NO_ASSISTANT_RULE], ctx) or ()):
                report.fixed[NO_ASSISTANT_RULE] += 1
                report.dropped[NO_ASSISTANT_RULE] += 1
                return None
        edits: dict[str, str] = {}
        if fmt == COMPLETION == ctx.format:
            edits = self._completion_edits(example, ctx, active, states, report)
        if edits:
            data = {**data, **edits}
            example = Example(line.number, data, fmt)
        if fmt == ctx.format and DUPLICATE_RULE in active:
            rule = active[DUPLICATE_RULE]
            if any(True for _ in rule.check(example, confs[DUPLICATE_RULE], ctx, states[DUPLICATE_RULE]) or ()):
                report.fixed[DUPLICATE_RULE] += 1
                report.dropped[DUPLICATE_RULE] += 1
                return None
        return replace_values(line.raw, edits) if edits else line.raw

    def _completion_edits(self, example: Example, ctx, active, states, report: FixReport) -> dict[str, str]:
        def flagged(code: str) -> bool:
            rule = active.get(code)
            return rule is not None and any(
                True for _ in rule.check(example, self.linter.confs[code], ctx, states.get(code)) or ()
            )

        data = example.data
        edits: dict[str, str] = {}
        prompt, completion = data.get("prompt"), data.get("completion")
        if isinstance(prompt, str) and flagged(SEPARATOR_RULE):
            edits["prompt"] = prompt + ctx.conventions["separator"]
            report.fixed[SEPARATOR_RULE] += 1
        if isinstance(completion, str):
            new = completion
            # FT208 reports per line only when most completions have the space, and
            # once per file otherwise; either way each such completion needs it.
            if LEADING_SPACE_RULE in active and completion and not completion[0].isspace():
                new = " " + new
                report.fixed[LEADING_SPACE_RULE] += 1
            if flagged(STOP_RULE):
                new += ctx.conventions["stop"]
                report.fixed[STOP_RULE] += 1
            if new != completion:
                edits["completion"] = new
        return edits


# -- writing -----------------------------------------------------------------------


class AtomicOutput:
    """A file being written beside its destination; it replaces the destination only if ``commit`` is set."""

    def __init__(self, stream):
        self.stream = stream
        self.commit = False

    def write(self, data: bytes) -> None:
        self.stream.write(data)


def _keep_owner(tmp: str, st: os.stat_result) -> None:
    """Give the new file the old one's owner and group, where the OS lets us (root can; others keep their own)."""
    if (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid in (st.st_uid, -1):  # a non-root user may still set the group
        try:
            os.chown(tmp, uid, st.st_gid)
            return
        except OSError:
            continue


@contextlib.contextmanager
def atomic_output(path: str, mode_of: str | None = None) -> Iterator[AtomicOutput]:
    """Write to a temporary file beside ``path``; on exit it replaces ``path`` if ``commit`` was set, else goes.

    A symlink is followed: the file it points to is replaced and the link stays.
    The new file takes the mode, owner and group of ``mode_of`` (the file being
    fixed) or, for a new file, the mode the umask gives. A file with several hard
    links is refused (a new file would leave the other links with the old bytes).
    Any failure to write (read-only directory, full disk) is one WriteError; the
    original is untouched and the temporary file removed.
    """
    target = os.path.realpath(path)
    tmp = None
    try:
        st = os.stat(mode_of) if mode_of is not None else None
        if st is not None and st.st_nlink > 1 and stat.S_ISREG(st.st_mode):
            raise FixError(f"{path}: has {st.st_nlink} hard links, and the fixed file would replace only this one; "
                           "fix a copy, then copy it over the original")
        fd, tmp = tempfiles.create_beside(target)
        # The file stays open (its lock held, ftlint.tempfiles) until it is renamed or removed.
        with os.fdopen(fd, "wb") as stream:
            out = AtomicOutput(stream)
            yield out
            stream.flush()
            if out.commit:
                if st is not None:
                    os.chmod(tmp, stat.S_IMODE(st.st_mode))
                    _keep_owner(tmp, st)
                else:
                    os.chmod(tmp, tempfiles.new_file_mode())
                os.replace(tmp, target)
                tmp = None
    except OSError as exc:
        raise WriteError(path, str(exc.strerror or exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def fix_file(name: str, linter: Linter, unsafe: bool = False) -> FixReport:
    """Fix ``name`` in place (atomically); the report says what changed."""
    report = FixReport(name)
    with atomic_output(name, mode_of=name) as out:
        for _, new in Fixer(linter, unsafe).lines(name, report):
            if new is not None:
                out.write(new)
        refusal = report.refusal()
        if refusal:  # nothing is written: the temporary file goes
            raise FixError(refusal)
        out.commit = report.changed
    return report


def diff_file(name: str, linter: Linter, out: TextIO, unsafe: bool = False, context: int = 3) -> FixReport:
    """Write the unified diff ``--fix`` would apply to ``name``; change nothing."""
    if unsafe:  # only unsafe fixes drop examples: a first pass sees whether --fix would refuse
        dry = FixReport(name)
        for _ in Fixer(linter, unsafe).lines(name, dry):
            pass
        refusal = dry.refusal()
        if refusal:
            raise FixError(refusal)
    report = FixReport(name)
    pairs = Fixer(linter, unsafe).lines(name, report)
    write_unified_diff(pairs, name, out, context)
    return report


def _diff_line(sign: str, data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if text.endswith("\n"):
        return sign + text
    return f"{sign}{text}\n\\ No newline at end of file\n"


def write_unified_diff(pairs, name: str, out: TextIO, context: int = 3) -> None:
    """Stream a unified diff from (old, new-or-None) line pairs (fixes never insert lines).

    Only the current hunk is held in memory, never the file.
    """
    before: deque = deque(maxlen=context)  # equal lines that may lead the next hunk
    hunk: list[str] | None = None
    trailing: list[str] = []  # equal lines after the last change of the open hunk
    old_no = new_no = 0
    start = counts = None
    header_written = False

    def flush(tail: list[str]) -> None:
        nonlocal header_written
        if not header_written:
            out.write(f"--- {name}\n+++ {name}\n")  # apply with: patch -p0
            header_written = True
        old_len = counts[0] + len(tail)
        new_len = counts[1] + len(tail)
        old_start = start[0] if old_len else start[0] - 1
        new_start = start[1] if new_len else start[1] - 1
        out.write(f"@@ -{old_start},{old_len} +{new_start},{new_len} @@\n")
        out.writelines(hunk)
        out.writelines(tail)

    for old, new in pairs:
        old_no += 1
        if new == old:
            new_no += 1
            if hunk is None:
                before.append(_diff_line(" ", old))
                continue
            trailing.append(_diff_line(" ", old))
            if len(trailing) > 2 * context:
                flush(trailing[:context])
                hunk = None
                before.clear()
                before.extend(trailing[-context:])
                trailing = []
            continue
        if hunk is None:
            hunk = list(before)
            start = [old_no - len(before), new_no + 1 - len(before)]
            counts = [len(before), len(before)]
            before.clear()
        else:
            hunk += trailing
            counts[0] += len(trailing)
            counts[1] += len(trailing)
            trailing = []
        hunk.append(_diff_line("-", old))
        counts[0] += 1
        if new is not None:
            new_no += 1
            hunk.append(_diff_line("+", new))
            counts[1] += 1
    if hunk is not None:
        flush(trailing[:context])
