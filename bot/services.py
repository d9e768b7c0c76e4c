"""The frozen container of everything the entrypoints use, built by one bootstrap function."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.domain import Clock, Domain, build_domain, system_clock
from faq import FaqStore


@dataclass(frozen=True)
class Services:
    """Shared, thread-safe services handed to the Slack app, the CLI and the tests."""

    settings: Settings
    faq: FaqStore
    domain: Domain


def build_services(settings: Settings, *, clock: Clock = system_clock) -> Services:
    """Build every service from settings (raises KnowledgeBaseInvalid on a broken FAQ)."""
    # The domain connects lazily: commands that never touch the database stay fast.
    return Services(
        settings=settings,
        faq=FaqStore(settings.faq_path),
        domain=build_domain(settings, clock=clock),
    )
