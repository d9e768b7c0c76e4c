"""The matcher: outcomes on typical Slack messages, and quality figures on the labelled sets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq import Outcome
from faq.evaluation import evaluate, load_cases
from tests.conftest import DATA, DEV_QUESTIONS


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        ("forgot my pasword :sob:", "forgot-password"),
        ("<@U024BE7LH> *urgent* can't log into the phone app", "forgot-password"),
        ("hi! my invite expired, can someone resend it?", "resend-invitation"),
        ("Maria replaced her phone and needs a new invite", "resend-invitation"),
        ("the text with the code never came", "resend-invitation"),
        ("how do I invite our bookkeeper to the web app", "web-app-invitation"),
        ("is my username my email address on the website?", "web-app-invitation"),
        ("cant delete the techncian, says primary contact", "delete-primary-contact"),
        ("what can you do?", "help"),
    ],
)
def test_answers(matcher, message, entry_id):
    match = matcher.match(message)
    assert (match.outcome, match.entry.id) == (Outcome.ANSWER, entry_id), match


@pytest.mark.parametrize(
    ("message", "kind"),
    [("hi", "greeting"), ("thank you so much!! :pray:", "thanks"), ("ok", "ack"), ("bye", "bye")],
)
def test_small_talk_is_never_answered_from_the_faq(matcher, message, kind):
    match = matcher.match(message)
    assert (match.outcome, match.smalltalk, match.entry) == (Outcome.SMALLTALK, kind, None)


def test_greeting_around_a_question_is_a_question(matcher):
    assert matcher.match("Good morning! I forgot my password").entry.id == "forgot-password"


@pytest.mark.parametrize(
    "message",
    [
        "reset my laptop password",
        "my VPN won't accept my password",
        "invite everyone to the standup",
        "delete this channel please",
        "what's the capital of France",
        "",
        ":wave:",
    ],
)
def test_out_of_scope_gets_no_answer(matcher, message):
    assert matcher.match(message).outcome is not Outcome.ANSWER


def test_close_candidates_give_clarify_with_choices(matcher):
    match = matcher.match("phone")
    assert match.outcome is Outcome.CLARIFY
    assert len(match.choices) >= 2
    assert match.choices[0].entry is match.entry
    assert [c.score for c in match.choices] == sorted(
        (c.score for c in match.choices), reverse=True
    )


def test_answer_carries_ranked_alternatives(matcher):
    match = matcher.match("my invitation expired")
    assert match.alternatives
    assert all(a.score < match.score for a in match.alternatives)


def test_typos_are_corrected_to_known_words(matcher):
    assert matcher.correct("invitaion") == "invitation"
    assert matcher.correct("laptop") == "laptop"  # known (another system's), left alone
    assert matcher.correct("zzzzzz") == "zzzzzz"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_well_formed_verdict(matcher, text):
    match = matcher.match(text)
    assert 0 <= match.score <= 100
    assert (match.entry is not None) == (match.outcome in {Outcome.ANSWER, Outcome.CLARIFY})


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="the shared development set is not here")
def test_development_set_meets_the_targets(matcher, knowledge_base):
    figures = evaluate(matcher, load_cases(DEV_QUESTIONS, knowledge_base)).figures()
    assert figures["in_scope_top1_accuracy"] >= 95
    assert figures["out_of_scope_rejection"] >= 95
    assert figures["confidently_wrong"] <= 1


@pytest.mark.parametrize("name", ["tuning-questions.yaml", "heldout-questions.yaml"])
def test_own_labelled_sets_stay_above_their_floor(matcher, knowledge_base, name):
    # Floors a little under the measured figures (README "Matcher quality"), to catch regressions.
    figures = evaluate(matcher, load_cases(DATA / name, knowledge_base)).figures()
    assert figures["in_scope_top1_accuracy"] >= 90
    assert figures["out_of_scope_rejection"] >= 94
    assert figures["confidently_wrong"] <= 6
