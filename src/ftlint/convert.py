"""``--convert-to FORMAT -o OUT``: rewrite a dataset in another trainer's format, streaming.

Each record goes source format -> OpenAI pivot -> target format
(:mod:`ftlint.converters`). Whatever the target cannot say is a diagnostic on
the record's line; the output is written only when every record converted
exactly, unless the caller allows losses (``--convert-lossy``), and then the
records that could not be converted at all are left out and listed. The output
goes to a temporary file beside OUT that replaces it only at the end, so OUT
is never half-written and never emptied.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from dataclasses import dataclass
from typing import Callable

import orjson

from ftlint import converters, tables
from ftlint.escape import terminal as printable
from ftlint.converters import Converter
from ftlint.fix import WriteError, atomic_output
from ftlint.formats import COMPLETION, FORMAT_TITLES, record_format
from ftlint.legacy_markers import LegacyMarkers
from ftlint.reader import BLANK, InputError, open_source, read_lines

DEFAULT_MAX_RECORD_BYTES = 150_000_000


class ConvertError(Exception):
    """The conversion cannot start (unknown format, output is the input...); the CLI exits 2."""


@dataclass
class Diagnostic:
    line: int | None
    message: str


@dataclass
class ConvertReport:
    source: str
    output: str
    target: str
    examples: int = 0  # records read
    lossless: int = 0  # converted exactly
    unmarked: int = 0  # converted exactly once the legacy markers were removed (ftlint.legacy_markers)
    lossy: int = 0  # converted, with something the target cannot say
    failed: int = 0  # examples not converted
    unreadable: int = 0  # lines that hold no example (invalid JSON, not an object)
    written: bool = False
    #: record format id (or "unknown") -> records read
    sources: dict | None = None
    #: The legacy prompt/completion markers removed, when the source had any.
    markers: LegacyMarkers | None = None

    @property
    def converted(self) -> int:
        return self.lossless + self.unmarked + self.lossy


def target_converter(name: str) -> Converter:
    converter = converters.get(name)
    if converter is None:
        raise ConvertError(f'unknown --convert-to format "{name}"; choose one of: {", ".join(converters.names())}')
    return converter


def source_converter(record: dict) -> Converter | None:
    """The converter that reads ``record``: its detected format's, or the first whose shape claims it."""
    for converter in converters.claimants():
        if converter.claims(record):
            return converter
    fmt = record_format(record)
    return converters.get(fmt) if fmt is not None else None


#: The records the legacy markers are learned from: the engine's sample (ftlint.engine.SNIFF_RECORDS),
#: so a conversion removes the markers FT204, FT206 and FT208 find.
MARKER_SAMPLE_RECORDS = 1000


def learn_markers(lines, target: Converter):
    """(the legacy markers to remove, the lines): the first lines are read ahead to learn them when
    records of the legacy prompt/completion format go to another format."""
    head = list(itertools.islice(lines, MARKER_SAMPLE_RECORDS))
    rest = itertools.chain(head, lines)
    if target.format == COMPLETION:
        return None, rest
    legacy = [line.value for line in head if type(line.value) is dict and record_format(line.value) == COMPLETION]
    return (LegacyMarkers.learn(legacy) if legacy else None), rest


