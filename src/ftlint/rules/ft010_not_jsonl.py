"""File is not JSONL at all.

## What it does
Says once, for the whole file, that it is not JSONL and what it is instead: a
JSON array of examples, one pretty-printed JSON object spread over many lines,
UTF-16 or UTF-32 text (named by its byte order mark, with the command that
converts it to UTF-8), gzip data under a name without `.gz` (rename it: ftlint
reads `.jsonl.gz`), lines that end in CR only (the classic Mac OS ending: the
whole file reads as one line; with the `tr` command that converts it), a
binary file (NUL or other control bytes that text never holds, named by its
signature: an ELF executable, a PNG image...), UTF-16 text without a byte
order mark, or text that is not JSON. This one problem replaces the per-line
syntax problems of such a file. A file whose lines are each meant as one
object (`{...}`) but all fail, say written in Latin-1, with Python's repr or
with trailing commas, is not reported here: FT002 and FT001 name each line's
cause and column. The examples of a JSON array are still read and
linted one by one (as trainers such as LLaMA-Factory take them), and
`--convert-to` turns the array into JSONL. CSV, TSV, XLSX and Parquet tables are
read too, a record per row keyed by the column names, and this problem names the
columns read.

## Why it matters
JSONL means exactly one compact JSON object per line. A `.jsonl` file written
with `json.dump(data, f, indent=2)` or holding notes fails as a whole.

## Example
    {
      "messages": [ ... ]
    }

## Fix
Convert it: `jq -c '.[]' data.json > data.jsonl` for an array,
`jq -c . data.json > data.jsonl` for one object.
"""


from ftlint.problem import Finding, plural
from ftlint import tables
from ftlint.reader import UTF8_BOM, file_head, json_type_name, other_encoding, whole_document
from ftlint.sources import JSON_ARRAY, container_of_path
from ftlint.suggest import file_and_output

CODE = "FT010"
NAME = "not-jsonl"
SCOPE = "dataset"
LEVEL = "error"
#: Line problems this one replaces when it fires.
SUPERSEDES = ("FT001", "FT002", "FT004", "FT005", "FT006", "FT007", "FT011")


def begin(conf, ctx):
    container = container_of_path(ctx.source_name)
    return {"array": container == JSON_ARRAY, "table": container if container in tables.EXTENSIONS.values() else None}


def whole_file(conf, ctx):
    """The finding for a file that is one JSON document, or None if it is not."""
    parsed = whole_document(ctx.source_name)
    if parsed is None:
        return None
    doc, lines = parsed
    if isinstance(doc, list):
        objects = sum(isinstance(v, dict) for v in doc)
        return Finding(
            f"file is one JSON array of {plural(len(doc), 'item')} ({plural(objects, 'object')}) over "
            f"{plural(lines, 'line')}, not JSONL; "
            "convert it with: jq -c '.[]' {} > {}".format(*file_and_output(ctx.path, "fixed"))
        )
    if isinstance(doc, dict) and (registry := _dataset_info(doc, ctx)) is not None:
        return registry
    if isinstance(doc, dict):
        return Finding(
            f"file is one pretty-printed JSON object over {plural(lines, 'line')}, not JSONL (one object per line); "
            "convert it with: jq -c . {} > {}".format(*file_and_output(ctx.path, "fixed"))
        )
    return Finding(f"file is a single JSON {json_type_name(doc)}, not JSONL; write one example object per line")


