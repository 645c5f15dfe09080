"""The file names in the commands messages suggest (``jq ... > OUT``, ``ftlint FILE --convert-to X -o OUT``).

A message names the user's own file, quoted for the shell (the reporter escapes what a terminal
must not see), and an output name that is neither the input nor ``NAME.jsonl.jsonl``: the stem
plus ``.jsonl`` for a file that is not JSONL (``data.json`` -> ``data.jsonl``), else the stem plus
a tag saying what was done (``train.jsonl`` -> ``train.gemini.jsonl``, ``train.fixed.jsonl``).
Standard input has no name, so its commands keep the ``FILE`` and ``OUT.jsonl`` placeholders.
"""

from __future__ import annotations

STDIN_NAMES = ("-", "<stdin>")
_COMPRESSED = (".gz",)


def output_name(path: str, tag: str) -> str:
    """The JSONL file a command writes from ``path``, tagged with ``tag`` when ``path`` is JSONL already."""
    for suffix in _COMPRESSED:  # data.jsonl.gz -> data.<tag>.jsonl: the command writes it uncompressed
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)]
    if path.lower().endswith(".jsonl"):
        return f"{path[: -len('.jsonl')]}.{tag}.jsonl"
    slash, dot = path.rfind("/") + 1, path.rfind(".")
    return (path[:dot] if dot > slash else path) + ".jsonl"  # a leading dot names a hidden file, not a type


def file_and_output(path: str | None, tag: str) -> tuple[str, str]:
    """(input, output) as shell words for a command on ``path``; placeholders for standard input."""
    if path is None or path in STDIN_NAMES:
        return "FILE", "OUT.jsonl"
    import shlex  # here: the rule modules that word these commands are imported on every run

    return shlex.quote(path), shlex.quote(output_name(path, tag))
