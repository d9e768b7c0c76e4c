"""Text normalisation for matching: Slack markup, contractions, synonyms, stemming, stop words."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

DROP_STOPWORDS = False  # kept, weighing less (faq.vectors.STOP_WEIGHT): "what is" vs "who is"
LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.yaml"

_MARKUP_HINT = re.compile(r"[<:`&]|https?://")
_USER_OR_CHANNEL = re.compile(r"<[@#][A-Z0-9]+(?:\|[^>]*)?>")
_SPECIAL_MENTION = re.compile(r"<![^>]*>")
_LABELLED_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>")
_BARE_LINK = re.compile(r"<(?:https?|mailto):[^>]*>|https?://\S+")
_EMOJI = re.compile(r":[a-z0-9_+'-]+:")
_CODE_FENCE = re.compile(r"```")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NAME = re.compile(r"(?<=[a-z0-9,;] )([A-Z][a-z]{2,})\b")


def strip_slack_markup(text: str) -> str:
    """Remove mentions, channel pings, link targets, emoji and formatting marks."""
    if not _MARKUP_HINT.search(text):
        return text
    text = _USER_OR_CHANNEL.sub(" ", text)
    text = _SPECIAL_MENTION.sub(" ", text)
    text = _LABELLED_LINK.sub(r" \1 ", text)
    text = _BARE_LINK.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = _CODE_FENCE.sub(" ", text)
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small, conservative suffix stripper: expired/expires/expire -> expir."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ing", "ed", "es", "s", "e"):
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            return word
        base = word[: -len(suffix)]
        if len(base) < 3:
            return word
        if (
            suffix in ("ing", "ed")
            and len(base) > 3
            and base[-1] == base[-2]
            and base[-1] not in "lsz"
        ):
            base = base[:-1]  # stopped -> stop, getting -> get
        return base
    return word


@dataclass(frozen=True)
class Analysis:
    """A message reduced to matching tokens, plus the small talk found in it."""

    tokens: tuple[str, ...]
    smalltalk: tuple[str, ...]  # kinds found: greeting, thanks, ack, bye
    words: tuple[str, ...]  # normalised surface words, before synonyms (for fuzzy comparison)

    @property
    def words_stemmed(self) -> tuple[str, ...]:
        """The stems of `words`, small talk included (how other systems' names are found)."""
        return tuple(stem(word) for word in self.words)


class Lexicon:
    """Generic English the matcher knows (faq/data/lexicon.yaml), compiled for fast use.

    Nothing here is about a product: what a knowledge base's own words mean comes from its
    `synonyms:` data (see `synonym_table`).
    """

    def __init__(self, data: Mapping[str, object]) -> None:
        _check_all_text(data, "lexicon")
        self.contractions: dict[str, str] = dict(data["contractions"])  # type: ignore[arg-type]
        stopwords: list[str] = data["stopwords"]  # type: ignore[assignment]
        self.stopwords = frozenset(stopwords) | {stem(w) for w in stopwords}
        smalltalk: Mapping[str, list[str]] = data["smalltalk"]  # type: ignore[assignment]
        self._smalltalk_map = {
            " ".join(self.normalise(phrase)): kind
            for kind, phrases in smalltalk.items()
            for phrase in phrases
        }
        # Greetings, thanks and goodbyes are set aside wherever they are; acknowledgements
        # ("ok", "no", "sure") only when they are the whole message: inside one they mean something.
        self._social = PhraseTable({p: k for p, k in self._smalltalk_map.items() if k != "ack"})
        self._acks = PhraseTable({p: k for p, k in self._smalltalk_map.items() if k == "ack"})
        raw_phrases = [*self._smalltalk_map, *stopwords]
        self.surface_words = frozenset(w for phrase in raw_phrases for w in self.normalise(phrase))

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        """Read a lexicon YAML file."""
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def stems(self, text: str) -> str:
        """The stemmed words of a phrase, space-separated (how synonym phrases are looked up)."""
        return " ".join(stem(word) for word in self.normalise(text))

    def synonym_table(self, synonyms: Mapping[str, Iterable[str]]) -> PhraseTable:
        """A knowledge base's synonyms as a phrase table: stemmed variant -> canonical token."""
        table: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            token = "_".join(self.normalise(canonical)) or canonical
            for variant in (canonical, *variants):
                table[self.stems(variant)] = token
        return PhraseTable(table)

    def normalise(self, text: str) -> list[str]:
        """Lowercase words of a message with markup, accents and contractions dealt with."""
        text = strip_slack_markup(text)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
        words: list[str] = []
        for word in _WORD.findall(text.lower()):
            expanded = self._expand(word)
            if expanded is word:
                words.append(word)
            else:
                words.extend(expanded.split())
        return words

    @staticmethod
    def names(text: str) -> frozenset[str]:
        """Capitalised words inside a sentence ("resend to Maria"): probably names, lowercased."""
        text = unicodedata.normalize("NFKC", strip_slack_markup(text))
        if text.upper() == text:
            return frozenset()  # ALL CAPS says nothing about names
        return frozenset(m.group(1).lower() for m in _NAME.finditer(text))

    def _expand(self, word: str) -> str:
        if "'" not in word and word not in self.contractions:
            return word
        if word in self.contractions:
            return self.contractions[word]
        if "'" in word:
            for suffix in ("n't", "'re", "'ve", "'ll", "'d", "'s", "'m"):
                if word.endswith(suffix):
                    return word[: -len(suffix)] + self.contractions.get(suffix, "")
            return word.replace("'", "")
        return word

    def analyse(self, words: Iterable[str], synonyms: PhraseTable | None = None) -> Analysis:
        """Turn normalised words into matching tokens: small talk out, synonyms in, stems."""
        words = tuple(words)
        kinds: list[str] = []
        remainder: list[str] = list(words)
        if self._social.may_match(remainder):
            remainder = []
            for value, span in self._social.scan(words):
                if value is None:
                    remainder.extend(span)
                else:
                    kinds.append(value)
        if self._acks.may_match(remainder):
            acks = self._acks.scan(remainder)
            leftover = [word for value, span in acks if value is None for word in span]
            if len(acks) > len(leftover) and all(word in self.stopwords for word in leftover):
                kinds.append("ack")
                remainder = leftover
        stemmed = [stem(word) for word in remainder]
        spans = synonyms.scan(stemmed) if synonyms is not None else [(None, (w,)) for w in stemmed]
        tokens: list[str] = []
        for value, span in spans:
            tokens.append(value if value is not None else span[0])
        if DROP_STOPWORDS:
            content = [t for t in tokens if t not in self.stopwords]
            # Stop words go, unless nothing would be left: "which day is it now" says something.
            tokens = content if content or kinds else tokens
        return Analysis(tokens=tuple(tokens), smalltalk=tuple(dict.fromkeys(kinds)), words=words)


def _check_all_text(value: object, where: str) -> None:
    # YAML reads a bare `no` or `on` as a boolean; insist on text so that never goes unnoticed.
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_all_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_all_text(item, where)
    elif not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError(f"{where}: {value!r} is not text; quote it in the YAML")


class PhraseTable:
    """Finds known phrases in a list of words, longest first, left to right."""

    def __init__(self, phrases: Mapping[str, str]) -> None:
        self._table = {tuple(phrase.split()): value for phrase, value in phrases.items() if phrase}
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self._table:
            lengths[key[0]].add(len(key))
        # Most words start no phrase: one dict lookup settles them.
        self._lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}

    def may_match(self, words: Iterable[str]) -> bool:
        """False when no word starts a known phrase (the common case, checked cheaply)."""
        return not self._lengths.keys().isdisjoint(words)

    def scan(self, words: Sequence[str]) -> list[tuple[str | None, tuple[str, ...]]]:
        """Split words into (value, phrase) for known phrases and (None, word) for the rest."""
        found: list[tuple[str | None, tuple[str, ...]]] = []
        table, starts, i, count = self._table, self._lengths, 0, len(words)
        while i < count:
            word = words[i]
            for length in starts.get(word, ()):
                if i + length > count:
                    continue
                key = tuple(words[i : i + length])
                value = table.get(key)
                if value is not None:
                    found.append((value, key))
                    i += length
                    break
            else:
                found.append((None, (word,)))
                i += 1
        return found


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with helpbot, loaded once per process."""
    return Lexicon.load()
