"""--format html: one self-contained page, checked with an HTML parser and rendered in headless Chromium."""

from __future__ import annotations

import html
import io
import json
import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest
from hypothesis import given, strategies as st

from ftlint.cli import main

LABELS = [" spam", " ham", " ham", " ham"]


@pytest.fixture
def data(tmp_path):
    rows = [json.dumps({"prompt": f"Message {i} about offers\n\n###\n\n", "completion": LABELS[i % 4] + "\n"})
            for i in range(120)]
    rows[7] = json.dumps({"prompt": "<script>alert(1)</script> free money\n\n###\n\n", "completion": "spam\n"})
    rows[9] = '{"prompt": "<b>broken'
    classification = tmp_path / "cls.jsonl"
    classification.write_text("\n".join(rows) + "\n")
    rows = [json.dumps({"messages": [{"role": "user", "content": "q " * (i * 9)},
                                     {"role": "assistant", "content": "a " * i}]}) for i in range(1, 80)]
    rows[3] = json.dumps({"messages": [{"role": "<img src=x onerror=alert(1)>", "content": "hi"}]})
    chat = tmp_path / "chat.jsonl"
    chat.write_text("\n".join(rows) + "\n")
    return classification, chat


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag, cls=None):
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]


def render(tmp_path, files, *extra):
    target = tmp_path / "report.html"
    err = io.StringIO()
    code = main(["--isolated", "--format", "html", "-o", str(target), *map(str, files), *extra], io.StringIO(), err)
    return code, target, err.getvalue()


def run_json(files):
    out = io.StringIO()
    main(["--isolated", "--format", "json", *map(str, files)], out, io.StringIO())
    return json.loads(out.getvalue())


def test_page_is_self_contained_escaped_and_complete(tmp_path, data):
    code, target, err = render(tmp_path, data)
    assert code == 1 and err == ""
    text = target.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    page.close()
    tags = {t for t, _ in page.tags}
    # Nothing runs, nothing loads: no script, no external stylesheet, image, frame or font.
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "audio", "video"}
    assert not [a for _, a in page.tags if "src" in a or any(k.startswith("on") for k in a)]
    assert all(a["href"].startswith("https://github.com/ftlint/ftlint/blob/main/docs/rules/") for a in page.all("a"))
    assert any(a.get("http-equiv") == "Content-Security-Policy" and "default-src 'none'" in a["content"]
               for a in page.all("meta"))
    words = "".join(page.text)
    # The data's markup arrives as text, escaped, in the message and in the line's excerpt.
    # (Line 8's <script> prompt drew FT208 until FT301's "convert it" took the marker advice over.)
    assert 'near `{"prompt": "<b>broken`' in words and "&lt;b&gt;broken" in text
    assert 'unknown role "<img src=x onerror=alert(1)>"' in words

    report = run_json(data)
    # Per-rule counts equal the JSON report's.
    counts = {}
    for f in report["files"]:
        for d in f["diagnostics"]:
            counts[d["code"]] = counts.get(d["code"], 0) + 1
    rule_rows = text.split("<h2>Problems per rule</h2>", 1)[1].split("</table>", 1)[0]
    for code_, n in counts.items():
        assert f">{code_}</a></td>" in rule_rows and f'<td class="n">{n:,}</td></tr>' in rule_rows
    # Histogram: one bar per bucket of the JSON stats (plus the cap's when the cap is beyond), the cap marked.
    buckets = [f["token_histogram"]["buckets"] for f in report["files"]]
    cap = report["files"][0]["token_histogram"]["cap"]
    bars = page.all("rect", "bar")
    assert len(bars) == sum(len(b) + (1 if cap > b[-1][1] else 0) for b in buckets)
    assert len(page.all("line", "cap")) == 2 and f"cap {cap:,}" in words
    # The cost block as the text report words it; class balance with the labels as in the data.
    out = io.StringIO()
    main(["--isolated", str(data[0])], out, io.StringIO())
    cost_line = next(line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("cost:"))
    assert cost_line in words
    assert '" ham"' in words and '" spam"' in words
    # Problems with the offending line's excerpt.
    assert f"{data[0]}:10:22" in words and '{"prompt": "<b>broken' in words


