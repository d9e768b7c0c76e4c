"""The outbox on in-memory SQLite with a fake transport: backoff, giving up, the relay thread."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from bot.domain import OutboxRelay
from bot.domain.orm import OutboxMessage
from bot.domain.outbox import RetryPolicy
from tests.domain_support import MIA, TOM


def test_backoff_doubles_up_to_an_hour():
    retry = RetryPolicy()
    delays = [retry.delay_after(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert delays[-1] == timedelta(hours=1)


def row(memory_database) -> OutboxMessage:
    with memory_database.session_factory() as session:
        return session.scalars(select(OutboxMessage)).one()


def test_a_failure_is_recorded_and_retried_later(domain, memory_database, transport, clock):
    domain.resend_invitation(MIA, TOM)
    transport.fail_next(ConnectionError("mail server down"))
    assert domain.deliver_outbox() == 0
    failed = row(memory_database)
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.last_error == "ConnectionError: mail server down"
    assert failed.next_attempt_at == clock() + timedelta(seconds=30)
    clock.advance(seconds=30)
    assert domain.deliver_outbox() == 1
    assert row(memory_database).status == "sent"
    assert len(transport.sent) == 1


def test_a_claimed_message_is_left_alone_by_other_deliverers(domain, transport):
    domain.resend_invitation(MIA, TOM)
    entered, release = threading.Event(), threading.Event()
    original_send = transport.send

    def slow_send(message):
        entered.set()
        release.wait(5)
        original_send(message)

    transport.send = slow_send  # type: ignore[method-assign]
    worker = threading.Thread(target=domain.deliver_outbox)
    worker.start()
    assert entered.wait(5)
    assert domain.deliver_outbox() == 0  # leased by the first deliverer
    release.set()
    worker.join(5)
    assert len(transport.sent) == 1


def test_the_relay_keeps_going_after_an_error_and_stops_on_request():
    calls: list[int] = []
    delivered = threading.Event()

    def deliver() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database briefly unavailable")
        delivered.set()
        return 0

    relay = OutboxRelay(deliver, interval=0.01).start()
    assert delivered.wait(5)
    relay.stop()
    assert not relay.running
