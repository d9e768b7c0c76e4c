"""The use cases, as verbs on a session: apply the seed's rules and return plain results."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload

from bot.domain import policy
from bot.domain.errors import (
    IdempotencyKeyReused,
    NotASiteManager,
    RateLimited,
    ResetLinkInvalid,
    UnknownActor,
    UserNotFound,
)
from bot.domain.mail import (
    invitation_email,
    invitation_link,
    password_reset_email,
    reset_link,
)
from bot.domain.model import (
    ACTIVE,
    DELETE_TECHNICIAN,
    DELETED,
    FIND_USERS,
    GET_USER_CARD,
    RECENT_AUDIT,
    REINVITE,
    RESET_PASSWORD,
    SET_PRIMARY_CONTACT,
    SET_ROLE,
    ActionResult,
    AuditEntry,
    InvitationKind,
    Person,
    Role,
    UserCard,
    format_day,
    format_time,
)
from bot.domain.orm import (
    Account,
    AuditEvent,
    DeliveryClaim,
    Feedback,
    IdempotencyRecord,
    Invitation,
    PasswordReset,
    User,
)
from bot.domain.outbox import enqueue
from bot.text import printable

HOUR = timedelta(hours=1)
READ_ACTIONS = frozenset({FIND_USERS, GET_USER_CARD, RECENT_AUDIT})


@dataclass(frozen=True)
class Limits:
    """Abuse limits and link lifetimes (helpbot's defaults; the SMB app's own are not known)."""

    invitations_per_hour: int = 5
    resets_per_hour: int = 5
    invitation_valid_for: timedelta = timedelta(days=7)
    reset_valid_for: timedelta = timedelta(hours=1)
    # A second reset request this soon after an unused link is a double click: not sent again.
    reset_repeat_window: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class Context:
    """What a use case needs besides the session: the time, the limits, the app's URL."""

    now: datetime
    limits: Limits
    app_url: str


# ----------------------------------------------------------------------------- lookups


def _with_account(statement: Select[tuple[User]]) -> Select[tuple[User]]:
    return statement.options(joinedload(User.account, innerjoin=True))


def active_user(session: Session, email: str, *, fresh: bool = False) -> User | None:
    """The active user with this (normalised) email; `fresh` re-reads a cached row."""
    statement = _with_account(select(User).where(User.email == email, User.status == ACTIVE))
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    return session.scalars(statement).one_or_none()


def load_actor(session: Session, email: str, *, fresh: bool = False) -> User:
    """The active user acting, or UnknownActor."""
    user = active_user(session, email, fresh=fresh)
    if user is None:
        raise UnknownActor(email)
    return user


def load_target(session: Session, email: str) -> User:
    """The active user acted on, or UserNotFound."""
    user = active_user(session, email, fresh=True)
    if user is None:
        raise UserNotFound(email)
    return user


def user_by_ref(session: Session, ref: str) -> User:
    """The active user a `UserCard.ref` names, or UserNotFound."""
    user = session.get(User, int(ref)) if ref.isdigit() and len(ref) < 12 else None
    if user is None or user.status != ACTIVE:
        raise UserNotFound("that user")
    return user


def user_by_slack_id(session: Session, slack_user_id: str) -> User | None:
    """The active user last identified with this Slack user id."""
    return session.scalars(
        _with_account(
            select(User).where(User.slack_user_id == slack_user_id, User.status == ACTIVE)
        )
    ).first()


def assign_slack_user_id(session: Session, user: User, slack_user_id: str, now: datetime) -> None:
    """Remember the user's Slack id (taken from whoever had it before)."""
    if user.slack_user_id == slack_user_id:
        return
    session.execute(
        update(User).where(User.slack_user_id == slack_user_id).values(slack_user_id=None)
    )
    user.slack_user_id = slack_user_id
    user.updated_at = now


def lock_account(session: Session, account_id: int) -> None:
    """Serialise changes within one account (PostgreSQL row lock; SQLite locks the database)."""
    session.execute(select(Account.id).where(Account.id == account_id).with_for_update())


def person(user: User) -> Person:
    """The authorisation view of a user."""
    return Person(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=Role(user.role),
        account_id=user.account_id,
        account=user.account.name,
        is_primary_contact=user.is_primary_contact,
    )