def test_many_problems_are_bounded_and_counted(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text("{x\n" * 500)
    code, target, _ = render(tmp_path, [path], "--select", "FT001")
    page = Page()
    page.feed(target.read_text())
    assert len(page.all("pre")) == 200 and "… and 300 more problems" in "".join(page.text)


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI must have Chromium (.ci/run installs Debian's chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def _headless(browser, tmp_path, *args):
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, timeout=120)


def test_rendered_in_headless_chromium(tmp_path, data):
    browser = _chromium()
    _, target, _ = render(tmp_path, [*data, _bad_utf8_file(tmp_path)])
    url = target.as_uri()
    dom = _headless(browser, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout.decode()
    assert "<h1>ftlint report</h1>" in rendered and "Problems per rule" in rendered
    assert "<img" not in rendered and "<script" not in rendered  # the data's markup stayed text
    assert rendered.count('class="bar"') >= 2
    assert "<mark>" in rendered  # the problem's column marked in its line's excerpt
    assert "bien, caf<mark>\\xe9</mark> \\xe0 la" in rendered  # FT002's bad byte, not the character 8 bytes on
    shot = tmp_path / "shot.png"
    done = _headless(browser, tmp_path, "--hide-scrollbars", "--window-size=1000,1200", f"--screenshot={shot}", url)
    assert done.returncode == 0, done.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1000, 1200)
    assert len(png) > 20_000  # a page with text and bars, not a blank canvas


BROKEN = "latslats-finetune_er_projects__finetune_broken.jsonl"


def _excerpt_of(page_text: str, where: str) -> str:
    """The <pre> excerpt of the problem row located at ``where``."""
    row = page_text.split(f"{where}</code>", 1)[1].split("</tr>", 1)[0]
    return row.split("<pre>", 1)[1].split("</pre>", 1)[0]


def test_excerpt_is_a_window_around_the_column_of_a_long_line(tmp_path, real_corpus):
    """The newcomer's file: the problem at 149:284 showed the line's first 240 characters only."""
    path = real_corpus / BROKEN
    code, target, _ = render(tmp_path, [path], "--select", "FT001")
    shown = _excerpt_of(target.read_text(encoding="utf-8"), f"{path}:149:284")
    line = path.read_text(encoding="utf-8").splitlines()[148]
    assert shown.startswith("… ") and "&quot;content&quot;: &quot;&quot;<mark>T</mark>his is your reminder" in shown
    visible = shown.replace("<mark>", "").replace("</mark>", "").replace("&quot;", '"').removeprefix("… ")
    assert visible.removesuffix(" …") in line and len(visible.removesuffix(" …")) == 240
    # A problem near the start of a line keeps the start in view, the column still marked.
    short = _excerpt_of(target.read_text(encoding="utf-8"), f"{path}:180:1")
    assert short.startswith("<mark>H</mark>ere are 2")


PRINTABLE = st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Po", "Zs", "Sm"))


@given(st.text(PRINTABLE, max_size=700), st.integers(min_value=1, max_value=720))
def test_excerpt_shows_the_column_marked_within_the_bound(text, column):
    from ftlint.reporters.html import EXCERPT_CHARS, excerpt

    shown = excerpt(text.encode(), column)
    at = column - 1
    if at > len(text):  # a column past the line: its start, nothing marked
        assert "<mark>" not in shown and html.unescape(shown).removesuffix(" …") == text[:EXCERPT_CHARS]
        return
    before, rest = shown.split("<mark>", 1)
    marked, after = rest.split("</mark>", 1)
    before, marked, after = html.unescape(before), html.unescape(marked), html.unescape(after)
    assert marked == (text[at] if at < len(text) else " ")
    start = at - len(before.removeprefix("… "))
    assert before == ("… " if start > 0 else "") + text[start:at]
    shown_after = after.removesuffix(" …")
    assert after == shown_after + (" …" if at + 1 + len(shown_after) < len(text) else "")
    assert text[at + 1:at + 1 + len(shown_after)] == shown_after
    assert (at - start) + 1 + len(shown_after) <= EXCERPT_CHARS


#: A line with two- and three-byte characters before a Latin-1 byte: FT002's column is a character
#: index (121), which the excerpt's window and mark must use too (0.3.0 counted bytes there: 129).
AFTER_MULTIBYTE = (b'{"messages": [{"role": "user", "content": "Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9e \xe2\x80\x94 '
                   b'na\xc3\xafve"}, {"role": "assistant", "content": "Tr\xc3\xa8s bien, caf\xe9 \xe0 la cr\xe8me"}]}\n')


def _bad_utf8_file(tmp_path):
    """A good line, then AFTER_MULTIBYTE as line 2 (a file of bad lines only is FT010's alone)."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(AFTER_MULTIBYTE.decode("latin-1").replace("\xe9", "e").replace("\xe0", "a").replace("\xe8", "e")
                     .encode("latin-1") + AFTER_MULTIBYTE)
    return path


def test_excerpt_marks_the_bad_byte_of_a_line_with_multibyte_characters(tmp_path):
    path = _bad_utf8_file(tmp_path)
    _, target, _ = render(tmp_path, [path], "--select", "FT002")
    shown = _excerpt_of(target.read_text(encoding="utf-8"), f"{path}:2:121")
    assert shown.endswith("Tr\u00e8s bien, caf<mark>\\xe9</mark> \\xe0 la cr\\xe8me&quot;}]}")
    assert shown.startswith("{&quot;messages&quot;: [{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: "
                            "&quot;Caf\u00e9 cr\u00e8me")


@given(st.lists(st.tuples(st.text(st.characters(exclude_categories=("Cs",)), max_size=300), st.binary(max_size=3)),
                min_size=1, max_size=4), st.data())
def test_excerpt_window_counts_a_bad_byte_as_one_column(parts, data):
    """Any line, bad bytes anywhere: the mark and the window index the line as the reader's columns do
    (a bad byte is one column, shown as \\xNN), and the window holds at most EXCERPT_CHARS columns."""
    from ftlint.reporters.html import EXCERPT_CHARS, esc, excerpt

    source = b"".join(text.encode() + raw for text, raw in parts)
    columns = source.decode("utf-8", "surrogateescape")  # one entry per column
    if not columns:
        return
    at = data.draw(st.integers(0, len(columns) - 1))
    before, rest = excerpt(source, at + 1).split("<mark>", 1)
    marked, after = rest.split("</mark>", 1)
    assert marked == esc(columns[at])
    assert "\ufffd" not in marked or "\ufffd" in columns[at]  # a bad byte is never U+FFFD
    starts = [s for s in range(at + 1) if before == esc(("… " if s > 0 else "") + columns[s:at])]
    ends = [e for e in range(at + 1, len(columns) + 1)
            if after == esc(columns[at + 1:e] + (" …" if e < len(columns) else ""))]
    assert starts and ends, (before, after)
    assert any(e - s <= EXCERPT_CHARS for s in starts for e in ends)


@pytest.mark.parametrize("ending, code", [(b"", "FT011"), (b"\r\n", "FT005")])
def test_a_column_past_the_end_of_a_line_with_multibyte_characters_is_marked(tmp_path, ending, code):
    """FT011 and FT005 point just past the line's end: its length in characters (0.3.0 gave bytes, past
    the excerpt's end, so nothing was marked)."""
    path = tmp_path / "end.jsonl"
    line = '{"messages": [{"role": "user", "content": "Café — crème brûlée"}, {"role": "assistant", "content": "Oui"}]}'
    path.write_bytes(line.encode() + ending)
    _, target, _ = render(tmp_path, [path], "--select", code)
    column = len(line) + 1
    shown = _excerpt_of(target.read_text(encoding="utf-8"), f"{path}:1:{column}")
    assert shown.endswith("&quot;Oui&quot;}]}<mark> </mark>")


def test_the_cap_label_fits_in_the_histogram():
    """An output review: on a LLaMA-Factory report 'cap 131,072' started at x=368 of a 432-wide SVG and was
    clipped. The SVG now leaves room for the longest label at the last bar (7.5 px a character)."""
    import re

    from ftlint.reporters.html import histogram_svg

    buckets = [[2 ** k, 2 ** (k + 1) - 1, 1] for k in range(3, 9)]  # six buckets, then the cap's own: 7 bars
    svg = histogram_svg(buckets, 131072)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    x = float(re.search(r'<text x="([\d.]+)" y="\d+" style="fill:#cf222e">cap 131,072</text>', svg).group(1))
    assert x + len("cap 131,072") * 7.5 <= width
