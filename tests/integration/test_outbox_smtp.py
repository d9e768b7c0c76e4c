"""Email delivery over SMTP to a real server on loopback (aiosmtpd), with retries and backoff."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from bot.domain import OutboxRelay, SmtpTransport
from bot.domain.orm import Invitation, OutboxMessage
from bot.domain.outbox import RetryPolicy
from tests.domain_support import APP_URL, MIA, TOM, build_directory, make_domain


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A loopback SMTP server that can be started after the test has begun."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_domain(database, clock, smtp):
    build_directory(database.session_factory, clock())
    return make_domain(database, clock, SmtpTransport(smtp.url, timeout=5))


def outbox_rows(database) -> list[OutboxMessage]:
    with database.session_factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def count_invitations(database) -> int:
    with database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Invitation))


def test_an_invitation_is_delivered_over_smtp(smtp_domain, smtp):
    smtp.start()
    smtp_domain.resend_invitation(MIA, TOM)
    assert smtp_domain.deliver_outbox() == 1
    assert smtp_domain.deliver_outbox() == 0
    [(sender, recipients, message)] = smtp.inbox.messages
    assert sender == "helpbot@example.test"
    assert recipients == [TOM]
    assert message["Subject"] == "Your invitation to the SMB mobile app"
    assert message["Message-ID"].startswith("<helpbot-outbox-")
    assert f"{APP_URL}/invite/" in message.get_payload(decode=True).decode()


def test_a_failed_delivery_is_retried_with_backoff_and_never_repeats_the_change(
    smtp_domain, smtp, database, clock
):
    invitations_before = count_invitations(database)
    smtp_domain.resend_invitation(MIA, TOM)  # the SMTP server is not running yet
    assert smtp_domain.deliver_outbox() == 0
    [row] = outbox_rows(database)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.next_attempt_at == clock() + timedelta(seconds=30)
    assert smtp_domain.deliver_outbox() == 0  # not due yet
    assert outbox_rows(database)[0].attempts == 1

    clock.advance(seconds=30)
    assert smtp_domain.deliver_outbox() == 0
    assert outbox_rows(database)[0].next_attempt_at == clock() + timedelta(seconds=60)

    smtp.start()
    clock.advance(seconds=60)
    assert smtp_domain.deliver_outbox() == 1
    [row] = outbox_rows(database)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert len(smtp.inbox.messages) == 1
    assert count_invitations(database) == invitations_before + 1
    assert smtp_domain.get_user_card(MIA, TOM).invitation.startswith("mobile invitation pending")


def test_delivery_gives_up_after_the_last_attempt(database, clock, smtp):
    build_directory(database.session_factory, clock())
    retry = RetryPolicy(max_attempts=2)
    domain = make_domain(database, clock, SmtpTransport(smtp.url, timeout=5), retry=retry)
    domain.request_password_reset(TOM)
    domain.deliver_outbox()
    clock.advance(hours=1)
    domain.deliver_outbox()
    [row] = outbox_rows(database)
    assert (row.status, row.attempts) == ("failed", 2)
    smtp.start()
    clock.advance(hours=1)
    assert domain.deliver_outbox() == 0
    assert smtp.inbox.messages == []


def test_the_relay_thread_delivers_soon_after_a_change(smtp_domain, smtp):
    smtp.start()
    relay: OutboxRelay = smtp_domain.start_outbox_relay(interval=30)
    try:
        smtp_domain.resend_invitation(MIA, TOM)  # wakes the relay: no 30 s wait
        deadline = time.monotonic() + 10
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        relay.stop()
    assert not relay.running
    assert len(smtp.inbox.messages) == 1