def _dataset_info(doc: dict, ctx) -> Finding | None:
    """LLaMA-Factory's dataset_info.json, linted as data: name it and the command that lints its data."""
    import os
    from shlex import quote as shell_quote

    from ftlint.trainer_config import dataset_info_files

    files = dataset_info_files(doc)
    if files is None:
        return None
    folder = os.path.dirname(ctx.path)
    local = [os.path.join(folder, name) for name in files if os.path.isfile(os.path.join(folder, name))]
    shown = " ".join(shell_quote(name) for name in local[:3]) + (" ..." if len(local) > 3 else "")
    return Finding(
        f"file is a LLaMA-Factory dataset_info.json ({plural(len(doc), 'dataset')}), not data: it says how to read "
        f"the data files it names; lint them with it: ftlint --provider llama-factory --trainer-config "
        f"{shell_quote(ctx.path)} {shown or shell_quote(os.path.join(folder, 'DATA.json'))}"
    )


def _reads_arrays(ctx) -> bool:
    """The provider reads JSON-array files (open trainers load them with datasets' JSON reader)."""
    provider = getattr(ctx.run, "provider", None)
    return provider is not None and ".json" in provider.files.extensions


def _reads_table(ctx, kind: str) -> bool:
    """The provider reads this kind of table itself ([files] extensions: LLaMA-Factory reads .csv)."""
    provider = getattr(ctx.run, "provider", None)
    return provider is not None and any(tables.EXTENSIONS.get(ext) == kind for ext in provider.files.extensions)


#: How much of the file's start is read to diagnose it (one line of up to this size is judged).
HEAD_BYTES = 1 << 20


#: The first bytes of gzip data (RFC 1952, ID1 ID2).
GZIP_MAGIC = b"\x1f\x8b"


#: How many of the first non-blank lines are looked at to judge whether they are meant as JSON objects.
SAMPLE_LINES = 100


def _lines_meant_as_objects(head: bytes) -> bool:
    """True when most of the file's first non-blank lines are each one object, however broken:
    ``{...}`` (or ``{...},``), in any encoding or written with Python's repr.

    Such a file is JSONL whose lines fail for reasons FT001 and FT002 name line by line (a Latin-1
    é, single quotes, a trailing comma, an unpaired surrogate); "not JSONL" would hide them.
    """
    lines = [raw.strip() for raw in head.removeprefix(UTF8_BOM).split(b"\n")]
    sample = [raw for raw in lines[:-1] or lines if raw][:SAMPLE_LINES]  # the head's last line may be cut
    objects = sum(raw.startswith(b"{") and raw.rstrip(b",").endswith(b"}") for raw in sample)
    return bool(sample) and objects * 2 > len(sample)


