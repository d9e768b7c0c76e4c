"""Decision thresholds derived from the knowledge base itself, by holding out some phrasings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HOLD_OUT_EVERY = 5  # one phrasing in five (never an entry's own question) is held out
MAX_HELD_OUT = 1000  # enough for stable quantiles; bounds the load time of large KBs
SCORING_BUDGET = 2_000_000  # held-out phrasings x classes scored; fewer held out on a huge KB
MIN_HELD_OUT = 200
COST_OF_A_WRONG_ANSWER = 3.0  # answering a question with the wrong entry: 3 unanswered ones
# Answering a stand-in for an out-of-scope question. Stand-ins are far harder than most real
# out-of-scope questions (a sibling entry is the closest thing there is), so they cost less.
COST_OF_A_STAND_IN = 0.2
# Budgets on the held-out phrasings: the most right answers with at most WRONG_BUDGET of them
# answered wrongly and at most STAND_IN_BUDGET of the look-alikes answered (the costs above only
# choose when nothing fits the budgets).
WRONG_BUDGET = 0.03
STAND_IN_BUDGET = 0.15
THRESHOLD_STEPS = 100
MARGIN_STEPS = 51
ANSWER_SCORE = 50.0  # the 0-100 score at the answer threshold (see Calibration.scale)


@dataclass(frozen=True)
class Calibration:
    """Thresholds on the model's raw class scores, and what they were derived from."""

    answer: float  # the best entry's raw score must reach this to be answered...
    margin: float  # ...and lead the runner-up by this much
    clarify: float  # below: fall back; between this and an answer: offer choices
    spread: float  # entries within this of the best are offered as choices
    held_out: int = 0  # in-scope phrasings held out to derive the thresholds
    negatives: int = 0  # questions standing for out-of-scope ones
    expected_accuracy: float = 0.0  # held-out phrasings answered right at these thresholds (%)
    expected_wrong: float = 0.0  # held-out in-scope answered wrongly (% of them)
    expected_rejection: float = 0.0  # negatives not answered (%)

    def scale(self, raw: float) -> float:
        """A raw score on the 0-100 scale: 50 at the answer threshold, 75 at three times it."""
        if raw <= 0 or self.answer <= 0:
            return 0.0
        return round(100 * raw / (raw + self.answer), 1)

    def describe(self) -> str:
        """One line for `helpbot faq check`."""
        return (
            f"answer at score >= {ANSWER_SCORE:.0f} (raw {self.answer:.3f}) with a lead of "
            f"{self.margin:.3f}; clarify from score {self.scale(self.clarify):.0f}; derived from "
            f"{self.held_out} held-out phrasings and {self.negatives} out-of-scope stand-ins "
            f"(expected: {self.expected_accuracy:.0f}% answered right, {self.expected_wrong:.0f}% "
            f"wrong, {self.expected_rejection:.0f}% of out-of-scope rejected)"
        )


DEFAULT = Calibration(answer=0.5, margin=0.1, clarify=0.25, spread=0.25)


