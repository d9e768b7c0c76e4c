"""The domain's exceptions: expected refusals carry a user-safe message saying what to do next.

Every entrypoint (Slack, CLI, tests) catches `DomainError` and shows `user_message` as is; any
other exception is a crash: logged with its traceback, and the person sees a generic line.
`outcome` is what the audit log records for the attempt.

    Exception
    ├── DomainError                      user_message, outcome
    │   ├── UnknownActor                 "denied": the person is not an active directory user
    │   ├── PermissionDenied             "denied": who may do what
    │   │   ├── NotASiteManager
    │   │   └── OutsideYourAccount
    │   ├── RuleViolation                "denied": the SMB app's rules (the seed FAQ)
    │   │   ├── PrimaryContactCannotBeDeleted
    │   │   ├── NotATechnician
    │   │   ├── WouldLeaveNoSiteManager
    │   │   ├── WebInvitationNeedsMobileFirst
    │   │   ├── InstallTechnicianCannotBePrimaryContact
    │   │   ├── PhoneNumberNeeded
    │   │   └── RateLimited
    │   └── InvalidRequest               "error": the request itself is wrong
    │       ├── UserNotFound
    │       ├── InvalidEmail
    │       ├── InvalidText
    │       ├── InvalidRole
    │       ├── InvalidInvitationKind
    │       ├── SmsOnlyForMobile
    │       ├── IdempotencyKeyReused
    │       ├── ResetLinkInvalid
    │       └── DirectoryFileInvalid
    └── SchemaOutOfDate                  operational, for the operator: run `helpbot db upgrade`
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

VALID_ROLES_TEXT = "site-manager, technician, install-technician"


class DomainError(Exception):
    """An expected refusal; `user_message` is safe to show, `audit_detail` is what is audited."""

    outcome: ClassVar[str] = "error"

    def __init__(self, user_message: str, *, audit_detail: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.audit_detail = audit_detail or user_message


def no_active_user_message(email: str) -> str:
    """What a person is told about an email that is not an active user of their account."""
    return (
        f"There is no active user {email} in your account. Check the spelling, or search "
        "with /team."
    )


class UnknownActor(DomainError):
    """The person acting is not an active user of the team directory."""

    outcome = "denied"

    def __init__(self, email: str) -> None:
        self.email = email
        super().__init__(
            f"I can't find {email} in helpbot's team directory, so I can't act for you. "
            "Ask a Site Manager of your company to have you added to the directory."
        )


class PermissionDenied(DomainError):
    """The person may not do this."""

    outcome = "denied"


class NotASiteManager(PermissionDenied):
    """Only a Site Manager may do this (for anyone other than themself)."""

    def __init__(self, what: str, site_managers: Sequence[str] = ()) -> None:
        self.what = what
        self.site_managers = tuple(site_managers)
        ask = (
            f"Ask one of your Site Managers ({', '.join(self.site_managers)})."
            if self.site_managers
            else "Ask a Site Manager of your account."
        )
        super().__init__(f"Only a Site Manager can {what}. {ask}")


class OutsideYourAccount(PermissionDenied):
    """The target user belongs to another account."""

    def __init__(self, target_email: str) -> None:
        # Told exactly what an unknown email gets (UserNotFound), so that nobody can test which
        # emails are users of another company; only the audit detail says which it was.
        self.target_email = target_email
        super().__init__(
            no_active_user_message(target_email),
            audit_detail=f"{target_email} is a user of another account; told there is no "
            "such user in theirs.",
        )


class RuleViolation(DomainError):
    """The SMB app's rules forbid this; the message says what to do first."""

    outcome = "denied"


class PrimaryContactCannotBeDeleted(RuleViolation):
    """A technician who is the account's primary contact cannot be deleted."""

    def __init__(self, target_email: str, name: str) -> None:
        self.target_email = target_email
        super().__init__(
            f"{name} is the Primary Contact, so they can't be deleted. Change their role to "
            f"Install Technician first (/set-role {target_email} install-technician, or in the "
            "app: TECHNICIANS tab, Edit Privilege), then delete them."
        )


class NotATechnician(RuleViolation):
    """Only technicians and install technicians can be deleted."""

    def __init__(self, target_email: str, name: str, role_label: str) -> None:
        self.target_email = target_email
        super().__init__(
            f"{name} is a {role_label}, and only technicians can be deleted. If they should "
            f"go, change their role first (/set-role {target_email} install-technician)."
        )


