"""Match a raw Slack message to the best FAQ entry, or decide to clarify, fall back or chat.

In short (README "How the matcher works" has the long form):
1. The message is normalised (Slack markup, contractions), words unknown to the knowledge base
   are corrected to the closest known word with rapidfuzz, small talk is set aside, the KB's
   synonyms become canonical tokens and the words are stemmed (faq.text).
2. The tokens become a TF-IDF vector over word stems, adjacent word pairs and character
   n-grams (faq.vectors), so that typos and word forms still share most of their features.
3. Each entry (and each out-of-scope topic of the KB) is a class of a linear model fitted on
   all of its phrasings when the KB loads: the classes' centroids, refined by a few passes of a
   margin perceptron so that sibling entries sharing words are told apart.
4. Answer, clarify and fallback thresholds are derived from the KB itself (`faq.calibration`):
   held-out phrasings stand for questions it should answer, and the same phrasings with their
   own entry taken away, plus the KB's out-of-scope examples, for questions it should not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, process

from faq.calibration import Calibration, calibrate, held_out
from faq.collector import paused
from faq.model import Entry, KnowledgeBase
from faq.text import Analysis, Lexicon, PhraseTable, default_lexicon
from faq.vectors import Postings, Vector, Vectoriser, sum_by_row

COMMON_SHARE = 0.02  # in a large KB's centroids, see Model
DENSE_LIMIT = 16_000_000  # features x classes held as a dense model (64 MB); beyond: centroids
EPOCHS = 6  # perceptron passes over the phrasings
LEARNING_RATE = 0.1
MARGIN = 0.4  # a phrasing's own class must lead the next by this much, or the model is nudged
TYPO_CUTOFF = 85.0  # rapidfuzz ratio needed to correct an unknown word to a known one
MAX_CHOICES = 3
# Phrasings of one class at least this alike (TF-IDF cosine) are held out together when
# calibrating (faq.calibration.held_out): a new question is rarely a rewording of one phrasing.
NEAR_DUPLICATE = 0.6
# Beyond this many classes the KB is calibrated on a sample of one fold anyway, and finding
# near-duplicates in every class would cost more than the sample is worth: phrasings are held out
# one by one.
NEAR_DUPLICATE_CLASSES = 2000


def near_duplicates(vectors: Sequence[Vector], labels: Sequence[int]) -> list[int]:
    """For each phrasing, the first phrasing of its class it is (transitively) a near-twin of.

    `labels` must keep each class's phrasings together (as a KB lists them).
    """
    root = list(range(len(labels)))

    def find(n: int) -> int:
        while root[n] != n:
            root[n] = root[root[n]]
            n = root[n]
        return n

    start = 0
    while start < len(labels):
        end = start
        while end < len(labels) and labels[end] == labels[start]:
            end += 1
        if end - start > 1:
            ids = np.concatenate([vectors[n][0] for n in range(start, end)])
            local, columns = np.unique(ids, return_inverse=True)
            matrix = np.zeros((end - start, len(local)), np.float32)
            offset = 0
            for row, n in enumerate(range(start, end)):
                count = len(vectors[n][0])
                matrix[row, columns[offset : offset + count]] = vectors[n][1]
                offset += count
            twins = np.argwhere(np.triu(matrix @ matrix.T, 1) >= NEAR_DUPLICATE)
            for a, b in twins.tolist():
                ra, rb = find(start + a), find(start + b)
                if ra != rb:
                    root[max(ra, rb)] = min(ra, rb)
        start = end
    return [find(n) for n in range(len(labels))]


class Outcome(StrEnum):
    """What the bot should do with a message."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SMALLTALK = "smalltalk"


@dataclass(frozen=True, slots=True)
class Alternative:
    """A candidate entry and its score (0-100)."""

    entry: Entry
    score: float
    evidence: tuple[str, ...] = ()  # the message's tokens that this entry knows


@dataclass(frozen=True, slots=True)
class Match:
    """The matcher's verdict on one message."""

    query: str
    outcome: Outcome
    entry: Entry | None  # the answer (answer) or the best guess (clarify); else None
    score: float
    alternatives: tuple[Alternative, ...] = ()  # the next best entries, best first
    choices: tuple[Alternative, ...] = ()  # for clarify: the entries to offer, best first
    smalltalk: str | None = None  # greeting | thanks | ack | bye, for smalltalk
    pointer: str | None = None  # for fallback on an out-of-scope topic: where to go instead


