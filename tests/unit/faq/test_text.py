"""Normalisation: Slack markup, contractions, synonyms, stems, small talk and names."""

from __future__ import annotations

import pytest

from faq import default_content_path, load_knowledge_base
from faq.text import LEXICON_PATH, default_lexicon, stem, strip_slack_markup


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


@pytest.fixture(scope="module")
def synonyms(lexicon):
    return lexicon.synonym_table(load_knowledge_base(default_content_path()).synonyms)


def tokens(lexicon, text, synonyms=None):
    return lexicon.analyse(lexicon.normalise(text), synonyms).tokens


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
        ("forgot my pw", ("forgot", "my", "password")),
        ("can't sign in", ("can", "not", "login")),
        ("re-inviting a tech", ("reinvite", "a", "technician")),
        ("the txt code", ("the", "sms", "sms")),
        ("how do I reinvite myself", ("how", "do", "i", "reinvite", "myself")),
    ],
)
def test_the_knowledge_bases_synonyms(lexicon, synonyms, text, expected):
    assert tokens(lexicon, text, synonyms) == expected


def test_without_synonyms_words_are_only_stemmed(lexicon):
    assert tokens(lexicon, "forgot my pw") == ("forgot", "my", "pw")


def test_stop_words_stay_so_that_a_question_is_never_empty(lexicon):
    # They weigh less in the vectors (faq.vectors.STOP_WEIGHT) instead of going.
    assert tokens(lexicon, "which day is it now") == ("which", "day", "is", "it", "now")


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


def test_small_talk_is_set_aside(lexicon, synonyms):
    analysis = lexicon.analyse(lexicon.normalise("Hi there, thanks! my invite expired"), synonyms)
    assert analysis.smalltalk == ("greeting", "thanks")
    assert analysis.tokens == ("ther", "my", "invitation", "expired")


def test_acknowledgement_counts_only_as_the_whole_message(lexicon, synonyms):
    assert lexicon.analyse(lexicon.normalise("ok cool")).smalltalk == ("ack",)
    inside = lexicon.analyse(lexicon.normalise("no text message came"), synonyms)
    assert inside.smalltalk == ()
    assert "not" in inside.tokens


def test_names_inside_a_sentence(lexicon):
    # A capital at the start of a sentence says nothing, so "Tom" is not taken for a name there.
    assert lexicon.names("Please resend to Maria, she is new. Tom too") == {"maria"}
    assert lexicon.names("RESEND TO MARIA") == frozenset()


def test_the_engines_lexicon_knows_no_product():
    # Product words are the knowledge base's data (faq/content/lexicon.yaml), not the engine's.
    text = LEXICON_PATH.read_text(encoding="utf-8").lower()
    for word in ("password", "invitation", "technician", "vpn", "meeting", "smb", "elsewhere"):
        assert f" {word}," not in text, word
        assert f"{word}:" not in text, word
