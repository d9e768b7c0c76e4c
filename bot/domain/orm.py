"""SQLAlchemy 2.x typed declarative tables of the directory, audit log, outbox and bookkeeping."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base of helpbot's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """A customer company using the SMB app."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    users: Mapped[list[User]] = relationship(back_populates="account")


class User(Base):
    """A directory user; the email address is their username; deleted users are kept."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('site-manager', 'technician', 'install-technician')", name="role"
        ),
        CheckConstraint("status IN ('active', 'deleted')", name="status"),
        Index("ix_users_account_status", "account_id", "status"),
        # At most one active primary contact per account, enforced by the database too.
        Index(
            "uq_users_one_primary_contact",
            "account_id",
            unique=True,
            sqlite_where=text("is_primary_contact AND status = 'active'"),
            postgresql_where=text("is_primary_contact AND status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(32))
    is_primary_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    account: Mapped[Account] = relationship(back_populates="users")


class Invitation(Base):
    """An invitation email; a newer one supersedes it, and it expires at `expires_at`."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("kind IN ('mobile', 'web')", name="kind"),
        Index("ix_invitations_user_sent", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    require_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_by: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    def state(self, now: datetime) -> str:
        """'superseded', 'expired' or 'pending' (expiry is derived, never stored)."""
        if self.superseded_at is not None:
            return "superseded"
        return "expired" if self.expires_at <= now else "pending"


class PasswordReset(Base):
    """A 'Forgot your password' link: stored hashed, single use, expiring."""

    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requested_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """One attempt at an action or a read: who, what, on whom, and how it ended."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint("outcome IN ('ok', 'denied', 'error')", name="outcome"),
        Index("ix_audit_events_actor_account_at", "actor_account_id", "at"),
        Index("ix_audit_events_target_account_at", "target_account_id", "at"),
        Index("ix_audit_events_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(320))
    # Both accounts, so each side's Site Managers see attempts involving their people.
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(320))
    target_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    parameters: Mapped[str] = mapped_column(Text, default="{}")
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """An email written in the same transaction as the change it reports; delivered later."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IdempotencyRecord(Base):
    """The result of a request made with an idempotency key, returned again on a repeat."""

    __tablename__ = "idempotency_records"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(320))
    # The request's action, target and options, so a key reused for another request is refused.
    request: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    result: Mapped[str | None] = mapped_column(Text)


class Feedback(Base):
    """One person's vote on one FAQ answer; a later vote replaces the earlier one."""

    __tablename__ = "faq_feedback"
    __table_args__ = (Index("uq_faq_feedback_voter_entry", "voter", "entry_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voter: Mapped[str] = mapped_column(String(320))
    entry_id: Mapped[str] = mapped_column(String(200))
    helpful: Mapped[bool] = mapped_column(Boolean)
    voted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeliveryClaim(Base):
    """A delivery key (e.g. a Slack event id) claimed once across threads and processes."""

    __tablename__ = "delivery_claims"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