class Model:
    """A linear model over TF-IDF vectors: one weight column per class."""

    def __init__(self, vectors: Sequence[Vector], labels: Sequence[int], classes: int, size: int):
        self.classes = classes
        # Sum the phrasings of each class (their labels never decrease), in chunks.
        ids = np.concatenate([v[0] for v in vectors]) if vectors else np.zeros(0, np.int32)
        weights = np.concatenate([v[1] for v in vectors]) if vectors else np.zeros(0, np.float32)
        rows = np.repeat(np.asarray(labels, np.int32), [len(v[0]) for v in vectors])
        key_class, key_feature, sums = sum_by_row(rows, ids, weights, size)
        del ids, weights, rows
        norms = np.sqrt(np.bincount(key_class, sums.astype(np.float64) ** 2, minlength=classes))
        sums /= np.where(norms > 0, norms, 1.0)[key_class].astype(np.float32)
        self.dense: np.ndarray | None = None
        self.sparse: Postings | None = None
        if size * classes <= DENSE_LIMIT and classes > 1:
            self.dense = np.zeros((size, classes), np.float32)
            self.dense[key_feature, key_class] = sums
            self._refine(vectors, labels)
        else:
            # Too large to hold densely: the centroids alone, which need no fitting at all. A
            # feature that most entries share (a common n-gram) tells them apart least and costs
            # most to look up: features held by more than COMMON_SHARE of the classes are left
            # out (they still count in a message's length).
            held_by = np.bincount(key_feature, minlength=size)
            keep = held_by[key_feature] <= max(1, int(COMMON_SHARE * classes))
            self.sparse = Postings.from_arrays(
                key_feature[keep], key_class[keep], sums[keep], size, classes
            )

    def _refine(self, vectors: Sequence[Vector], labels: Sequence[int]) -> None:
        # A margin perceptron started from the centroids: each phrasing that does not lead the
        # best other class by MARGIN moves its own class towards it and that class away.
        assert self.dense is not None
        weights_by_class = self.dense
        order = np.random.default_rng(0).permutation(len(vectors))  # fixed: same KB, same model
        for _ in range(EPOCHS):
            for k in order.tolist():
                ids, weights = vectors[k]
                label = labels[k]
                scores = weights @ weights_by_class[ids]
                own = scores[label]
                scores[label] = -np.inf
                other = int(scores.argmax())
                if scores[other] + MARGIN > own:
                    step = LEARNING_RATE * weights
                    weights_by_class[ids, label] += step
                    weights_by_class[ids, other] -= step

    def scores(self, vector: Vector) -> np.ndarray:
        """One score per class."""
        ids, weights = vector
        if self.dense is not None:
            if len(ids) == 0:
                return np.zeros(self.classes, np.float32)
            return weights @ self.dense[ids]
        assert self.sparse is not None
        return self.sparse.dot(vector)


