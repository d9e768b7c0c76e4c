"""Calibration: thresholds derived from held-out phrasings, and how they drive the decision."""

from __future__ import annotations

import numpy as np
import pytest

from faq import KnowledgeBase, Matcher, Outcome
from faq.calibration import ANSWER_SCORE, DEFAULT, WRONG_BUDGET, calibrate, held_out
from faq.matcher import near_duplicates
from faq.model import Entry, OutOfScope


def test_folds_never_hold_out_an_entrys_own_question():
    labels = [0] * 6 + [1] * 2 + [2]
    folds = held_out(labels)
    held = [n for fold in folds for n in fold]
    assert sorted(held) == [1, 2, 3, 4, 5, 7]  # 0, 6 and 8 are questions
    assert len(held) == len(set(held))


def test_a_large_kb_is_calibrated_on_a_bounded_sample():
    labels = [n // 10 for n in range(10_000)]  # 1,000 entries
    folds = held_out(labels)
    assert len(folds) == 1
    assert len(folds[0]) == 1000
    many = [n // 5 for n in range(50_000)]  # 10,000 entries: scoring each costs more
    assert [len(fold) for fold in held_out(many)] == [200]


def test_near_duplicates_are_held_out_together():
    labels = [0] * 7
    clusters = [0, 1, 1, 3, 4, 1, 0]  # 1, 2 and 5 are twins; 6 is a twin of the question
    held = {n: f for f, fold in enumerate(held_out(labels, clusters)) for n in fold}
    assert held[1] == held[2] == held[5]  # one cluster, one fold
    assert len({held[1], held[3], held[4]}) == 3  # three clusters, three folds
    assert not {0, 6} & held.keys()  # the question's cluster is never held out
    assert held_out(labels) == held_out(labels, list(range(7)))  # default: each its own


def test_near_duplicates_joins_rewordings_of_one_class_only():
    def vector(*pairs):
        return (np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs], np.float32))

    a, b = vector((0, 0.8), (1, 0.6)), vector((0, 0.6), (1, 0.8))  # cosine 0.96
    c = vector((2, 1.0))  # nothing in common with a or b
    assert near_duplicates([a, b, c, a], [0, 0, 0, 1]) == [0, 0, 2, 3]


def test_the_most_right_answers_within_the_budget_of_wrong_ones():
    # 100 held-out phrasings: 80 right with a clear lead, 20 won as strongly (0.9) by another
    # entry with a small lead (0.02). No threshold tells them apart, and answering on any lead
    # would be 20% wrong: over budget, so the lead must rise above the wrong ones'.
    scores = [np.array([0.9, 0.3, 0.0])] * 80 + [np.array([0.05, 0.9, 0.88])] * 20
    found = calibrate(scores, [0] * 100, entry_count=3)
    assert found.margin > 0.02
    assert found.expected_wrong <= 100 * WRONG_BUDGET
    assert found.expected_accuracy == 80


def test_the_budget_refuses_wrong_answers_that_right_ones_would_pay_for():
    # 46 right and 4 wrong answers share a lead of 0.02: answering them all gains 46 right for 4
    # wrong (worth it at a cost of 3 each), but 4% wrong is over the budget: the lead rises.
    scores = (
        [np.array([0.9, 0.3, 0.0])] * 50
        + [np.array([0.9, 0.88, 0.0])] * 46
        + [np.array([0.05, 0.9, 0.88])] * 4
    )
    assert WRONG_BUDGET < 0.04
    found = calibrate(scores, [0] * 100, entry_count=3)
    assert found.margin > 0.02
    assert (found.expected_accuracy, found.expected_wrong) == (50, 0)


def test_separable_scores_give_a_threshold_between_right_and_look_alike():
    # Two entries; held-out phrasings score 0.8 for their own entry and 0.3 for the other, so a
    # look-alike (own entry taken away) scores 0.3: the answer threshold must fall in between.
    scores = [np.array([0.8, 0.3]), np.array([0.3, 0.8])] * 20
    labels = [0, 1] * 20
    found = calibrate(scores, labels, entry_count=2)
    assert 0.3 < found.answer <= 0.8
    assert found.clarify <= found.answer
    assert found.expected_accuracy == 100
    assert found.expected_rejection == 100
    assert found.scale(found.answer) == ANSWER_SCORE


def test_when_wrong_entries_win_the_threshold_rises_above_them():
    # Half of the held-out phrasings are won, at 0.6, by the wrong entry: answering at 0.6 would
    # be wrong as often as right, so the derived threshold sits above 0.6.
    scores = [np.array([0.9, 0.2])] * 10 + [np.array([0.1, 0.6])] * 10
    labels = [0] * 20
    found = calibrate(scores, labels, entry_count=2)
    assert found.answer > 0.6


def test_an_out_of_scope_topic_that_wins_counts_as_rejection():
    scores = [np.array([0.8, 0.1, 0.0]), np.array([0.5, 0.1, 0.9])] * 10
    labels = [0, 2] * 10  # class 2 is an out-of-scope topic
    found = calibrate(scores, labels, entry_count=2)
    assert found.expected_rejection == 100


def test_nothing_to_hold_out_gives_the_defaults():
    assert calibrate([], [], entry_count=3) is DEFAULT


def entry(entry_id: str, *phrasings: str) -> Entry:
    return Entry(entry_id, phrasings[0], "An answer.", "Tests", phrasings[1:])


@pytest.fixture(scope="module")
def small_kb():
    return KnowledgeBase(
        (
            entry(
                "reset-password",
                "how do I reset my password",
                "forgot my password",
                "password reset",
                "I can't remember my password",
                "change my password",
                "my password does not work",
            ),
            entry(
                "export-report",
                "how do I export a report",
                "download the report as csv",
                "export to excel",
                "save the monthly report",
                "report export",
                "get the report as a file",
            ),
        ),
        out_of_scope=(
            OutOfScope(
                "weather",
                examples=("what is the weather tomorrow", "will it rain today"),
                terms=("vpn",),
                pointer="Ask IT.",
            ),
        ),
    )


def test_a_small_kb_derives_its_own_thresholds(small_kb):
    matcher = Matcher(small_kb)
    assert matcher.calibration.held_out > 0
    assert matcher.calibration.negatives > matcher.calibration.held_out  # examples count too
    assert matcher.match("forgot password").outcome is Outcome.ANSWER


def test_out_of_scope_examples_and_terms_fall_back_with_the_pointer(small_kb):
    matcher = Matcher(small_kb)
    rain = matcher.match("is it going to rain tomorrow")
    assert (rain.outcome, rain.pointer) == (Outcome.FALLBACK, "Ask IT.")
    vpn = matcher.match("reset my vpn password")
    assert (vpn.outcome, vpn.pointer) == (Outcome.FALLBACK, "Ask IT.")


def test_phrasings_that_collide_with_another_entry_are_reported():
    colliding = KnowledgeBase(
        (
            entry("list-users", "show the list of users", "list users", "user list", "all users"),
            entry(
                "update-list",
                "update the list of users",
                "change the user list",
                "show the list of users please",  # really the other entry's question
            ),
        )
    )
    found = {(e.id, p, w.id if w else None) for e, p, w in Matcher(colliding).collisions()}
    assert ("update-list", "show the list of users please", "list-users") in found
