"""Measure the matcher on labelled questions: accuracy, out-of-scope rejection, clarify rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.matcher import Match, Matcher, Outcome
from faq.model import KnowledgeBase

OUT_OF_SCOPE = "none"


class EvalFileInvalid(Exception):
    """The labelled question file is not in the `cases: {entry-id: [questions]}` format."""


@dataclass(frozen=True)
class Case:
    """A question and the entry id that should answer it (None: no FAQ answer)."""

    question: str
    expected: str | None


@dataclass(frozen=True)
class Result:
    """A case and what the matcher made of it."""

    case: Case
    match: Match

    @property
    def answered_id(self) -> str | None:
        """The entry answered, if the outcome was an answer."""
        return (
            self.match.entry.id
            if self.match.outcome is Outcome.ANSWER and self.match.entry
            else None
        )

    @property
    def correct(self) -> bool:
        """In scope: answered with the right entry. Out of scope: no FAQ answer given."""
        return self.answered_id == self.case.expected

    @property
    def confidently_wrong(self) -> bool:
        """An answer was given, and it was not the expected one."""
        return self.answered_id is not None and self.answered_id != self.case.expected


@dataclass
class Report:
    """Figures over a set of results."""

    results: list[Result] = field(default_factory=list)

    @property
    def in_scope(self) -> list[Result]:
        return [r for r in self.results if r.case.expected is not None]

    @property
    def out_of_scope(self) -> list[Result]:
        return [r for r in self.results if r.case.expected is None]

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0

    def figures(self) -> dict[str, float | int]:
        """The headline numbers."""
        inside, outside = self.in_scope, self.out_of_scope
        offered = [
            r
            for r in inside
            if r.match.outcome is Outcome.CLARIFY
            and r.case.expected in {c.entry.id for c in r.match.choices}
        ]
        return {
            "in_scope": len(inside),
            "in_scope_top1_accuracy": self._rate(sum(r.correct for r in inside), len(inside)),
            "in_scope_clarify_with_right_choice": len(offered),
            "out_of_scope": len(outside),
            "out_of_scope_rejection": self._rate(sum(r.correct for r in outside), len(outside)),
            "clarify_rate": self._rate(
                sum(r.match.outcome is Outcome.CLARIFY for r in self.results), len(self.results)
            ),
            "confidently_wrong": sum(r.confidently_wrong for r in self.results),
        }

    def misses(self) -> list[Result]:
        """Every result that is not correct, confidently wrong ones first."""
        wrong = [r for r in self.results if not r.correct]
        return sorted(wrong, key=lambda r: not r.confidently_wrong)


def load_cases(path: Path | str, knowledge_base: KnowledgeBase) -> list[Case]:
    """Read `cases: {entry-id: [questions], none: [questions]}`, checking ids exist."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileInvalid(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise EvalFileInvalid(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise EvalFileInvalid(
            f"{path}: expected a top-level 'cases:' mapping of entry id to questions"
        )
    cases = []
    for label, questions in data["cases"].items():
        if label != OUT_OF_SCOPE and label not in knowledge_base:
            raise EvalFileInvalid(f"{path}: '{label}' is not an entry id of the knowledge base")
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            raise EvalFileInvalid(f"{path}: cases for '{label}' must be a list of questions")
        expected = None if label == OUT_OF_SCOPE else label
        cases.extend(Case(q, expected) for q in questions)
    return cases


def evaluate(matcher: Matcher, cases: list[Case]) -> Report:
    """Run every case through the matcher."""
    return Report([Result(case, matcher.match(case.question)) for case in cases])