#: Bytes of the file's start judged for binary data.
BINARY_SAMPLE = 8192
#: Control bytes that text holds (tab, LF, FF, CR, ESC): any other is a sign of binary data.
TEXT_CONTROLS = frozenset(b"\t\n\f\r\x1b")
#: File signatures, to name what a binary file is.
SIGNATURES = ((b"\x7fELF", "an ELF executable"), (b"MZ", "a Windows executable"), (b"\x89PNG", "a PNG image"),
              (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive"), (b"%PDF", "a PDF document"),
              (b"PAR1", "a Parquet file"), (b"SQLite format 3\x00", "an SQLite database"))


def _binary(head: bytes) -> str | None:
    """The finding's words for a file of binary data (or UTF-16/UTF-32 text without a byte order mark), or None.

    Git's test: text holds no NUL byte. A file of ASCII text in UTF-16 has a NUL in every other byte, on one side.
    """
    sample = head[:BINARY_SAMPLE]
    if not sample:
        return None
    controls = sum(1 for b in sample if b < 0x20 and b not in TEXT_CONTROLS)
    if b"\x00" not in sample and controls * 10 < len(sample):
        return None
    for signature, name in SIGNATURES:
        if sample.startswith(signature):
            if signature == b"PAR1":  # ftlint reads Parquet by its name
                return "this is a Parquet file, not JSONL text; name it .parquet and ftlint reads its rows"
            return f"this is a binary file ({name}), not JSONL text; lint the dataset file instead"
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, others, family in ((odd, even, "UTF-16LE"), (even, odd, "UTF-16BE")):
        if half and nuls * 10 > half * 8 and others * 10 < half:
            return (f"file looks like {family} text without a byte order mark (every other byte is NUL), not UTF-8 "
                    f"JSONL; convert it with: iconv -f {family} -t UTF-8")
    return ("this is a binary file (its first bytes hold NUL or other control bytes that text never holds), "
            "not JSONL text; lint the dataset file instead")


def finish(conf, ctx, state):
    if state and state["table"] and _reads_table(ctx, state["table"]):
        return
    if state and state["table"]:
        from ftlint import converters  # only to word this finding: not imported on every run

        columns = tables.columns(ctx.source_name, state["table"])
        names = ", ".join(columns) or "none"
        target = ctx.format or "chat"
        yield Finding(
            f"file is a {state['table'].upper()} table of {plural(ctx.examples, 'row')}; its columns {names} are read "
            f"as the keys {names}; a trainer that takes JSONL needs: "
            f"{converters.command(target, ctx.path)}"
        )
        return
    if state and state["array"]:
        if _reads_arrays(ctx):
            return
        from ftlint import converters

        yield whole_file(conf, ctx) or Finding(
            f"file is a JSON array of {plural(ctx.lines, 'item')} ({plural(ctx.examples, 'object')}), not JSONL; "
            f"convert it with: {converters.command('chat', ctx.path)}"
        )
        return
    if ctx.examples:
        # A stray line of a binary file may parse as an object (a PNG's bytes "{}" between two NULs): a
        # file that starts with a known binary signature is still said to be what it is.
        head = file_head(ctx.source_name, HEAD_BYTES) or b""
        binary = _binary(head) if head.startswith(tuple(signature for signature, _ in SIGNATURES)) else None
        if binary is not None:
            yield Finding(binary)
        return
    if ctx.lines == 0:
        return
    encoding = other_encoding(ctx.source_name)
    if encoding is not None:
        title, family = encoding
        name, converted = file_and_output(ctx.path, "utf8")
        # iconv reads the byte order mark of "UTF-16"/"UTF-32" and drops it.
        yield Finding(f"file is {title} text (it starts with a {family} byte order mark), not UTF-8 JSONL; "
                      f"convert it with: iconv -f {family} -t UTF-8 {name} > {converted}")
        return
    head = file_head(ctx.source_name, HEAD_BYTES) or b""
    if head.startswith(GZIP_MAGIC):
        # A .gz name is decompressed before reading: this is gzip data under another name (or gzip twice).
        from shlex import quote as shell_quote

        name = shell_quote(ctx.path)
        hint = (f"ftlint reads gzip files whose name ends in .gz: rename it: mv {name} {shell_quote(ctx.path + '.gz')}"
                if not ctx.path.endswith(".gz") else
                "it was compressed twice: decompress one layer: "
                f"gunzip -c {name} > {shell_quote(ctx.path.removesuffix('.gz') + '.once.gz')}")
        yield Finding(f"file is gzip-compressed data, not JSONL text; {hint}")
        return
    binary = _binary(head)
    if binary is not None:
        if binary.endswith("-t UTF-8"):
            binary += " {} > {}".format(*file_and_output(ctx.path, "utf8"))
        yield Finding(binary)
        return
    cr_only = b"\r" in head and b"\n" not in head
    if not cr_only and _lines_meant_as_objects(head):
        return  # FT001 and FT002 say what is wrong with each line, with its column
    if cr_only:
        name, converted = file_and_output(ctx.path, "lf")
        yield Finding("lines end in CR only (\\r, the classic Mac OS line ending), not LF (\\n), so the whole file "
                      f"reads as one line; convert it with: tr '\\r' '\\n' < {name} > {converted}")
        return
    yield whole_file(conf, ctx) or Finding(
        f"no line of this file is a JSON object ({plural(ctx.lines, 'line')}), so it is not JSONL; "
        "write one example per line, such as {\"messages\": [...]}"
    )
