"""The loader: the shipped knowledge base is valid; every mistake is reported precisely."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faq import KnowledgeBaseInvalid, load_knowledge_base

SEED_IDS = {"forgot-password", "resend-invitation", "web-app-invitation", "delete-primary-contact"}

GOOD = """\
- id: first-entry
  category: Testing
  audience: everyone
  question: How do I test?
  alternate_questions: [how to test]
  answer: Run *make test*.
  related: [second-entry]
  actions: [reinvite]
  updated: 2026-11-27
- id: second-entry
  category: Testing
  audience: managers
  question: Who tests?
  alternate_questions: [who runs the tests]
  answer: Everyone.
  updated: 2026-11-27
"""


def write(tmp_path: Path, text: str, name: str = "testing.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load_knowledge_base(path)
    return [str(p) for p in caught.value.problems]


def test_shipped_knowledge_base_has_the_seed_entries_and_help(knowledge_base):
    assert SEED_IDS | {"help"} <= {e.id for e in knowledge_base}


def test_shipped_answers_use_the_apps_ui_labels_in_bold(knowledge_base):
    labels = {
        "forgot-password": ["*Forgot your password*"],
        "resend-invitation": [
            "*My Team*",
            "*Invite*",
            "*Use a mobile device*",
            "*Require SMS verification*",
            "*SEND*",
        ],
        "web-app-invitation": ["*Use a web browser*", "*SEND*", "email address is their username"],
        "delete-primary-contact": [
            "*TECHNICIANS*",
            "*Edit Privilege*",
            "*Install Technician*",
            "*OK*",
        ],
    }
    for entry_id, expected in labels.items():
        answer = knowledge_base.get(entry_id).answer
        for label in expected:
            assert label in answer, (entry_id, label)


def test_good_file_loads_in_order_with_all_fields(tmp_path):
    kb = load_knowledge_base(write(tmp_path, GOOD))
    first, second = kb.entries
    assert (first.id, second.id) == ("first-entry", "second-entry")
    assert first.related == ("second-entry",)
    assert first.actions == ("reinvite",)
    assert first.phrasings == ("How do I test?", "how to test")
    assert second.audience == "managers"
    assert second.related == ()
    assert first.source.endswith("testing.yaml:1")


def test_unknown_key_is_reported_with_line_entry_and_suggestion(tmp_path):
    path = write(tmp_path, GOOD.replace("  answer: Everyone.", "  anser: Everyone."))
    found = problems_of(path)
    assert f"{path}:15: entry 'second-entry': unknown key 'anser' (did you mean 'answer'?)" in found
    assert f"{path}:10: entry 'second-entry': missing required field 'answer'" in found


def test_duplicate_id_names_both_places(tmp_path):
    path = write(tmp_path, GOOD.replace("id: second-entry", "id: first-entry"))
    assert any(
        p.startswith(f"{path}:10: entry 'first-entry': duplicate id; first defined at {path}:1")
        for p in problems_of(path)
    )


def test_same_alternate_question_under_two_entries(tmp_path):
    path = write(tmp_path, GOOD.replace("[who runs the tests]", '["How to test?"]'))
    assert (
        f"{path}:14: entry 'second-entry': question 'How to test?' is also a question of entry "
        "'first-entry'" in problems_of(path)
    )


def test_reference_to_missing_entry_and_unknown_action(tmp_path):
    text = GOOD.replace("related: [second-entry]", "related: [third-entry]").replace(
        "actions: [reinvite]", "actions: [launch_rocket]"
    )
    path = write(tmp_path, text)
    found = problems_of(path)
    assert f"{path}:7: entry 'first-entry': related entry 'third-entry' does not exist" in found
    assert any(
        p.startswith(f"{path}:8: entry 'first-entry': unknown action 'launch_rocket'")
        for p in found
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("answer: Everyone.", 'answer: "  "'), "'answer' must be non-empty text"),
        (("audience: managers", "audience: admins"), "audience must be one of everyone, managers"),
        (("updated: 2026-11-27\n", "updated: last week\n"), "'updated' must be a date"),
        (("id: second-entry", "id: Second Entry"), "must be a lowercase URL-safe slug"),
        (("[who runs the tests]", "who runs the tests"), "'alternate_questions' must be a list"),
    ],
)
def test_bad_values(tmp_path, change, message):
    old, new = change
    text = GOOD[: GOOD.index("- id: second-entry")] + GOOD[
        GOOD.index("- id: second-entry") :
    ].replace(old, new, 1)
    found = problems_of(write(tmp_path, text))
    assert any(message in p for p in found), found


def test_invalid_yaml_gives_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("  question: Who tests?", "  question: [Who tests?"))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "invalid YAML" in problem


def test_file_that_is_not_a_list(tmp_path):
    path = write(tmp_path, "id: lonely\n")
    assert problems_of(path) == [f"{path}:1: expected a list of entries (each starting '- id:')"]


def test_every_problem_in_a_directory_is_reported_at_once(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("Testing", "Other"), "b.yaml")
    write(tmp_path, GOOD.replace("Testing", "Third").replace("-entry", "-other"), "c.yaml")
    found = problems_of(tmp_path)
    assert [p.split(":")[0] for p in found if "duplicate id" in p] == [str(tmp_path / "b.yaml")] * 2
    assert sum("is also a question of entry" in p for p in found) == 4


def test_missing_path_and_empty_directory(tmp_path):
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such file or directory"]
    assert problems_of(tmp_path) == [f"{tmp_path}: no .yaml files in this directory"]


LEXICON = """\
synonyms:
  password: [pw, pass word]
  report: [rpt]