class Matcher:
    """Scores messages against a knowledge base; build once, call `match` from any thread."""

    def __init__(self, knowledge_base: KnowledgeBase, *, lexicon: Lexicon | None = None) -> None:
        with paused():  # millions of small objects, no cycles: see faq.collector
            self._build(knowledge_base, lexicon)

    def _build(self, knowledge_base: KnowledgeBase, lexicon: Lexicon | None) -> None:
        self.knowledge_base = knowledge_base
        self.lexicon = lexicon = lexicon or default_lexicon()
        self.entries = tuple(knowledge_base)
        self._synonyms = lexicon.synonym_table(knowledge_base.synonyms)
        # One class per out-of-scope example: a topic's examples ("order me a pizza", "tell me a
        # joke") are too unlike each other for one centroid to stand for them all.
        topics = [t for t in knowledge_base.out_of_scope for _ in t.examples]
        self.topics = tuple(topics)
        # Other systems' names, matched on stemmed words: value = the topic's pointer.
        self._terms = PhraseTable(
            {
                lexicon.stems(term): topic.pointer or "-"
                for topic in knowledge_base.out_of_scope
                for term in topic.terms
            }
        )
        texts: list[str] = []
        labels: list[int] = []
        for number, entry in enumerate(self.entries):
            texts.extend(entry.phrasings)
            labels.extend([number] * len(entry.phrasings))
        examples = [e for t in knowledge_base.out_of_scope for e in t.examples]
        texts.extend(examples)
        labels.extend(range(len(self.entries), len(self.entries) + len(examples)))
        # Held out by entry, and out-of-scope examples by topic (each example is its own class).
        groups = labels[: len(labels) - len(examples)] + [
            len(self.entries) + number
            for number, t in enumerate(knowledge_base.out_of_scope)
            for _ in t.examples
        ]
        surface: set[str] = set(lexicon.surface_words)
        for variants in knowledge_base.synonyms.values():
            for variant in variants:
                surface.update(lexicon.normalise(variant))
        for topic in knowledge_base.out_of_scope:
            for term in topic.terms:  # "Microsoft" is a term, not a name to drop
                surface.update(lexicon.normalise(term))
        word_lists = [lexicon.normalise(text) for text in texts]
        for words in word_lists:
            surface.update(words)
        self._known = frozenset(surface)
        # Candidates by first letter and length: a typo is at most a letter or two longer or
        # shorter, and looking in one bucket keeps a correction fast on a large vocabulary.
        by_initial: dict[tuple[str, int], list[str]] = {}
        for word in sorted(surface):
            if len(word) >= 4 and word.isalpha():
                for length in range(len(word) - 2, len(word) + 3):
                    by_initial.setdefault((word[0], length), []).append(word)
        self._by_initial = by_initial
        self._corrections: dict[str, str] = {}
        tokens = [lexicon.analyse(words, self._synonyms).tokens for words in word_lists]
        del word_lists  # a large KB's word lists weigh tens of megabytes
        self._vocab = [set() for _ in self.entries]
        for token_list, label in zip(tokens, labels, strict=True):
            if label < len(self.entries):
                self._vocab[label].update(token_list)
        self.vectoriser = Vectoriser(tokens, lexicon.stopwords)
        del tokens
        vectors = self.vectoriser.phrasings
        classes = len(self.entries) + len(topics)
        # Calibrate on models that have not seen the held-out phrasings, then fit on them all.
        held_scores: list[np.ndarray] = []
        held_labels: list[int] = []
        self._collisions: list[tuple[int, str, int]] = []
        clusters = (
            near_duplicates(vectors, groups) if len(set(groups)) <= NEAR_DUPLICATE_CLASSES else None
        )
        for fold in held_out(groups, clusters):
            hidden = set(fold)
            train = [n for n in range(len(labels)) if n not in hidden]
            probe = Model(
                [vectors[n] for n in train],
                [labels[n] for n in train],
                classes,
                self.vectoriser.size,
            )
            for n in fold:
                scores = probe.scores(vectors[n])
                held_scores.append(scores)
                held_labels.append(labels[n])
                winner = int(scores.argmax())
                if labels[n] < len(self.entries) and winner != labels[n]:
                    self._collisions.append((labels[n], texts[n], winner))
            del probe  # before the next model is fitted: never two in memory at once
        self.calibration: Calibration = calibrate(held_scores, held_labels, len(self.entries))
        self.model = Model(vectors, labels, classes, self.vectoriser.size)
        # The model holds what matching needs; the phrasings' vectors would only take memory.
        del vectors
        self.vectoriser.phrasings = []

    def collisions(self) -> list[tuple[Entry, str, Entry | None]]:
        """Held-out phrasings that went to another class: (entry, phrasing, winner or None).

        The winner is None when an out-of-scope example took the phrasing.
        """
        found = []
        for label, phrasing, winner in self._collisions:
            other = self.entries[winner] if winner < len(self.entries) else None
            found.append((self.entries[label], phrasing, other))
        return found

    def correct(self, word: str) -> str:
        """The known word closest to an unknown one (typo correction), or the word itself."""
        if word in self._known or len(word) < 5 or not word.isalpha():
            return word
        if (cached := self._corrections.get(word)) is not None:
            return cached
        found = process.extractOne(
            word,
            self._by_initial.get((word[0], len(word)), ()),
            scorer=fuzz.ratio,
            score_cutoff=TYPO_CUTOFF,
        )
        corrected = found[0] if found else word
        if len(self._corrections) < 50_000:
            self._corrections[word] = corrected
        return corrected

    def analyse(self, text: str) -> Analysis:
        """Normalise, correct and tokenise a message as the matcher sees it."""
        known = self._known
        names = self.lexicon.names(text)
        words = [
            self.correct(word)
            for word in self.lexicon.normalise(text)
            if word in known or word not in names  # "resend to Maria": Maria is not the topic
        ]
        return self.lexicon.analyse(words, self._synonyms)

    def _class_scores(self, analysis: Analysis) -> np.ndarray:
        if not analysis.tokens:
            return np.zeros(self.model.classes, np.float32)
        vector, _ = self.vectoriser.vector(analysis.tokens)
        return self.model.scores(vector)

    def scores(self, analysis: Analysis) -> list[Alternative]:
        """Every entry with a positive score, scored 0-100, best first."""
        return self._ranked(analysis, self._class_scores(analysis))

    def _ranked(self, analysis: Analysis, scores: np.ndarray, limit: int = 10) -> list[Alternative]:
        entry_scores = scores[: len(self.entries)]
        count = min(limit, len(entry_scores))
        if count == 0:
            return []
        top = np.argpartition(-entry_scores, count - 1)[:count]
        # Best first by raw score: the 0-100 scale is capped, so it cannot break ties.
        top = top[np.argsort(-entry_scores[top], kind="stable")]
        results = []
        tokens = set(analysis.tokens)
        for number in top.tolist():
            raw = float(entry_scores[number])
            if raw <= 0:
                continue
            evidence = tuple(sorted(tokens & self._vocab[number]))
            results.append(Alternative(self.entries[number], self.calibration.scale(raw), evidence))
        return results

    def match(self, text: str) -> Match:
        """Decide how to respond to one raw message."""
        analysis = self.analyse(text)
        scores = self._class_scores(analysis)
        return self._judge(text, analysis, scores)

    def judge(self, text: str, analysis: Analysis, ranked: list[Alternative]) -> Match:
        """Turn an analysed message into an outcome (the ranked list is recomputed in full)."""
        del ranked  # kept for callers of the old signature; out-of-scope classes are needed too
        return self._judge(text, analysis, self._class_scores(analysis))

    def _judge(self, text: str, analysis: Analysis, scores: np.ndarray) -> Match:
        # Small talk around a real question ("hi, I forgot my password") is a question.
        if analysis.smalltalk and not analysis.tokens:
            return Match(text, Outcome.SMALLTALK, None, 0.0, smalltalk=analysis.smalltalk[0])
        ranked = self._ranked(analysis, scores)
        limits = self.calibration
        best = ranked[0] if ranked else None
        pointer = self._pointer(analysis, scores)
        if best is None:
            return Match(text, Outcome.FALLBACK, None, 0.0, pointer=pointer or None)
        entry_count = len(self.entries)
        raw = scores[:entry_count]
        first = float(raw.max())
        second = float(np.partition(raw, -2)[-2]) if entry_count > 1 else 0.0
        topic_best = float(scores[entry_count:].max()) if len(scores) > entry_count else -np.inf
        alternatives = tuple(ranked[1:4])
        if pointer is not None or topic_best >= first or first < limits.clarify:
            return Match(
                text,
                Outcome.FALLBACK,
                None,
                best.score,
                alternatives=tuple(ranked[:3]),
                pointer=pointer or None,
            )
        if first >= limits.answer and first - second >= limits.margin:
            return Match(text, Outcome.ANSWER, best.entry, best.score, alternatives)
        floor = max(limits.clarify, first - limits.spread)
        close = tuple(
            a for a in ranked[:MAX_CHOICES] if a.score >= limits.scale(floor) or a is best
        )
        return Match(text, Outcome.CLARIFY, best.entry, best.score, alternatives, close)

    def _pointer(self, analysis: Analysis, scores: np.ndarray) -> str | None:
        """Where to go instead, if the message names another system or is an out-of-scope topic."""
        if self._terms.may_match(analysis.words_stemmed):
            for value, _ in self._terms.scan(analysis.words_stemmed):
                if value is not None:
                    return "" if value == "-" else value
        entry_count = len(self.entries)
        if len(scores) > entry_count:
            topic = int(scores[entry_count:].argmax())
            if scores[entry_count + topic] >= scores[:entry_count].max():
                return self.topics[topic].pointer
        return None
