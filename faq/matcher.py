"""Match a raw Slack message to the best FAQ entry, or decide to clarify, fall back or chat.

Scoring, in short (README "How the matcher works" has the long form):
1. The message is normalised (Slack markup, contractions), words unknown to the knowledge base
   are corrected to the closest known word with rapidfuzz, small talk is set aside, synonyms
   become concept tokens and the remaining words are stemmed (faq.text).
2. Each token weighs its inverse document frequency over entries, so that rare, meaningful
   words ("primary contact", "expired") count more than common ones. A word no entry knows
   weighs as much as the rarest known word (it may be what the message is really about), but
   n of them weigh sqrt(n) times one, so context adds up slowly. Naming another system
   ("my VPN password") weighs most of all and belongs to no entry.
3. For each entry: the best phrasing's weighted F-score (coverage of the message, counted
   twice as much as coverage of the phrasing) blended with how much of the message the entry's
   whole vocabulary explains.
4. The outcome follows from the top scores and the thresholds in `Thresholds`.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from faq.model import Entry, KnowledgeBase
from faq.text import ELSEWHERE, Analysis, Lexicon, default_lexicon

CANDIDATE_LIMIT = 500  # phrasings scored in full before common words only refine them
SHORTLIST = 50  # entries whose whole vocabulary is compared with the message


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


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the 0-100 score; chosen as documented in the README."""

    answer: float = 62.0  # at or above, with no close competitor: answer
    clarify: float = 40.0  # below: fall back; at or above but not an answer: offer choices
    margin: float = 10.0  # entries within this of the best are "close"
    lead: float = 20.0  # ahead of the runner-up by this much (and above `clarify`): answer
    max_choices: int = 3


@dataclass(frozen=True)
class Weights:
    """How the parts of the score combine; see the module docstring."""

    beta: float = 2.0  # query coverage counts beta times as much as phrasing coverage
    phrasing: float = 0.7
    vocabulary: float = 0.3
    unknown_word: float = 1.0  # multiple of the highest inverse document frequency
    unknown_exponent: float = 0.5  # n unknown words weigh n**exponent times one
    elsewhere: float = 2.5  # multiple of the highest idf for "about another system"
    weak_word: float = 0.35
    typo_cutoff: float = 82.0  # rapidfuzz ratio needed to correct an unknown word


