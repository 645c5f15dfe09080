"""Shipped chat templates against the text a PyPI package ships, byte for byte and as rendered.

rules/chat_templates/qwen2.5.jinja and mistral-v0.1.jinja are copies of the
templates Axolotl ships (axolotl 0.19.0 wheel, Apache-2.0:
axolotl/utils/chat_templates/templates/qwen_25.jinja and mistral_v1.jinja),
which Axolotl applies for ``chat_template: qwen_25`` / ``mistral_v1``. The
wheel is not installed (its dependencies are a GPU stack); .ci/run downloads
it, hash-pinned in .ci/template-sources.txt, and this test reads the files
from it. Without the wheel (a fresh checkout) the test is skipped with the
command that fetches it.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from conftest import in_ci
from ftlint import chat_template as ct
from ftlint.data import data_path

REPO = Path(__file__).resolve().parent.parent
WHEEL = "axolotl-0.19.0-py3-none-any.whl"
#: our template -> the file inside the wheel
SOURCES = {
    "qwen2.5": "axolotl/utils/chat_templates/templates/qwen_25.jinja",
    "mistral-v0.1": "axolotl/utils/chat_templates/templates/mistral_v1.jinja",
}
FETCH = "pip download --no-deps --require-hashes -r .ci/template-sources.txt -d .ci/template-sources"


def _wheel() -> Path:
    folder = Path(os.environ.get("FTLINT_TEMPLATE_SOURCES", REPO / ".ci" / "template-sources"))
    path = folder / WHEEL
    if not path.is_file():
        if in_ci():  # .ci/run fetches it: a missing wheel there is a broken CI step, not a skip
            pytest.fail(f"{WHEEL} is not in {folder} under CI=true: {FETCH}", pytrace=False)
        pytest.skip(f"{WHEEL} is not in {folder}: {FETCH}")
    return path


def _vendor(family: str) -> str:
    with zipfile.ZipFile(_wheel()) as wheel:
        return wheel.read(SOURCES[family]).decode("utf-8")


CONVERSATIONS = [
    [{"role": "user", "content": "Capital of Spain?"}, {"role": "assistant", "content": "Madrid."}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of Spain?"},
     {"role": "assistant", "content": "Madrid."}, {"role": "user", "content": "And Italy?"},
     {"role": "assistant", "content": "Rome."}],
    [{"role": "user", "content": "Weather in Paris?"},
     {"role": "assistant", "content": "", "tool_calls": [
         {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
     {"role": "tool", "content": "sunny"}, {"role": "assistant", "content": "Sunny."}],
]


@pytest.mark.parametrize("family", sorted(SOURCES))
def test_the_shipped_template_is_the_packages_byte_for_byte(family):
    spec = ct.load(family)
    ours = data_path(ct.TEMPLATE_DIR).joinpath(spec.id + ".jinja").read_text(encoding="utf-8")
    assert ours == _vendor(family)


def _render_as_transformers_does(template: str, messages: list, spec) -> str:
    """transformers' apply_chat_template environment: a sandbox with trim_blocks and lstrip_blocks."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message):
        raise ct.Rejected(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env.from_string(template).render(messages=messages, tools=None, bos_token=spec.bos,
                                            eos_token=spec.eos[0], add_generation_prompt=False)


@pytest.mark.parametrize("family", sorted(SOURCES))
@pytest.mark.parametrize("n", range(len(CONVERSATIONS)))
def test_ftlint_renders_what_the_packages_template_renders(family, n):
    spec = ct.load(family)
    messages = CONVERSATIONS[n]
    try:
        expected = _render_as_transformers_does(_vendor(family), messages, spec)
    except ct.Rejected as exc:
        with pytest.raises(ct.Rejected, match=str(exc)[:30]):
            ct.render(spec, messages)
        return
    assert ct.render(spec, messages).text == expected


@pytest.mark.parametrize("family", [f for f in ct.shipped_ids() if ct.load(f).renderer == "jinja"])
def test_a_template_no_package_confirms_says_so_in_its_header_and_its_findings(family):
    spec = ct.load(family)
    if family in SOURCES:
        assert "byte-identical" in spec.verified and spec.label == spec.title
        return
    header = spec.template.split("-#}", 1)[0]
    assert not spec.verified and "Written by ftlint from" in header and "UNVERIFIED" in header
    assert spec.label.endswith("(ftlint's unverified statement of its format)")


def test_findings_of_an_unverified_template_say_it(tmp_path):
    from conftest import lint_lines

    system_first = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "system", "content": "Again."},
                                 {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
    problems, _ = lint_lines(tmp_path, [system_first], select=["FT901"], run_options={"chat_template": "gemma2"})
    (only,) = problems
    assert "the Gemma 2 (ftlint's unverified statement of its format) chat template refuses" in only.message
