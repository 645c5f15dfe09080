"""What rule messages say: one report per cause, the action to take, no noise."""

from __future__ import annotations

from conftest import lint_lines
from ftlint import escape


def test_same_role_repeats_are_reported_once_per_example(tmp_path):
    flood = {"messages": [{"role": "user", "content": f"q{i}"} for i in range(2000)]
             + [{"role": "assistant", "content": "a"}]}
    problems, _ = lint_lines(tmp_path, [flood], select=["FT111"])
    assert [p.message for p in problems] == [
        "user message follows another user message at position 1 (and 1,998 more same-role repeats in this "
        "example); merge them or restore the missing turn"
    ]
    assert problems[0].json_path == "$.messages[1]"


def test_message_style_across_fail_fixtures():
    from conftest import FIXTURES, lint_fixture, read_expected

    for path in sorted(FIXTURES.glob("FT*/fail/*.jsonl")):
        for p in lint_fixture(path, select=sorted({path.parts[-3], *(c for _, c in read_expected(path))})):
            assert not p.message[0].isupper(), (p.code, p.message)
            assert not p.message.endswith("."), (p.code, p.message)
            assert "(s)" not in p.message and " 1 lines" not in p.message, (p.code, p.message)
            assert " a assistant" not in p.message and " a object" not in p.message, (p.code, p.message)
            assert " a array" not in p.message and " a integer" not in p.message, (p.code, p.message)


