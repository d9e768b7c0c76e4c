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

from bot.domain import OutboxRelay, SmtpTransport, outbox
from bot.domain.orm import Invitation, OutboxMessage
from bot.domain.outbox import RetryPolicy
from tests.domain_support import APP_URL, MIA, TOM, build_directory, make_domain


class Inbox:
    """An aiosmtpd handler keeping what it receives (and answering QUIT as told)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []
        self.quit_reply: str | None = None  # e.g. "421 closing": the message was accepted

    async def handle_QUIT(self, server, session, envelope):
        return self.quit_reply or "221 Bye"

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


def test_b7_a_message_the_server_accepted_is_sent_even_if_quit_fails(smtp_domain, smtp, clock):
    smtp.start()
    smtp.inbox.quit_reply = "421 4.3.2 Service shutting down"
    smtp_domain.request_password_reset(TOM)
    assert smtp_domain.deliver_outbox() == 1
    for _ in range(3):  # every retry that would have come
        clock.advance(hours=1)
        assert smtp_domain.deliver_outbox() == 0
    assert len(smtp.inbox.messages) == 1


def claim_as_another_relay(database, clock, retry: RetryPolicy):
    """What a relay leases before it sends (as deliver_outbox does in one step)."""
    return outbox.claim_due(database.session_factory, clock(), 50, retry, "helpbot@example.test")


def test_b7_a_relay_whose_lease_ran_out_does_not_send_what_another_relay_took(
    smtp_domain, smtp, database, clock
):
    smtp.start()
    retry = RetryPolicy()
    smtp_domain.request_password_reset(TOM)
    slow = claim_as_another_relay(database, clock, retry)  # relay A leases the message
    clock.advance(seconds=retry.lease.total_seconds() + 1)  # …and is slow past its lease
    assert smtp_domain.deliver_outbox() == 1  # relay B takes the message over and sends it
    transport = SmtpTransport(smtp.url, timeout=5)
    sent = outbox.send_claimed(database.session_factory, transport, slow, clock=clock, retry=retry)
    assert sent == 0  # relay A no longer holds the lease: it sends nothing and marks nothing
    assert len(smtp.inbox.messages) == 1
    [row] = outbox_rows(database)
    assert (row.status, row.attempts) == ("sent", 2)


def test_b7_a_relay_whose_lease_ran_out_unclaimed_renews_it_and_sends_once(
    smtp_domain, smtp, database, clock
):
    smtp.start()
    retry = RetryPolicy()
    smtp_domain.request_password_reset(TOM)
    slow = claim_as_another_relay(database, clock, retry)
    clock.advance(seconds=retry.lease.total_seconds() + 1)  # nobody took it in the meantime
    transport = SmtpTransport(smtp.url, timeout=5)
    sent = outbox.send_claimed(database.session_factory, transport, slow, clock=clock, retry=retry)
    assert sent == 1
    assert smtp_domain.deliver_outbox() == 0
    assert len(smtp.inbox.messages) == 1