out_of_scope:
  - topic: weather
    pointer: Look outside.
    terms: [umbrella]
    examples:
      - will it rain today
"""


def test_lexicon_file_gives_synonyms_and_out_of_scope_topics(tmp_path):
    write(tmp_path, GOOD, "entries.yaml")
    path = write(tmp_path, LEXICON, "lexicon.yaml")
    kb = load_knowledge_base(tmp_path)
    assert len(kb) == 2
    assert kb.synonyms == {"password": ("pw", "pass word"), "report": ("rpt",)}
    (topic,) = kb.out_of_scope
    assert (topic.topic, topic.examples, topic.terms, topic.pointer) == (
        "weather",
        ("will it rain today",),
        ("umbrella",),
        "Look outside.",
    )
    assert topic.source == f"{path}:5"


def test_the_shipped_lexicon_holds_the_products_vocabulary(knowledge_base):
    assert "pw" in knowledge_base.synonyms["password"]
    assert any("vpn" in topic.terms for topic in knowledge_base.out_of_scope)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("synonyms:", "synonym:", "1: unknown key 'synonym' (did you mean 'synonyms'?)"),
        (
            "  report: [rpt]",
            "  report: rpt",
            "3: synonyms of 'report' must be a list of non-empty text",
        ),
        (
            "  report: [rpt]",
            "  password: [pwd]",
            "3: synonym term 'password' is defined twice; first at",
        ),
        (
            "    pointer: Look outside.",
            "    pointr: Look outside.",
            "6: unknown key 'pointr' (did you mean 'pointer'?)",
        ),
        (
            "    terms: [umbrella]",
            "    terms: umbrella",
            "7: 'terms' must be a list of non-empty text",
        ),
        ("  - topic: weather", "  - topic: ''", "5: out_of_scope item needs a 'topic' (text)"),
        (
            "out_of_scope:",
            "out_of_scope: nothing\nunused:",
            "4: 'out_of_scope' must be a list of topics",
        ),
    ],
)
def test_lexicon_problems_are_reported_with_file_and_line(tmp_path, old, new, message):
    write(tmp_path, GOOD, "entries.yaml")
    path = write(tmp_path, LEXICON.replace(old, new, 1), "lexicon.yaml")
    found = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:") and message.split(":", 1)[-1] in p for p in found), found
    assert any(f"{path}:{message.split(':')[0]}:" in p for p in found), found


def test_out_of_scope_example_that_is_an_entrys_question(tmp_path):
    write(tmp_path, GOOD, "entries.yaml")
    path = write(tmp_path, LEXICON.replace("will it rain today", "How do I test?"), "lexicon.yaml")
    assert (
        f"{path}:5: out-of-scope example 'How do I test?' is also a question of entry "
        "'first-entry'" in problems_of(tmp_path)
    )


def test_out_of_scope_topic_with_nothing_in_it(tmp_path):
    write(tmp_path, GOOD, "entries.yaml")
    path = write(tmp_path, "out_of_scope:\n  - topic: empty\n", "lexicon.yaml")
    assert problems_of(tmp_path) == [
        f"{path}:2: out_of_scope topic 'empty' has no examples or terms"
    ]


def test_a_file_problem_and_an_entry_problem_on_one_line_are_both_reported(tmp_path):
    # Flow style puts an entry on line 1, where the file-level "two categories" problem sits
    # too: sorting the two must not compare an entry id with None.
    path = write(
        tmp_path,
        "- {id: a, category: A, audience: everyone, question: Q one?, answer: x, bogus: 1}\n"
        "- {id: b, category: B, audience: everyone, question: Q two?, answer: y}\n",
    )
    found = problems_of(path)
    assert any("one file per category, but this file has 'A', 'B'" in p for p in found)
    assert any("entry 'a'" in p and "bogus" in p for p in found)
