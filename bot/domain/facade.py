"""`Domain`: the one object entrypoints call; each method is a use case in its own unit of work."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.domain import directory, outbox, policy, schema, services
from bot.domain.db import SessionFactory, UnitOfWork
from bot.domain.demo import demo_is_present, seed_demo
from bot.domain.errors import DomainError, InvalidText, SchemaOutOfDate
from bot.domain.mail import LogTransport, MailTransport
from bot.domain.model import (
    DELETE_TECHNICIAN,
    DIRECTORY_IMPORT,
    FIND_USERS,
    GET_USER_CARD,
    RECENT_AUDIT,
    REINVITE,
    RESET_PASSWORD,
    SET_PRIMARY_CONTACT,
    SET_ROLE,
    ActionResult,
    AuditEntry,
    Capabilities,
    Clock,
    ImportSummary,
    InvitationKind,
    TeamPage,
    UserCard,
    normalise_email,
    parse_invitation_kind,
    parse_role,
    system_clock,
)
from bot.domain.orm import User
from bot.domain.outbox import OutboxRelay, RetryPolicy
from bot.domain.services import Context, Limits
from bot.text import unsafe_character_problem

log = logging.getLogger(__name__)

T = TypeVar("T")
Action = Callable[[Session, Context, User, User], ActionResult]

# Delivery claims and idempotency records are kept this long (Slack retries within minutes).
BOOKKEEPING_TTL = timedelta(days=1)
PRUNE_EVERY = timedelta(minutes=10)
MAX_SEARCH_RESULTS = 100


@dataclass
class _Attempt:
    """What the audit log records about one attempt, filled in as the attempt proceeds."""

    action: str
    actor: str
    target: str | None
    parameters: dict[str, object] = field(default_factory=dict)
    actor_account_id: int | None = None
    target_account_id: int | None = None


def _acted_on(session: Session, attempt: _Attempt, actor: User, target_email: str) -> User:
    """The user an action is about (the actor themself, or a user of their account), with
    the attempt told whose account it concerns; the rules of who may act come after."""
    target = (
        actor
        if target_email == actor.email
        else services.load_target(session, target_email, account_id=actor.account_id)
    )
    attempt.target_account_id = target.account_id
    policy.check_same_account(services.person(actor), services.person(target))
    return target


class Domain:
    """Team directory, invitations, roles, password resets, authorisation and audit.

    Thread-safe: it holds only a session factory and settings, and every method opens its own
    unit of work. Domain errors are raised as `DomainError` subclasses after being audited.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        clock: Clock = system_clock,
        transport: MailTransport | None = None,
        app_url: str = "http://localhost:8000",
        mail_from: str = "helpbot@localhost",
        invitation_limit_per_hour: int = 5,
        reset_limit_per_hour: int = 5,
        invitation_valid_for: timedelta = timedelta(days=7),
        reset_valid_for: timedelta = timedelta(hours=1),
        retry: RetryPolicy | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self.transport: MailTransport = transport or LogTransport()
        self._app_url = app_url.rstrip("/")
        self._mail_from = mail_from
        self._limits = Limits(
            invitations_per_hour=invitation_limit_per_hour,
            resets_per_hour=reset_limit_per_hour,
            invitation_valid_for=invitation_valid_for,
            reset_valid_for=reset_valid_for,
        )
        self._retry = retry or RetryPolicy()
        self._lock = threading.Lock()
        self._next_prune: datetime | None = None
        self._outbox_listeners: list[Callable[[], None]] = []

    # ------------------------------------------------------------------------- identity

    def identify(self, email: str, *, slack_user_id: str | None = None) -> UserCard:
        """The active directory user with this email (UnknownActor if none); stores the Slack id."""
        with UnitOfWork(self._session_factory) as uow:
            now = self._clock()
            user = services.load_actor(uow.session, normalise_email(email))
            if slack_user_id:
                services.assign_slack_user_id(uow.session, user, slack_user_id, now)
            result = services.card_of(uow.session, user, now)
            uow.commit()
            return result

    def find_by_slack_id(self, slack_user_id: str) -> UserCard | None:
        """The active user last identified with this Slack user id, or None."""
        with UnitOfWork(self._session_factory) as uow:
            user = services.user_by_slack_id(uow.session, slack_user_id)
            return None if user is None else services.card_of(uow.session, user, self._clock())

    def capabilities(self, actor_email: str) -> Capabilities:
        """What this person may do: the action ids of the buttons to show them."""
        with UnitOfWork(self._session_factory) as uow:
            actor = services.person(services.load_actor(uow.session, normalise_email(actor_email)))
            return Capabilities(
                is_site_manager=actor.is_site_manager,
                account=actor.account,
                actions=policy.capabilities_of(actor),
            )

    def check_may_open(
        self, actor_email: str, action: str, target_email: str | None = None
    ) -> None:
        """Raise now the refusal that a form for `action` would meet on submit.

        For the Slack forms (and confirmations): who may act on whom, the same account, and the
        rules that depend on the target alone (the primary contact can't be deleted). Without a
        target (a form with a user picker) only the actor is checked. A refusal is audited;
        the submission checks everything again.
        """
        attempt = _Attempt(action, actor_email, target_email, {"stage": "form"})
        with self._audited(attempt), UnitOfWork(self._session_factory) as uow:
            session = uow.session
            actor_email = attempt.actor = normalise_email(actor_email)
            actor = services.load_actor(session, actor_email)
            attempt.actor_account_id = actor.account_id
            if target_email is None:
                services.check_may_target(session, action, actor, None)
                return
            target_email = attempt.target = normalise_email(target_email)
            services.check_may_target(session, action, actor, target_email)
            target = _acted_on(session, attempt, actor, target_email)
            services.check_form_target(action, target)

    # ------------------------------------------------------------------------- actions

    def resend_invitation(
        self,
        actor_email: str,
        target_email: str,
        *,
        kind: str = "mobile",
        require_sms: bool = False,
        idempotency_key: str | None = None,
    ) -> ActionResult:
        """Send a new mobile or web invitation; it supersedes the previous one."""
        attempt = _Attempt(
            REINVITE, actor_email, target_email, {"kind": kind, "require_sms": require_sms}
        )
        with self._audited(attempt):
            parsed = parse_invitation_kind(kind)
            attempt.parameters["kind"] = parsed.value

            def run(session: Session, ctx: Context, actor: User, target: User) -> ActionResult:
                return services.resend_invitation(
                    session, ctx, actor, target, kind=parsed, require_sms=require_sms
                )

            return self._act(attempt, idempotency_key, run, kind=parsed)

    def request_password_reset(
        self,
        actor_email: str,
        target_email: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> ActionResult:
        """Email a single-use, expiring password reset link (to the actor when no target)."""
        attempt = _Attempt(RESET_PASSWORD, actor_email, target_email)
        with self._audited(attempt):
            return self._act(attempt, idempotency_key, services.request_password_reset)

    def change_role(
        self,
        actor_email: str,
        target_email: str,
        role: str,
        *,
        idempotency_key: str | None = None,
    ) -> ActionResult:
        """Change a user's role ('site-manager', 'technician', 'install-technician', …)."""
        attempt = _Attempt(SET_ROLE, actor_email, target_email, {"role": role})
        with self._audited(attempt):
            new_role = parse_role(role)
            attempt.parameters["role"] = new_role.value

            def run(session: Session, ctx: Context, actor: User, target: User) -> ActionResult:
                return services.change_role(session, ctx, actor, target, role=new_role)

            return self._act(attempt, idempotency_key, run)

    def set_primary_contact(
        self, actor_email: str, target_email: str, *, idempotency_key: str | None = None
    ) -> ActionResult:
        """Make a user their account's primary contact."""
        attempt = _Attempt(SET_PRIMARY_CONTACT, actor_email, target_email)
        with self._audited(attempt):
            return self._act(attempt, idempotency_key, services.set_primary_contact)

    def delete_technician(
        self, actor_email: str, target_email: str, *, idempotency_key: str | None = None
    ) -> ActionResult:
        """Delete a technician (never the primary contact); their history is kept."""
        attempt = _Attempt(DELETE_TECHNICIAN, actor_email, target_email)
        with self._audited(attempt):
            return self._act(attempt, idempotency_key, services.delete_technician)

    # ------------------------------------------------------------------------- reads

    def find_users(self, actor_email: str, query: str = "", *, limit: int = 20) -> list[UserCard]:
        """A Site Manager's search of their own account by name, email or phone."""
        attempt = _Attempt(FIND_USERS, actor_email, None, {"query": query})
        limit = max(1, min(limit, MAX_SEARCH_RESULTS))
        self._refuse_unsafe_search(attempt, query)

        def run(session: Session, ctx: Context, actor: User) -> tuple[list[UserCard], str]:
            cards = services.find_users(session, ctx, actor.account_id, query, limit)
            return cards, f"{len(cards)} found"

        return self._read(attempt, run)

    def team_page(
        self, actor_email: str, query: str = "", *, offset: int = 0, page_size: int = 20
    ) -> TeamPage:
        """One page of a Site Manager's team search, with the true count of every match."""
        attempt = _Attempt(FIND_USERS, actor_email, None, {"query": query, "offset": offset})
        page_size = max(1, min(page_size, MAX_SEARCH_RESULTS))
        self._refuse_unsafe_search(attempt, query)

        def run(session: Session, ctx: Context, actor: User) -> tuple[TeamPage, str]:
            total = services.count_users(session, actor.account_id, query)
            # A page past the end (the team shrank since the button was drawn) shows the last.
            start = max(0, offset) if offset < total else max(0, total - page_size)
            cards = services.find_users(session, ctx, actor.account_id, query, page_size, start)
            return TeamPage(tuple(cards), total, start, query), f"{len(cards)} of {total} shown"

        return self._read(attempt, run)

    def _refuse_unsafe_search(self, attempt: _Attempt, query: str) -> None:
        """InvalidText (audited) for a search holding a control character or surrogate."""
        if (problem := unsafe_character_problem(query)) is not None:
            with self._audited(attempt):
                raise InvalidText(problem)  # PostgreSQL can't even compare with a NUL

    def get_user_card(self, actor_email: str, target_email: str) -> UserCard:
        """One user's card: anyone's own, or a Site Manager's for their account's users."""
        attempt = _Attempt(GET_USER_CARD, actor_email, target_email)

        def run(session: Session, ctx: Context, actor: User) -> tuple[UserCard, str]:
            target = services.load_target(session, normalise_email(target_email))
            attempt.target_account_id = target.account_id
            policy.check_same_account(services.person(actor), services.person(target))
            return services.card_of(session, target, ctx.now), "shown"

        return self._read(attempt, run)

    def user_by_ref(self, actor_email: str, ref: str) -> UserCard:
        """The user a `UserCard.ref` names (a Slack menu value), for a Site Manager of theirs."""
        attempt = _Attempt(GET_USER_CARD, actor_email, None, {"ref": ref[:20]})

        def run(session: Session, ctx: Context, actor: User) -> tuple[UserCard, str]:
            target = services.user_by_ref(session, ref)
            attempt.target, attempt.target_account_id = target.email, target.account_id
            policy.check_same_account(services.person(actor), services.person(target))
            return services.card_of(session, target, ctx.now), "shown (by reference)"

        return self._read(attempt, run)

    def recent_audit(self, actor_email: str, *, limit: int = 10) -> list[AuditEntry]:
        """A Site Manager's view of their account's latest changes and refusals."""
        attempt = _Attempt(RECENT_AUDIT, actor_email, None)

        def run(session: Session, ctx: Context, actor: User) -> tuple[list[AuditEntry], str]:
            entries = services.recent_audit(session, actor.account_id, max(1, limit))
            return entries, f"{len(entries)} entries"

        return self._read(attempt, run)

    def audit_log(
        self, *, since: datetime | timedelta | None = None, actor_email: str | None = None
    ) -> list[AuditEntry]:
        """The audit log, oldest first, from `since` (a moment, or that long ago on this clock)."""
        actor = actor_email.strip().lower() if actor_email else None
        if isinstance(since, timedelta):
            since = self._clock() - since
        with UnitOfWork(self._session_factory) as uow:
            return services.audit_log(uow.session, since=since, actor=actor)

    # ------------------------------------------------------------------------- directory

    def import_directory(
        self, csv_text: str, *, actor: str = "helpbot directory import"
    ) -> ImportSummary:
        """Upsert a directory CSV by email, all or nothing (DirectoryFileInvalid lists bad rows).

        Rows are read first; only a file whose every row reads well is checked against the
        directory (DirectoryBreaksRules), because a bad row's intent can't be known.
        """
        attempt = _Attempt(DIRECTORY_IMPORT, actor, None)
        with self._audited(attempt):
            rows = directory.parse_directory_csv(csv_text)
            with UnitOfWork(self._session_factory) as uow:
                now = self._clock()
                summary = directory.import_rows(uow.session, rows, now)
                detail = directory.audit_detail(summary)
                self._write_audit(uow.session, attempt, "ok", detail, now)
                uow.commit()
                return summary

    def directory(
        self, *, account: str | None = None, include_deleted: bool = False
    ) -> list[UserCard]:
        """Every user (or one account's), by account and name, for the operator."""
        with UnitOfWork(self._session_factory) as uow:
            return services.directory(
                uow.session, self._clock(), account=account, include_deleted=include_deleted
            )

    def account_names(self) -> list[str]:
        """Every account's name."""
        with UnitOfWork(self._session_factory) as uow:
            return services.account_names(uow.session)

    def seed_demo(self) -> bool:
        """Add the demo directory if the directory is empty; True if it did."""
        with UnitOfWork(self._session_factory) as uow:
            seeded = seed_demo(uow.session, self._clock())
            uow.commit()
            return seeded

    def has_demo_directory(self) -> bool:
        """True if the demo directory's Site Manager is there."""
        with UnitOfWork(self._session_factory) as uow:
            return demo_is_present(uow.session)

    def redeem_password_reset(self, token: str) -> UserCard:
        """Use a reset link once, as the app does when it is followed (ResetLinkInvalid if not)."""
        with UnitOfWork(self._session_factory) as uow:
            now = self._clock()
            user = services.redeem_password_reset(uow.session, now, token)
            result = services.card_of(uow.session, user, now)
            uow.commit()
            return result

    # ------------------------------------------------------------------------- bookkeeping

    def record_feedback(self, voter: str, entry_id: str, helpful: bool) -> None:
        """Store a 'Was this helpful?' vote; a later vote by the same voter replaces it."""
        with UnitOfWork(self._session_factory) as uow:
            services.record_feedback(uow.session, self._clock(), voter, entry_id, helpful)
            uow.commit()

    def claim_delivery(self, key: str) -> bool:
        """True the first time `key` is claimed, False after (across threads and processes)."""
        with UnitOfWork(self._session_factory) as uow:
            now = self._clock()
            won = services.claim(uow.session, now, key)
            if self._prune_due(now):
                services.prune(uow.session, now - BOOKKEEPING_TTL)
            uow.commit()
            return won

    def release_delivery(self, key: str) -> None:
        """Undo `claim_delivery(key)` when the delivery it guarded did not happen."""
        with UnitOfWork(self._session_factory) as uow:
            services.release(uow.session, key)
            uow.commit()

    def _prune_due(self, now: datetime) -> bool:
        with self._lock:
            if self._next_prune is not None and now < self._next_prune:
                return False
            self._next_prune = now + PRUNE_EVERY
            return True

    # ------------------------------------------------------------------------- email

    def deliver_outbox(self, *, limit: int = 50) -> int:
        """Send due outbox emails with retries and backoff; returns how many were sent."""
        return outbox.deliver(
            self._session_factory,
            self.transport,
            clock=self._clock,
            mail_from=self._mail_from,
            limit=limit,
            retry=self._retry,
        )

    def start_outbox_relay(self, *, interval: float = 2.0) -> OutboxRelay:
        """Start a background thread delivering the outbox; woken at once by new emails."""
        relay = OutboxRelay(self.deliver_outbox, interval=interval).start()
        with self._lock:
            self._outbox_listeners.append(relay.wake)
        return relay

    def _outbox_changed(self) -> None:
        with self._lock:
            listeners = list(self._outbox_listeners)
        for listener in listeners:
            listener()

    # ------------------------------------------------------------------------- schema

    def schema_revision(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this helpbot needs."""
        with self._session_factory() as session:
            return schema.current_revision(session.connection()), schema.head_revision()

    def schema_is_current(self) -> bool:
        """True if the database schema is the one this helpbot needs."""
        current, head = self.schema_revision()
        return current == head

    def check_schema(self) -> None:
        """Raise SchemaOutOfDate (naming `helpbot db upgrade`) unless the schema is current."""
        current, head = self.schema_revision()
        if current != head:
            raise SchemaOutOfDate(current, head)

    def upgrade_schema(self) -> tuple[str | None, str]:
        """Apply the packaged migrations; returns the revisions before and after."""
        with UnitOfWork(self._session_factory) as uow:
            connection = uow.session.connection()
            before = schema.current_revision(connection)
            schema.upgrade(connection)
            uow.commit()
        return before, schema.head_revision()

    def close(self) -> None:
        """Close the database connections of the engine behind the session factory."""
        bind = self._session_factory.kw.get("bind")
        if isinstance(bind, Engine):
            bind.dispose()

    # ------------------------------------------------------------------------- internals

    def _context(self) -> Context:
        return Context(now=self._clock(), limits=self._limits, app_url=self._app_url)

    def _act(
        self,
        attempt: _Attempt,
        idempotency_key: str | None,
        run: Action,
        *,
        kind: InvitationKind | None = None,
    ) -> ActionResult:
        with UnitOfWork(self._session_factory) as uow:
            session = uow.session
            ctx = self._context()
            actor_email = attempt.actor = normalise_email(attempt.actor)
            target_email = attempt.target = (
                normalise_email(attempt.target) if attempt.target else actor_email
            )
            if idempotency_key:
                earlier = services.claim_idempotency_key(
                    session,
                    idempotency_key,
                    action=attempt.action,
                    actor=actor_email,
                    request=json.dumps(
                        {"target": target_email, **attempt.parameters}, sort_keys=True
                    ),
                    now=ctx.now,
                )
                if earlier is not None:
                    actor = services.active_user(session, actor_email)
                    attempt.actor_account_id = actor.account_id if actor else None
                    self._write_audit(
                        session,
                        attempt,
                        "ok",
                        "repeat of an earlier request (same idempotency key); nothing changed",
                        ctx.now,
                    )
                    uow.commit()
                    return replace(earlier, replayed=True)
            actor = services.load_actor(session, actor_email)
            attempt.actor_account_id = actor.account_id
            # Changes within an account are serialised, and everything is re-read under the
            # lock, so that concurrent requests cannot both pass a check that only one may.
            services.lock_account(session, actor.account_id)
            actor = services.load_actor(session, actor_email, fresh=True)
            services.check_may_target(session, attempt.action, actor, target_email, kind=kind)
            target = _acted_on(session, attempt, actor, target_email)
            result = run(session, ctx, actor, target)
            detail = result.message + (f" Warning: {result.warning}" if result.warning else "")
            self._write_audit(session, attempt, "ok", detail, ctx.now)
            if idempotency_key:
                services.store_idempotent_result(session, idempotency_key, result)
            uow.commit()
        self._outbox_changed()
        return result

    def _read(self, attempt: _Attempt, run: Callable[[Session, Context, User], tuple[T, str]]) -> T:
        with self._audited(attempt), UnitOfWork(self._session_factory) as uow:
            session = uow.session
            ctx = self._context()
            actor_email = attempt.actor = normalise_email(attempt.actor)
            if attempt.target is not None:
                attempt.target = normalise_email(attempt.target)
            actor = services.load_actor(session, actor_email)
            attempt.actor_account_id = actor.account_id
            services.check_may_target(session, attempt.action, actor, attempt.target)
            value, detail = run(session, ctx, actor)
            self._write_audit(session, attempt, "ok", detail, ctx.now)
            uow.commit()
            return value

    @contextmanager
    def _audited(self, attempt: _Attempt) -> Iterator[None]:
        """Audit a refusal or a crash in a transaction of its own (the attempt's rolled back)."""
        try:
            yield
        except DomainError as exc:
            self._audit_failure(attempt, exc.outcome, exc.audit_detail)
            raise
        except Exception as exc:
            self._audit_failure(attempt, "error", f"unexpected error: {type(exc).__name__}")
            raise

    def _audit_failure(self, attempt: _Attempt, outcome: str, detail: str) -> None:
        try:
            with UnitOfWork(self._session_factory) as uow:
                self._write_audit(uow.session, attempt, outcome, detail, self._clock())
                uow.commit()
        except Exception:
            # The original error matters more; the log keeps what the audit log could not.
            log.exception(
                "could not audit %s by %s on %s (%s: %s)",
                attempt.action,
                attempt.actor,
                attempt.target,
                outcome,
                detail,
            )

    def _write_audit(
        self, session: Session, attempt: _Attempt, outcome: str, detail: str, now: datetime
    ) -> None:
        services.write_audit(
            session,
            at=now,
            actor=str(attempt.actor),
            action=attempt.action,
            target=None if attempt.target is None else str(attempt.target),
            outcome=outcome,
            detail=detail,
            parameters=attempt.parameters,
            actor_account_id=attempt.actor_account_id,
            target_account_id=attempt.target_account_id,
        )
