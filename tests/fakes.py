"""A hand-written, in-memory Domain honouring the seed's rules, for tests until bot.domain lands.

It implements the interface the Slack app codes against (handlers.domain.Domain): the same
methods, results and exceptions. Thread-safe, so that two app instances can share one, like two
servers sharing one database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from handlers.domain import (
    ROLE_LABELS,
    ROLES,
    ActionResult,
    AuditEntry,
    Capabilities,
    DomainError,
    InvalidRole,
    NotASiteManager,
    OutsideYourAccount,
    PrimaryContactCannotBeDeleted,
    RateLimited,
    UnknownActor,
    UserCard,
    UserNotFound,
    WebInvitationNeedsMobileFirst,
    WouldLeaveNoSiteManager,
)

SELF_SERVICE = frozenset({"reset_password", "reinvite"})
MANAGER = frozenset({"reset_password", "reinvite", "set_role", "delete_technician"})


@dataclass
class FakeUser:
    email: str
    name: str
    account: str
    role: str = "technician"
    phone: str | None = "+1 555 0100"
    primary_contact: bool = False
    status: str = "active"
    slack_user_id: str | None = None
    invitations: list[tuple[str, bool]] = field(default_factory=list)

    def card(self) -> UserCard:
        last = self.invitations[-1] if self.invitations else None
        invitation = (
            f"{last[0]} invitation pending" + (" (SMS verification)" if last[1] else "")
            if last
            else "never invited"
        )
        return UserCard(
            email=self.email,
            name=self.name,
            phone=self.phone,
            role=self.role,
            is_primary_contact=self.primary_contact,
            status=self.status,
            account=self.account,
            slack_user_id=self.slack_user_id,
            invitation=invitation,
        )


@dataclass
class Email:
    to: str
    kind: str  # invitation-mobile | invitation-web | password-reset


class FakeDomain:
    """In-memory domain: directory, invitations, resets, roles, audit, feedback, deliveries."""

    def __init__(self, users: list[FakeUser] | None = None, *, limit_per_hour: int = 5) -> None:
        self.users: dict[str, FakeUser] = {u.email: u for u in users or demo_users()}
        self.limit = limit_per_hour
        self.audit: list[AuditEntry] = []
        self.emails: list[Email] = []
        self.feedback: dict[tuple[str, str], bool] = {}
        self.deliveries: set[str] = set()
        self.results: dict[str, ActionResult] = {}
        self.calls: list[str] = []
        self._lock = threading.RLock()

    # -- helpers ---------------------------------------------------------------------------
    def _user(self, email: str) -> FakeUser:
        user = self.users.get((email or "").lower())
        if user is None or user.status != "active":
            raise UserNotFound(f"There is no active user {email} in the team directory.")
        return user

    def _actor(self, email: str) -> FakeUser:
        user = self.users.get((email or "").lower())
        if user is None or user.status != "active":
            raise UnknownActor("You are not in the team directory: ask your Site Manager.")
        return user

    def _audit(self, actor: str, action: str, target: str, outcome: str, detail: str = "") -> None:
        self.audit.append(AuditEntry(datetime.now(UTC), actor, action, target, outcome, detail))

    def _on_other(self, actor: FakeUser, target: FakeUser, action: str) -> None:
        if actor.role != "site-manager":
            raise NotASiteManager("Only a Site Manager can do that. Ask one of your Site Managers.")
        if actor.account != target.account:
            raise OutsideYourAccount("That user belongs to another account.")

    def _run(self, action, actor_email, target_email, key, body):
        with self._lock:
            self.calls.append(action)
            if key and key in self.results:
                return replace(self.results[key], replayed=True)
            try:
                actor = self._actor(actor_email)
                target = self._user(target_email or actor_email)
                result = body(actor, target)
            except DomainError as refusal:
                self._audit(actor_email, action, target_email or "", "denied", refusal.user_message)
                raise
            self._audit(actor.email, action, target.email, "ok", result.message)
            if key:
                self.results[key] = result
            return result

    def _count(self, to: str, kinds: tuple[str, ...]) -> int:
        return sum(1 for e in self.emails if e.to == to and e.kind in kinds)

    # -- the interface ---------------------------------------------------------------------
    def identify(self, email: str, *, slack_user_id: str | None = None) -> UserCard:
        with self._lock:
            user = self._actor(email)
            if slack_user_id and not user.slack_user_id:
                user.slack_user_id = slack_user_id
            return user.card()

    def capabilities(self, actor_email: str) -> Capabilities:
        with self._lock:
            actor = self._actor(actor_email)
            manager = actor.role == "site-manager"
            return Capabilities(manager, actor.account, MANAGER if manager else SELF_SERVICE)

    def resend_invitation(
        self, actor_email, target_email, *, kind="mobile", require_sms=False, idempotency_key=None
    ):
        def body(actor: FakeUser, target: FakeUser) -> ActionResult:
            if actor is not target:
                self._on_other(actor, target, "reinvite")
            elif kind != "mobile":
                raise NotASiteManager("You can resend only a mobile invitation to yourself.")
            if kind not in ("mobile", "web"):
                raise DomainError("An invitation is for a mobile device or a web browser.")
            if kind == "web" and not any(k == "mobile" for k, _ in target.invitations):
                raise WebInvitationNeedsMobileFirst(
                    "The first invitation is always a mobile invitation: send a mobile one first."
                )
            if self._count(target.email, ("invitation-mobile", "invitation-web")) >= self.limit:
                raise RateLimited(f"{target.name} got {self.limit} invitations in the last hour.")
            target.invitations.append((kind, require_sms))
            self.emails.append(Email(target.email, f"invitation-{kind}"))
            return ActionResult(
                "reinvite",
                target.card(),
                f"A new {kind} invitation was sent to {target.name}.",
                target_message=f"You have a new {kind} invitation to the SMB app: see your email.",
            )

        return self._run("reinvite", actor_email, target_email, idempotency_key, body)

    def request_password_reset(self, actor_email, target_email=None, *, idempotency_key=None):
        def body(actor: FakeUser, target: FakeUser) -> ActionResult:
            if actor is not target:
                self._on_other(actor, target, "reset_password")
            if self._count(target.email, ("password-reset",)) >= self.limit:
                raise RateLimited("Too many reset emails in the last hour: try again later.")
            self.emails.append(Email(target.email, "password-reset"))
            return ActionResult(
                "reset_password",
                target.card(),
                f"A password reset link was emailed to {target.email}.",
            )

        return self._run("reset_password", actor_email, target_email, idempotency_key, body)

    def change_role(self, actor_email, target_email, role, *, idempotency_key=None):
        def body(actor: FakeUser, target: FakeUser) -> ActionResult:
            self._on_other(actor, target, "set_role")
            if role not in ROLES:
                raise InvalidRole(f"{role} is not a role.")
            if target.role == "site-manager" and role != "site-manager":
                others = [
                    u
                    for u in self.users.values()
                    if u.account == target.account
                    and u.role == "site-manager"
                    and u.status == "active"
                    and u is not target
                ]
                if not others:
                    raise WouldLeaveNoSiteManager(
                        "That would leave the account without a Site Manager."
                    )
            warning = None
            if target.primary_contact and role == "install-technician":
                target.primary_contact = False
                warning = "The account now has no primary contact. Set one from the My Team screen."
            target.role = role
            return ActionResult(
                "set_role",
                target.card(),
                f"{target.name} is now {ROLE_LABELS[role]}.",
                target_message=f"Your role in the SMB app is now {ROLE_LABELS[role]}.",
                warning=warning,
            )

        return self._run("set_role", actor_email, target_email, idempotency_key, body)

    def set_primary_contact(self, actor_email, target_email, *, idempotency_key=None):
        def body(actor: FakeUser, target: FakeUser) -> ActionResult:
            self._on_other(actor, target, "set_primary_contact")
            for user in self.users.values():
                if user.account == target.account:
                    user.primary_contact = user is target
            return ActionResult(
                "set_primary_contact", target.card(), f"{target.name} is now the primary contact."
            )

        return self._run("set_primary_contact", actor_email, target_email, idempotency_key, body)

    def delete_technician(self, actor_email, target_email, *, idempotency_key=None):
        def body(actor: FakeUser, target: FakeUser) -> ActionResult:
            self._on_other(actor, target, "delete_technician")
            if target.role == "site-manager":
                raise DomainError("Only technicians can be deleted here. Change the role first.")
            if target.primary_contact:
                raise PrimaryContactCannotBeDeleted(
                    f"{target.name} is the primary contact and can't be deleted. Change their "
                    "role to Install Technician first, then delete them."
                )
            target.status = "deleted"
            return ActionResult("delete_technician", target.card(), f"{target.name} was deleted.")

        return self._run("delete_technician", actor_email, target_email, idempotency_key, body)

    def find_users(self, actor_email, query="", *, limit=20):
        with self._lock:
            actor = self._actor(actor_email)
            if actor.role != "site-manager":
                raise NotASiteManager("Only Site Managers can see the team. Ask one of them.")
            needle = query.lower().strip()
            found = [
                u.card()
                for u in self.users.values()
                if u.account == actor.account
                and u.status == "active"
                and (needle in u.name.lower() or needle in u.email)
            ]
            return found[:limit]

    def get_user_card(self, actor_email, target_email):
        with self._lock:
            actor, target = self._actor(actor_email), self._user(target_email)
            if actor is not target:
                self._on_other(actor, target, "get_user_card")
            return target.card()

    def recent_audit(self, actor_email, *, limit=10):
        with self._lock:
            actor = self._actor(actor_email)
            if actor.role != "site-manager":
                raise NotASiteManager("Only Site Managers can see the audit log.")
            mine = [
                e
                for e in self.audit
                if (u := self.users.get(e.actor)) is not None and u.account == actor.account
            ]
            return list(reversed(mine))[:limit]

    def record_feedback(self, voter: str, entry_id: str, helpful: bool) -> None:
        with self._lock:
            self.feedback[(voter, entry_id)] = helpful

    def claim_delivery(self, key: str) -> bool:
        with self._lock:
            if key in self.deliveries:
                return False
            self.deliveries.add(key)
            return True


def demo_users() -> list[FakeUser]:
    """Two accounts: Acme (a manager, a primary-contact technician, others) and Globex."""
    return [
        FakeUser(
            "maria@acme.test", "Maria Manager", "Acme", "site-manager", slack_user_id="UMARIA"
        ),
        FakeUser(
            "pat@acme.test",
            "Pat Primary",
            "Acme",
            "technician",
            primary_contact=True,
            slack_user_id="UPAT",
            invitations=[("mobile", False)],
        ),
        FakeUser(
            "tom@acme.test",
            "Tom Tech",
            "Acme",
            "technician",
            slack_user_id="UTOM",
            invitations=[("mobile", False)],
        ),
        FakeUser("nina@acme.test", "Nina New", "Acme", "technician"),
        FakeUser(
            "gary@globex.test", "Gary Globex", "Globex", "site-manager", slack_user_id="UGARY"
        ),
        FakeUser("gwen@globex.test", "Gwen <!channel> Tech", "Globex", "technician"),
    ]