def site_manager_names(session: Session, account_id: int, *, limit: int = 3) -> list[str]:
    """Names of the account's active Site Managers, to tell people whom to ask."""
    return list(
        session.scalars(
            select(User.name)
            .where(
                User.account_id == account_id,
                User.status == ACTIVE,
                User.role == Role.SITE_MANAGER.value,
            )
            .order_by(User.name)
            .limit(limit)
        )
    )


def check_may_target(
    session: Session,
    action: str,
    actor: User,
    target_email: str | None,
    *,
    kind: InvitationKind | None = None,
) -> None:
    """policy.check_may_target, naming the Site Managers to ask when it refuses."""
    try:
        policy.check_may_target(action, person(actor), target_email, kind=kind)
    except NotASiteManager as refusal:
        raise NotASiteManager(refusal.what, site_manager_names(session, actor.account_id)) from None


def check_form_target(action: str, target: User) -> None:
    """The rules of `action` that depend on its target alone (nothing else is chosen yet)."""
    if action == DELETE_TECHNICIAN:
        policy.check_deletable(person(target))


# ----------------------------------------------------------------------------- cards


def latest_invitations(session: Session, user_ids: Sequence[int]) -> dict[int, Invitation]:
    """Each user's most recent invitation."""
    if not user_ids:
        return {}
    newest = (
        select(func.max(Invitation.id).label("id"))
        .where(Invitation.user_id.in_(user_ids))
        .group_by(Invitation.user_id)
        .subquery()
    )
    rows = session.scalars(select(Invitation).join(newest, Invitation.id == newest.c.id))
    return {row.user_id: row for row in rows}


def invitation_summary(invitation: Invitation | None, now: datetime) -> str:
    """'mobile invitation pending, expires 2026-11-30', 'no invitation yet', …"""
    if invitation is None:
        return "no invitation yet"
    kind = invitation.kind + (" (SMS verification)" if invitation.require_sms else "")
    state = invitation.state(now)
    if state == "pending":
        return f"{kind} invitation pending, expires {format_day(invitation.expires_at)}"
    if state == "expired":
        return f"{kind} invitation expired {format_day(invitation.expires_at)}"
    return f"{kind} invitation cancelled"


def card(user: User, invitation: Invitation | None, now: datetime) -> UserCard:
    """The user card of one user."""
    return UserCard(
        email=user.email,
        name=user.name,
        phone=user.phone,
        role=user.role,
        is_primary_contact=user.is_primary_contact,
        status=user.status,
        account=user.account.name,
        slack_user_id=user.slack_user_id,
        invitation=invitation_summary(invitation, now),
        ref=str(user.id),
    )


def card_of(session: Session, user: User, now: datetime) -> UserCard:
    """The user card of one user, with their latest invitation looked up."""
    return card(user, latest_invitations(session, [user.id]).get(user.id), now)


def cards_of(session: Session, users: Sequence[User], now: datetime) -> list[UserCard]:
    """User cards for many users with one invitation query."""
    invitations = latest_invitations(session, [u.id for u in users])
    return [card(u, invitations.get(u.id), now) for u in users]


# ----------------------------------------------------------------------------- audit


AUDIT_TEXT = 320  # the audit's actor and target columns hold an email's maximum length


def write_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str | None,
    outcome: str,
    detail: str,
    parameters: dict[str, object] | None = None,
    actor_account_id: int | None = None,
    target_account_id: int | None = None,
) -> None:
    """Record one attempt in the audit log (in the caller's transaction).

    Strings are made printable first: a forged request's NUL byte or lone surrogate must not
    make the database refuse the row, or the attempt would go unrecorded.
    """
    session.add(
        AuditEvent(
            at=at,
            actor=printable(actor)[:AUDIT_TEXT],
            action=printable(action)[:64],
            target=None if target is None else printable(target)[:AUDIT_TEXT],
            outcome=outcome,
            detail=printable(detail),
            parameters=json.dumps(parameters or {}, sort_keys=True),
            actor_account_id=actor_account_id,
            target_account_id=target_account_id,
        )
    )


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        at=event.at,
        actor=event.actor,
        action=event.action,
        target=event.target,
        outcome=event.outcome,
        detail=event.detail,
    )


