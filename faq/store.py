"""Holds the current knowledge base and matcher; reloads safely, keeping the last good version."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faq.loader import KnowledgeBaseInvalid, faq_files, load_knowledge_base
from faq.matcher import Matcher
from faq.model import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """One loaded version of the knowledge base and the matcher built on it."""

    knowledge_base: KnowledgeBase
    matcher: Matcher
    fingerprint: tuple[tuple[str, int, int], ...]


class FaqStore:
    """Serves the last good knowledge base; `refresh()` reloads when files changed."""

    def __init__(
        self,
        path: Path,
        *,
        check_interval: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._check_interval = check_interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._last_check = monotonic()
        self._snapshot = self._load(self._fingerprint())  # invalid at start-up: raise

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        try:
            files = faq_files(self.path)
            return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
        except OSError:
            return ()

    def _load(self, fingerprint: tuple[tuple[str, int, int], ...]) -> Snapshot:
        knowledge_base = load_knowledge_base(self.path)
        return Snapshot(knowledge_base, Matcher(knowledge_base), fingerprint)

    @property
    def snapshot(self) -> Snapshot:
        """The current version; checks for changed files at most every `check_interval` s."""
        now = self._monotonic()
        if now - self._last_check >= self._check_interval:
            self._last_check = now
            self.refresh()
        return self._snapshot

    @property
    def knowledge_base(self) -> KnowledgeBase:
        """The current knowledge base."""
        return self.snapshot.knowledge_base

    @property
    def matcher(self) -> Matcher:
        """The matcher over the current knowledge base."""
        return self.snapshot.matcher

    def refresh(self, *, force: bool = False) -> bool:
        """Reload if the files changed (or always, with force); True if a new version is live."""
        with self._lock:
            fingerprint = self._fingerprint()
            if not force and fingerprint == self._snapshot.fingerprint:
                return False
            try:
                snapshot = self._load(fingerprint)
            except KnowledgeBaseInvalid as exc:
                log.error("FAQ reload failed; still serving the previous version.\n%s", exc)
                # Remember the broken fingerprint so the log is not flooded until it changes again.
                self._snapshot = Snapshot(
                    self._snapshot.knowledge_base, self._snapshot.matcher, fingerprint
                )
                return False
            self._snapshot = snapshot
            log.info("FAQ reloaded: %d entries from %s", len(snapshot.knowledge_base), self.path)
            return True
