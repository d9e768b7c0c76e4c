"""The shared domain module: team directory, roles, invitations, resets, authorisation, audit.

Entrypoints (Slack handlers, the CLI) use `Domain` and the plain result types below; they never
need SQLAlchemy. Every refusal is a `DomainError` whose `user_message` is safe to show.
"""

from bot.domain.bootstrap import build_domain
from bot.domain.errors import (
    DirectoryFileInvalid,
    DomainError,
    IdempotencyKeyReused,
    InstallTechnicianCannotBePrimaryContact,
    InvalidEmail,
    InvalidInvitationKind,
    InvalidRequest,
    InvalidRole,
    NotASiteManager,
    NotATechnician,
    OutsideYourAccount,
    PermissionDenied,
    PhoneNumberNeeded,
    PrimaryContactCannotBeDeleted,
    RateLimited,
    ResetLinkInvalid,
    RuleViolation,
    SchemaOutOfDate,
    SmsOnlyForMobile,
    UnknownActor,
    UserNotFound,
    WebInvitationNeedsMobileFirst,
    WouldLeaveNoSiteManager,
)
from bot.domain.facade import Domain
from bot.domain.mail import LogTransport, MailTransport, MemoryTransport, SmtpTransport
from bot.domain.model import (
    ActionResult,
    AuditEntry,
    Capabilities,
    ImportSummary,
    InvitationKind,
    Role,
    TeamPage,
    UserCard,
    parse_role,
)
from bot.domain.outbox import OutboxRelay

__all__ = [
    "ActionResult",
    "AuditEntry",
    "Capabilities",
    "DirectoryFileInvalid",
    "Domain",
    "DomainError",
    "IdempotencyKeyReused",
    "ImportSummary",
    "InstallTechnicianCannotBePrimaryContact",
    "InvalidEmail",
    "InvalidInvitationKind",
    "InvalidRequest",
    "InvalidRole",
    "InvitationKind",
    "LogTransport",
    "MailTransport",
    "MemoryTransport",
    "NotASiteManager",
    "NotATechnician",
    "OutboxRelay",
    "OutsideYourAccount",
    "PermissionDenied",
    "PhoneNumberNeeded",
    "PrimaryContactCannotBeDeleted",
    "RateLimited",
    "ResetLinkInvalid",
    "Role",
    "RuleViolation",
    "SchemaOutOfDate",
    "SmsOnlyForMobile",
    "SmtpTransport",
    "TeamPage",
    "UnknownActor",
    "UserCard",
    "UserNotFound",
    "WebInvitationNeedsMobileFirst",
    "WouldLeaveNoSiteManager",
    "build_domain",
    "parse_role",
]