def recent_audit(session: Session, account_id: int, limit: int) -> list[AuditEntry]:
    """An account's latest changes and refusals, newest first (allowed reads left out)."""
    shown = or_(AuditEvent.action.not_in(READ_ACTIONS), AuditEvent.outcome != "ok")
    newest_first = (AuditEvent.at.desc(), AuditEvent.id.desc())
    # One index walk per side that stops after `limit` rows; an OR of the two would collect
    # and sort the account's whole history, which only grows.
    events = {
        event.id: event
        for column in (AuditEvent.actor_account_id, AuditEvent.target_account_id)
        for event in session.scalars(
            select(AuditEvent)
            .where(column == account_id, shown)
            .order_by(*newest_first)
            .limit(limit)
        )
    }
    latest = sorted(events.values(), key=lambda e: (e.at, e.id), reverse=True)[:limit]
    return [_as_seen_by(account_id, e) for e in latest]


def _as_seen_by(account_id: int, event: AuditEvent) -> AuditEntry:
    """An event as the account may see it: an attempt on another account's user reads the
    way the person was told it (no such user), or the log would say who is a user there."""
    entry = _entry(event)
    if event.actor_account_id == account_id and event.target_account_id not in (
        None,
        account_id,
    ):
        hidden = UserNotFound(event.target or "")
        return replace(entry, outcome=hidden.outcome, detail=hidden.user_message)
    return entry


def audit_log(
    session: Session, *, since: datetime | None = None, actor: str | None = None
) -> list[AuditEntry]:
    """The whole audit log, oldest first, optionally from a time or for one actor."""
    statement = select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    if actor is not None:
        statement = statement.where(AuditEvent.actor == actor)
    return [_entry(e) for e in session.scalars(statement)]


# ----------------------------------------------------------------------------- idempotency


def _result_from_json(text: str) -> ActionResult:
    data = json.loads(text)
    return ActionResult(**{**data, "target": UserCard(**data["target"])})


def claim_idempotency_key(
    session: Session, key: str, *, action: str, actor: str, request: str, now: datetime
) -> ActionResult | None:
    """None if this request is new (the key is now taken), else the earlier request's result.

    The insert happens first, in a savepoint: on PostgreSQL a concurrent request with the same
    key waits on it until the first commits, then fails the unique constraint and replays.
    """
    try:
        with session.begin_nested():
            session.add(
                IdempotencyRecord(
                    key=key, action=action, actor=actor, request=request, created_at=now
                )
            )
    except IntegrityError:
        earlier = session.get(IdempotencyRecord, key, populate_existing=True)
        # A key is committed together with its result, so a taken key always has one.
        assert earlier is not None
        assert earlier.result is not None
        if (earlier.action, earlier.actor, earlier.request) != (action, actor, request):
            raise IdempotencyKeyReused(key) from None
        return _result_from_json(earlier.result)
    return None


def store_idempotent_result(session: Session, key: str, result: ActionResult) -> None:
    """Keep the result for repeats of the same key."""
    record = session.get(IdempotencyRecord, key)
    assert record is not None
    record.result = json.dumps(asdict(result), sort_keys=True)


# ----------------------------------------------------------------------------- actions


def _check_rate(
    session: Session,
    sent_at: InstrumentedAttribute[datetime],
    user_id: InstrumentedAttribute[int],
    *,
    user: User,
    now: datetime,
    limit: int,
    what: str,
) -> None:
    """Raise RateLimited if `limit` sends to this user happened in the last hour."""
    times = list(
        session.scalars(
            select(sent_at).where(user_id == user.id, sent_at > now - HOUR).order_by(sent_at)
        )
    )
    if len(times) >= limit:
        # Allowed again when the oldest of the last `limit` sends leaves the hour.
        raise RateLimited(user.email, what, limit, retry_at=times[len(times) - limit] + HOUR)


