"""build_services wires the domain from settings: database, mail transport, limits."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings
from bot.domain import LogTransport, SmtpTransport
from bot.services import build_services


def test_without_smtp_url_emails_go_to_the_log(tmp_path):
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    services = build_services(settings)
    assert isinstance(services.domain.transport, LogTransport)
    # Nothing connects until the database is used.
    assert not (tmp_path / "x.db").exists()
    assert not services.domain.schema_is_current()


def test_with_smtp_url_emails_go_over_smtp():
    settings = Settings.from_env({"SMTP_URL": "smtp://mail.example.test:2525"})
    transport = build_services(settings).domain.transport
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port) == ("mail.example.test", 2525)


def test_a_malformed_smtp_url_stops_start_up_naming_it():
    with pytest.raises(ConfigError, match="SMTP_URL must look like smtp://host:port"):
        Settings.from_env({"SMTP_URL": "mail.example.test:25"})
