"""The frozen container of everything the entrypoints use, built by one bootstrap function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from faq import FaqStore


@dataclass(frozen=True)
class Services:
    """Shared, thread-safe services handed to the Slack app, the CLI and the tests."""

    settings: Settings
    faq: FaqStore
    domain: Any = None  # bot.domain.Domain (issue 3); None: the Slack app refuses admin actions


def build_services(settings: Settings) -> Services:
    """Build every service from settings (raises KnowledgeBaseInvalid on a broken FAQ)."""
    return Services(settings=settings, faq=FaqStore(settings.faq_path))
