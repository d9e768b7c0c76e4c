"""The one module through which the Slack handlers see the domain (issue 3, `bot.domain`).

Until `bot.domain` provides the real `Domain`, this module defines the agreed interface: the
result types, the `DomainError` tree and `UnavailableDomain`, a stand-in that refuses every
action with a clear message so that the FAQ side of the bot can run on its own.

DomainError                       a refusal whose `user_message` is safe to show to anyone
├── UnknownActor                  the Slack person is not in the directory
├── UserNotFound                  no such user (or not visible to the actor)
├── NotASiteManager               only Site Managers act on other users
├── OutsideYourAccount            the target belongs to another account
├── WouldLeaveNoSiteManager       the account would be left without a Site Manager
├── PrimaryContactCannotBeDeleted change the role to Install Technician first
├── WebInvitationNeedsMobileFirst the first invitation is always a mobile one
├── RateLimited                   too many invitations or reset emails this hour
├── InvalidRole                   not one of the three roles

Refusals raised on the Slack side (constructed with their message, unlike the domain's own):

DomainError
├── NotInDirectory                no directory user has this Slack person's email
├── NoSlackEmail                  a Slack user named in a command has no email we can see
└── ActionsUnavailable            this server runs without the domain module
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

ROLES = ("site-manager", "technician", "install-technician")
ROLE_LABELS = {
    "site-manager": "Site Manager",
    "technician": "Technician",
    "install-technician": "Install Technician",
}
ACTIONS = ("reset_password", "reinvite", "set_role", "delete_technician")


class DomainError(Exception):
    """A business refusal; `user_message` tells the person what to do next."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class UnknownActor(DomainError):
    """The person acting is not in the team directory."""


class UserNotFound(DomainError):
    """The target user does not exist or is not visible to the actor."""


class NotASiteManager(DomainError):
    """Only Site Managers may act on other users."""


class OutsideYourAccount(DomainError):
    """The target user belongs to another account."""


class WouldLeaveNoSiteManager(DomainError):
    """The change would leave the account without a Site Manager."""


class PrimaryContactCannotBeDeleted(DomainError):
    """The technician is the primary contact: change their role to Install Technician first."""


class WebInvitationNeedsMobileFirst(DomainError):
    """A web invitation needs a mobile invitation first."""


class RateLimited(DomainError):
    """Too many invitations or reset emails for this user in the last hour."""


class InvalidRole(DomainError):
    """The role is not one of site-manager, technician, install-technician."""


class NotInDirectory(DomainError):
    """The Slack person is not in the team directory (the message says whom to ask)."""


class NoSlackEmail(DomainError):
    """A Slack user named in a command has no email address we can see."""


class ActionsUnavailable(DomainError):
    """This server runs without the domain module."""


@dataclass(frozen=True)
class UserCard:
    """A directory user as the actor may see them."""

    email: str
    name: str
    phone: str | None
    role: str
    is_primary_contact: bool
    status: str
    account: str
    slack_user_id: str | None = None
    invitation: str = ""


@dataclass(frozen=True)
class Capabilities:
    """What an actor may do: Site Manager or not, their account, the actions open to them."""

    is_site_manager: bool
    account: str
    actions: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ActionResult:
    """The outcome of an admin or self-service action."""

    action: str
    target: UserCard
    message: str
    target_message: str | None = None
    warning: str | None = None
    replayed: bool = False


@dataclass(frozen=True)
class AuditEntry:
    """One audited attempt."""

    at: datetime
    actor: str
    action: str
    target: str | None
    outcome: str
    detail: str = ""


class Domain(Protocol):
    """The domain services the Slack app calls (issue 3)."""

    def identify(self, email: str, *, slack_user_id: str | None = None) -> UserCard: ...
    def capabilities(self, actor_email: str) -> Capabilities: ...
    def resend_invitation(
        self,
        actor_email: str,
        target_email: str,
        *,
        kind: str = "mobile",
        require_sms: bool = False,
        idempotency_key: str | None = None,
    ) -> ActionResult: ...
    def request_password_reset(
        self,
        actor_email: str,
        target_email: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> ActionResult: ...
    def change_role(
        self, actor_email: str, target_email: str, role: str, *, idempotency_key: str | None = None
    ) -> ActionResult: ...
    def set_primary_contact(
        self, actor_email: str, target_email: str, *, idempotency_key: str | None = None
    ) -> ActionResult: ...
    def delete_technician(
        self, actor_email: str, target_email: str, *, idempotency_key: str | None = None
    ) -> ActionResult: ...
    def find_users(
        self, actor_email: str, query: str = "", *, limit: int = 20
    ) -> list[UserCard]: ...
    def get_user_card(self, actor_email: str, target_email: str) -> UserCard: ...
    def recent_audit(self, actor_email: str, *, limit: int = 10) -> list[AuditEntry]: ...
    def record_feedback(self, voter: str, entry_id: str, helpful: bool) -> None: ...
    def claim_delivery(self, key: str) -> bool: ...


def parse_role(text: str) -> str:
    """'Install Technician', 'install-technician', 'install_tech'… -> the role id."""
    key = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    aliases = {
        "site-manager": "site-manager",
        "manager": "site-manager",
        "sm": "site-manager",
        "technician": "technician",
        "tech": "technician",
        "install-technician": "install-technician",
        "install-tech": "install-technician",
        "installer": "install-technician",
    }
    if key in aliases:
        return aliases[key]
    raise InvalidRole(
        f"'{text.strip()[:40]}' is not a role. Use one of: site-manager, technician, "
        "install-technician."
    )


class UnavailableDomain:
    """Stands in for the domain on a server without it: FAQ answers work, actions are refused.

    Deliveries are de-duplicated in this process only.
    """

    MESSAGE = (
        "Admin actions are not set up on this helpbot server yet. "
        "Use the My Team screen of the SMB app, or ask support."
    )

    def __init__(self, remember: int = 10_000) -> None:
        self._claimed: OrderedDict[str, None] = OrderedDict()
        self._remember = remember
        self._lock = threading.Lock()

    def claim_delivery(self, key: str) -> bool:
        with self._lock:
            if key in self._claimed:
                return False
            self._claimed[key] = None
            while len(self._claimed) > self._remember:
                self._claimed.popitem(last=False)
            return True

    def record_feedback(self, voter: str, entry_id: str, helpful: bool) -> None:
        return None

    def __getattr__(self, name: str):
        def refuse(*args: object, **kwargs: object):
            raise ActionsUnavailable(self.MESSAGE)

        return refuse
