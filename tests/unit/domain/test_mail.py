"""Email composition and the transports (SMTP URL parsing, log, memory)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from bot.domain import LogTransport, MemoryTransport, SmtpTransport
from bot.domain.mail import (
    invitation_email,
    invitation_link,
    password_reset_email,
    reset_link,
)
from bot.domain.model import InvitationKind

EXPIRES = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_links_are_built_from_the_app_url():
    assert invitation_link("https://app.test/", "T") == "https://app.test/invite/T"
    assert reset_link("https://app.test", "T") == "https://app.test/reset-password/T"


def test_a_mobile_invitation_email():
    email = invitation_email(
        to="pat@a.test",
        name="Pat",
        account="Acme",
        sender="Mo",
        kind=InvitationKind.MOBILE,
        require_sms=True,
        link="https://app.test/invite/T",
        expires_at=EXPIRES,
    )
    assert email.subject == "Your invitation to the SMB mobile app"
    assert "Mo sent you an invitation to the SMB mobile app (Acme)" in email.body
    assert "https://app.test/invite/T" in email.body
    assert "text message with a code" in email.body
    assert "expires on 2026-12-04" in email.body
    assert "Your username is your email address: pat@a.test" in email.body


def test_a_web_invitation_email_asks_to_create_a_password():
    email = invitation_email(
        to="pat@a.test",
        name="Pat",
        account="Acme",
        sender="Mo",
        kind=InvitationKind.WEB,
        require_sms=False,
        link="L",
        expires_at=EXPIRES,
    )
    assert "create a password" in email.body
    assert "username is your email address" in email.body
    assert "text message" not in email.body


def test_a_password_reset_email():
    email = password_reset_email(
        to="pat@a.test", name="Pat", requested_by=None, link="L", expires_at=EXPIRES
    )
    assert email.subject == "Reset your SMB app password"
    assert "You asked" in email.body
    assert "works once and expires at 2026-12-04 09:00 UTC" in email.body
    assert "resend a mobile invitation to yourself" in email.body
    assert "If you did not ask for this" in email.body


def test_a_password_reset_email_a_manager_asked_for_says_whom_to_ask():
    email = password_reset_email(
        to="pat@a.test", name="Pat", requested_by="sam@a.test", link="L", expires_at=EXPIRES
    )
    assert "sam@a.test asked for a link" in email.body
    assert "If you did not ask for this" not in email.body
    assert "If you don't expect this, ask sam@a.test or ignore this email." in email.body


@pytest.mark.parametrize(
    ("url", "tls", "host", "port", "user"),
    [
        ("smtp://mail.test", False, "mail.test", 25, None),
        ("smtp://127.0.0.1:2525", False, "127.0.0.1", 2525, None),
        ("smtps://u%40x:p%2Fw@mail.test", True, "mail.test", 465, "u@x"),
    ],
)
def test_smtp_urls(url, tls, host, port, user):
    transport = SmtpTransport(url)
    assert (transport.use_tls, transport.host, transport.port, transport.username) == (
        tls,
        host,
        port,
        user,
    )
    assert "p/w" not in repr(transport)


@pytest.mark.parametrize("url", ["http://mail.test", "smtp://", "mail.test:25"])
def test_bad_smtp_urls_are_refused(url):
    with pytest.raises(ValueError, match="smtp://host:port"):
        SmtpTransport(url)


def message(to: str = "pat@a.test") -> EmailMessage:
    msg = EmailMessage()
    msg["To"] = to
    msg["Subject"] = "Hello"
    msg.set_content("the body")
    return msg


def test_without_smtp_the_email_goes_to_the_log(caplog):
    with caplog.at_level(logging.INFO, logger="bot.domain.mail"):
        LogTransport().send(message())
    assert "To: pat@a.test" in caplog.text
    assert "the body" in caplog.text


def test_the_memory_transport_can_fail_on_demand():
    transport = MemoryTransport()
    transport.fail_next(OSError("down"))
    with pytest.raises(OSError, match="down"):
        transport.send(message())
    transport.send(message())
    assert len(transport.sent) == 1
