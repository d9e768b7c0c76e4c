"""Normalisation: Slack markup, contractions, synonyms, stems, small talk and names."""

from __future__ import annotations

import pytest

from faq.text import ELSEWHERE, default_lexicon, stem, strip_slack_markup


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


def tokens(lexicon, text):
    return lexicon.analyse(lexicon.normalise(text)).tokens


def test_slack_markup_is_removed_but_link_labels_kept():
    text = "<@U024BE7LH> <!here> see <https://x.io/a|the guide> and <https://y.io> :pray: *now*"
    assert strip_slack_markup(text).split() == ["see", "the", "guide", "and", "*now*"]


def test_contractions_and_curly_quotes_are_expanded(lexicon):
    assert lexicon.normalise("I can’t log in, it won't work") == [
        "i",
        "can",
        "not",
        "log",
        "in",
        "it",
        "will",
        "not",
        "work",
    ]
    assert lexicon.normalise("didnt get it") == ["did", "not", "get", "it"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forgot my pw", ("forgot", "password")),
        ("can't sign in", ("not", "login")),
        ("re-inviting a tech", ("reinvite", "technician")),
        ("the txt code", ("sms", "sms")),
        ("replaced my phone", ("new_phone",)),
        ("how do I reinvite myself", ("reinvite_myself",)),
        ("reset my laptop password", ("reset", ELSEWHERE)),
    ],
)
def test_synonyms_combinations_and_other_systems(lexicon, text, expected):
    assert tokens(lexicon, text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("expired", "expir"),
        ("expires", "expir"),
        ("expire", "expir"),
        ("getting", "get"),
        ("process", "process"),
        ("sms", "sms"),
        ("users", "user"),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


def test_small_talk_is_set_aside(lexicon):
    analysis = lexicon.analyse(lexicon.normalise("Hi there, thanks! my invite expired"))
    assert analysis.smalltalk == ("greeting", "thanks")
    assert analysis.tokens == ("invitation", "expired")


def test_acknowledgement_counts_only_as_the_whole_message(lexicon):
    assert lexicon.analyse(lexicon.normalise("ok cool")).smalltalk == ("ack",)
    inside = lexicon.analyse(lexicon.normalise("no text message came"))
    assert inside.smalltalk == ()
    assert "not" in inside.tokens


def test_names_inside_a_sentence(lexicon):
    # A capital at the start of a sentence says nothing, so "Tom" is not taken for a name there.
    assert lexicon.names("Please resend to Maria, she is new. Tom too") == {"maria"}
    assert lexicon.names("RESEND TO MARIA") == frozenset()
