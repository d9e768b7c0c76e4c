"""The evaluation report: figures, misses, and the labelled-file format."""

from __future__ import annotations

import pytest

from faq.evaluation import EvalFileInvalid, evaluate, load_cases


def test_figures_count_answers_rejections_and_confident_mistakes(matcher, knowledge_base, tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(
        "cases:\n"
        "  forgot-password: [forgot my password, invitation expired]\n"
        "  none: [what's for lunch, forgot my password again]\n"
    )
    report = evaluate(matcher, load_cases(path, knowledge_base))
    figures = report.figures()
    assert figures["in_scope"] == 2
    assert figures["in_scope_top1_accuracy"] == 50.0
    assert figures["out_of_scope_rejection"] == 50.0
    assert figures["confidently_wrong"] == 2
    assert [r.case.question for r in report.misses()][:2] == [
        "invitation expired",
        "forgot my password again",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases: [a]\n", "expected a top-level 'cases:' mapping"),
        ("cases:\n  no-such-entry: [a]\n", "'no-such-entry' is not an entry id"),
        ("cases:\n  help: what\n", "cases for 'help' must be a list"),
        ("cases: [\n", "invalid YAML"),
    ],
)
def test_bad_files_are_refused_clearly(knowledge_base, tmp_path, text, message):
    path = tmp_path / "cases.yaml"
    path.write_text(text)
    with pytest.raises(EvalFileInvalid, match=message.replace("[", r"\[")):
        load_cases(path, knowledge_base)
