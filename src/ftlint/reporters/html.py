"""``--format html -o report.html``: one self-contained page to look at.

No script, no stylesheet or font from elsewhere, no image but inline SVG: the page opens
offline and sends nothing anywhere. It holds, per file, the token-length histogram against
the model's cap, the cost block as the text report words it, the class balance of
classification data and the problems with an excerpt of the offending line; for the run, the
total and the counts per rule. Everything taken from the data (messages quote it, excerpts
are it, file names) goes through :func:`ftlint.escape.html`. Memory stays bounded: each file keeps its first
:data:`PROBLEMS_PER_FILE` problems; the rest are counted.
"""

from __future__ import annotations

import json

from ftlint import __version__
from ftlint.results import FileResult
from ftlint.escape import html as escape_html
from ftlint.formats import FORMAT_TITLES
from ftlint.problem import Problem
from ftlint.reporters import Reporter, RunSummary, rule_table, rule_url
from ftlint.reporters.text import level_counts, location, plural, total_line

PROBLEMS_PER_FILE = 200
EXCERPT_CHARS = 240
CLASSES_SHOWN = 30

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
section.file{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
.total{font-weight:600;font-size:15px}.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid #d8dee4;padding:4px 10px;
text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}pre{margin:2px 0 0;padding:4px 6px;
background:#f6f8fa;border-radius:4px;white-space:pre-wrap;word-break:break-all;max-width:640px}
.muted{color:#59636e}.cost{font-family:ui-monospace,monospace;font-size:13px}
svg text{font:11px system-ui,sans-serif;fill:#59636e}pre mark{background:#ffd8b5;outline:1px solid #cf222e}h2 code{font-size:inherit}section.file h2{margin-top:4px}
"""


def esc(text: object) -> str:
    """Text from the data, a file name or a message, shown literally (ftlint.escape's HTML context)."""
    return escape_html(text)


def excerpt(source: bytes | None, column: int | None = None) -> str | None:
    """The line as escaped HTML: at most EXCERPT_CHARS characters, a window around ``column`` (1-based,
    in characters, as the location gives it) when the line is longer, with that character marked.
    A long line's problem may be anywhere in it (FT001 at column 284): the first characters alone
    would not show it. An undecodable byte is one column (FT002's, the reader's), shown as \\xNN (esc)."""
    if source is None:
        return None
    text = source.decode("utf-8", "surrogateescape")  # one character per column, a bad byte included
    at = column - 1 if column and column - 1 <= len(text) else None
    start = 0
    if at is not None and at >= EXCERPT_CHARS * 3 // 4:  # keep some text after the column in view
        start = min(at - EXCERPT_CHARS // 2, max(len(text) - EXCERPT_CHARS, 0))
    end = start + EXCERPT_CHARS
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    if at is None:
        return esc(lead + text[start:end] + tail)
    marked = text[at:at + 1] or " "  # a column just past the end (a truncated line) marks the end
    return f"{esc(lead + text[start:at])}<mark>{esc(marked)}</mark>{esc(text[at + 1:end] + tail)}"


def cost_text(result: FileResult) -> str | None:
    """The cost line exactly as the text report words it."""
    return next((line for line in result.stats.get("text_lines", ()) if line.startswith("cost:")), None)


def histogram_svg(buckets: list[list[int]], cap: int) -> str:
    """Bars per power-of-two length bucket, the cap's bucket drawn in red with a label."""
    first = buckets[0][0]
    rows = list(buckets)
    if cap and cap > rows[-1][1]:  # the cap is beyond the longest example: show where it is
        rows.append([cap, cap, 0])
    peak = max(b[2] for b in rows) or 1
    bar_w, gap, height, left, bottom, top = 46, 8, 150, 44, 52, 16
    # Room right of the last bar for the longest label that starts there ("cap 131,072" ran past the edge
    # and was clipped): about 7.5 px a character at the report's font size.
    label = max(len(f"cap {cap:,}") if cap else 0, len(f"{rows[-1][0]:,}"))
    width = max(360, left + len(rows) * (bar_w + gap) + max(10, round(label * 7.5) - bar_w + 10))
    parts = [f'<svg role="img" aria-label="examples per token length" width="{width}" height="{top + height + bottom + 10}" '
             f'viewBox="0 {-top} {width} {top + height + bottom + 10}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<line x1="{left - 4}" y1="{height + 5}" x2="{width - 6}" y2="{height + 5}" stroke="#d0d7de"/>')
    parts.append(f'<text x="0" y="12">{peak:,}</text><text x="0" y="{height + 4}">0</text>')
    for i, (low, high, count) in enumerate(rows):
        x = left + i * (bar_w + gap)
        h = round(height * count / peak)
        is_cap = low <= cap <= high if cap else False
        fill = "#cf222e" if (low > cap if cap else False) else "#0969da"
        parts.append(f'<rect class="bar" x="{x}" y="{height + 5 - h}" width="{bar_w}" height="{h}" fill="{fill}">'
                     f"<title>{low:,}–{high:,} tokens: {count:,} examples</title></rect>")
        parts.append(f'<text x="{x}" y="{height + 20}">{low:,}</text>')
        if count:
            parts.append(f'<text x="{x}" y="{height - h}">{count:,}</text>')
        if is_cap:
            parts.append(f'<line class="cap" x1="{x + bar_w / 2}" y1="0" x2="{x + bar_w / 2}" y2="{height + 5}" '
                         f'stroke="#cf222e" stroke-dasharray="4 3"/>'
                         f'<text x="{x}" y="{height + 36}" style="fill:#cf222e">cap {cap:,}</text>')
    parts.append(f'<text x="{left}" y="{height + bottom + 4}">tokens per example (buckets from {first:,})</text>')
    parts.append("</svg>")
    return "".join(parts)


def classes_table(classes: dict) -> str:
    total = sum(classes.values()) or 1
    rows = []
    for label, n in list(classes.items())[:CLASSES_SHOWN]:
        pct = 100 * n / total
        rows.append(f'<tr><td><code>{esc(json.dumps(label, ensure_ascii=False))}</code></td><td class="n">{n:,}</td><td class="n">{pct:.1f}%</td>'
                    f'<td><svg width="200" height="10"><rect width="{2 * pct:.1f}" height="10" fill="#8250df"/></svg>'
                    "</td></tr>")
    more = f'<p class="muted">and {len(classes) - CLASSES_SHOWN:,} more classes</p>' if len(classes) > CLASSES_SHOWN else ""
    return ("<h3>Class balance</h3><table><tr><th>label</th><th>examples</th><th>share</th><th></th></tr>"
            + "".join(rows) + "</table>" + more)


class HtmlReporter(Reporter):
    name = "html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections: list[str] = []
        self.problems: list[Problem] = []
        self.names: dict[str, str] = {}
        self.levels: dict[str, str] = {}

    def begin_file(self, path: str, role: str) -> None:
        self.problems = []

    def problem(self, problem: Problem) -> None:
        self.names[problem.code] = problem.name
        self.levels[problem.code] = str(problem.level)
        if len(self.problems) < PROBLEMS_PER_FILE:
            self.problems.append(problem)

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)
        role = " (validation)" if result.role == "validation" else ""
        out = [f'<section class="file"><h2><code>{esc(result.path)}</code>{esc(role)}</h2>']
        if result.error:
            out.append(f'<p class="error">Could not be read: {esc(result.error)}</p></section>')
            self.sections.append("".join(out))
            return
        fmt = FORMAT_TITLES.get(result.format, "format unknown")
        out.append(f"<p>{esc(fmt)}, {esc(plural(result.examples, 'example'))}; {esc(level_counts(result.levels))}</p>")
        tokens, hist = result.stats.get("tokens"), result.stats.get("token_histogram")
        if tokens and tokens.get("max") is not None:
            at_least = "at least " if tokens.get("lower_bounds") else ""  # examples whose counting stopped (FT303)
            if tokens.get("exact") is False:  # an estimating tokenizer, or examples the framing counts approximately
                at_least = "approx. " + at_least
            out.append(f'<p class="muted">tokens: {at_least}{tokens["total"]:,} total; per example min {tokens["min"]:,}, '
                       f'p50 {tokens["p50"]:,}, p95 {tokens["p95"]:,}, max {tokens["max"]:,}; '
                       f'{tokens["over_cap"]:,} over the cap</p>')
            for why, n in (tokens.get("approximate") or {}).items():  # what an open-model framing leaves out
                out.append(f'<p class="muted">approximate for {n:,} of {esc(plural(result.examples, "example"))}: '
                           f'{esc(why)}</p>')
        if hist and hist.get("buckets"):
            out.append("<h3>Token lengths</h3>" + histogram_svg(hist["buckets"], hist["cap"]))
        cost = cost_text(result)
        if cost:
            out.append(f'<h3>Cost</h3><p class="cost">{esc(cost)}</p>')
        if result.stats.get("classes"):
            out.append(classes_table(result.stats["classes"]))
        if self.problems:
            out.append("<h3>Problems</h3><table><tr><th>where</th><th>rule</th><th>message and line</th></tr>")
            for p in self.problems:
                where = location(p)
                message = (f"<code>{esc(p.json_path)}</code>: " if p.json_path and p.json_path != "$" else "") + esc(p.message)
                snippet = excerpt(p.source, p.column)
                line = f"<pre>{snippet}</pre>" if snippet is not None else ""
                out.append(f'<tr><td><code>{esc(where)}</code></td><td class="{esc(p.level)}">{esc(p.code)} '
                           f'<span class="muted">{esc(p.level)}</span></td><td>{message}{line}</td></tr>')
            out.append("</table>")
            if result.problems > len(self.problems):
                out.append(f'<p class="muted">… and {result.problems - len(self.problems):,} more problems '
                           "(the text, JSON or SARIF report lists them all)</p>")
        out.append("</section>")
        self.sections.append("".join(out))

    def finish(self, summary: RunSummary) -> None:
        rules = rule_table()
        counted = sorted(((n, c) for c, n in summary.codes.items() if n), key=lambda x: (-x[0], x[1]))
        head = [
            "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width,initial-scale=1">',
            # Nothing may load from elsewhere: inline styles and images only, no script at all.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">",
            f"<title>ftlint report</title><style>{STYLE}</style></head><body><main>",
            f'<h1>ftlint report</h1><p class="muted">ftlint {esc(__version__)}</p>',
            f'<p class="total">{esc(total_line(summary))}</p>',
        ]
        if summary.cost_sentence():
            head.append(f'<p class="cost">{esc(summary.cost_sentence())}</p>')
        if counted:
            head.append("<h2>Problems per rule</h2><table><tr><th>rule</th><th>name</th><th>level</th>"
                        "<th>count</th></tr>")
            for n, code in counted:
                rule = rules.get(code)
                name = esc(self.names.get(code) or (rule.name if rule else ""))
                url = rule_url(rule) if rule else None
                code_cell = f'<a href="{esc(url)}">{esc(code)}</a>' if url else esc(code)
                level = esc(self.levels.get(code, ""))
                head.append(f'<tr><td>{code_cell}</td><td>{name}</td><td class="{level}">{level}</td>'
                            f'<td class="n">{n:,}</td></tr>')
            head.append("</table>")
        self.out.write("\n".join(head) + "\n" + "\n".join(self.sections) + "\n</main></body></html>\n")
