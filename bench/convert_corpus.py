"""Conversion figures on the real corpus: files, examples, and the share each target takes exactly.

Usage: python bench/convert_corpus.py [CORPUS_DIR]   (default: $FTLINT_SHARED/corpus/real or ../shared/corpus/real)

For every file and every --convert-to target it converts each record (source ->
OpenAI pivot -> target) and counts the records converted exactly, with losses,
and not at all; every exact conversion is converted back and compared with the
normalized input byte for byte (a mismatch is a bug and is counted apart).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from ftlint import converters
from ftlint.converters import canonical
from ftlint.convert import source_converter
from ftlint.reader import open_source, read_lines


def corpus_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    shared = os.environ.get("FTLINT_SHARED")
    root = Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared"
    return root / "corpus" / "real"


def main() -> int:
    targets = [n for n in converters.names() if converters.get(n).format == n]
    files = sorted(p for p in corpus_dir().iterdir() if p.suffix in (".jsonl", ".json"))
    totals = {t: Counter() for t in targets}
    readable_files, records, unread = 0, 0, Counter()
    for path in files:
        source = open_source(str(path))
        pivots = []
        try:
            for line in read_lines(source, 1 << 30):
                if type(line.value) is not dict:
                    continue
                records += 1
                conv = source_converter(line.value)
                pivot, losses = conv.to_pivot(line.value) if conv else (None, ["no format"])
                if pivot is None:
                    unread[path.name] += 1
                    continue
                pivots.append((pivot, bool(losses)))
        finally:
            source.close()
        if pivots:
            readable_files += 1
        for target in targets:
            conv = converters.get(target)
            for pivot, source_lossy in pivots:
                out, losses = conv.from_pivot(pivot)
                if out is None:
                    totals[target]["not converted"] += 1
                elif losses or source_lossy:
                    totals[target]["with losses"] += 1
                else:
                    back, back_losses = conv.to_pivot(json.loads(json.dumps(out)))
                    same = back is not None and not back_losses and canonical(back) == canonical(pivot)
                    totals[target]["exact" if same else "ROUND TRIP MISMATCH"] += 1
    print(f"corpus: {len(files)} files, {records:,} records; {readable_files} files hold records ftlint converts"
          f" ({sum(unread.values()):,} records in no convertible shape: "
          f"{', '.join(f'{n} {c:,}' for n, c in unread.items()) or 'none'})")
    print(f"{'target':<24} {'exact':>8} {'with losses':>12} {'not conv.':>10} {'exact share':>12}")
    for target in targets:
        c = totals[target]
        n = sum(c.values())
        print(f"{target:<24} {c['exact']:>8,} {c['with losses']:>12,} {c['not converted']:>10,} "
              f"{c['exact'] / n if n else 0:>11.1%}" + (f"  MISMATCH {c['ROUND TRIP MISMATCH']}"
                                                        if c["ROUND TRIP MISMATCH"] else ""))
    return 1 if any(c["ROUND TRIP MISMATCH"] for c in totals.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