def _supersede_invitations(session: Session, user: User, now: datetime) -> int:
    """Make the user's earlier invitations stop working; returns how many there were."""
    return session.execute(
        update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.superseded_at.is_(None))
        .values(superseded_at=now)
    ).rowcount


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """How link tokens are stored: only their SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def resend_invitation(
    session: Session,
    ctx: Context,
    actor: User,
    target: User,
    *,
    kind: InvitationKind,
    require_sms: bool,
) -> ActionResult:
    """Send a new invitation (superseding the previous one) and queue its email."""
    has_mobile = (
        session.scalar(
            select(Invitation.id)
            .where(Invitation.user_id == target.id, Invitation.kind == InvitationKind.MOBILE)
            .limit(1)
        )
        is not None
    )
    policy.check_invitation(
        person(target),
        kind,
        require_sms=require_sms,
        has_mobile_invitation=has_mobile,
        has_phone=bool(target.phone),
    )
    _check_rate(
        session,
        Invitation.sent_at,
        Invitation.user_id,
        user=target,
        now=ctx.now,
        limit=ctx.limits.invitations_per_hour,
        what="invitations",
    )
    superseded = _supersede_invitations(session, target, ctx.now)
    token, token_hash = _new_token()
    expires_at = ctx.now + ctx.limits.invitation_valid_for
    invitation = Invitation(
        user_id=target.id,
        kind=kind.value,
        require_sms=require_sms,
        token_hash=token_hash,
        sent_by=actor.email,
        sent_at=ctx.now,
        expires_at=expires_at,
    )
    session.add(invitation)
    enqueue(
        session,
        invitation_email(
            to=target.email,
            name=target.name,
            account=target.account.name,
            sender=actor.name,
            kind=kind,
            require_sms=require_sms,
            link=invitation_link(ctx.app_url, token),
            expires_at=expires_at,
        ),
        ctx.now,
    )
    session.flush()
    is_self = actor.id == target.id
    whom = "you" if is_self else f"{target.name} ({target.email})"
    previous = " The previous invitation no longer works." if superseded else ""
    if kind is InvitationKind.WEB:
        message = (
            f"Sent a web app invitation to {whom}: an email with a link to create a password "
            f"(the email address is the username). It expires on {format_day(expires_at)}."
            f"{previous} Most users only need the mobile app."
        )
        told = (
            f"{actor.name} sent you an invitation to the SMB web app. Check your email "
            f"({target.email}) for a link to create your password; your username is your "
            "email address."
        )
    else:
        sms = "with" if require_sms else "without"
        message = (
            f"Sent a new mobile invitation to {whom}, {sms} SMS verification. It expires on "
            f"{format_day(expires_at)}.{previous}"
        )
        told = (
            f"{actor.name} sent you a new invitation to the SMB mobile app. Check your email "
            f"({target.email}) and open the link on your phone."
        )
    return ActionResult(
        action=REINVITE,
        target=card(target, invitation, ctx.now),
        message=message,
        target_message=None if is_self else told,
    )


def request_password_reset(
    session: Session, ctx: Context, actor: User, target: User
) -> ActionResult:
    """Start 'Forgot your password': a single-use, expiring link by email."""
    repeat = _recent_reset(session, ctx, target)
    if repeat is not None:
        return repeat
    _check_rate(
        session,
        PasswordReset.created_at,
        PasswordReset.user_id,
        user=target,
        now=ctx.now,
        limit=ctx.limits.resets_per_hour,
        what="password reset emails",
    )
    token, token_hash = _new_token()
    expires_at = ctx.now + ctx.limits.reset_valid_for
    session.add(
        PasswordReset(
            user_id=target.id,
            token_hash=token_hash,
            requested_by=actor.email,
            created_at=ctx.now,
            expires_at=expires_at,
        )
    )
    is_self = actor.id == target.id
    enqueue(
        session,
        password_reset_email(
            to=target.email,
            name=target.name,
            requested_by=None if is_self else actor.name,
            link=reset_link(ctx.app_url, token),
            expires_at=expires_at,
        ),
        ctx.now,
    )
    until = format_time(expires_at)
    if is_self:
        message = (
            f"I've emailed a password reset link to {target.email}. It works once and expires "
            f"at {until}. Follow it to log in; then you can resend a mobile invitation to "
            "yourself."
        )
        told = None
    else:
        message = (
            f"Emailed a password reset link to {target.name} ({target.email}). It works once "
            f"and expires at {until}."
        )
        told = (
            f"{actor.name} asked for a password reset link for you. Check your email "
            f"({target.email}); the link works once and expires at {until}."
        )
    return ActionResult(
        action=RESET_PASSWORD,
        target=card_of(session, target, ctx.now),
        message=message,
        target_message=told,
    )


def _recent_reset(session: Session, ctx: Context, target: User) -> ActionResult | None:
    """A repeat of a request answered a moment ago (a double click): nothing is sent again.

    Within `limits.reset_repeat_window` of an unused link, a second link would only be a
    second email to pick from; the answer points to the first one instead.
    """
    recent = session.scalars(
        select(PasswordReset)
        .where(
            PasswordReset.user_id == target.id,
            PasswordReset.created_at > ctx.now - ctx.limits.reset_repeat_window,
            PasswordReset.used_at.is_(None),
        )
        .order_by(PasswordReset.created_at.desc())
        .limit(1)
    ).one_or_none()
    if recent is None:
        return None
    return ActionResult(
        action=RESET_PASSWORD,
        target=card_of(session, target, ctx.now),
        message=f"A password reset link was emailed to {target.email} a moment ago, so I didn't "
        f"send another. It works once and expires at {format_time(recent.expires_at)}.",
        replayed=True,
    )


def redeem_password_reset(session: Session, now: datetime, token: str) -> User:
    """Use a reset link once (what the app does when it is followed); returns its user."""
    reset = session.scalars(
        select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)).with_for_update()
    ).one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise ResetLinkInvalid
    user = session.get(User, reset.user_id)
    if user is None or user.status != ACTIVE:
        raise ResetLinkInvalid
    reset.used_at = now
    return user


def _other_site_managers(session: Session, target: User) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(
                User.account_id == target.account_id,
                User.status == ACTIVE,
                User.role == Role.SITE_MANAGER.value,
                User.id != target.id,
            )
        )
        or 0
    )


def change_role(
    session: Session, ctx: Context, actor: User, target: User, *, role: Role
) -> ActionResult:
    """Change a role; making the primary contact an Install Technician removes the flag."""
    old = Role(target.role)
    if old is role:
        return ActionResult(
            action=SET_ROLE,
            target=card_of(session, target, ctx.now),
            message=f"{target.name} is already {_a(role.label)}; nothing changed.",
        )
    before = person(target)
    policy.check_role_change(before, role, _other_site_managers(session, target))
    warning = None
    if policy.role_change_drops_primary_contact(before, role):
        target.is_primary_contact = False
        account = target.account.name
        warning = (
            f"{target.name} was the Primary Contact, so {account} now has no Primary Contact. "
            "Choose a new one with /set-primary-contact EMAIL."
        )
    target.role = role.value
    target.updated_at = ctx.now
    session.flush()
    is_self = actor.id == target.id
    whose = "your" if is_self else f"{target.name}'s"
    return ActionResult(
        action=SET_ROLE,
        target=card_of(session, target, ctx.now),
        message=f"Changed {whose} role from {old.label} to {role.label}.",
        target_message=None
        if is_self
        else f"{actor.name} changed your role in the SMB app from {old.label} to {role.label}.",
        warning=warning,
    )


def set_primary_contact(session: Session, ctx: Context, actor: User, target: User) -> ActionResult:
    """Make the target the account's primary contact (the previous one loses the flag)."""
    account = target.account.name
    if target.is_primary_contact:
        return ActionResult(
            action=SET_PRIMARY_CONTACT,
            target=card_of(session, target, ctx.now),
            message=f"{target.name} is already the Primary Contact of {account}; nothing changed.",
        )
    policy.check_may_be_primary_contact(person(target))
    previous = session.scalars(
        select(User).where(
            User.account_id == target.account_id,
            User.status == ACTIVE,
            User.is_primary_contact.is_(True),
        )
    ).one_or_none()
    if previous is not None:
        previous.is_primary_contact = False
        previous.updated_at = ctx.now
        # Clear first: the database allows one primary contact per account at any moment.
        session.flush()
    target.is_primary_contact = True
    target.updated_at = ctx.now
    session.flush()
    instead = f" (instead of {previous.name})" if previous is not None else ""
    is_self = actor.id == target.id
    return ActionResult(
        action=SET_PRIMARY_CONTACT,
        target=card_of(session, target, ctx.now),
        message=f"{'You are' if is_self else target.name + ' is'} now the Primary Contact of "
        f"{account}{instead}.",
        target_message=None
        if is_self
        else f"{actor.name} made you the Primary Contact of {account}.",
    )


