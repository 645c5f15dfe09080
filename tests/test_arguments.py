"""The light argument parser (ftlint.arguments) agrees with the modules whose names it repeats."""

from __future__ import annotations

import io

import pytest

from ftlint import arguments, converters, formats, reporters, terminal
from ftlint.cli import main


def test_choices_are_the_registries():
    assert arguments.METHOD_CHOICES == formats.METHODS
    assert arguments.FORMAT_CHOICES == reporters.REPORTER_NAMES
    assert arguments.COLOR_CHOICES == terminal.COLOR_CHOICES


def test_convert_examples_in_the_help_are_converters():
    assert all(converters.get(name) is not None for name in arguments.CONVERT_EXAMPLES)


def test_help_lists_the_shipped_chat_templates(capsys):
    from ftlint.chat_template import shipped_ids

    with pytest.raises(SystemExit) as done:
        main(["--help"], stdout=io.StringIO(), stderr=io.StringIO())
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert f"({', '.join(shipped_ids())})" in text
    assert "--convert-to FORMAT" in text and "an unknown one lists them all" in text


def test_the_submit_help_names_every_provider_that_takes_jobs(capsys):
    """0.3.0's help named openai, azure-openai and together; the profiles (and the README) have fireworks too."""
    from ftlint.providers import all_providers

    with pytest.raises(SystemExit):
        main(["--help"], stdout=io.StringIO(), stderr=io.StringIO())
    text = " ".join(capsys.readouterr().out.split())
    assert ("upload the linted files and create a fine-tuning job with --provider openai, azure-openai "
            "(pip install 'ftlint[submit]'), fireworks (pip install 'ftlint[fireworks]') or together "
            "(pip install 'ftlint[together]')") in text
    # The help reads the profiles' text; the loaded profiles say the same.
    assert arguments.submit_targets() == [(p.id, p.submit.extra) for p in all_providers() if p.submit is not None]


def test_an_unknown_convert_target_lists_every_name(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n')
    err = io.StringIO()
    code = main([str(source), "--convert-to", "nope", "-o", str(tmp_path / "b.jsonl"), "--isolated"],
                stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert all(name in err.getvalue() for name in converters.names())


def test_submit_defaults_are_the_options_defaults():
    args = arguments.build_parser().parse_args([])
    assert args.poll_interval == arguments.DEFAULT_POLL_INTERVAL_SECONDS
    assert args.upload_part_size == arguments.MAX_PART_BYTES
    assert args.state_file == arguments.DEFAULT_STATE_FILE