def convert_records(lines, target: Converter, report: ConvertReport,
                    on_diagnostic: Callable[[Diagnostic], None], markers: LegacyMarkers | None = None):
    """Yield the converted records' bytes (one JSONL line each); count and report every line."""
    sources: dict = report.sources if report.sources is not None else {}
    report.sources = sources
    for line in lines:
        value = line.value
        if type(value) is not dict:
            if BLANK in line.events:
                continue  # a blank line holds no example
            report.unreadable += 1
            why = line.error or "is not a JSON object"
            on_diagnostic(Diagnostic(line.number, f"not converted: the line {why}" if line.error is None
                                     else f"not converted: invalid JSON ({why})"))
            continue
        report.examples += 1
        source = source_converter(value)
        sources[source.format if source else "unknown"] = sources.get(source.format if source else "unknown", 0) + 1
        if source is None:
            report.failed += 1
            keys = ", ".join(sorted(value)[:6]) or "no keys"
            linted = record_format(value)
            if linted is None:
                why = f"the record's keys ({keys}) fit no format ftlint reads"
            else:  # a format ftlint lints but has no converter for (KTO's labelled messages)
                why = f"the record is {FORMAT_TITLES.get(linted, linted)}, which ftlint lints but has no converter for"
            on_diagnostic(Diagnostic(line.number, f"not converted: {why}"))
            continue
        unmarked = []
        if markers is not None and source.format == COMPLETION:
            value, unmarked = markers.strip(value)
        if source is target:
            out, losses = value, []
        else:
            pivot, losses = source.to_pivot(value)
            out = None
            if pivot is not None:
                out, more = target.from_pivot(pivot)
                losses += more
        for loss in losses:
            on_diagnostic(Diagnostic(line.number, f"{source.title} -> {target.title}: {loss}"))
        if out is None:
            report.failed += 1
            on_diagnostic(Diagnostic(line.number, f"not converted to {target.title}"))
            continue
        if losses:
            report.lossy += 1
        elif unmarked:
            report.unmarked += 1
        else:
            report.lossless += 1
        yield orjson.dumps(out) + b"\n"