def delete_technician(session: Session, ctx: Context, actor: User, target: User) -> ActionResult:
    """Soft-delete a technician (never the primary contact); the audit history stays."""
    policy.check_deletable(person(target))
    label = Role(target.role).label
    target.status = DELETED
    target.deleted_at = ctx.now
    target.updated_at = ctx.now
    # A deleted user's pending invitation must stop working.
    _supersede_invitations(session, target, ctx.now)
    session.flush()
    return ActionResult(
        action=DELETE_TECHNICIAN,
        target=card_of(session, target, ctx.now),
        message=f"Deleted {label} {target.name} ({target.email}). Their history stays in the "
        "audit log.",
    )


def _a(label: str) -> str:
    return f"{'an' if label[0].lower() in 'aeiou' else 'a'} {label}"


# ----------------------------------------------------------------------------- reads


def _team_search(account_id: int, query: str) -> Select[tuple[User]]:
    """Active users of one account whose name, email or phone contains every word of `query`."""
    statement = select(User).where(User.account_id == account_id, User.status == ACTIVE)
    for word in query.lower().split():
        statement = statement.where(
            or_(
                func.lower(User.name).contains(word, autoescape=True),
                User.email.contains(word, autoescape=True),
                func.coalesce(User.phone, "").contains(word, autoescape=True),
            )
        )
    return statement


