"""Matcher speed: the shipped knowledge base, and a generated one of 10,000 entries x 5 phrasings.

Usage: python benchmarks/matcher_bench.py [--entries 10000] [--queries 2000]
Prints p50/p99 latency of one match, the load time (YAML files to a ready matcher), peak
resident memory, and the same queries through rapidfuzz.process.extractOne over every phrasing
(the naive baseline) with the ratio between the two.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from rapidfuzz import process, utils

from faq import Matcher, default_content_path, load_knowledge_base

VERBS = """reset change delete remove send resend invite update export import assign
schedule""".split()
NOUNS = """password invitation technician manager report invoice job site schedule crew timesheet
photo customer quote estimate checklist vehicle route form signature payment contract asset
warranty inventory part order note attachment calendar dashboard permission role notification
reminder template tag label filter export backup device account region""".split()
QUALIFIERS = """expired missing broken duplicate archived pending recurring overdue mobile web
offline shared private default custom weekly monthly urgent primary secondary new old""".split()
TEMPLATES = (
    "how do I {v} a {q} {a} {n}",
    "can't {v} the {a} {b} for a {q} {n2}",
    "{q} {a} {n} will not {v}",
    "where do I {v} {b} {n}",
    "{a} {b} not working when I {v} {n2}",
)
SYLLABLES = """ka lo mi ne ru ta vo shi pe da gri sel tor ven mar quo lix bre fa
zu""".split()


def product_words(rng: random.Random, count: int) -> list[str]:
    """Made-up product terms ("gritorven"): what makes one entry different from another."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def generate(directory: Path, entries: int, rng: random.Random) -> list[str]:
    """Write a knowledge base of `entries` entries x 5 phrasings; returns every phrasing."""
    phrasings: list[str] = []
    per_file = 1000
    terms = product_words(rng, 8000)
    # Zipf-like: a few product terms are common, most are rare, as in a real knowledge base.
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(len(terms))]
    for start in range(0, entries, per_file):
        batch = []
        for number in range(start, min(start + per_file, entries)):
            a, b = rng.choices(terms, popularity, k=2)
            words = {
                "v": rng.choice(VERBS),
                "n": rng.choice(NOUNS),
                "n2": rng.choice(NOUNS),
                "q": rng.choice(QUALIFIERS),
                "a": a,
                "b": b,
            }
            asked = [t.format(**words) + f" ({number})" for t in TEMPLATES]
            phrasings.extend(asked)
            batch.append(
                {
                    "id": f"generated-{number}",
                    "category": f"Generated {start // per_file}",
                    "audience": "everyone",
                    "question": asked[0],
                    "alternate_questions": asked[1:],
                    "answer": f"Answer number {number}.",
                    "updated": "2026-11-27",
                }
            )
        text = yaml.safe_dump(batch, sort_keys=False).replace("'2026-11-27'", "2026-11-27")
        (directory / f"generated-{start // per_file:03}.yaml").write_text(text)
    return phrasings


def perturb(text: str, rng: random.Random) -> str:
    """A query as people type it: a dropped word and a typo."""
    words = text.split()
    if len(words) > 3:
        del words[rng.randrange(len(words))]
    i = rng.randrange(len(words))
    if len(words[i]) > 4:
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)


def time_matches(matcher: Matcher, queries: list[str]) -> list[float]:
    for query in queries[:50]:
        matcher.match(query)  # warm the typo-correction cache as a running bot would
    samples = []
    for query in queries:
        start = time.perf_counter()
        matcher.match(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name}: p50 {statistics.median(samples):.3f} ms, p99 {percentile(samples, 0.99):.3f} ms,"
        f" max {max(samples):.3f} ms over {len(samples)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(20261127)

    shipped = Matcher(load_knowledge_base(default_content_path()))
    shipped_queries = [perturb(p, rng) for e in shipped.knowledge_base for p in e.phrasings]
    shipped_queries += ["what's for lunch", "hi there", "reset my laptop password"]
    shipped_queries = [rng.choice(shipped_queries) for _ in range(args.queries)]
    report("shipped knowledge base", time_matches(shipped, shipped_queries))

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        phrasings = generate(directory, args.entries, rng)
        start = time.perf_counter()
        knowledge_base = load_knowledge_base(directory)
        loaded = time.perf_counter()
        matcher = Matcher(knowledge_base)
        built = time.perf_counter()
    print(
        f"generated knowledge base: {len(knowledge_base)} entries, {len(phrasings)} phrasings; "
        f"load {built - start:.2f} s (YAML {loaded - start:.2f} s + index {built - loaded:.2f} s)"
    )
    queries = [perturb(rng.choice(phrasings), rng) for _ in range(args.queries)]
    ours = time_matches(matcher, queries)
    report("generated knowledge base, helpbot matcher", ours)
    naive_queries = queries[: max(args.queries // 10, 50)]
    naive = []
    for query in naive_queries:
        begin = time.perf_counter()
        process.extractOne(query, phrasings, processor=utils.default_process)
        naive.append((time.perf_counter() - begin) * 1000)
    report("generated knowledge base, naive extractOne", naive)
    print(
        f"naive / helpbot: p50 {statistics.median(naive) / statistics.median(ours):.1f}x, "
        f"p99 {percentile(naive, 0.99) / percentile(ours, 0.99):.1f}x slower"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
