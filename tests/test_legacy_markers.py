"""--convert-to from legacy prompt/completion data: the file's separator, leading space and stop
sequence (what FT204, FT208 and FT206 find) are removed, counted and named, never trained as text."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings, strategies as st

from ftlint.cli import main
from ftlint.legacy_markers import LegacyMarkers

KEYWORDS = "JohnSkyReal-IS-term__keyword_train_prepared.jsonl"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_real_keyword_file_converts_without_its_markers(tmp_path, real_corpus):
    source, out_path = real_corpus / KEYWORDS, tmp_path / "kw.chat.jsonl"
    code, out, err = run(source, "--convert-to", "chat", "-o", out_path, "-q")
    assert code == 0, out + err
    assert (f"{source} -> {out_path} (OpenAI chat): 2,128 examples, 0 converted exactly, 2,128 without the legacy "
            "markers, 0 with losses, 0 not converted\n") in out
    assert ("removed the legacy prompt/completion markers, which OpenAI chat marks with turns and would otherwise "
            "train as text: the prompt separator '\\n\\n###\\n\\n' (2,128), the completion's leading space (2,128), "
            "the stop sequence ' END' (2,128)\n") in out
    first_in = json.loads(source.read_text().splitlines()[0])
    first_out = json.loads(out_path.read_text().splitlines()[0])
    assert first_in["completion"] == " bias\nimpact\nclassification END"
    assert first_out["messages"] == [
        {"role": "user", "content": first_in["prompt"].removesuffix("\n\n###\n\n")},
        {"role": "assistant", "content": "bias\nimpact\nclassification"}]


def _convert(tmp_path, rows, target):
    """Write rows as in.jsonl, convert them to target as out.jsonl; (in, out, the CLI's stdout)."""
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    _, out, _ = run(src, "--convert-to", target, "-o", dst, "--select", "FT011")
    return src, dst, out


def test_completion_to_completion_keeps_the_markers(tmp_path):
    rows = [{"prompt": f"text {i} ->", "completion": f" label{i} END"} for i in range(20)]
    src, dst, out = _convert(tmp_path, rows, "completion")
    assert "20 converted exactly, 0 with losses" in out and "legacy markers" not in out
    assert dst.read_text() == src.read_text().replace(": ", ":").replace(", ", ",")


def test_data_without_markers_converts_exactly(tmp_path):
    rows = [{"prompt": f"What is {i} plus {i}?", "completion": f"It is {2 * i}."} for i in range(20)]
    src, dst, out = _convert(tmp_path, rows, "chat")
    assert "20 examples, 20 converted exactly, 0 with losses" in out and "legacy markers" not in out


words = st.text(alphabet="abcdefghij klm", min_size=1, max_size=30).filter(lambda t: t.strip() == t and t)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, words), min_size=5, max_size=30), st.sampled_from(["\n\n###\n\n", " ->", "\n\n-->\n\n"]),
       st.sampled_from([" END", "\n", "###"]))
def test_markers_learned_from_the_data_are_removed_exactly(pairs, separator, stop):
    records = [{"prompt": p + separator, "completion": " " + c + stop} for p, c in pairs]
    markers = LegacyMarkers.learn(records)
    assert markers is not None and (markers.separator, markers.stop, markers.leading_space) == (separator, stop, True)
    for record, (prompt, completion) in zip(records, pairs):
        stripped, removed = markers.strip(record)
        assert stripped == {"prompt": prompt, "completion": completion}
        assert removed == ["separator", "leading space", "stop sequence"]
    assert markers.removed == {"separator": len(pairs), "leading space": len(pairs), "stop sequence": len(pairs)}