def find_users(
    session: Session, ctx: Context, account_id: int, query: str, limit: int, offset: int = 0
) -> list[UserCard]:
    """Active users of one account matching `query`, by name, from `offset` on."""
    statement = _with_account(_team_search(account_id, query))
    ordered = statement.order_by(User.name, User.email, User.id).offset(offset).limit(limit)
    return cards_of(session, session.scalars(ordered).all(), ctx.now)


def count_users(session: Session, account_id: int, query: str) -> int:
    """How many active users of one account match `query` (all of them, not one page)."""
    matching = _team_search(account_id, query).with_only_columns(User.id).subquery()
    return session.scalar(select(func.count()).select_from(matching)) or 0


def directory(
    session: Session, now: datetime, *, account: str | None = None, include_deleted: bool = False
) -> list[UserCard]:
    """The whole directory (or one account's), by account then name."""
    statement = _with_account(select(User)).join(User.account)
    if account is not None:
        statement = statement.where(func.lower(Account.name) == account.lower())
    if not include_deleted:
        statement = statement.where(User.status == ACTIVE)
    users = session.scalars(statement.order_by(Account.name, User.name, User.email)).all()
    return cards_of(session, users, now)


def account_names(session: Session) -> list[str]:
    """Every account's name."""
    return list(session.scalars(select(Account.name).order_by(Account.name)))


# ----------------------------------------------------------------------------- bookkeeping


def record_feedback(
    session: Session, now: datetime, voter: str, entry_id: str, helpful: bool
) -> None:
    """One vote per voter and entry; a later vote replaces the earlier one."""
    for _ in range(2):
        existing = session.scalars(
            select(Feedback).where(Feedback.voter == voter, Feedback.entry_id == entry_id)
        ).one_or_none()
        if existing is not None:
            existing.helpful = helpful
            existing.voted_at = now
            return
        try:
            with session.begin_nested():
                session.add(Feedback(voter=voter, entry_id=entry_id, helpful=helpful, voted_at=now))
            return
        except IntegrityError:
            # The same person voted at the same moment from elsewhere: update that vote.
            continue


def claim(session: Session, now: datetime, key: str) -> bool:
    """True if this key was not claimed before (the insert wins the unique constraint)."""
    try:
        with session.begin_nested():
            session.add(DeliveryClaim(key=key, claimed_at=now))
    except IntegrityError:
        return False
    return True


def release(session: Session, key: str) -> None:
    """Forget a claim, so that the next claim of this key wins again."""
    session.execute(delete(DeliveryClaim).where(DeliveryClaim.key == key))


def prune(session: Session, before: datetime) -> None:
    """Forget delivery claims and idempotency records older than `before`."""
    session.execute(delete(DeliveryClaim).where(DeliveryClaim.claimed_at < before))
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < before))
