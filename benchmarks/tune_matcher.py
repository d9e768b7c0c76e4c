"""Grid-search the matcher's weights and thresholds on labelled question files.

Usage: python benchmarks/tune_matcher.py TUNE.yaml [TUNE2.yaml ...] [--validate FILE ...]
Prints the best settings on the tuning files and their figures on the validation files.
The objective: in-scope accuracy + out-of-scope rejection, minus 3 points per confident mistake
and a quarter point per percent of "did you mean" replies (each one costs the asker a click).
"""

from __future__ import annotations

import argparse
import itertools

from faq import Matcher, default_content_path, load_knowledge_base
from faq.evaluation import Case, Report, Result, load_cases
from faq.matcher import Thresholds, Weights


def objective(report: Report) -> float:
    figures = report.figures()
    return (
        figures["in_scope_top1_accuracy"]
        + figures["out_of_scope_rejection"]
        - 3 * figures["confidently_wrong"]
        - 0.25 * figures["clarify_rate"]
    )


def run(matcher: Matcher, cases: list[Case], analysed: list) -> Report:
    return Report(
        [
            Result(case, matcher.judge(case.question, analysis, ranked))
            for case, (analysis, ranked) in zip(cases, analysed, strict=True)
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tune", nargs="+")
    parser.add_argument("--validate", nargs="*", default=[])
    args = parser.parse_args()
    kb = load_knowledge_base(default_content_path())
    tune = [c for f in args.tune for c in load_cases(f, kb)]
    validate = {f: load_cases(f, kb) for f in args.validate}
    best: tuple[float, Weights, Thresholds] | None = None
    for unknown, exponent, beta, phrasing in itertools.product(
        (0.6, 0.8, 1.0, 1.2), (0.5, 0.75, 1.0), (1.0, 2.0, 3.0), (0.5, 0.7, 0.9)
    ):
        weights = Weights(
            unknown_word=unknown,
            unknown_exponent=exponent,
            beta=beta,
            phrasing=phrasing,
            vocabulary=round(1 - phrasing, 2),
        )
        matcher = Matcher(kb, weights=weights)
        ranked = []
        for case in tune:
            analysis = matcher.analyse(case.question)
            ranked.append((analysis, matcher.scores(analysis)))
        for answer, clarify, margin, lead in itertools.product(
            range(46, 80, 4), range(24, 52, 4), (4, 7, 10, 13), (15, 20, 25, 30, 100)
        ):
            if clarify >= answer:
                continue
            matcher.thresholds = Thresholds(answer, clarify, margin, lead)
            score = objective(run(matcher, tune, ranked))
            if best is None or score > best[0]:
                best = (score, weights, matcher.thresholds)
    assert best is not None
    score, weights, thresholds = best
    print(f"best objective {score:.1f}\n  {weights}\n  {thresholds}")
    matcher = Matcher(kb, weights=weights, thresholds=thresholds)
    for name, cases in {"tuning": tune, **validate}.items():
        figures = Report([Result(c, matcher.match(c.question)) for c in cases]).figures()
        print(f"{name}: {figures}")


if __name__ == "__main__":
    main()