def convert_file(name: str, target_name: str, output: str, *, lossy: bool = False,
                 on_diagnostic: Callable[[Diagnostic], None] = lambda d: None,
                 max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> ConvertReport:
    """Convert ``name`` into ``output`` (atomically); the report says what happened and whether it was written."""
    target = target_converter(target_name)
    if name != "-" and os.path.exists(output) and os.path.exists(name) and os.path.samefile(name, output):
        raise ConvertError(f"--convert-to writes a new file; -o {output} is the input itself")
    _check_output(output, name, target_name)
    binary = tables.binary_columns(name)
    if binary:
        raise ConvertError(f"{name} has columns of binary data ({', '.join(binary)}) that JSONL cannot hold: "
                           "--convert-to would write placeholders for them; drop or encode those columns first "
                           "(datasets: ds.remove_columns([...]))")
    report = ConvertReport(source=name, output=output, target=target.format)
    source = open_source(name)
    try:
        with _writing(output) as out:
            report.markers, lines = learn_markers(read_lines(source, max_record_bytes), target)
            for data in convert_records(lines, target, report, on_diagnostic, report.markers):
                out.write(data)
            complete = report.failed == 0 and report.lossy == 0 and report.unreadable == 0
            out.commit = report.converted > 0 and (complete or lossy)
        report.written = out.commit
    finally:
        source.close()
    return report


def _check_output(output: str, name: str, target_name: str) -> None:
    """-o names a file that can be created: not a directory, in a directory that exists (before any work)."""
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        stem = os.path.splitext(os.path.basename(name))[0] if name != "-" else "converted"
        example = os.path.join(output, f"{stem}.{target_name}.jsonl")
        raise ConvertError(f"-o {output} is a directory; name the file to write, e.g. -o {example}")
    parent = os.path.dirname(output) or "."
    if not os.path.isdir(parent):
        why = "is not a directory" if os.path.exists(parent) else "does not exist"
        raise ConvertError(f"-o {output}: the directory {parent} {why}")


@contextlib.contextmanager
def _writing(output: str):
    try:
        with atomic_output(output) as out:
            yield out
    except WriteError as exc:
        raise ConvertError(f"cannot write -o {output}: {exc.reason}; nothing was written") from None


# -- the command line ------------------------------------------------------------------

#: Diagnostics shown before "... N more" unless --show-all.
SHOWN_DIAGNOSTICS = 50


def run(options, lint: Callable, out, err) -> int:
    """``--convert-to``: convert, say what could not be carried, lint the output; the exit code of it all.

    ``lint(options, files)`` lints files with the run's other settings and returns its exit code.
    """
    from ftlint.record import replace
    from ftlint.terminal import HUMAN_FORMATS

    # What the conversion says goes with the report in a human format; beside a machine-read report
    # (json, sarif, junit, github, html on stdout) it goes to stderr, so stdout stays one valid document.
    status = out if (options.format or "text") in HUMAN_FORMATS else err
    try:
        target = target_converter(options.convert_to)
        if len(options.files) != 1 or options.validation:
            raise ConvertError("--convert-to converts one FILE at a time (no --validation)")
        if not options.output_file:
            raise ConvertError("--convert-to needs -o OUT, the file to write")
        if options.fix or options.diff or options.submit:
            raise ConvertError("--convert-to does not combine with --fix, --diff or --submit")
        name = options.files[0]
        display = printable("<stdin>" if name == "-" else name)
        shown = [0]

        def show(d: Diagnostic) -> None:
            shown[0] += 1
            if options.show_all or shown[0] <= SHOWN_DIAGNOSTICS:
                where = f"{display}:{d.line}" if d.line is not None else display
                status.write(f"{where}: {printable(d.message)}\n")

        report = convert_file(name, options.convert_to, options.output_file, lossy=options.convert_lossy,
                              on_diagnostic=show)
    except (ConvertError, InputError) as exc:
        err.write(f"ftlint: error: {printable(str(exc))}\n")
        return 2
    if shown[0] > SHOWN_DIAGNOSTICS and not options.show_all:
        status.write(f"... and {shown[0] - SHOWN_DIAGNOSTICS:,} more (--show-all lists them)\n")
    output = printable(options.output_file)
    unreadable = f" (and {report.unreadable:,} {'line' if report.unreadable == 1 else 'lines'} holding none)" \
        if report.unreadable else ""
    unmarked = f"{report.unmarked:,} without the legacy markers, " if report.unmarked else ""
    status.write(f"{display} -> {output} ({target.title}): {report.examples:,} examples{unreadable}, "
                 f"{report.lossless:,} converted exactly, {unmarked}{report.lossy:,} with losses, "
                 f"{report.failed:,} not converted\n")
    if report.unmarked:
        status.write(f"removed the legacy prompt/completion markers, which {target.title} marks with turns and "
                     f"would otherwise train as text: {printable(report.markers.summary())}\n")
    if not report.written:
        why = "nothing could be converted" if report.converted == 0 else (
            "some examples could not be converted exactly; pass --convert-lossy to write the rest anyway")
        status.write(f"{output} not written: {why}\n")
        return 1
    lint_options = replace(options, files=(options.output_file,), output_file=None,
                                       **_target_provider(options, target))
    instead = (f" (--provider {printable(options.provider)} takes no {target.title} data)"
               if options.provider and lint_options.provider != options.provider else "")
    status.write(f"Linting {output} for {lint_options.provider or 'the default provider'}{instead}:\n")
    return lint(lint_options, target)


def _target_provider(options, target: Converter) -> dict:
    """The provider (and model) OUT is linted for: the user's --provider when it takes the target format
    (a chat file for Azure OpenAI or Together), else the target format's own (a file converted back
    from Vertex's Gemini contents to chat is linted as OpenAI's chat, not against Vertex)."""
    from ftlint import providers

    if target.provider is None or target.provider not in providers.shipped_ids():
        return {}
    if options.provider:
        try:
            given = providers.get_provider(options.provider)
        except LookupError:
            return {}  # linting reports the unknown provider
        if any(target.format in method.formats for method in given.methods.values()):
            return {}
    chosen = providers.get_provider(target.provider)
    # A --model meant for the source's provider says nothing about the target's.
    keep_model = options.model is not None and chosen.knows(options.model)
    return {"provider": target.provider, "model": options.model if keep_model else None}


__all__ = ["ConvertError", "ConvertReport", "Diagnostic", "convert_file"]
