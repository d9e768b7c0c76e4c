"""Frozen data classes of the knowledge base: entries and the collection of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

AUDIENCES = ("everyone", "managers")

# Admin and self-service actions an answer can offer; the Slack app renders them as buttons
# and the domain decides who may use them.
ACTIONS: Mapping[str, str] = MappingProxyType(
    {
        "reset_password": "Email me a password reset link",
        "reinvite": "Send a new invitation…",
        "set_role": "Change role to Install Technician…",
        "delete_technician": "Delete a technician…",
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One FAQ entry: a canonical question, the ways people ask it, and its answer."""

    id: str
    question: str
    answer: str
    category: str
    alternate_questions: tuple[str, ...] = ()
    audience: str = "everyone"
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    updated: date | None = None
    source: str = ""  # "file:line" where the entry starts, for error messages

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question followed by every alternate question."""
        return (self.question, *self.alternate_questions)


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """Questions the bot must not answer from the FAQ, and where to go instead."""

    topic: str
    examples: tuple[str, ...] = ()  # questions like the ones to turn away
    terms: tuple[str, ...] = ()  # names of other systems: a message naming one is never answered
    pointer: str = ""  # "Ask IT in #it-help", shown with the fallback
    source: str = ""  # "file:line", for error messages


@dataclass(frozen=True)
class KnowledgeBase:
    """An ordered, validated collection of entries, indexed by id, with the KB's own lexicon."""

    entries: tuple[Entry, ...]
    # The product's vocabulary: canonical term -> the words people use for it ("pw" -> password).
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    out_of_scope: tuple[OutOfScope, ...] = ()
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({e.id: e for e in self.entries}))

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    def categories(self) -> dict[str, list[Entry]]:
        """Entries grouped by category, in file order."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.category, []).append(entry)
        return grouped