def chat(i):
    return {"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}


def test_few_examples_names_openai_only_at_the_default(tmp_path):
    problems, _ = lint_lines(tmp_path, [chat(i) for i in range(20)], select=["FT402"])
    assert [p.message for p in problems] == [
        "training file has only 20 examples, fewer than the 50 OpenAI recommends; add examples before paying for a job"
    ]
    problems, _ = lint_lines(tmp_path, [chat(i) for i in range(20)], select=["FT402"],
                             options={"FT402": {"recommended": 200}})
    assert [p.message for p in problems] == [
        "training file has only 20 examples, fewer than the configured recommendation of 200 (the option recommended); "
        "add examples before paying "
        "for a job"
    ]


def test_too_few_examples_after_not_jsonl_and_for_an_empty_file(tmp_path):
    problems, _ = lint_lines(tmp_path, ["not json", "# notes"], select=["FT010", "FT401"])
    assert [p.code for p in problems] == ["FT010"]
    assert "(2 lines)" in problems[0].message
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    from conftest import lint_paths

    problems, _ = lint_paths([empty], select=["FT010", "FT401"])
    assert [p.message for p in problems] == [
        "training file is empty; the API requires at least 10 and fails the job otherwise"
    ]
    problems, _ = lint_lines(tmp_path, [chat(1)], select=["FT401"])
    assert problems[0].message.startswith("training file has only 1 example;")


def test_actions_in_messages(tmp_path):
    lines = [chat(i) for i in range(12)] + [chat(3)]
    lines.append({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": " "}]})
    problems, _ = lint_lines(tmp_path, lines, select=["FT403", "FT105"])
    messages = {p.code: p.message for p in problems}
    assert messages["FT403"] == "duplicate of the example on line 4; delete the later copy (ftlint --fix --unsafe-fixes drops it)"
    assert messages["FT105"] == "assistant message has whitespace-only content; fill it in or remove the message"
    path = tmp_path / "nl.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}')
    from conftest import lint_paths

    problems, _ = lint_paths([path], select=["FT011"])
    assert [p.message for p in problems] == ["no newline at end of file; add a final newline (ftlint --fix)"]


def test_validation_overlap_says_what_to_do(tmp_path):
    from conftest import lint_paths

    train, valid = tmp_path / "t.jsonl", tmp_path / "v.jsonl"
    import json

    train.write_text("".join(json.dumps(chat(i)) + "\n" for i in range(12)))
    valid.write_text(json.dumps(chat(5)) + "\n")
    problems, _ = lint_paths([train], [valid], select=["FT405"])
    assert [p.message for p in problems] == [f"also in the training file {train} (line 6); remove it from the validation file"]


def test_invalid_json_snippet_is_shown_as_in_the_file(tmp_path):
    line = '{"messages": [{"role": "user",\t"content": ""Where\'s the cat""}]}'
    problems, _ = lint_lines(tmp_path, [line], select=["FT001"])
    (p,) = problems
    assert p.column == 45
    # The tab as it is in the file (never U+FFFD, which would say the UTF-8 is broken); reporters show it as \t.
    assert p.message == ("invalid JSON: unexpected character, expected ',' or '}', near "
                         "`...{\"role\": \"user\",\t\"content\": \"\"Where's th`; repair or delete this line")
    assert '"user",\\t"content"' in escape.terminal(p.message)
    assert "column" not in p.message


def test_method_mismatch_quotes_the_server_only_where_it_applies(tmp_path):
    pref = {"input": {"messages": [{"role": "user", "content": "q"}]},
            "preferred_output": [{"role": "assistant", "content": "a"}],
            "non_preferred_output": [{"role": "assistant", "content": "b"}]}
    problems, _ = lint_lines(tmp_path, [pref], select=["FT701"], method="supervised")
    assert [p.message for p in problems] == [
        "this file is in the preference (DPO) format, but method supervised trains on chat (messages) or "
        "prompt/completion (legacy) data, so the server fails the job; use --method dpo, or convert the file"
    ]
    problems, _ = lint_lines(tmp_path, [chat(1)], select=["FT701"], method="dpo")
    assert "fine-tune-chat format" in problems[0].message
    assert problems[0].message.endswith("; use --method supervised or reinforcement, or convert the file")


def test_missing_assistant_in_rft_shaped_data_offers_one_remedy(tmp_path):
    """RFT-shaped data: every report says to lint it as RFT, none offers to drop the example."""
    rft = [{"messages": [{"role": "user", "content": f"q{i}"}], "answer": "A"} for i in range(12)]
    problems, _ = lint_lines(tmp_path, rft, select=["FT106"])
    assert len(problems) == 12
    assert all("--method reinforcement" in p.message and "--fix" not in p.message for p in problems)
    mixed = [chat(0)] + rft
    problems, _ = lint_lines(tmp_path, mixed, select=["FT106"])
    assert len(problems) == 12 and not any("reinforcement" in p.message for p in problems)


def test_missing_assistant_hint_on_real_rft_data(real_corpus):
    from conftest import lint_paths

    problems, _ = lint_paths([real_corpus / "microsoft-foundry-fine-tuning__medmcq_rft_validation.jsonl"],
                             select=["FT106"])
    assert len(problems) == 6150
    assert all("--method reinforcement" in p.message and "--fix" not in p.message for p in problems)


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from ftlint.rules._chat import meant_role  # noqa: E402

#: Role values that stand for the user's or the assistant's role: misspellings, other trainers' names, and
#: values FT102 cannot place (no role at all, not a string, an unknown word).
unplaced = st.one_of(st.text(max_size=8).filter(lambda r: meant_role(r) is None), st.integers(), st.none())
MISSPELLED = {
    "user": st.one_of(st.sampled_from(["human", "usr", "User", "USER", "Human"]), unplaced),
    "assistant": st.one_of(st.sampled_from(["bot", "gpt", "model", "ai", "Assistant", "asistant"]), unplaced),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(["user", "assistant", "both"]), drop_role_key=st.booleans(),
       system=st.booleans())
def test_a_misspelled_role_is_one_ft102_not_a_missing_turn_too(tmp_path, data, which, drop_role_key, system):
    messages = [{"role": "system", "content": "Be brief."}] if system else []
    for turn, text in (("user", "Hi"), ("assistant", "Hello")):
        message = {"role": turn, "content": text}
        if which in (turn, "both"):
            message["role"] = data.draw(MISSPELLED[turn])
            if drop_role_key:
                del message["role"]
        messages.append(message)
    problems, _ = lint_lines(tmp_path, [{"messages": messages}], select=["FT102", "FT106", "FT113"])
    assert {p.code for p in problems} == {"FT102"}


def test_a_lone_human_message_still_lacks_its_assistant(tmp_path):
    problems, _ = lint_lines(tmp_path, [{"messages": [{"role": "human", "content": "hi"}]}],
                             select=["FT102", "FT106", "FT113"])
    assert sorted(p.code for p in problems) == ["FT102", "FT106"]


def test_an_example_with_known_roles_and_no_user_still_gets_ft113(tmp_path):
    example = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Hello"}]}
    problems, _ = lint_lines(tmp_path, [example], select=["FT102", "FT106", "FT113"])
    assert [(p.code, p.message) for p in problems] == [
        ("FT113", "example has no user message, so the assistant reply answers nothing; add the user turn it answers")]