@dataclass
class _Index:
    entries: tuple[Entry, ...]
    phrasing_entry: list[int] = field(default_factory=list)
    phrasing_tokens: list[frozenset[str]] = field(default_factory=list)
    phrasing_mass: list[float] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    entry_vocab: list[frozenset[str]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    document_frequency: dict[str, int] = field(default_factory=dict)
    words_by_initial: dict[str, list[str]] = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()


class Matcher:
    """Scores messages against a knowledge base; build once, call `match` from any thread."""

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        *,
        lexicon: Lexicon | None = None,
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
    ) -> None:
        self.knowledge_base = knowledge_base
        self.lexicon = lexicon or default_lexicon()
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        self._index = self._build(knowledge_base)
        self._corrections: dict[str, str] = {}

    def _build(self, kb: KnowledgeBase) -> _Index:
        index = _Index(entries=tuple(kb))
        surface: set[str] = set(self.lexicon.surface_words)
        document_frequency: dict[str, int] = defaultdict(int)
        analysed: list[list[frozenset[str]]] = []
        for entry in index.entries:
            phrasings = []
            for text in entry.phrasings:
                words = self.lexicon.normalise(text)
                surface.update(words)
                # Entries are about the app by definition: "elsewhere" is never their evidence.
                phrasings.append(frozenset(self.lexicon.analyse(words).tokens) - {ELSEWHERE})
            tag_tokens = [
                self.lexicon.analyse(self.lexicon.normalise(tag)).tokens for tag in entry.tags
            ]
            vocab = frozenset().union(*phrasings, *map(frozenset, tag_tokens))
            index.entry_vocab.append(vocab)
            for token in vocab:
                document_frequency[token] += 1
            analysed.append(phrasings)
        count = max(len(index.entries), 1)
        index.idf = {t: math.log(1 + count / df) for t, df in document_frequency.items()}
        index.document_frequency = dict(document_frequency)
        self._max_idf = math.log(1 + count)
        for entry_number, phrasings in enumerate(analysed):
            for tokens in phrasings:
                if not tokens:
                    continue
                number = len(index.phrasing_tokens)
                index.phrasing_entry.append(entry_number)
                index.phrasing_tokens.append(tokens)
                index.phrasing_mass.append(sum(self._weight(t, index.idf) for t in tokens))
                for token in tokens:
                    index.postings[token].append(number)
        index.postings = dict(index.postings)
        index.known_words = frozenset(surface)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(surface):
            if len(word) >= 4:
                by_initial[word[0]].append(word)
        index.words_by_initial = dict(by_initial)
        return index

    def _weight(self, token: str, idf: dict[str, float]) -> float:
        if token == ELSEWHERE:
            return self.weights.elsewhere * self._max_idf
        weight = idf.get(token, self.weights.unknown_word * self._max_idf)
        if token in self.lexicon.weak_words:
            weight *= self.weights.weak_word
        return weight

    def correct(self, word: str) -> str:
        """The known word closest to an unknown one (typo correction), or the word itself."""
        index = self._index
        if word in index.known_words or len(word) < 4 or not word.isalpha():
            return word
        if (cached := self._corrections.get(word)) is not None:
            return cached
        found = process.extractOne(
            word,
            index.words_by_initial.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=self.weights.typo_cutoff,
        )
        corrected = found[0] if found else word
        if len(self._corrections) < 50_000:
            self._corrections[word] = corrected
        return corrected

    def analyse(self, text: str) -> Analysis:
        """Normalise, correct and tokenise a message as the matcher sees it."""
        known = self._index.known_words
        names = self.lexicon.names(text)
        words = [
            self.correct(word)
            for word in self.lexicon.normalise(text)
            if word in known or word not in names  # "resend to Maria": Maria is not the topic
        ]
        return self.lexicon.analyse(words)

    def scores(self, analysis: Analysis) -> list[Alternative]:
        """Every entry sharing a token with the message, scored 0-100, best first."""
        index = self._index
        tokens = set(analysis.tokens)
        if not tokens:
            return []
        weights = {t: self._weight(t, index.idf) for t in tokens}
        unknown = [t for t in tokens if t not in index.idf and t != ELSEWHERE]
        # Context words nobody knows ("Dana started monday") add up slowly, not one by one.
        unknown_mass = sum(weights[t] for t in unknown)
        if unknown:
            unknown_mass *= len(unknown) ** (self.weights.unknown_exponent - 1)
        total = sum(w for t, w in weights.items() if t not in unknown) + unknown_mass
        shared = self._shared_mass(tokens, weights)
        if not shared:
            return []
        # On a large knowledge base, a phrasing sharing less than half the best shared weight
        # explains less than half as much of the message: it cannot come out on top.
        floor = max(shared.values()) * 0.5 if len(shared) > CANDIDATE_LIMIT else 0.0
        beta2 = self.weights.beta**2
        best_f: dict[int, float] = {}
        for phrasing, mass in shared.items():
            if mass < floor:
                continue
            query_cover = mass / total
            phrasing_cover = mass / index.phrasing_mass[phrasing]
            f = (1 + beta2) * query_cover * phrasing_cover / (beta2 * phrasing_cover + query_cover)
            entry_number = index.phrasing_entry[phrasing]
            if f > best_f.get(entry_number, 0.0):
                best_f[entry_number] = f
        if len(best_f) > SHORTLIST:
            best_f = dict(heapq.nlargest(SHORTLIST, best_f.items(), key=lambda item: item[1]))
        results = []
        for entry_number, f in best_f.items():
            vocab = index.entry_vocab[entry_number]
            evidence = tuple(sorted(t for t in tokens if t in vocab))
            vocab_cover = sum(weights[t] for t in evidence) / total
            score = 100 * (self.weights.phrasing * f + self.weights.vocabulary * vocab_cover)
            results.append(Alternative(index.entries[entry_number], round(score, 1), evidence))
        results.sort(key=lambda a: (-a.score, a.entry.id))
        return results

    def _shared_mass(self, tokens: set[str], weights: dict[str, float]) -> dict[int, float]:
        # Rarest tokens first. Once there are plenty of candidates, a common token only adds to
        # candidates already found instead of walking its long postings list: on a large
        # knowledge base that keeps a match within a few milliseconds.
        index = self._index
        shared: dict[int, float] = {}
        for token in sorted(tokens, key=lambda t: -weights[t]):
            postings = index.postings.get(token)
            if not postings:
                continue
            weight = weights[token]
            if len(shared) >= CANDIDATE_LIMIT and len(postings) > len(shared):
                phrasing_tokens = index.phrasing_tokens
                for phrasing in shared:
                    if token in phrasing_tokens[phrasing]:
                        shared[phrasing] += weight
            else:
                for phrasing in postings:
                    shared[phrasing] = shared.get(phrasing, 0.0) + weight
        return shared

    def match(self, text: str) -> Match:
        """Decide how to respond to one raw message."""
        analysis = self.analyse(text)
        return self.judge(text, analysis, self.scores(analysis))

    def judge(self, text: str, analysis: Analysis, ranked: list[Alternative]) -> Match:
        """Turn an analysed message and its ranked candidates into an outcome."""
        limits = self.thresholds
        best = ranked[0] if ranked else None
        # Small talk around a real question ("hi, I forgot my password") is a question.
        if analysis.smalltalk and not analysis.tokens:
            return Match(text, Outcome.SMALLTALK, None, 0.0, smalltalk=analysis.smalltalk[0])
        if best is None or best.score < limits.clarify:
            score = best.score if best else 0.0
            return Match(text, Outcome.FALLBACK, None, score, alternatives=tuple(ranked[:3]))
        close = [a for a in ranked[: limits.max_choices] if best.score - a.score < limits.margin]
        alternatives = tuple(ranked[1:4])
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # A clear lead counts only with two pieces of evidence: one shared word is too little.
        clear_lead = best.score - runner_up >= limits.lead and len(best.evidence) >= 2
        # A message naming another system ("my VPN password") is at most a "did you mean", and
        # so is one whose only evidence is a word that several entries share ("site manager").
        about_elsewhere = ELSEWHERE in analysis.tokens
        thin = len(best.evidence) == 1 and self._index.document_frequency[best.evidence[0]] > 1
        confident = best.score >= limits.answer or clear_lead
        if len(close) == 1 and confident and not about_elsewhere and not thin:
            return Match(text, Outcome.ANSWER, best.entry, best.score, alternatives)
        return Match(text, Outcome.CLARIFY, best.entry, best.score, alternatives, tuple(close))
