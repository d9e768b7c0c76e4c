"""TF-IDF vectors over word stems, word pairs and character n-grams, with a small sparse index."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

CHAR_SIZES = (2, 3, 4, 5)
WORD_SHARE = 0.5  # share of a vector's squared length given to whole words; the rest to n-grams

Vector = tuple[np.ndarray, np.ndarray]  # (feature ids, weights), ids unique


STOP_WEIGHT = 0.5  # a stop word counts this much of a content word


def features(
    tokens: Sequence[str], stopwords: frozenset[str] = frozenset()
) -> tuple[Counter[str], Counter[str]]:
    """Word features (stems and adjacent pairs) and character n-grams of a token list."""
    words: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for token in tokens:
        weight = STOP_WEIGHT if token in stopwords else 1.0
        words[token] += weight
        padded = f"<{token}>"
        for size in CHAR_SIZES:
            for i in range(len(padded) - size + 1):
                chars["#" + padded[i : i + size]] += weight  # "#": never a word feature
    words.update(f"{a} {b}" for a, b in pairwise(tokens))
    return words, chars


@dataclass
class Postings:
    """A sparse matrix stored by feature: the rows (phrasings or entries) that hold it."""

    start: np.ndarray  # feature -> offset into rows/values; length features + 1
    rows: np.ndarray
    values: np.ndarray
    size: int  # number of rows

    @classmethod
    def build(cls, vectors: Sequence[Vector], feature_count: int) -> Postings:
        """Invert row vectors into per-feature postings."""
        ids = np.concatenate([v[0] for v in vectors]) if vectors else np.zeros(0, np.int64)
        values = np.concatenate([v[1] for v in vectors]) if vectors else np.zeros(0, np.float32)
        rows = np.repeat(np.arange(len(vectors)), [len(v[0]) for v in vectors])
        order = np.argsort(ids, kind="stable")
        counts = np.bincount(ids, minlength=feature_count)
        start = np.zeros(feature_count + 1, np.int64)
        np.cumsum(counts, out=start[1:])
        return cls(
            start, rows[order].astype(np.int32), values[order].astype(np.float32), len(vectors)
        )

    @classmethod
    def from_arrays(
        cls,
        features: np.ndarray,
        rows: np.ndarray,
        values: np.ndarray,
        feature_count: int,
        size: int,
    ) -> Postings:
        """Postings from (feature, row, value) triples."""
        order = np.argsort(features, kind="stable")
        counts = np.bincount(features, minlength=feature_count)
        start = np.zeros(feature_count + 1, np.int64)
        np.cumsum(counts, out=start[1:])
        return cls(start, rows[order].astype(np.int32), values[order].astype(np.float32), size)

    def dot(self, vector: Vector) -> np.ndarray:
        """The dot product of every row with one vector."""
        ids, weights = vector
        if len(ids) == 0:
            return np.zeros(self.size, np.float32)
        starts, ends = self.start[ids], self.start[ids + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(self.size, np.float32)
        # Gather every posting of the vector's features at once, without a Python loop.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        scale = np.repeat(weights, lengths)
        return np.bincount(
            self.rows[offsets], self.values[offsets] * scale, minlength=self.size
        ).astype(np.float32)


def sum_by_row(
    rows: np.ndarray, features: np.ndarray, values: np.ndarray, feature_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum values of equal (row, feature) pairs; rows must not decrease. Sorted by row, feature.

    Done in chunks of whole rows, so that memory stays a few times one chunk's, not the input's.
    """
    chunk = 1 << 20
    total = len(rows)
    # Written in place (there are never more sums than inputs; the result is a view of the first
    # `written`): a list of chunks joined at the end would hold the output twice.
    out_rows = np.empty(total, np.int32)
    out_features = np.empty(total, np.int32)
    out_values = np.empty(total, np.float32)
    start, written = 0, 0
    while start < total:
        end = min(total, start + chunk)
        if end < total:  # move the cut to the next row boundary
            end = int(np.searchsorted(rows, rows[end], side="left"))
            if end <= start:
                end = int(np.searchsorted(rows, rows[start], side="right"))
        part_rows = rows[start:end].astype(np.int64)
        keys, inverse = np.unique(
            part_rows * feature_count + features[start:end], return_inverse=True
        )
        done = written + len(keys)
        out_values[written:done] = np.bincount(inverse, values[start:end], minlength=len(keys))
        out_rows[written:done] = keys // feature_count
        out_features[written:done] = keys % feature_count
        written, start = done, end
    return out_rows[:written], out_features[:written], out_values[:written]