def held_out(labels: Sequence[int], clusters: Sequence[int] | None = None) -> list[list[int]]:
    """Folds of phrasing numbers to hold out in turn, each group's n-th cluster in fold n % 5.

    `labels` give each phrasing's group (its entry, or its out-of-scope topic); `clusters` (by
    default every phrasing its own; else a cluster number per phrasing, e.g. the number of its
    first member) join a group's near-duplicate phrasings, which are then held out together: a
    phrasing whose twin stayed in the model looks easier than a real new question, and
    thresholds derived from it answer too readily. A group's first cluster (the one holding an
    entry's own question) is never held out. Folds are added while the phrasings held out stay
    under MAX_HELD_OUT (fewer, down to MIN_HELD_OUT, when there are so many classes that scoring
    them would exceed SCORING_BUDGET): a small KB is cross-validated in full, a large one on a
    sample of one fold.
    """
    limit = max(MIN_HELD_OUT, min(MAX_HELD_OUT, SCORING_BUDGET // max(len(set(labels)), 1)))
    positions: dict[int, int] = {}
    cluster_position: dict[int, int] = {}
    folds: list[list[int]] = [[] for _ in range(HOLD_OUT_EVERY)]
    for number, label in enumerate(labels):
        cluster = clusters[number] if clusters is not None else number
        position = cluster_position.get(cluster)
        if position is None:
            position = cluster_position[cluster] = positions.get(label, 0)
            positions[label] = position + 1
        if position:
            folds[(position - 1) % HOLD_OUT_EVERY].append(number)
    chosen: list[list[int]] = []
    total = 0
    for fold in folds:
        if not fold:
            continue
        if chosen and total + len(fold) > limit:
            break
        if len(fold) > limit:
            step = len(fold) / limit
            fold = [fold[int(i * step)] for i in range(limit)]
        chosen.append(fold)
        total += len(fold)
    return chosen


def _top_two_rows(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's best and second-best score (0 as the second when there is one column)."""
    if scores.shape[1] == 1:
        return scores[:, 0].copy(), np.zeros(len(scores))
    two = np.partition(scores, -2, axis=1)[:, -2:]  # linear time in the number of entries
    return two[:, 1].copy(), two[:, 0].copy()


def calibrate(scores: Sequence[np.ndarray], labels: Sequence[int], entry_count: int) -> Calibration:
    """Thresholds that answer the most held-out phrasings right within budgets of mistakes.

    `scores` are class scores of held-out phrasings from a model fitted without them. An in-scope
    phrasing answered by its own entry is right, by another wrong. Each in-scope phrasing also
    stands for an out-of-scope question once its own entry is taken away (a question that looks
    like the KB's but has no entry), and so does each held-out out-of-scope example. Among all
    (answer threshold, lead over the runner-up) pairs, the one with the most right answers such
    that at most WRONG_BUDGET of the in-scope phrasings are answered wrongly and at most
    STAND_IN_BUDGET of the stand-ins are answered wins. When no pair fits, the pair with the best
    value wins: 1 per right answer, minus COST_OF_A_WRONG_ANSWER per wrong one and
    COST_OF_A_STAND_IN per stand-in answered.
    """
    if entry_count == 0 or not len(scores):
        return DEFAULT
    # All rows at once: a large KB has thousands of entries, and one partition per row is slow.
    matrix = np.vstack([np.asarray(row, np.float64) for row in scores])
    label = np.asarray(labels, np.int64)
    entries = matrix[:, :entry_count]
    if matrix.shape[1] > entry_count:
        topic = matrix[:, entry_count:].max(axis=1)
    else:
        topic = np.full(len(matrix), -np.inf)
    first, second = _top_two_rows(entries)
    inside = label < entry_count
    right = entries[inside].argmax(axis=1) == label[inside]
    ins = np.column_stack([first[inside], second[inside], topic[inside]])
    negatives = [np.column_stack([first[~inside], second[~inside], topic[~inside]])]
    if entry_count > 1:  # each in-scope phrasing with its own entry taken away
        others = entries[inside].copy()
        others[np.arange(len(others)), label[inside]] = -np.inf
        other_first, other_second = _top_two_rows(others)
        if entry_count == 2:
            other_second = np.zeros(len(others))
        negatives.append(np.column_stack([other_first, other_second, topic[inside]]))
    neg = np.concatenate(negatives)
    if not len(ins) or not len(neg):
        return DEFAULT
    first_quantiles = np.quantile(ins[:, 0], np.linspace(0.02, 1, THRESHOLD_STEPS))
    margin_quantiles = np.quantile(ins[:, 0] - ins[:, 1], np.linspace(0, 0.5, MARGIN_STEPS))
    # Every (threshold, margin) pair at once for one margin: rows = thresholds, columns = rows.
    ins_first, neg_first = ins[:, 0][None, :], neg[:, 0][None, :]
    thresholds = first_quantiles[:, None]
    best: tuple[float, float, float] | None = None  # the best value within the budgets
    fallback: tuple[float, float, float] | None = None  # the best value, budgets or not
    for margin in sorted({0.0, *margin_quantiles.tolist()}):
        ins_ok = (ins[:, 0] - ins[:, 1] >= margin) & (ins[:, 2] < ins[:, 0])
        neg_ok = (neg[:, 0] - neg[:, 1] >= margin) & (neg[:, 2] < neg[:, 0])
        answered = ins_ok[None, :] & (ins_first >= thresholds)
        accuracy = (answered & right[None, :]).mean(axis=1)
        wrong = (answered & ~right[None, :]).mean(axis=1)
        stand_ins = (neg_ok[None, :] & (neg_first >= thresholds)).mean(axis=1)
        value = accuracy - COST_OF_A_WRONG_ANSWER * wrong - COST_OF_A_STAND_IN * stand_ins
        within = (wrong <= WRONG_BUDGET) & (stand_ins <= STAND_IN_BUDGET)
        for k in np.flatnonzero(within).tolist():
            if best is None or accuracy[k] > best[0] + 1e-12:
                best = (float(accuracy[k]), float(first_quantiles[k]), margin)
        k = int(value.argmax())
        if fallback is None or value[k] > fallback[0] + 1e-12:
            fallback = (float(value[k]), float(first_quantiles[k]), margin)
    best = best or fallback
    assert best is not None
    _, answer, margin = best
    answer = max(answer, 1e-6)
    # Half of the look-alike questions score below the clarify threshold: they fall back.
    clarify = min(float(np.median(neg[:, 0])), answer)
    answered = (ins[:, 0] >= answer) & (ins[:, 0] - ins[:, 1] >= margin) & (ins[:, 2] < ins[:, 0])
    neg_answered = (
        (neg[:, 0] >= answer) & (neg[:, 0] - neg[:, 1] >= margin) & (neg[:, 2] < neg[:, 0])
    )
    return Calibration(
        answer=float(answer),
        margin=float(margin),
        clarify=clarify,
        spread=max(float(margin), answer - clarify),
        held_out=len(ins),
        negatives=len(neg),
        expected_accuracy=round(100 * float((answered & right).mean()), 1),
        expected_wrong=round(100 * float((answered & ~right).mean()), 1),
        expected_rejection=round(100 * float(1 - neg_answered.mean()), 1),
    )
