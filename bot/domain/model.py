"""Plain domain values: roles, action ids, people and the result objects the services return."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bot.domain.errors import InvalidEmail, InvalidInvitationKind, InvalidRole
from bot.text import is_email

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Role(StrEnum):
    """A directory user's role in the SMB app."""

    SITE_MANAGER = "site-manager"
    TECHNICIAN = "technician"
    INSTALL_TECHNICIAN = "install-technician"

    @property
    def label(self) -> str:
        """The role as the SMB app spells it, e.g. 'Install Technician'."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SITE_MANAGER: "Site Manager",
    Role.TECHNICIAN: "Technician",
    Role.INSTALL_TECHNICIAN: "Install Technician",
}

# Friendly spellings people type, after lower-casing and turning "-" and "_" into spaces.
_ROLE_SPELLINGS = {
    "site manager": Role.SITE_MANAGER,
    "sitemanager": Role.SITE_MANAGER,
    "manager": Role.SITE_MANAGER,
    "technician": Role.TECHNICIAN,
    "tech": Role.TECHNICIAN,
    "install technician": Role.INSTALL_TECHNICIAN,
    "installtechnician": Role.INSTALL_TECHNICIAN,
    "install tech": Role.INSTALL_TECHNICIAN,
    "installer": Role.INSTALL_TECHNICIAN,
}


def parse_role(text: str | Role) -> Role:
    """The role meant by `text` ('Install Technician', 'install_technician', 'install tech'…)."""
    if isinstance(text, Role):
        return text
    key = " ".join(re.sub(r"[-_]+", " ", str(text)).lower().split())
    role = _ROLE_SPELLINGS.get(key)
    if role is None:
        raise InvalidRole(str(text))
    return role


class InvitationKind(StrEnum):
    """Mobile (download the app) or web (set a password for the web app)."""

    MOBILE = "mobile"
    WEB = "web"


def parse_invitation_kind(text: str | InvitationKind) -> InvitationKind:
    """'mobile' or 'web' (case-insensitive)."""
    try:
        return InvitationKind(str(text).strip().lower())
    except ValueError:
        raise InvalidInvitationKind(str(text)) from None


def normalise_email(email: str) -> str:
    """The email in the form stored and compared: stripped and lower-case."""
    value = (email or "").strip().lower()
    if len(value) > 320 or not is_email(value):
        raise InvalidEmail(email)
    return value


# The action ids shared with the FAQ's answer buttons (faq.ACTIONS) and the Slack app.
RESET_PASSWORD = "reset_password"  # noqa: S105 (an action id, not a password)
REINVITE = "reinvite"
SET_ROLE = "set_role"
DELETE_TECHNICIAN = "delete_technician"
SET_PRIMARY_CONTACT = "set_primary_contact"
# Reads are authorised and audited too.
FIND_USERS = "find_users"
GET_USER_CARD = "get_user_card"
RECENT_AUDIT = "recent_audit"
DIRECTORY_IMPORT = "directory_import"

ACTION_LABELS = {
    RESET_PASSWORD: "request a password reset",
    REINVITE: "send an invitation",
    SET_ROLE: "change a role",
    DELETE_TECHNICIAN: "delete a technician",
    SET_PRIMARY_CONTACT: "set the primary contact",
    FIND_USERS: "search the team",
    GET_USER_CARD: "see a user's card",
    RECENT_AUDIT: "see the audit log",
}

# Capabilities.actions uses these ids (what buttons to show).
BUTTON_ACTIONS = frozenset({RESET_PASSWORD, REINVITE, SET_ROLE, DELETE_TECHNICIAN})
# What anyone may do for themself without being a Site Manager (the seed's self-service).
SELF_SERVICE_ACTIONS = frozenset({RESET_PASSWORD, REINVITE})

ACTIVE = "active"
DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Person:
    """A directory user as the authorisation rules see them."""

    user_id: int
    email: str
    name: str
    role: Role
    account_id: int
    account: str
    is_primary_contact: bool = False

    @property
    def is_site_manager(self) -> bool:
        """True for a Site Manager."""
        return self.role is Role.SITE_MANAGER


@dataclass(frozen=True, slots=True)
class UserCard:
    """What helpbot shows about one directory user (the Slack version of the My Team card)."""

    email: str
    name: str
    phone: str | None
    role: str
    is_primary_contact: bool
    status: str
    account: str
    slack_user_id: str | None
    invitation: str
    ref: str = ""  # short and stable, for where an email may not fit (Slack menu values)

    @property
    def role_label(self) -> str:
        """The role as the SMB app spells it."""
        return Role(self.role).label


@dataclass(frozen=True, slots=True)
class TeamPage:
    """One page of a Site Manager's team search, with the true number of users matching."""

    users: tuple[UserCard, ...]
    total: int  # every active user of the account matching the search, not only this page
    offset: int  # how many matching users come before this page
    query: str = ""

    @property
    def first(self) -> int:
        """The 1-based position of the page's first user (0 on an empty page)."""
        return self.offset + 1 if self.users else 0

    @property
    def last(self) -> int:
        """The 1-based position of the page's last user."""
        return self.offset + len(self.users)

    @property
    def remaining(self) -> int:
        """Matching users after this page."""
        return max(0, self.total - self.last)


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The outcome of an admin or self-service action, in plain text for any entrypoint."""

    action: str
    target: UserCard
    message: str
    target_message: str | None = None
    warning: str | None = None
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a person may do; non-managers' actions apply to themselves only."""

    is_site_manager: bool
    account: str
    actions: frozenset[str]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited attempt: outcome is 'ok', 'denied' or 'error'."""

    at: datetime
    actor: str
    action: str
    target: str | None
    outcome: str
    detail: str

    def as_json(self) -> dict[str, str | None]:
        """The entry as printed by `helpbot audit --json`."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "outcome": self.outcome,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What `helpbot directory import` changed."""

    rows: int
    created: int
    updated: int
    reactivated: int
    accounts_created: int


def format_day(moment: datetime) -> str:
    """A date as shown to people: 2026-11-30."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def format_time(moment: datetime) -> str:
    """A time as shown to people: 2026-11-30 14:05 UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