class WouldLeaveNoSiteManager(RuleViolation):
    """The change would leave the account without an active Site Manager."""

    def __init__(self, account: str) -> None:
        self.account = account
        super().__init__(
            f"That would leave {account} with no Site Manager. Make someone else a Site "
            "Manager first (/set-role EMAIL site-manager), then try again."
        )


class WebInvitationNeedsMobileFirst(RuleViolation):
    """The first invitation a user gets is always a mobile invitation."""

    def __init__(self, target_email: str, name: str) -> None:
        self.target_email = target_email
        super().__init__(
            f"The first invitation is always a mobile invitation, and {name} has not had one "
            f"yet. Send a mobile invitation first (/reinvite {target_email} mobile); after "
            "that you can send a web invitation."
        )


class InstallTechnicianCannotBePrimaryContact(RuleViolation):
    """An Install Technician cannot be the account's primary contact."""

    def __init__(self, target_email: str, name: str) -> None:
        self.target_email = target_email
        super().__init__(
            f"{name} is an Install Technician, who can't be the Primary Contact. Change their "
            f"role first (/set-role {target_email} technician), or choose someone else."
        )


class PhoneNumberNeeded(RuleViolation):
    """SMS verification needs a phone number on the user's record."""

    def __init__(self, target_email: str, name: str) -> None:
        self.target_email = target_email
        super().__init__(
            f"{name} has no phone number in the directory, so the SMS verification code "
            "can't be sent. Send the invitation without SMS verification (the recommended "
            "default), or add their phone number first."
        )


class RateLimited(RuleViolation):
    """Too many invitations or reset emails for one person in the last hour."""

    def __init__(self, target_email: str, what: str, limit: int, retry_at: datetime) -> None:
        self.target_email = target_email
        self.limit = limit
        self.retry_at = retry_at
        when = retry_at.astimezone(UTC).strftime("%H:%M UTC")
        super().__init__(
            f"{target_email} has already been sent {limit} {what} in the last hour, the most "
            f"helpbot allows. Ask them to check their spam folder, and try again after {when}."
        )


class InvalidRequest(DomainError):
    """The request itself is wrong (unknown user, bad role, malformed input)."""

    outcome = "error"


class UserNotFound(InvalidRequest):
    """No active directory user has this email."""

    def __init__(self, email: str) -> None:
        self.email = email
        super().__init__(no_active_user_message(email))


class InvalidEmail(InvalidRequest):
    """The text is not an email address."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"{text!r} is not an email address. Use the person's email, e.g. pat@example.com."
        )


class InvalidText(InvalidRequest):
    """The text holds a control character or a lone surrogate."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)


class InvalidRole(InvalidRequest):
    """The role is not one of the SMB app's roles."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a role. The roles are: {VALID_ROLES_TEXT}.")


class InvalidInvitationKind(InvalidRequest):
    """The invitation kind is neither mobile nor web."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a kind of invitation. Use mobile or web.")


class SmsOnlyForMobile(InvalidRequest):
    """SMS verification applies to mobile invitations only."""

    def __init__(self) -> None:
        super().__init__(
            "SMS verification is only for mobile invitations. Send the web invitation without "
            "it, or send a mobile invitation."
        )


class IdempotencyKeyReused(InvalidRequest):
    """An idempotency key was used again for a different request."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            "This request id was already used for a different request, so nothing was done. "
            "Please try again."
        )


class ResetLinkInvalid(InvalidRequest):
    """The password reset link is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__(
            "This password reset link has expired or was already used. Start Forgot your "
            "password again to get a new one."
        )


class DirectoryFileInvalid(InvalidRequest):
    """A directory CSV has bad rows; nothing was imported."""

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"line {line}: {reason}" for line, reason in self.problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported. "
            f"Fix {'them' if count != 1 else 'it'} and import again.\n{lines}"
        )


class SchemaOutOfDate(Exception):
    """The database schema is missing or older than this helpbot; the operator must upgrade."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        state = "has no helpbot tables" if current is None else f"is at revision {current}"
        super().__init__(
            f"The database {state}, but this helpbot needs revision {head}. "
            "Run `helpbot db upgrade` (with the same DATABASE_URL), then start again."
        )
