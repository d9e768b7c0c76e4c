"""The transactional outbox: emails written with the change they report, delivered with retries."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.db import SessionFactory, UnitOfWork
from bot.domain.mail import Email, MailTransport
from bot.domain.model import Clock
from bot.domain.orm import OutboxMessage

log = logging.getLogger(__name__)

# The body holds a single-use link; once delivered, the database need not keep it.
DELIVERED_BODY = "(delivered; the body is removed because it held a single-use link)"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff between attempts, then give up (status 'failed')."""

    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    # While one deliverer sends a message, others leave it alone for this long.
    lease: timedelta = timedelta(minutes=5)

    def delay_after(self, attempts: int) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt."""
        return min(self.first_delay * (2 ** max(attempts - 1, 0)), self.max_delay)


@dataclass(frozen=True)
class Claimed:
    """A message leased by one relay: its row, which attempt this is, and the email."""

    message_id: int
    attempt: int
    message: EmailMessage


def enqueue(session: Session, email: Email, now: datetime) -> None:
    """Write an email to the outbox in the caller's transaction."""
    session.add(
        OutboxMessage(
            created_at=now,
            recipient=email.to,
            subject=email.subject,
            body=email.body,
            status="pending",
            attempts=0,
            next_attempt_at=now,
        )
    )


def deliver(
    session_factory: SessionFactory,
    transport: MailTransport,
    *,
    clock: Clock,
    mail_from: str,
    limit: int = 50,
    retry: RetryPolicy | None = None,
) -> int:
    """Send due messages; returns how many were sent. Never touches the domain's tables."""
    retry = retry or RetryPolicy()
    claimed = claim_due(session_factory, clock(), limit, retry, mail_from)
    return send_claimed(session_factory, transport, claimed, clock=clock, retry=retry)


def send_claimed(
    session_factory: SessionFactory,
    transport: MailTransport,
    claimed: list[Claimed],
    *,
    clock: Clock,
    retry: RetryPolicy,
) -> int:
    """Send messages leased by `claim_due`; returns how many were sent."""
    sent = 0
    for lease in claimed:
        # An earlier message may have been slow: send only what this relay still holds.
        if not _renew_lease(session_factory, lease, clock(), retry):
            log.info("email %s is no longer leased by this relay; not sending it", lease.message_id)
            continue
        try:
            transport.send(lease.message)
        except Exception as exc:
            _record_failure(session_factory, lease, exc, clock(), retry)
        else:
            _record_success(session_factory, lease.message_id, clock())
            sent += 1
    return sent


def _renew_lease(
    session_factory: SessionFactory, lease: Claimed, now: datetime, retry: RetryPolicy
) -> bool:
    """True (and the lease extended) if the message is still pending and nobody re-claimed it."""
    with UnitOfWork(session_factory) as uow:
        row = uow.session.get(OutboxMessage, lease.message_id, with_for_update=True)
        if row is None or row.status != "pending" or row.attempts != lease.attempt:
            return False
        row.next_attempt_at = now + retry.lease
        uow.commit()
        return True


def claim_due(
    session_factory: SessionFactory, now: datetime, limit: int, retry: RetryPolicy, mail_from: str
) -> list[Claimed]:
    """Lease the due messages for `retry.lease`: other relays leave them alone meanwhile."""
    # A short transaction that leases the rows: a second deliverer (another thread, process or
    # server) skips locked rows on PostgreSQL, and sees them as not yet due on SQLite.
    with UnitOfWork(session_factory) as uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + retry.lease
            claimed.append(Claimed(row.id, row.attempts, _as_email_message(row, now, mail_from)))
        uow.commit()
    return claimed


def _as_email_message(row: OutboxMessage, now: datetime, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    # The same Message-ID on every attempt lets mail systems drop a rare duplicate.
    message["Message-ID"] = f"<helpbot-outbox-{row.id}@helpbot.invalid>"
    message.set_content(row.body)
    return message


def _record_success(session_factory: SessionFactory, message_id: int, now: datetime) -> None:
    # Recorded even if another relay re-claimed the message meanwhile: it was delivered, and
    # marking it sent stops that relay from sending it again.
    with UnitOfWork(session_factory) as uow:
        row = uow.session.get(OutboxMessage, message_id, with_for_update=True)
        if row is not None and row.status == "pending":
            row.status = "sent"
            row.sent_at = now
            row.last_error = None
            row.body = DELIVERED_BODY
            uow.commit()


def _record_failure(
    session_factory: SessionFactory,
    lease: Claimed,
    error: Exception,
    now: datetime,
    retry: RetryPolicy,
) -> None:
    message_id = lease.message_id
    with UnitOfWork(session_factory) as uow:
        row = uow.session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None or row.status != "pending" or row.attempts != lease.attempt:
            return  # another relay holds it now: its schedule is not ours to change
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
        if row.attempts >= retry.max_attempts:
            row.status = "failed"
            log.error(
                "giving up on email %s to %s after %d attempts: %s",
                message_id,
                row.recipient,
                row.attempts,
                row.last_error,
            )
        else:
            row.next_attempt_at = now + retry.delay_after(row.attempts)
            log.warning(
                "email %s to %s failed (attempt %d), retrying at %s: %s",
                message_id,
                row.recipient,
                row.attempts,
                row.next_attempt_at.isoformat(),
                row.last_error,
            )
        uow.commit()


class OutboxRelay:
    """A background thread delivering the outbox every `interval` seconds or when woken."""

    def __init__(
        self, deliver: Callable[[], int], *, interval: float = 2.0, name: str = "helpbot-outbox"
    ) -> None:
        self._deliver = deliver
        self._interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> OutboxRelay:
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def wake(self) -> None:
        """Deliver now rather than at the next tick (called after a change queued an email)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current delivery and stop; wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the thread runs."""
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._deliver()
            except Exception:
                # The database may be briefly unavailable; the next tick tries again.
                log.exception("outbox delivery failed")
            self._wake.wait(self._interval)
            self._wake.clear()
