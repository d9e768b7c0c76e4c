"""Build a `Domain` from settings: the engine, the session factory and the mail transport."""

from __future__ import annotations

from typing import Protocol

from bot.domain.db import create_engine_for, make_session_factory
from bot.domain.facade import Domain
from bot.domain.mail import LogTransport, MailTransport, SmtpTransport
from bot.domain.model import Clock, system_clock


class DomainSettings(Protocol):
    """The settings the domain reads (bot.config.Settings has them all)."""

    database_url: str
    smtp_url: str | None
    mail_from: str
    app_url: str
    invitation_limit_per_hour: int
    reset_limit_per_hour: int


def transport_for(smtp_url: str | None) -> MailTransport:
    """SMTP when SMTP_URL is set, else the log."""
    return SmtpTransport(smtp_url) if smtp_url else LogTransport()


def build_domain(settings: DomainSettings, *, clock: Clock = system_clock) -> Domain:
    """A Domain on DATABASE_URL; connects lazily, so commands without a database stay fast."""
    engine = create_engine_for(settings.database_url)
    return Domain(
        make_session_factory(engine),
        clock=clock,
        transport=transport_for(settings.smtp_url),
        app_url=settings.app_url,
        mail_from=settings.mail_from,
        invitation_limit_per_hour=settings.invitation_limit_per_hour,
        reset_limit_per_hour=settings.reset_limit_per_hour,
    )
