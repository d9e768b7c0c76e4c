"""CLINC150 as helpbot knowledge bases: how the shipped matcher decides, with two references.

Each of CLINC150's 150 intents becomes one FAQ entry in helpbot's own YAML format, written to a
temporary directory and loaded through the real loader; its phrasings are the intent's `train`
queries: `few` = the first 10 distinct ones (question = the first, alternates = the next 9),
`full` = all 100. Every `val` (or `train`, for a sanity check) query plus every `oos_val` query
is then asked through `Matcher.match`, and per setting this prints: in-scope accuracy (outcome
answer with the right entry), out-of-scope recall (no answer), wrong answers (% of all queries),
clarify rate, ms/query p50/p99 and the KB load time (loader + matcher, fitting included).

Reference rows over the same KB: rapidfuzz `process.extractOne(query, phrasings,
scorer=fuzz.token_set_ratio)` and BM25 (k1 1.5, b 0.75) over all phrasings, each answering the best
phrasing's entry. Their only threshold is set on the very queries they are scored on, so that
out-of-scope recall is at least the matcher's: an optimistic reference, not a fair fight.

The data: ../shared/eval/clinc150/clinc150-dev.json (train, val, oos_train, oos_val). The test
split is not used, on purpose.

Usage: .venv/bin/python benchmarks/clinc.py [--split val] [--setting few|full] [--no-reference]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from faq import Matcher, Outcome, load_knowledge_base

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "clinc150" / "clinc150-dev.json"
ANSWER = "This is the answer for this topic."


def slug(intent: str) -> str:
    """An entry id from an intent name."""
    return re.sub(r"[^a-z0-9]+", "-", intent.lower()).strip("-")


def write_kb(train: list[list[str]], setting: str, directory: Path) -> None:
    """One YAML file, one entry per intent, phrasings from `train`."""
    phrasings: dict[str, list[str]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)
    for query, intent in train:
        key = " ".join(query.casefold().split()).rstrip("?!. ")
        if key in seen[intent] or any(key in other for other in seen.values()):
            continue  # the loader refuses a phrasing listed twice
        seen[intent].add(key)
        phrasings[intent].append(query)
    limit = 10 if setting == "few" else None
    entries = []
    for intent in sorted(phrasings):
        chosen = phrasings[intent][:limit]
        entries.append(
            {
                "id": slug(intent),
                "category": "CLINC150",
                "audience": "everyone",
                "question": chosen[0],
                "alternate_questions": chosen[1:],
                "answer": ANSWER,
                "updated": "2026-12-01",
            }
        )
    text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)
    (directory / "clinc150.yaml").write_text(text.replace("'2026-12-01'", "2026-12-01"))


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at this fraction of the sorted list."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class BM25:
    """Okapi BM25 over phrasings, with the matcher's own tokens."""

    def __init__(self, documents: list[tuple[str, ...]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = [Counter(d) for d in documents]
        self.lengths = [len(d) for d in documents]
        self.average = sum(self.lengths) / max(len(documents), 1)
        frequency: Counter[str] = Counter()
        self.postings: dict[str, list[int]] = defaultdict(list)
        for number, doc in enumerate(self.docs):
            for token in doc:
                frequency[token] += 1
                self.postings[token].append(number)
        count = len(documents)
        self.idf = {t: math.log(1 + (count - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}

    def best(self, tokens: tuple[str, ...]) -> tuple[int, float]:
        """The best document and its score (-1, 0 if none shares a token)."""
        scores: dict[int, float] = defaultdict(float)
        for token in set(tokens):
            idf = self.idf.get(token)
            if idf is None:
                continue
            for number in self.postings[token]:
                tf = self.docs[number][token]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[number] / self.average)
                scores[number] += idf * tf * (self.k1 + 1) / (tf + norm)
        if not scores:
            return -1, 0.0
        number = max(scores, key=scores.__getitem__)
        return number, scores[number]


def reference(
    name: str, best: list[tuple[str | None, float]], labels: list[str | None], oos_floor: float
) -> str:
    """A reference row: the lowest threshold with out-of-scope recall >= oos_floor."""
    inside = [i for i, label in enumerate(labels) if label is not None]
    outside = [i for i, label in enumerate(labels) if label is None]
    for threshold in [*sorted({score for _, score in best}), math.inf]:
        answered = [entry if score >= threshold else None for entry, score in best]
        recall = 100 * sum(answered[i] is None for i in outside) / len(outside)
        if recall >= oos_floor:
            break
    accuracy = 100 * sum(answered[i] == labels[i] for i in inside) / len(inside)
    wrong = (
        100
        * sum(a is not None and a != label for a, label in zip(answered, labels, strict=True))
        / len(labels)
    )
    return (
        f"  {name:<28} in-scope {accuracy:5.1f}%  oos recall {recall:5.1f}%  "
        f"wrong {wrong:4.1f}%  (threshold {threshold:.1f})"
    )


def run(setting: str, split: str, data: dict, with_reference: bool) -> None:
    """Build the KB of one setting and print its figures."""
    queries = [(q, slug(i)) for q, i in data[split]] + [(q, None) for q, _ in data["oos_val"]]
    with tempfile.TemporaryDirectory() as tmp:
        write_kb(data["train"], setting, Path(tmp))
        started = time.perf_counter()
        knowledge_base = load_knowledge_base(tmp)
        matcher = Matcher(knowledge_base)
        load = time.perf_counter() - started
    timings, outcomes = [], []
    for query, _ in queries:
        started = time.perf_counter()
        match = matcher.match(query)
        timings.append(1000 * (time.perf_counter() - started))
        outcomes.append(match)
    labels = [label for _, label in queries]
    answered = [m.entry.id if m.outcome is Outcome.ANSWER and m.entry else None for m in outcomes]
    inside = [i for i, label in enumerate(labels) if label is not None]
    outside = [i for i, label in enumerate(labels) if label is None]
    accuracy = 100 * sum(answered[i] == labels[i] for i in inside) / len(inside)
    recall = 100 * sum(answered[i] is None for i in outside) / len(outside)
    wrong = (
        100
        * sum(a is not None and a != label for a, label in zip(answered, labels, strict=True))
        / len(labels)
    )
    clarify = 100 * sum(m.outcome is Outcome.CLARIFY for m in outcomes) / len(outcomes)
    phrasings = sum(len(e.phrasings) for e in knowledge_base)
    print(
        f"{setting}: {len(knowledge_base)} entries, {phrasings} phrasings; "
        f"{len(inside)} {split} + {len(outside)} oos_val queries"
    )
    print(
        f"  {'helpbot (as shipped)':<28} in-scope {accuracy:5.1f}%  oos recall {recall:5.1f}%  "
        f"wrong {wrong:4.1f}%  clarify {clarify:4.1f}%  "
        f"ms/query p50 {percentile(timings, 0.5):.2f} p99 {percentile(timings, 0.99):.2f}  "
        f"load {load:.2f} s"
    )
    print(f"  calibration: {matcher.calibration.describe()}")
    if not with_reference:
        return
    texts = [p for e in knowledge_base for p in e.phrasings]
    owners = [e.id for e in knowledge_base for _ in e.phrasings]
    fuzzy = []
    for query, _ in queries:
        found = process.extractOne(query, texts, scorer=fuzz.token_set_ratio)
        fuzzy.append((owners[found[2]], found[1]) if found else (None, 0.0))
    print(reference("rapidfuzz token_set_ratio", fuzzy, labels, recall))
    bm25 = BM25([matcher.analyse(t).tokens for t in texts])
    scored = []
    for query, _ in queries:
        number, score = bm25.best(matcher.analyse(query).tokens)
        scored.append((owners[number] if number >= 0 else None, score))
    print(reference("BM25", scored, labels, recall))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=["val", "train"])
    parser.add_argument("--setting", choices=["few", "full"], action="append")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference rows")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"no {DATA}", file=sys.stderr)
        return 1
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for setting in args.setting or ["few", "full"]:
        run(setting, args.split, data, not args.no_reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