class Vectoriser:
    """Turns token lists into L2-normalised TF-IDF vectors over the vocabulary of the phrasings."""

    def __init__(
        self, phrasings: Sequence[Sequence[str]], stopwords: frozenset[str] = frozenset()
    ) -> None:
        self.stopwords = stopwords
        self.ids: dict[str, int] = {}
        is_char: list[bool] = []
        ids = self.ids

        def number(feature: str, char: bool) -> int:
            found = ids.get(feature)
            if found is None:
                found = ids[feature] = len(ids)
                is_char.append(char)
            return found

        # Every phrasing's features as (row, feature, contribution) triples, built with each
        # distinct token's n-grams worked out once: on 50,000 phrasings that is most of the work.
        # Each distinct token (and adjacent pair, "a b") is a piece whose features are worked out
        # once, into flat arrays; a phrasing is the list of its pieces' numbers, and all of them
        # are gathered at once with numpy: on 50,000 phrasings the pieces are most of the work.
        piece_of: dict[str, int] = {}
        piece_ids: list[int] = []
        piece_values: list[float] = []
        piece_starts: list[int] = [0]
        occurrences: list[int] = []  # piece numbers, phrasing after phrasing
        per_row: list[int] = []  # how many pieces each phrasing has

        def piece(key: str) -> int:
            found = piece_of.get(key)
            if found is not None:
                return found
            if " " in key:  # an adjacent pair: one word feature
                piece_ids.append(number(key, False))
                piece_values.append(1.0)
            else:
                words, chars = features([key], stopwords)
                piece_ids.extend([number(f, False) for f in words])
                piece_ids.extend([number(f, True) for f in chars])
                piece_values.extend([*words.values(), *chars.values()])
            piece_starts.append(len(piece_ids))
            found = piece_of[key] = len(piece_of)
            return found

        known = piece_of.get
        for tokens in phrasings:
            before = len(occurrences)
            occurrences.extend([n if (n := known(t)) is not None else piece(t) for t in tokens])
            for key in [f"{a} {b}" for a, b in pairwise(tokens)]:
                occurrences.append(n if (n := known(key)) is not None else piece(key))
            per_row.append(len(occurrences) - before)
        count = len(phrasings)
        size = max(len(ids), 1)
        starts = np.asarray(piece_starts, np.int64)
        used = np.asarray(occurrences, np.int64)
        lengths = starts[1:][used] - starts[:-1][used]
        total = int(lengths.sum())
        gather = np.repeat(starts[:-1][used] - np.cumsum(lengths) + lengths, lengths)
        gather += np.arange(total)
        del used
        row_of = np.repeat(
            np.repeat(np.arange(count, dtype=np.int32), np.asarray(per_row, np.int64)), lengths
        )
        feature_of = np.asarray(piece_ids, np.int32)[gather]
        amount = np.asarray(piece_values, np.float32)[gather]
        del gather, lengths
        key_row, key_feature, tf = sum_by_row(row_of, feature_of, amount, size)
        del row_of, feature_of, amount
        df = np.bincount(key_feature, minlength=len(ids))
        self.idf = (np.log((1 + count) / (1 + df)) + 1).astype(np.float32)
        # A word the knowledge base never saw says the message may be about something else, but
        # no more than a word seen once in its phrasings (not as much as an imaginary rarest one).
        self.unknown_idf = math.log((1 + count) / 2) + 1
        # Sublinear term frequency (1 + log tf); a lone stop word keeps its fraction.
        weight = tf
        whole = weight >= 1
        weight[whole] = 1 + np.log(weight[whole])
        del whole
        weight *= self.idf[key_feature]
        block = np.asarray(is_char, np.int8)[key_feature] if len(tf) else key_feature
        cell = key_row * 2 + block  # int32: fewer than a billion phrasings
        norms = np.sqrt(np.bincount(cell, weight.astype(np.float64) ** 2, minlength=2 * count))
        shares = np.array([math.sqrt(WORD_SHARE), math.sqrt(1 - WORD_SHARE)], np.float32)
        weight *= shares[block]
        weight /= np.where(norms > 0, norms, 1).astype(np.float32)[cell]
        del cell, block
        bounds = np.zeros(count + 1, np.int64)
        np.cumsum(np.bincount(key_row, minlength=count), out=bounds[1:])
        self.phrasings: list[Vector] = [
            (key_feature[bounds[n] : bounds[n + 1]], weight[bounds[n] : bounds[n + 1]])
            for n in range(count)
        ]

    @property
    def size(self) -> int:
        """Number of features."""
        return len(self.ids)

    def vector(self, tokens: Sequence[str]) -> tuple[Vector, float]:
        """The vector of a token list, and the share of its length that the KB does not know."""
        return self._vector(*features(tokens, self.stopwords))

    def _vector(self, words: Counter[str], chars: Counter[str]) -> tuple[Vector, float]:
        ids: list[int] = []
        weights: list[float] = []
        unknown_share = 0.0
        for block, share in ((words, WORD_SHARE), (chars, 1 - WORD_SHARE)):
            block_ids, block_weights, unknown = [], [], 0.0
            for feature, tf in block.items():
                weight = 1 + math.log(tf) if tf >= 1 else tf  # sublinear; a lone stop word: tf
                number = self.ids.get(feature)
                if number is None:
                    unknown += (weight * self.unknown_idf) ** 2
                else:
                    block_ids.append(number)
                    block_weights.append(weight * float(self.idf[number]))
            known = sum(w * w for w in block_weights)
            norm = math.sqrt(known + unknown)
            if norm == 0:
                continue
            ids.extend(block_ids)
            factor = math.sqrt(share) / norm
            weights.extend(w * factor for w in block_weights)
            unknown_share += share * unknown / (known + unknown)
        return (np.array(ids, np.int64), np.array(weights, np.float32)), unknown_share
